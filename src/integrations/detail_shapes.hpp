#pragma once
// Parameters and results between Step Functions' names and the service model's: Step Functions writes every
// member in PascalCase (`RestApiId`), botocore models some in camelCase (`restApiId`).

#include "sfn/aws/service_model.hpp"
#include "sfn/core/value.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace sfn::integrations::detail {

/// How strictly parameters are taken.
enum class Coercion : std::uint8_t {
    None,          ///< aws-sdk:* passes values as given
    StringifyJson  ///< optimised integrations send a JSON value given for a string member as its JSON text
};

/// `parameters` (a Step Functions Parameters object) as the operation's input, member names matched to the
/// model's (exactly, or with the first letter capitalised).
[[nodiscard]] nlohmann::json to_model_input(const aws::ServiceModel& model, std::string_view operation,
                                            const Value& parameters, Coercion coercion);

/// The operation's output with every structure member's first letter capitalised.
[[nodiscard]] nlohmann::json pascal_output(const aws::ServiceModel& model, std::string_view operation,
                                           const nlohmann::json& output);
/// pascal_output() as a Value.
[[nodiscard]] Value from_model_output(const aws::ServiceModel& model, std::string_view operation,
                                      const nlohmann::json& output);

}  // namespace sfn::integrations::detail
