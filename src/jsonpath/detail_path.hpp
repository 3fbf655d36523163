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
    std::int64_t index = 0;             // index
    std::optional<std::int64_t> start;  // slice
    std::optional<std::int64_t> end;    // slice
    std::int64_t stride = 1;            // slice
    std::vector<std::string> names;     // names (union)
    std::vector<std::int64_t> indexes;  // indexes (union)
    std::shared_ptr<const Filter> filter;
};

/// A filter expression tree: `[?( ... )]`.
struct Filter {
    enum class Op : std::uint8_t { or_, and_, not_, eq, ne, lt, le, gt, ge, exists, literal, current, root };
    Op op = Op::literal;
    std::shared_ptr<const Filter> lhs;
    std::shared_ptr<const Filter> rhs;
    Value literal;             // literal
    std::vector<Step> steps;   // current (@...) / root ($...)
    bool length = false;       // current/root path ends in .length()
};

struct PathImpl {
    std::string text;
    PathRoot root = PathRoot::input;
    std::string variable;
    std::vector<Step> steps;
    bool length = false;  // trailing .length()
    bool definite = true;
    bool reference = true;
    std::string not_reference_reason;  // why reference is false
};

/// Parses `text`; throws PathError E001.
std::shared_ptr<const PathImpl> parse_path(std::string_view text);

/// Appends every node `steps` select from `node` (document order).
void select_all(const Value& node, const std::vector<Step>& steps, std::size_t from, const Value& root,
                std::vector<const Value*>& out);

/// Walks definite steps (names and indexes only); nullptr when absent.
const Value* select_definite(const Value& node, const std::vector<Step>& steps) noexcept;

}  // namespace sfn::jsonpath::detail
