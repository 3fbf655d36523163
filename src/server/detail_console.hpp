#pragma once
// The web console that `sfn serve` offers next to the API on the same port: the page and its assets
// (GET /, GET /console/<file>), the service's own API for the page (POST /console/api/<Action>, a
// read-mostly subset), and the console reads (POST /console/graph, /console/summary, /console/iterations).

#include "sfn/server/service.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

namespace sfn::server::detail {

struct ConsoleConfig {
    /// The address the server listens on: requests must name it (or a loopback name) in Host.
    std::string host;
    /// When set, the API of the console needs the login cookie that `/?token=<token>` sets.
    std::optional<std::string> token;
};

/// Registers the console's routes (before the API's catch-all routes).
void add_console_routes(httplib::Server& server, std::shared_ptr<Service> service, ConsoleConfig config);

/// A random login token (32 hex digits from the system's random source).
[[nodiscard]] std::string console_token();

/// Per-state status of one execution from its whole history (GetExecutionHistory's events, in order).
/// `scope` names a Map iteration (the id of its MapIterationStarted event) to show that iteration only;
/// states below the scope are summarised with counts. See console_summary.cpp for the shape.
[[nodiscard]] nlohmann::json execution_summary(const nlohmann::json& events, std::optional<std::int64_t> scope);

/// The iterations of Map state `map_state` within `scope` (0 = the execution), filtered by status
/// ("succeeded", "failed", "running", "aborted"; empty = all): `{"total", "iterations": [{"key", "index",
/// "status"}]}` from `offset`, at most `limit`.
[[nodiscard]] nlohmann::json map_iterations(const nlohmann::json& events, const std::string& map_state,
                                            std::optional<std::int64_t> scope, const std::string& status,
                                            std::size_t offset, std::size_t limit);

}  // namespace sfn::server::detail
