#pragma once
/// \file
/// What a path, template or intrinsic is evaluated against: the state input (`$`), the context
/// object (`$$`), workflow variables (`$name`) and a random source (States.MathRandom, States.UUID).

#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

#include "sfn/core/value.hpp"

namespace sfn::jsonpath {

/// Workflow variables visible to an expression. The engine implements it over its variable
/// scopes; lookups return nullptr for an undefined variable.
class VariableLookup {
public:
    virtual ~VariableLookup() = default;
    /// The value of `$name` (name without the `$`), or nullptr.
    [[nodiscard]] virtual const Value* lookup(std::string_view name) const = 0;
};

/// A seedable random source. Not thread-safe: give each execution (or thread) its own.
class Random {
public:
    /// Seeded from std::random_device.
    Random();
    explicit Random(std::uint64_t seed) : engine_(seed) {}
    /// Uniform integer in [lo, hi] (inclusive). Precondition: lo <= hi.
    std::int64_t uniform(std::int64_t lo, std::int64_t hi);
    /// 64 random bits.
    std::uint64_t bits() { return engine_(); }

private:
    std::mt19937_64 engine_;
};

/// The item a Map state's ItemSelector is evaluated for: `$$.Map.Item.Index` and `$$.Map.Item.Value`.
struct MapItem {
    std::int64_t index = 0;
    const Value* value = nullptr;  ///< never null in a Scope
};

/// Evaluation inputs. Holds references: the referenced objects must outlive the Scope.
///
/// **Example**
/// \code
///   jsonpath::Random rng(42);
///   jsonpath::Scope scope(input, context, &variables, &rng);
///   auto out = tmpl.render(scope);
/// \endcode
class Scope {
public:
    /// \param variables nullptr when no variable is defined
    /// \param random nullptr to use a per-thread generator seeded from std::random_device
    Scope(const Value& input, const Value& context, const VariableLookup* variables = nullptr,
          Random* random = nullptr) noexcept
        : input_(&input), context_(&context), variables_(variables), random_(random) {}
    /// An ItemSelector's scope: `$$` is `context` (an object) with `Map.Item` set to `item`. Paths through
    /// `$$.Map.Item.Index` and `$$.Map.Item.Value` read `item` directly; the whole context object is built
    /// only when an expression needs more of it.
    Scope(const Value& input, const Value& context, const MapItem& item, const VariableLookup* variables = nullptr,
          Random* random = nullptr) noexcept
        : input_(&input), context_(&context), variables_(variables), random_(random), item_(&item) {}

    /// `$`
    [[nodiscard]] const Value& input() const noexcept { return *input_; }
    /// `$$` (with an item: built on first use).
    [[nodiscard]] const Value& context() const { return item_ ? context_with_item() : *context_; }
    /// The Map item whose `$$.Map.Item` this scope sets, or nullptr.
    [[nodiscard]] const MapItem* map_item() const noexcept { return item_; }
    /// `$name`, or nullptr when undefined.
    [[nodiscard]] const Value* variable(std::string_view name) const {
        return variables_ ? variables_->lookup(name) : nullptr;
    }
    /// The random source (never null).
    [[nodiscard]] Random& random() const;

private:
    const Value& context_with_item() const;

    const Value* input_;
    const Value* context_;
    const VariableLookup* variables_;
    Random* random_;
    const MapItem* item_ = nullptr;
    mutable std::optional<Value> context_with_item_;  // context() of a scope with an item
};

}  // namespace sfn::jsonpath
