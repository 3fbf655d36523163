#include "sfn/model/state.hpp"
#include "sfn/model/state_machine.hpp"

namespace sfn::model {

std::string_view type_name(const State& state) noexcept {
    static constexpr std::string_view kNames[] = {"Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"};
    return kNames[state.index()];
}

const StateCommon& common(const State& state) noexcept {
    return std::visit([](const auto& s) -> const StateCommon& { return s.common; }, state);
}

StateCommon& common(State& state) noexcept {
    return std::visit([](auto& s) -> StateCommon& { return s.common; }, state);
}

std::span<const Catcher> catchers(const State& state) noexcept {
    if (const auto* t = std::get_if<Task>(&state)) return elements(t->catch_);
    if (const auto* p = std::get_if<Parallel>(&state)) return elements(p->catch_);
    if (const auto* m = std::get_if<Map>(&state)) return elements(m->catch_);
    return {};
}

const State* StateMachine::find(std::string_view name) const noexcept {
    for (const auto& named : states) {
        if (named.name == name) return &named.state;
    }
    return nullptr;
}

}  // namespace sfn::model
