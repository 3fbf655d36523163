#pragma once
// Request ids, HTTP dates and error texts for the metadata Step Functions adds to integration results.

#include "sfn/core/error.hpp"

#include <string>

namespace sfn::integrations::detail {

/// A random (version 4) UUID in lower case: the request ids of SdkResponseMetadata.
std::string uuid4();
/// The current time as an HTTP date ("Tue, 01 Dec 2026 21:00:00 GMT").
std::string http_date_now();
/// An error's message without its "[code] " prefix, for task causes.
std::string plain_message(const sfn::Error& e);

}  // namespace sfn::integrations::detail
