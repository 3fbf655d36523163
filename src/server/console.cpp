// The web console's routes on the HTTP server (detail_console.hpp). The page talks to the service through
// POST /console/api/<Action>, the AWS JSON shapes the SDKs use, so the console shows exactly what the API
// returns; it is a separate path because the browser cannot sign SigV4 requests and because it carries the
// console's own protections:
// - requests must name this server in Host (a loopback name or the --host address), which defeats DNS
//   rebinding;
// - every POST carries the custom header X-Sfn-Console, which no other origin can send without a CORS
//   preflight that this server never grants, and an Origin / Sec-Fetch-Site, when present, must be this
//   server's own;
// - with a login token (`sfn serve --require-sigv4`), the API needs the cookie that `/?token=...` sets
//   (HttpOnly, SameSite=Strict);
// - only the operations the pages use are open (no deletes, no updates).
#include "server/detail_console.hpp"

#include "server/detail_console_assets.hpp"
#include "server/detail_http_error.hpp"
#include "sfn/asl/graph.hpp"
#include "sfn/asl/parse.hpp"
#include "sfn/core/error.hpp"

#include <algorithm>
#include <array>
#include <random>
#include <string_view>

namespace sfn::server::detail {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 16> console_actions{"ListStateMachines",
                                                           "DescribeStateMachine",
                                                           "ListStateMachineVersions",
                                                           "ListStateMachineAliases",
                                                           "DescribeStateMachineAlias",
                                                           "ListExecutions",
                                                           "DescribeExecution",
                                                           "DescribeStateMachineForExecution",
                                                           "GetExecutionHistory",
                                                           "StartExecution",
                                                           "StopExecution",
                                                           "RedriveExecution",
                                                           "ListActivities",
                                                           "DescribeActivity",
                                                           "ListMapRuns",
                                                           "DescribeMapRun"};

constexpr const char* cookie_name = "sfn_console";

std::string_view content_type(std::string_view path) {
    if (path.ends_with(".html")) return "text/html; charset=utf-8";
    if (path.ends_with(".js")) return "text/javascript; charset=utf-8";
    if (path.ends_with(".css")) return "text/css; charset=utf-8";
    if (path.ends_with(".svg")) return "image/svg+xml";
    if (path.ends_with(".png")) return "image/png";
    return "application/octet-stream";
}

const Asset* find_asset(std::string_view path) {
    const auto& assets = console_assets();
    const auto it = std::find_if(assets.begin(), assets.end(), [&](const Asset& a) { return a.path == path; });
    return it == assets.end() ? nullptr : &*it;
}

void page_headers(httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                   "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_header("Cache-Control", "no-store");
}

bool serve_asset(httplib::Response& res, std::string_view path) {
    const auto* asset = find_asset(path);
    if (!asset) return false;
    page_headers(res);
    res.set_content(std::string(asset->bytes), std::string(content_type(path)));
    return true;
}

// The host name a request was sent to, without the port ("[::1]:8083" -> "::1").
std::string request_host(const httplib::Request& req) {
    const auto host = req.get_header_value("Host");
    if (host.starts_with('[')) {
        const auto close = host.find(']');
        return close == std::string::npos ? host : host.substr(1, close - 1);
    }
    return host.substr(0, host.rfind(':'));
}

bool host_allowed(const httplib::Request& req, const ConsoleConfig& config) {
    if (config.host == "0.0.0.0" || config.host == "::") return true;  // served to the network on purpose
    const auto host = request_host(req);
    return host == "localhost" || host == "::1" || host.starts_with("127.") || host == config.host;
}

std::string cookie(const httplib::Request& req, std::string_view name) {
    const auto header = req.get_header_value("Cookie");
    std::string_view rest = header;
    while (!rest.empty()) {
        const auto end = rest.find(';');
        auto part = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        while (part.starts_with(' ')) part.remove_prefix(1);
        if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=') {
            return std::string(part.substr(name.size() + 1));
        }
    }
    return {};
}

