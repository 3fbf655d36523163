// Step Functions Local mock-config documents (MockConfigFile.json) from untrusted JSON: every state machine and
// test case named in the document is loaded into a HandlerRegistry, then each mocked state is invoked a few
// times (invocation numbers pick entries, including "a-b" ranges).
#include "fuzz_support.hpp"

#include "sfn/engine/error.hpp"
#include "sfn/engine/handlers.hpp"

#include <nlohmann/json.hpp>

namespace {

void load_and_invoke(const nlohmann::json& config, const std::string& machine, const std::string& test_case,
                     const nlohmann::json& states) {
    sfn::engine::HandlerRegistry registry;
    try {
        registry.use_mock_config(config, machine, test_case);
    } catch (const sfn::engine::UsageError&) {
        return;  // a malformed entry is reported by name
    }
    if (!states.is_object()) return;
    for (const auto& [state, response] : states.items()) {
        const auto* handler = registry.find(state, "arn:aws:states:::lambda:invoke", "");
        if (handler == nullptr) sfn::fuzz::fail("a mocked state has no handler", state);
        for (int invocation = 0; invocation < 4; ++invocation) {
            sfn::engine::TaskRequest request;
            request.resource = "arn:aws:states:::lambda:invoke";
            request.state_name = state;
            request.invocation = invocation;
            (void)(*handler)(request);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto config = nlohmann::json::parse(sfn::fuzz::as_text(data, size), nullptr, false);
    if (config.is_discarded()) return 0;
    load_and_invoke(config, "Missing", "Missing", nlohmann::json());
    if (!config.is_object() || !config.contains("StateMachines") || !config["StateMachines"].is_object()) return 0;
    for (const auto& [machine, body] : config["StateMachines"].items()) {
        load_and_invoke(config, machine, "Missing", nlohmann::json());
        if (!body.is_object() || !body.contains("TestCases") || !body["TestCases"].is_object()) continue;
        for (const auto& [test_case, states] : body["TestCases"].items()) {
            load_and_invoke(config, machine, test_case, states);
        }
    }
    return 0;
}
