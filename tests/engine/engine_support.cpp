#include "engine_support.hpp"

namespace sfn::engine::testing {

TimePoint test_epoch() { return TimePoint(std::chrono::seconds(1704067200)); }

ExecutionOptions virtual_options() {
    ExecutionOptions o;
    o.clock = std::make_shared<VirtualClock>(test_epoch());
    o.random_seed = 7;
    o.name = "test-run";
    o.state_machine_name = "TestMachine";
    return o;
}

ExecutionOptions with(std::shared_ptr<HandlerRegistry> handlers) {
    auto o = virtual_options();
    o.handlers = std::move(handlers);
    return o;
}

ExecutionResult run_text(const std::string& definition, const std::string& input, ExecutionOptions options) {
    return run(compile(std::string_view(definition)), Value::parse(input), std::move(options));
}

std::vector<std::string> event_types(const History& history) {
    std::vector<std::string> out;
    for (const auto& e : history) out.emplace_back(to_string(e.type));
    return out;
}

}  // namespace sfn::engine::testing
