// EXPRESS state machines run without the long-lived task tracking that activities and the `.sync` and
// `.waitForTaskToken` integration patterns need, so the service rejects those Tasks in them.
#include "asl/detail_validate.hpp"

#include <string_view>

namespace sfn::asl::detail {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// What an EXPRESS machine cannot run, or "" when the resource is fine.
std::string unsupported(std::string_view resource) {
    if (resource.substr(0, 15) == "arn:aws:states:" && resource.find(":activity:") != std::string_view::npos)
        return "activities";
    if (ends_with(resource, ".sync") || ends_with(resource, ".sync:2")) return "the '.sync' integration pattern";
    if (ends_with(resource, ".waitForTaskToken")) return "the '.waitForTaskToken' integration pattern";
    return {};
}

}  // namespace

void check_express(Checker& checker, const std::vector<model::NamedState>& states, const std::string& pointer) {
    const auto states_ptr = field(pointer, "States");
    for (const auto& [name, state] : states) {
        const auto ptr = field(states_ptr, name);
        if (const auto* task = std::get_if<model::Task>(&state)) {
            if (auto what = unsupported(task->resource); !what.empty())
                checker.error(field(ptr, "Resource"), code::kExpressPattern,
                              "an EXPRESS state machine does not support " + what + " ('" + task->resource + "')");
        } else if (const auto* parallel = std::get_if<model::Parallel>(&state)) {
            for (std::size_t i = 0; i < parallel->branches.size(); ++i)
                check_express(checker, parallel->branches[i].states, index(field(ptr, "Branches"), i));
        } else if (const auto* map = std::get_if<model::Map>(&state)) {
            if (map->item_processor) check_express(checker, map->item_processor->states, field(ptr, "ItemProcessor"));
            if (map->iterator) check_express(checker, map->iterator->states, field(ptr, "Iterator"));
        }
    }
}

}  // namespace sfn::asl::detail
