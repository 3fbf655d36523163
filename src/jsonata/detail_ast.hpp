#pragma once
// The compiled tree. Built by the parser (parse.cpp), post-processed into path/step form the way the
// reference implementation's AST optimiser does, then evaluated read-only (evaluate.cpp).

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "jsonata/detail_value.hpp"

namespace sfn::jsonata::detail {

struct Signature;
struct Regex;

enum class NodeType : std::uint8_t {
    Path, Binary, Negate, ArrayCtor, ObjectCtor, Name, Literal, Wildcard, Descendant, Parent, Condition,
    Block, Bind, RegexLit, Call, Variable, Lambda, Partial, Apply, Transform, Sort, Placeholder, And, Or,
    Coalesce, Elvis,
    // parse-only shapes, gone after post-processing
    Dot, Predicate, Group, OrderBy, Focus, Index, Operator
};

enum class BinaryOp : std::uint8_t { Add, Sub, Mul, Div, Mod, Eq, Ne, Lt, Le, Gt, Ge, Concat, Range, In };

struct Node;
using NodePtr = std::shared_ptr<Node>;

/// A parent-operator slot: `%` resolves to the tuple binding labelled `label`.
struct Slot {
    std::string label;
    int level = 1;
    int index = 0;
};

struct Stage {
    bool is_index = false;  // `#$i` after predicates; else a filter
    NodePtr expr;
    std::string var;
};

struct SortTerm {
    bool descending = false;
    NodePtr expr;
};

struct GroupSpec {
    std::vector<std::pair<NodePtr, NodePtr>> pairs;
    std::size_t position = 0;
};

struct Node {
    NodeType type;
    std::size_t position = 0;
    std::string value;  // name, variable name, operator text
    BinaryOp op = BinaryOp::Add;
    Value literal;

    NodePtr lhs, rhs;                 // binary, bind, apply; condition uses lhs=condition
    NodePtr then_branch, else_branch;
    NodePtr body, procedure;          // lambda body; call target
    NodePtr pattern, update, remove;  // transform
    std::vector<NodePtr> items;       // path steps, array items, block expressions, call arguments
    std::vector<std::pair<NodePtr, NodePtr>> pairs;  // object constructor
    std::vector<SortTerm> terms;
    std::vector<NodePtr> predicates;  // filters on a non-step expression
    std::vector<Stage> stages;        // filters/index bindings on a path step
    std::unique_ptr<GroupSpec> group;
    std::vector<std::string> params;  // lambda parameter names
    std::shared_ptr<const Signature> signature;
    std::shared_ptr<const Regex> regex;

    std::string focus;  // `@$x`
    std::string index;  // `#$i`
    std::shared_ptr<Slot> slot;      // parent
    std::shared_ptr<Slot> ancestor;  // step whose input a `%` refers to
    std::vector<std::shared_ptr<Slot>> seeking_parent;
    bool has_seeking = false;

    bool tuple = false;
    bool keep_array = false;
    bool cons_array = false;
    bool keep_singleton_array = false;
    bool thunk = false;

    Node(NodeType t, std::size_t pos) : type(t), position(pos) {}
};

inline NodePtr make_node(NodeType t, std::size_t pos) { return std::make_shared<Node>(t, pos); }

/// Parses and post-processes. Throws jsonata::Error.
NodePtr parse_expression(std::string_view text);

}  // namespace sfn::jsonata::detail
