#pragma once
// Private: the compiled form of a JSONPath (steps and filter expressions).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sfn/core/value.hpp"
#include "sfn/jsonpath/path.hpp"

namespace sfn::jsonpath::detail {

struct Filter;

/// One step after the root. `descent` marks a preceding `..`.
struct Step {
    enum class Kind : std::uint8_t { name, index, wildcard, slice, names, indexes, filter };
    Kind kind = Kind::name;
    bool descent = false;
    std::string name;                   // name
    KeyHint hint;                       // name: where it was found last
    std::int64_t index = 0;             // index
    std::optional<std::int64_t> start;  // slice
    std::optional<std::int64_t> end;    // slice
    std::int64_t stride = 1;            // slice
    std::vector<std::string> names;     // names (union)
    std::vector<std::int64_t> indexes;  // indexes (union)
    std::shared_ptr<const Filter> filter;
};

/// A compiled `/pattern/flags` of a filter's `=~` (Java's regex dialect as PCRE2 reads it); matches whole strings.
class FilterRegex {
public:
    /// `flags` are Jayway's letters (d i m s u x U). A pattern PCRE2 rejects leaves ok() false and says why in
    /// `error`.
    FilterRegex(std::string_view pattern, std::string_view flags, std::string& error);
    FilterRegex(const FilterRegex&) = delete;
    FilterRegex& operator=(const FilterRegex&) = delete;
    ~FilterRegex();
    [[nodiscard]] bool ok() const noexcept { return code_ != nullptr; }
    /// True when the whole of `text` matches.
    [[nodiscard]] bool matches(std::string_view text) const;

private:
    void* code_ = nullptr;  // pcre2_code_8
};

/// A filter expression tree: `[?( ... )]`. Besides the comparisons (`==` and the order compare a string with a
/// number's text, as Jayway does; `===`/`!==` need the same kind), Jayway's named relations: `in`, `nin` (left
/// in / not in the right list), `subsetof`, `anyof`, `noneof`, `all` (a left list against the right one),
/// `contains` (a substring or a list element), `size`, `empty`, `exists` (`@.x exists true`) and `=~` (a
/// whole-string regex match).
struct Filter {
    enum class Op : std::uint8_t {
        or_, and_, not_, eq, ne, lt, le, gt, ge, exists, literal, current, root,
        regex, in, nin, subsetof, anyof, noneof, contains, size, empty, all, exists_is, same_eq, same_ne
    };
    Op op = Op::literal;
    std::shared_ptr<const Filter> lhs;
    std::shared_ptr<const Filter> rhs;
    std::shared_ptr<const FilterRegex> regex;  // regex: the pattern on the right
    Value literal;             // literal (a `[..]` list literal is an array)
    std::vector<Step> steps;   // current (@...) / root ($...)
    bool length = false;       // current/root path ends in .length()
    bool merged_leaf = false;  // current/root path ends in several names: merged as PathImpl::merged_leaf says
    std::vector<Step> upstream;  // merged_leaf: the steps before the last
};

struct PathImpl {
    std::string text;
    PathRoot root = PathRoot::input;
    std::string variable;
    std::vector<Step> steps;
    bool length = false;  // trailing .length()
    /// Jayway: a last step naming several members (`['a','b']`, no length() after it) selects, for each object
    /// it reaches, one object holding those of its members that exist, not the members' values. `upstream` is
    /// every step before it. With `merged_result`, the path (names and indexes, then the merge without `..`)
    /// gives that one object, as Jayway counts the merge as definite; otherwise an array of them.
    bool merged_leaf = false;
    bool merged_result = false;
    std::vector<Step> upstream;
    bool definite = true;
    bool reference = true;
    std::string not_reference_reason;  // why reference is false
};

/// Parses `text`; throws PathError E001.
std::shared_ptr<const PathImpl> parse_path(std::string_view text);

/// Thrown by Budget::spend() when an evaluation passes its limit. Private to the evaluator: the
/// public entry points catch it and report a States.Runtime Failure.
struct BudgetExhausted {};

/// The work one evaluation of one path may do. A unit is a node visited by recursive descent, a
/// candidate node reached by a step (results included) or a filter condition tested, counted
/// across nested filter evaluations too; measuring or comparing a long string or a large
/// container in a filter costs one unit more per 64 bytes or per element. Filters inside `..`
/// re-run their operand paths for every candidate, so the work grows as (document
/// size)^(nesting depth); this caps it, and with it the number of results collected. A plain
/// counter: one evaluation runs on one thread.
class Budget {
public:
    explicit Budget(std::uint64_t limit = max_evaluation_steps) noexcept : left_(limit) {}

    /// Takes one unit; throws BudgetExhausted when none is left.
    void spend() {
        if (left_ == 0) throw BudgetExhausted{};
        --left_;
    }
    /// Takes `units` at once (work proportional to a value's size); throws BudgetExhausted when
    /// fewer are left.
    void spend(std::uint64_t units) {
        if (units > left_) throw BudgetExhausted{};
        left_ -= units;
    }
    /// Units not yet spent.
    [[nodiscard]] std::uint64_t left() const noexcept { return left_; }

private:
    std::uint64_t left_;
};

/// Appends every node `steps` select from `node` (document order), spending `budget`.
/// \throws BudgetExhausted
void select_all(const Value& node, const std::vector<Step>& steps, std::size_t from, const Value& root,
                std::vector<const Value*>& out, Budget& budget);

}  // namespace sfn::jsonpath::detail
