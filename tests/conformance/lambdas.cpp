// Each described Lambda behaviour of the corpus, as a C++ handler returning what the Python function returns
// (the engine shapes results and function errors as AWS does).
#include "lambdas.hpp"

#include <nlohmann/json.hpp>

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

bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

}  // namespace

std::optional<engine::TaskHandler> lambda_for(const std::string& behaviour) {
    if (has(behaviour, "identity function"))
        return [](const engine::TaskRequest& r) { return engine::TaskOutcome::result(r.payload); };
    if (has(behaviour, "Some exception was raised."))
        return [](const engine::TaskRequest&) { return python_error("Exception", "Some exception was raised."); };
    if (has(behaviour, "CustomException"))
        return [](const engine::TaskRequest&) { return python_error("CustomException", ""); };
    if (has(behaviour, "HelloWorld!"))
        return [](const engine::TaskRequest&) { return engine::TaskOutcome::result(Value("HelloWorld!")); };
    if (has(behaviour, "257*1024"))
        return [](const engine::TaskRequest&) {
            return engine::TaskOutcome::result(Value(std::string(257 * 1024, 'a')));
        };
    return std::nullopt;
}

}  // namespace sfn::conformance
