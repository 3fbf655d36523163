// The HTTP Task: builds the request from the task's parameters and its EventBridge connection, sends it through
// an aws::Transport (libcurl) and shapes the answer as Step Functions does.
#include "sfn/integrations/http_task.hpp"

#include "sfn/aws/errors.hpp"
#include "sfn/aws/sigv4.hpp"
#include "sfn/aws/transport.hpp"
#include "sfn/core/text.hpp"
#include "integrations/detail_ids.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace sfn::integrations {

namespace {

// A task that cannot be built: States.Runtime naming the field (AWS rejects such parameters too).
struct BadParameter {
    std::string cause;
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Headers the task may not set (AWS's HTTP Task reference): transport headers, authorisation, AWS's own.
bool forbidden_header(std::string_view name) {
    static constexpr std::array<std::string_view, 32> names = {
        "a-im", "accept-charset", "accept-datetime", "accept-encoding", "authorization", "cache-control",
        "connection", "content-encoding", "content-md5", "date", "expect", "forwarded", "from", "host",
        "http2-settings", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since",
        "max-forwards", "origin", "pragma", "proxy-authorization", "referer", "server", "te", "trailer",
        "transfer-encoding", "upgrade", "via", "warning"};
    const std::string l = lower(name);
    if (l.starts_with("x-forwarded-") || l.starts_with("x-amz-") || l.starts_with("x-amzn-")) return true;
    return std::find(names.begin(), names.end(), l) != names.end();
}

std::string_view status_text(int status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 203: return "Non-Authoritative Information";
        case 204: return "No Content";
        case 206: return "Partial Content";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 303: return "See Other";
        case 304: return "Not Modified";
        case 307: return "Temporary Redirect";
        case 308: return "Permanent Redirect";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 402: return "Payment Required";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 406: return "Not Acceptable";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 410: return "Gone";
        case 412: return "Precondition Failed";
        case 413: return "Payload Too Large";
        case 415: return "Unsupported Media Type";
        case 418: return "I'm a teapot";
        case 422: return "Unprocessable Entity";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        default: return "";
    }
}

std::string scalar_text(const Value& v) { return v.is_string() ? v.as_string() : v.dump(); }

const Value* object_parameter(const Value& params, std::string_view name) {
    const Value* v = params.find(name);
    if (v && !v->is_null() && !v->is_object()) throw BadParameter{std::string(name) + " must be an object"};
    return v && v->is_object() ? v : nullptr;
}

std::string required_string(const Value& params, std::string_view name) {
    const Value* v = params.find(name);
    if (!v || !v->is_string() || v->as_string().empty()) throw BadParameter{"the parameter " + std::string(name) + " is required (a string)"};
    return v->as_string();
}

std::string connection_arn(const Value& params) {
    for (std::string_view holder : {"Authentication", "InvocationConfig"}) {
        const Value* h = object_parameter(params, holder);
        if (const Value* arn = h ? h->find("ConnectionArn") : nullptr; arn && arn->is_string()) return arn->as_string();
    }
    throw BadParameter{"the parameter Authentication.ConnectionArn is required: an HTTP Task authorises its "
                       "requests with an EventBridge connection"};
}

void set_header(aws::Headers& headers, const std::string& name, const std::string& value) {
    for (auto& [k, v] : headers) {
        if (lower(k) == lower(name)) {
            v = value;
            return;
        }
    }
    headers.emplace_back(name, value);
}

void append_query(std::string& query, const std::string& key, const std::string& value) {
    if (!query.empty()) query += '&';
    query += aws::sigv4::uri_encode(key) + "=" + aws::sigv4::uri_encode(value);
}

std::shared_ptr<aws::Transport> transport_for(const HttpTaskOptions& o, std::chrono::milliseconds timeout) {
    if (o.transport) return o.transport(timeout);
    aws::CurlOptions curl;
    curl.connect_timeout = std::min(curl.connect_timeout, timeout);
    curl.read_timeout = timeout;
    return aws::make_curl_transport(curl);
}

// OAuth client credentials (RFC 6749 §4.4): the token endpoint answers {"access_token": ...}.
std::string oauth_token(const Connection::OAuth& oauth, aws::Transport& transport) {
    aws::HttpRequest token;
    token.method = oauth.method;
    std::string body = "grant_type=client_credentials";
    for (const auto& [k, v] : oauth.parameters.body) body += "&" + aws::sigv4::uri_encode(k) + "=" + aws::sigv4::uri_encode(v);
    std::string query;
    for (const auto& [k, v] : oauth.parameters.query) append_query(query, k, v);
    token.url = oauth.endpoint + (query.empty() ? "" : (oauth.endpoint.find('?') == std::string::npos ? "?" : "&") + query);
    token.body = std::move(body);
    token.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Authorization", "Basic " + text::base64_encode(oauth.client_id + ":" + oauth.client_secret)}};
    for (const auto& [k, v] : oauth.parameters.headers) set_header(token.headers, k, v);
    const auto answer = transport.send(token);
    const auto parsed = nlohmann::json::parse(answer.body, nullptr, false);
    if (answer.status / 100 != 2 || !parsed.is_object() || !parsed.contains("access_token") ||
        !parsed["access_token"].is_string()) {
        throw ConnectionError("Events.ConnectionResource.InvalidConnectionState",
                              "The OAuth endpoint " + oauth.endpoint + " answered HTTP " + std::to_string(answer.status) +
                                  " without an access_token.");
    }
    return parsed["access_token"].get<std::string>();
}

struct Prepared {
    aws::HttpRequest request;
    Connection connection;
};

Prepared prepare(const engine::TaskRequest& task, const HttpTaskOptions& o) {
    const Value& params = task.parameters;
    if (!params.is_object()) throw BadParameter{"the parameters must be an object"};
    Prepared p;
    p.request.url = required_string(params, "ApiEndpoint");
    p.request.method = required_string(params, "Method");
    static constexpr std::array<std::string_view, 7> methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"};
    if (std::find(methods.begin(), methods.end(), p.request.method) == methods.end())
        throw BadParameter{"Method must be one of GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD, got '" + p.request.method + "'"};
    if (!p.request.url.starts_with("https://") && !p.request.url.starts_with("http://"))
        throw BadParameter{"ApiEndpoint must be an https:// URL, got '" + p.request.url + "'"};
    const std::string arn = connection_arn(params);
    if (!o.connections)
        throw ConnectionError("Events.ConnectionResource.ResourceNotFound",
                              "Connection '" + arn + "' cannot be resolved: no connections are configured (--connections FILE).");
    p.connection = o.connections->resolve(arn);

    if (const Value* headers = object_parameter(params, "Headers")) {
        for (const auto& [k, v] : headers->members()) {
            if (forbidden_header(k)) throw BadParameter{"Headers: the header '" + k + "' cannot be set by an HTTP Task"};
            set_header(p.request.headers, k, scalar_text(v));
        }
    }
    for (const auto& [k, v] : p.connection.invocation.headers) set_header(p.request.headers, k, v);

    std::string query;
    if (const Value* q = object_parameter(params, "QueryParameters")) {
        for (const auto& [k, v] : q->members()) {
            if (v.is_array()) {
                for (const auto& item : v.elements()) append_query(query, k, scalar_text(item));
            } else {
                append_query(query, k, scalar_text(v));
            }
        }
    }
    for (const auto& [k, v] : p.connection.invocation.query) append_query(query, k, v);
    if (!query.empty()) p.request.url += (p.request.url.find('?') == std::string::npos ? "?" : "&") + query;

    std::string encoding = "NONE";
    std::string array_format = "INDICES";
    if (const Value* transform = object_parameter(params, "Transform")) {
        if (const Value* e = transform->find("RequestBodyEncoding"); e && e->is_string()) encoding = e->as_string();
        if (encoding != "NONE" && encoding != "URL_ENCODED")
            throw BadParameter{"Transform.RequestBodyEncoding must be NONE or URL_ENCODED, got '" + encoding + "'"};
        if (const Value* options = transform->find("RequestEncodingOptions"); options && options->is_object()) {
            if (const Value* f = options->find("ArrayFormat"); f && f->is_string()) array_format = f->as_string();
        }
    }
    Value body = params.contains("RequestBody") ? params.at("RequestBody") : Value();
    if (!p.connection.invocation.body.empty()) {
        if (body.is_string()) throw BadParameter{"RequestBody is a string; the connection's body parameters need an object"};
        if (!body.is_object()) body = Value::object();
        for (const auto& [k, v] : p.connection.invocation.body) body = body.with_member(k, Value(v));
    }
    if (!body.is_null()) {
        if (encoding == "URL_ENCODED" && body.is_object()) {
            try {
                p.request.body = url_encode_form(body, array_format);
            } catch (const sfn::Error& e) {
                throw BadParameter{detail::plain_message(e)};
            }
            set_header(p.request.headers, "Content-Type", "application/x-www-form-urlencoded");
        } else {
            p.request.body = body.is_string() ? body.as_string() : body.dump();
            if (!aws::find_header(p.request.headers, "content-type"))
                set_header(p.request.headers, "Content-Type", "application/json; charset=UTF-8");
        }
    }
    set_header(p.request.headers, "User-Agent", "Amazon|StepFunctions|HttpInvoke|" + o.region);
    set_header(p.request.headers, "Range", "bytes=0-262144");
    return p;
}

void authorise(Prepared& p, aws::Transport& transport) {
    const Connection& c = p.connection;
    switch (c.auth) {
        case Connection::Auth::ApiKey:
            set_header(p.request.headers, c.api_key_name, c.api_key_value);
            break;
        case Connection::Auth::Basic:
            set_header(p.request.headers, "Authorization", "Basic " + text::base64_encode(c.username + ":" + c.password));
            break;
        case Connection::Auth::OAuthClientCredentials:
            set_header(p.request.headers, "Authorization", "Bearer " + oauth_token(c.oauth, transport));
            break;
    }
}

Value response_shape(const aws::HttpResponse& response) {
    // Header names as the server sent them; every value a list (repeated headers keep each value).
    std::vector<Member> headers;
    for (const auto& header : response.headers) {
        const auto& [name, value] = header;
        auto it = std::find_if(headers.begin(), headers.end(), [&](const Member& m) { return m.first == header.first; });
        if (it == headers.end()) {
            headers.emplace_back(name, Value::array({Value(value)}));
        } else {
            it->second = it->second.with_appended(Value(value));
        }
    }
    Value body(response.body);
    const std::string* type = response.header("content-type");
    if (type && lower(*type).find("json") != std::string::npos) {
        try {
            body = Value::parse(response.body);
        } catch (const sfn::Error&) {
            // Not JSON after all: ResponseBody stays the text.
        }
    }
    return Value::object({{"Headers", Value::object(std::move(headers))},
                          {"ResponseBody", std::move(body)},
                          {"StatusCode", response.status},
                          {"StatusText", Value(std::string(status_text(response.status)))}});
}

}  // namespace

engine::TaskOutcome invoke_http_task(const engine::TaskRequest& task, const HttpTaskOptions& o) {
    Prepared p;
    try {
        p = prepare(task, o);
    } catch (const BadParameter& e) {
        return engine::TaskOutcome::failure("States.Runtime", "An error occurred while executing the state '" +
                                                                  std::string(task.state_name) + "': " + e.cause);
    } catch (const ConnectionError& e) {
        return engine::TaskOutcome::failure(e.error(), e.cause());
    }
    auto timeout = o.timeout;
    if (task.deadline != std::chrono::steady_clock::time_point::max()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(task.deadline - std::chrono::steady_clock::now());
        timeout = std::max(std::chrono::milliseconds(1000), std::min(timeout, left));
    }
    try {
        const auto transport = transport_for(o, timeout);
        authorise(p, *transport);
        const aws::HttpResponse response = transport->send(p.request);
        Value shaped = response_shape(response);
        if (response.status / 100 == 2) return engine::TaskOutcome::raw_result(std::move(shaped));
        return engine::TaskOutcome::failure("States.Http.StatusCode." + std::to_string(response.status),
                                            std::string(status_text(response.status)));
    } catch (const ConnectionError& e) {
        return engine::TaskOutcome::failure(e.error(), e.cause());
    } catch (const aws::TransportError& e) {
        // The query may carry the connection's parameters: causes name the endpoint without it.
        const std::string endpoint = p.request.url.substr(0, p.request.url.find('?'));
        std::string what = detail::plain_message(e);
        for (auto at = what.find(p.request.url); at != std::string::npos; at = what.find(p.request.url, at + endpoint.size()))
            what.replace(at, p.request.url.size(), endpoint);
        if (e.timed_out())
            return engine::TaskOutcome::failure("States.Http.Socket",
                                                "The HTTP request to " + endpoint + " timed out: " + what);
        return engine::TaskOutcome::failure("States.TaskFailed", "The HTTP request failed: " + what);
    }
}

engine::TaskHandler make_http_task_handler(HttpTaskOptions options) {
    return [options = std::move(options)](const engine::TaskRequest& request) { return invoke_http_task(request, options); };
}

}  // namespace sfn::integrations
