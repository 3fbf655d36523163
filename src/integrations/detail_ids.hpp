#pragma once
// Request ids and HTTP dates for the metadata Step Functions adds to integration results.

#include <string>

namespace sfn::integrations::detail {

/// A random (version 4) UUID in lower case: the request ids of SdkResponseMetadata.
std::string uuid4();
/// The current time as an HTTP date ("Tue, 01 Dec 2026 21:00:00 GMT").
std::string http_date_now();

}  // namespace sfn::integrations::detail
