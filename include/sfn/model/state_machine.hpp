#pragma once
/// \file
/// A whole state machine definition.

#include "sfn/model/state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sfn::model {

/// The top level of an ASL document. `states` keeps the written (or authored) order.
struct StateMachine {
    std::optional<std::string> comment{};
    std::string start_at{};
    std::vector<NamedState> states{};
    std::optional<std::string> version{};
    std::optional<std::int64_t> timeout_seconds{};
    std::optional<QueryLanguage> query_language{};
    bool operator==(const StateMachine&) const = default;

    /// The state named `name` at the top level, or nullptr.
    [[nodiscard]] const State* find(std::string_view name) const noexcept;
};

}  // namespace sfn::model