bool same_secret(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// The checks every console POST passes (see the file comment). Writes the error and returns false otherwise.
bool console_request_allowed(const httplib::Request& req, httplib::Response& res, const ConsoleConfig& config) {
    res.set_header("Cache-Control", "no-store");
    if (!host_allowed(req, config)) {
        send_error(
            res, 403, "ConsoleForbidden",
            "the console answers requests to its own address only, not to '" + req.get_header_value("Host") + "'");
        return false;
    }
    if (req.get_header_value("X-Sfn-Console") != "1") {
        send_error(res, 403, "ConsoleForbidden", "console requests carry the header X-Sfn-Console: 1");
        return false;
    }
    const auto origin = req.get_header_value("Origin");
    if (!origin.empty() && origin != "http://" + req.get_header_value("Host")) {
        send_error(res, 403, "ConsoleForbidden", "requests from another origin ('" + origin + "') are refused");
        return false;
    }
    const auto site = req.get_header_value("Sec-Fetch-Site");
    if (!site.empty() && site != "same-origin") {
        send_error(res, 403, "ConsoleForbidden",
                   "requests from another site (Sec-Fetch-Site: " + site + ") are refused");
        return false;
    }
    if (config.token && !same_secret(cookie(req, cookie_name), *config.token)) {
        send_error(res, 401, "ConsoleLoginRequired",
                   "the console needs a login: open the URL with ?token=... that the server printed at start");
        return false;
    }
    return true;
}

json request_body(const httplib::Request& req) {
    if (req.body.empty()) return json::object();
    auto body = json::parse(req.body, nullptr, false);
    if (!body.is_object()) throw ApiError("SerializationException", "the request body is not a JSON object");
    return body;
}

void send_json(httplib::Response& res, const json& value) {
    res.set_content(value.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

// Every event of an execution, in order (GetExecutionHistory, page by page).
json whole_history(Service& service, const std::string& execution_arn) {
    json events = json::array();
    json request{{"executionArn", execution_arn}, {"maxResults", 1000}, {"includeExecutionData", true}};
    while (true) {
        auto page = service.call("GetExecutionHistory", request);
        for (auto& e : page["events"]) events.push_back(std::move(e));
        if (!page.contains("nextToken") || page["nextToken"].is_null()) break;
        request["nextToken"] = page["nextToken"];
    }
    return events;
}

std::optional<std::int64_t> scope_of(const json& body) {
    if (!body.contains("scope") || body["scope"].is_null()) return std::nullopt;
    if (!body["scope"].is_number_integer()) throw ApiError("ValidationException", "scope must be an event id");
    return body["scope"].get<std::int64_t>();
}

std::string string_member(const json& body, const char* name) {
    if (!body.contains(name) || !body[name].is_string()) {
        throw ApiError("ValidationException", std::string(name) + " must be a string");
    }
    return body[name].get<std::string>();
}

// Runs one console read; API errors keep their AWS shape, a bad definition is a ValidationException.
template <class F>
void console_read(const httplib::Request& req, httplib::Response& res, const ConsoleConfig& config, F&& read) {
    if (!console_request_allowed(req, res, config)) return;
    try {
        send_json(res, read(request_body(req)));
    } catch (const ApiError& e) {
        send_error(res, e.status(), e.type(), e.message());
    } catch (const sfn::Error& e) {
        send_error(res, 400, "ValidationException", e.what());
    } catch (const json::exception& e) {
        send_error(res, 400, "ValidationException", e.what());
    }
}

}  // namespace

std::string console_token() {
    std::random_device random;  // the kernel's random source on Linux
    static constexpr char hex[] = "0123456789abcdef";
    std::string token;
    for (int i = 0; i < 8; ++i) {
        auto word = random();
        for (int j = 0; j < 4; ++j, word >>= 8) {
            token += hex[(word >> 4) & 0xF];
            token += hex[word & 0xF];
        }
    }
    return token;
}

void add_console_routes(httplib::Server& server, std::shared_ptr<Service> service, ConsoleConfig config) {
    auto cfg = std::make_shared<const ConsoleConfig>(std::move(config));
    server.Get("/", [cfg](const httplib::Request& req, httplib::Response& res) {
        if (!host_allowed(req, *cfg)) {
            send_error(res, 403, "ConsoleForbidden", "the console answers requests to its own address only");
            return;
        }
        if (cfg->token && req.has_param("token")) {
            if (!same_secret(req.get_param_value("token"), *cfg->token)) {
                send_error(res, 403, "ConsoleForbidden", "the login token is not this server's");
                return;
            }
            // The cookie carries the login from now on; the redirect takes the token out of the address bar
            // (the #fragment of a deep link survives it).
            res.set_header("Set-Cookie",
                           std::string(cookie_name) + "=" + *cfg->token + "; Path=/; HttpOnly; SameSite=Strict");
            res.set_redirect("/", 303);
            return;
        }
        serve_asset(res, "index.html");
    });
    server.Get("/console/probe", [cfg](const httplib::Request&, httplib::Response& res) {
        res.set_header("X-Sfn-Console", "1");
        send_json(res, {{"console", "/"}, {"login", cfg->token.has_value()}});
    });
    server.Get(R"(/console/([A-Za-z0-9_.\-]+))", [](const httplib::Request& req, httplib::Response& res) {
        if (!serve_asset(res, req.matches[1].str())) send_error(res, 404, "NotFound", "no console file " + req.path);
    });
    server.Post(R"(/console/api/([A-Za-z]+))", [cfg, service](const httplib::Request& req, httplib::Response& res) {
        if (!console_request_allowed(req, res, *cfg)) return;
        const auto action = req.matches[1].str();
        if (std::find(console_actions.begin(), console_actions.end(), action) == console_actions.end()) {
            send_error(res, 403, "ConsoleForbidden", "the console does not offer " + action);
            return;
        }
        const auto answer = service->handle("AWSStepFunctions." + action, req.body);
        res.status = answer.status;
        if (!answer.error_type.empty()) res.set_header("X-Amzn-ErrorType", answer.error_type);
        res.set_content(answer.body, "application/json");
    });
    server.Post("/console/graph", [cfg](const httplib::Request& req, httplib::Response& res) {
        console_read(req, res, *cfg, [](const json& body) {
            return asl::graph_json(asl::parse_json(string_member(body, "definition")));
        });
    });
    server.Post("/console/summary", [cfg, service](const httplib::Request& req, httplib::Response& res) {
        console_read(req, res, *cfg, [&](const json& body) {
            return execution_summary(whole_history(*service, string_member(body, "executionArn")), scope_of(body));
        });
    });
    server.Post("/console/iterations", [cfg, service](const httplib::Request& req, httplib::Response& res) {
        console_read(req, res, *cfg, [&](const json& body) {
            const auto offset = body.value("offset", std::size_t{0});
            const auto limit = std::min<std::size_t>(body.value("limit", std::size_t{20}), 1000);
            return map_iterations(whole_history(*service, string_member(body, "executionArn")),
                                  string_member(body, "mapState"), scope_of(body), body.value("status", std::string()),
                                  offset, limit);
        });
    });
}

}  // namespace sfn::server::detail
