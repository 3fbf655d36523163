#pragma once
// The Lambda functions the conformance corpus describes in words (`lambdas`: name -> behaviour), as C++
// task handlers.

#include "sfn/engine/handlers.hpp"

#include <optional>
#include <string>

namespace sfn::conformance {

/// The handler for a behaviour description, or nullopt when the description is not one we know.
std::optional<engine::TaskHandler> lambda_for(const std::string& behaviour);

}  // namespace sfn::conformance
