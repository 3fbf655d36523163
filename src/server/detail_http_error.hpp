#pragma once
// The AWS JSON 1.0 error answer (`{"__type", "message"}` plus X-Amzn-ErrorType), shared by the API and the
// console routes of the HTTP server.

#include <httplib.h>

#include <string>

namespace sfn::server::detail {

void send_error(httplib::Response& res, int status, const std::string& type, const std::string& message);

}  // namespace sfn::server::detail
