// Each described Lambda behaviour of the corpus, as a C++ handler returning what the Python function returns
// (the engine shapes results and function errors as AWS does).
#include "lambdas.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace sfn::conformance {

namespace {

engine::TaskOutcome python_error(const std::string& type, const std::string& message) {
    // What the Lambda runtime reports for an unhandled Python exception.
    const nlohmann::ordered_json error = {{"errorMessage", message},
                                          {"errorType", type},
                                          {"requestId", "00000000-0000-0000-0000-000000000000"},
                                          {"stackTrace", nlohmann::json::array()}};
    return engine::TaskOutcome::function_error(type, error.dump());
}

// json.dumps() of the Python runtime: ", " and ": " separators, ASCII-only strings, floats as repr().
void python_dump(const Value& v, std::string& out) {
    switch (v.kind()) {
        case sfn::Kind::null: out += "null"; return;
        case sfn::Kind::boolean: out += v.as_bool() ? "true" : "false"; return;
        case sfn::Kind::integer: out += std::to_string(v.as_int()); return;
        case sfn::Kind::real: {
            char buf[32];
            const double d = v.as_double();
            auto r = std::to_chars(buf, buf + sizeof buf, d);
            std::string text(buf, r.ptr);
            if (text.find_first_of(".e") == std::string::npos) text += ".0";
            out += text;
            return;
        }
        case sfn::Kind::string: out += nlohmann::json(v.as_string()).dump(-1, ' ', true); return;
        case sfn::Kind::array: {
            out += '[';
            bool first = true;
            for (const auto& e : v.elements()) {
                if (!first) out += ", ";
                first = false;
                python_dump(e, out);
            }
            out += ']';
            return;
        }
        case sfn::Kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [k, e] : v.members()) {
                if (!first) out += ", ";
                first = false;
                out += nlohmann::json(k).dump(-1, ' ', true);
                out += ": ";
                python_dump(e, out);
            }
            out += '}';
            return;
        }
    }
}

engine::TaskOutcome python_result(Value v) {
    std::string body;
    python_dump(v, body);
    return engine::TaskOutcome::result(std::move(v), std::move(body));
}

bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

}  // namespace

std::optional<engine::TaskHandler> lambda_for(const std::string& behaviour) {
    if (has(behaviour, "identity function"))
        return [](const engine::TaskRequest& r) { return python_result(r.payload); };
    if (has(behaviour, "Some exception was raised."))
        return [](const engine::TaskRequest&) { return python_error("Exception", "Some exception was raised."); };
    if (has(behaviour, "CustomException"))
        return [](const engine::TaskRequest&) { return python_error("CustomException", ""); };
    if (has(behaviour, "HelloWorld!"))
        return [](const engine::TaskRequest&) { return python_result(Value("HelloWorld!")); };
    if (has(behaviour, "257*1024"))
        return [](const engine::TaskRequest&) {
            return python_result(Value(std::string(257 * 1024, 'a')));
        };
    return std::nullopt;
}

}  // namespace sfn::conformance
