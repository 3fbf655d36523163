// events:putEvents: the execution's ARNs among each entry's Resources; failed entries.
#include "integrations/detail_put_events.hpp"

#include <string>
#include <vector>

namespace sfn::integrations::detail {

std::string state_machine_of(std::string_view execution_arn) {
    // arn:aws:states:<region>:<account>:execution:<machine>:<name> (express: the same with "express:").
    for (std::string_view marker : {std::string_view(":execution:"), std::string_view(":express:")}) {
        const auto at = execution_arn.find(marker);
        if (at == std::string_view::npos) continue;
        std::string_view machine = execution_arn.substr(at + marker.size());
        machine = machine.substr(0, machine.find(':'));
        machine = machine.substr(0, machine.find('/'));
        if (machine.empty()) return {};
        return std::string(execution_arn.substr(0, at)) + ":stateMachine:" + std::string(machine);
    }
    return {};
}

Value with_execution_resources(const Value& parameters, std::string_view execution_arn) {
    const Value* entries = parameters.find("Entries");
    const std::string machine = state_machine_of(execution_arn);
    if (!entries || !entries->is_array() || machine.empty()) return parameters;
    std::vector<Value> shown;
    shown.reserve(entries->size());
    for (const Value& entry : entries->elements()) {
        if (!entry.is_object()) {
            shown.push_back(entry);  // the service's validation names what is wrong with it
            continue;
        }
        const Value* given = entry.find("Resources");
        Value resources = given && given->is_array() ? *given : Value::array();
        resources = resources.with_appended(Value(machine)).with_appended(Value(std::string(execution_arn)));
        shown.push_back(entry.with_member("Resources", std::move(resources)));
    }
    return parameters.with_member("Entries", Value::array(std::move(shown)));
}

bool has_failed_entries(const Value& result) {
    const Value* count = result.find("FailedEntryCount");
    return count && count->is_number() && count->as_double() > 0;
}

}  // namespace sfn::integrations::detail
