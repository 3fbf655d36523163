// Evaluating compiled paths: select (InputPath, `.$` fields) and assign (ResultPath).
#include "sfn/jsonpath/path.hpp"

#include <algorithm>
#include <charconv>
#include <functional>

#include "jsonpath/detail_path.hpp"
#include "jsonpath/detail_text.hpp"
#include "sfn/core/text.hpp"

namespace sfn::jsonpath {
namespace detail {
namespace {

// Jayway semantics: a negative index counts from the end.
const Value* element_at(const Value& array, std::int64_t index) noexcept {
    auto size = static_cast<std::int64_t>(array.size());
    if (index < 0) index += size;
    if (index < 0 || index >= size) return nullptr;
    return &array[static_cast<std::size_t>(index)];
}

int sign(int c) noexcept { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

// Jayway orders numbers by value and strings by their text; a string and a number by the string against the
// number's text.
bool compare_ordered(const Value& a, const Value& b, int& order) {
    if (a.is_number() && b.is_number()) {
        double x = a.as_double();
        double y = b.as_double();
        order = x < y ? -1 : (x > y ? 1 : 0);
        return true;
    }
    if (a.is_string() && b.is_string()) {
        order = sign(a.as_string().compare(b.as_string()));
        return true;
    }
    if (a.is_string() && b.is_number()) {
        order = sign(a.as_string().compare(b.dump()));
        return true;
    }
    if (a.is_number() && b.is_string()) {
        order = sign(a.dump().compare(b.as_string()));
        return true;
    }
    return false;
}

// Jayway's ==: a string on the left equals a number with that text; a number on the left equals a string that
// reads as the same number; otherwise values of one kind that are equal (numbers by value, containers by
// their contents).
bool loosely_equal(const Value& a, const Value& b) {
    if (a.is_string() && b.is_number()) return a.as_string() == b.dump();
    if (a.is_number() && b.is_string()) {
        const std::string& text = b.as_string();
        double d = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
        return !text.empty() && ec == std::errc() && end == text.data() + text.size() && a == Value(d);
    }
    return a == b;
}

bool same_kind(const Value& a, const Value& b) noexcept {
    const auto container = [](const Value& v) { return v.is_array() || v.is_object(); };
    return (a.is_number() && b.is_number()) || (container(a) && container(b)) || a.kind() == b.kind();
}

// The extra units a filter spends measuring or comparing `v`: a unit is worth about 64 bytes of a
// string scan, and a container comparison walks its elements.
std::uint64_t size_units(const Value& v) noexcept {
    if (v.is_string()) return v.as_string().size() / 64;
    if (v.is_array() || v.is_object()) return v.size();
    return 0;
}

std::optional<Value> length_of(const Value& v) {
    if (v.is_array() || v.is_object()) return Value(static_cast<std::int64_t>(v.size()));
    if (v.is_string()) return Value(static_cast<std::int64_t>(text::utf16_length(v.as_string())));
    return std::nullopt;
}

void select_merged(const Value& start, const Value& root, const std::vector<Step>& upstream, const Step& leaf,
                   std::vector<Value>& out, Budget& budget);

std::optional<Value> operand_value(const Filter& f, const Value& current, const Value& root, Budget& budget) {
    if (f.op == Filter::Op::literal) return f.literal;
    const Value& start = f.op == Filter::Op::current ? current : root;
    bool definite = true;
    for (const auto& s : f.merged_leaf ? f.upstream : f.steps)
        if (s.descent || (s.kind != Step::Kind::name && s.kind != Step::Kind::index)) definite = false;
    if (f.merged_leaf) {
        std::vector<Value> merged;
        select_merged(start, root, f.upstream, f.steps.back(), merged, budget);
        if (definite && !f.steps.back().descent) {
            if (merged.empty()) return std::nullopt;
            return merged.front();
        }
        return Value::array(std::move(merged));
    }
    std::vector<const Value*> found;
    select_all(start, f.steps, 0, root, found, budget);
    std::optional<Value> result;
    if (definite) {
        if (found.empty()) return std::nullopt;
        result = *found.front();
    } else {
        std::vector<Value> items;
        items.reserve(found.size());
        for (const Value* v : found) items.push_back(*v);
        result = Value::array(std::move(items));
    }
    if (f.length) {
        if (result->is_string()) budget.spend(size_units(*result));  // UTF-16 length scans the text
        return length_of(*result);
    }
    return result;
}

bool test(const Filter& f, const Value& current, const Value& root, Budget& budget);

bool contains_equal(const Value& list, const Value& v, Budget& budget) {
    budget.spend(list.size());
    for (const auto& e : list.elements())
        if (e == v) return true;
    return false;
}

// Jayway's regex input: a string itself, a number or boolean as its text, anything else the empty string.
std::string regex_input(const Value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_number() || v.is_bool()) return v.dump();
    return {};
}

// The named relations (detail_path.hpp), as Jayway's evaluators decide them; a side of the wrong kind is false.
bool test_relation(const Filter& f, const Value& current, const Value& root, Budget& budget) {
    auto a = operand_value(*f.lhs, current, root, budget);
    if (f.op == Filter::Op::regex) {
        if (!f.regex || !a) return false;
        const auto one = [&](const Value& v) {
            const std::string text = regex_input(v);
            budget.spend(text.size() / 64);
            return f.regex->matches(text);
        };
        if (!a->is_array()) return one(*a);
        for (const auto& e : a->elements())
            if (one(e)) return true;
        return false;
    }
    auto b = operand_value(*f.rhs, current, root, budget);
    switch (f.op) {
        case Filter::Op::exists_is: return b && b->is_bool() && a.has_value() == b->as_bool();
        case Filter::Op::all: {
            if (!a || !b || !a->is_array() || !b->is_array()) return false;
            for (const auto& e : b->elements())
                if (!contains_equal(*a, e, budget)) return false;
            return true;
        }
        case Filter::Op::in: return a && b && b->is_array() && contains_equal(*b, *a, budget);
        case Filter::Op::nin: return !(a && b && b->is_array() && contains_equal(*b, *a, budget));
        case Filter::Op::subsetof:
        case Filter::Op::anyof:
        case Filter::Op::noneof: {
            if (!a || !b || !a->is_array() || !b->is_array()) return false;
            std::size_t found = 0;
            for (const auto& e : a->elements()) found += contains_equal(*b, e, budget) ? 1 : 0;
            if (f.op == Filter::Op::subsetof) return found == a->size();
            if (f.op == Filter::Op::anyof) return found > 0;
            return found == 0;
        }
        case Filter::Op::contains:
            if (!a || !b) return false;
            if (a->is_string() && b->is_string()) {
                budget.spend(size_units(*a));
                return a->as_string().find(b->as_string()) != std::string_view::npos;
            }
            return a->is_array() && contains_equal(*a, *b, budget);
        case Filter::Op::size: {
            if (!a || !b || !b->is_number()) return false;
            const auto expected = static_cast<std::int64_t>(b->as_double());
            auto length = length_of(*a);
            return length && length->as_int() == expected;
        }
        case Filter::Op::empty:
            if (!a || !b || !b->is_bool() || !(a->is_string() || a->is_array() || a->is_object())) return false;
            return (a->is_string() ? a->as_string().empty() : a->size() == 0) == b->as_bool();
        default: return false;
    }
}

bool test(const Filter& f, const Value& current, const Value& root, Budget& budget) {
    budget.spend();
    switch (f.op) {
        case Filter::Op::regex:
        case Filter::Op::in:
        case Filter::Op::nin:
        case Filter::Op::subsetof:
        case Filter::Op::anyof:
        case Filter::Op::noneof:
        case Filter::Op::contains:
        case Filter::Op::size:
        case Filter::Op::empty:
        case Filter::Op::all:
        case Filter::Op::exists_is: return test_relation(f, current, root, budget);
        case Filter::Op::or_: return test(*f.lhs, current, root, budget) || test(*f.rhs, current, root, budget);
        case Filter::Op::and_: return test(*f.lhs, current, root, budget) && test(*f.rhs, current, root, budget);
        case Filter::Op::not_: return !test(*f.lhs, current, root, budget);
        case Filter::Op::exists: return operand_value(*f.lhs, current, root, budget).has_value();
        case Filter::Op::literal:
        case Filter::Op::current:
        case Filter::Op::root: return false;  // not produced as a condition by the parser
        default: break;
    }
    auto a = operand_value(*f.lhs, current, root, budget);
    auto b = operand_value(*f.rhs, current, root, budget);
    if (a && b) budget.spend(std::min(size_units(*a), size_units(*b)));
    if (f.op == Filter::Op::eq) return a && b && loosely_equal(*a, *b);
    if (f.op == Filter::Op::ne) return !(a && b && loosely_equal(*a, *b));
    if (f.op == Filter::Op::same_eq) return a && b && same_kind(*a, *b) && *a == *b;
    if (f.op == Filter::Op::same_ne) return !(a && b && same_kind(*a, *b) && *a == *b);
    int order = 0;
    if (!a || !b || !compare_ordered(*a, *b, order)) return false;
    switch (f.op) {
        case Filter::Op::lt: return order < 0;
        case Filter::Op::le: return order <= 0;
        case Filter::Op::gt: return order > 0;
        case Filter::Op::ge: return order >= 0;
        default: return false;
    }
}

template <class Next>
void apply(const Value& node, const Step& s, const Value& root, Budget& budget, Next&& next) {
    switch (s.kind) {
        case Step::Kind::name:
            if (const Value* v = node.find(s.name)) next(*v);
            return;
        case Step::Kind::index:
            if (node.is_array())
                if (const Value* v = element_at(node, s.index)) next(*v);
            return;
        case Step::Kind::wildcard:
            if (node.is_array())
                for (const auto& e : node.elements()) next(e);
            else
                for (const auto& m : node.members()) next(m.second);
            return;
        case Step::Kind::slice: {
            if (!node.is_array()) return;
            auto size = static_cast<std::int64_t>(node.size());
            auto clamp = [size](std::int64_t i) { return i < 0 ? std::max<std::int64_t>(0, i + size) : std::min(i, size); };
            std::int64_t from = s.start ? clamp(*s.start) : 0;
            std::int64_t to = s.end ? clamp(*s.end) : size;
            for (std::int64_t i = from; i < to; i += s.stride) next(node[static_cast<std::size_t>(i)]);
            return;
        }
        case Step::Kind::names:
            for (const auto& n : s.names)
                if (const Value* v = node.find(n)) next(*v);
            return;
        case Step::Kind::indexes:
            if (node.is_array())
                for (auto i : s.indexes)
                    if (const Value* v = element_at(node, i)) next(*v);
            return;
        case Step::Kind::filter:
            // Jayway: a filter over an array tests each element; over an object, the object itself.
            if (node.is_array()) {
                for (const auto& e : node.elements())
                    if (test(*s.filter, e, root, budget)) next(e);
            } else if (node.is_object() && test(*s.filter, node, root, budget)) {
                next(node);
            }
            return;
    }
}

// `..`: visits the node and every node below it, in document order, a unit of the budget each.
template <class Visit>
void walk(const Value& node, Budget& budget, const Visit& visit) {
    budget.spend();
    visit(node);
    if (node.is_array())
        for (const auto& e : node.elements()) walk(e, budget, visit);
    else
        for (const auto& m : node.members()) walk(m.second, budget, visit);
}

void descend(const Value& node, const Step& s, const Value& root, Budget& budget,
             const std::function<void(const Value&)>& next) {
    walk(node, budget, [&](const Value& n) { apply(n, s, root, budget, next); });
}

/// Jayway's merge of a last `['a','b']` step: each object reached gives one object of the named members it has
/// (an object with none of them an empty one). Under `..` only the objects (the node itself and every one below
/// it, in document order) that have every named member count.
void select_merged(const Value& start, const Value& root, const std::vector<Step>& upstream, const Step& leaf,
                   std::vector<Value>& out, Budget& budget) {
    std::vector<const Value*> reached;
    select_all(start, upstream, 0, root, reached, budget);
    const auto first_time = [&](std::size_t i) {
        return std::find(leaf.names.begin(), leaf.names.begin() + static_cast<std::ptrdiff_t>(i), leaf.names[i]) ==
               leaf.names.begin() + static_cast<std::ptrdiff_t>(i);
    };
    const auto merge = [&](const Value& node) {
        budget.spend();
        ObjectBuilder merged(leaf.names.size());
        for (std::size_t i = 0; i < leaf.names.size(); ++i) {
            if (!first_time(i)) continue;
            if (const Value* v = node.find(leaf.names[i])) merged.add(std::string_view(leaf.names[i]), *v);
        }
        out.push_back(std::move(merged).finish());
    };
    const auto has_all = [&](const Value& node) {
        return std::all_of(leaf.names.begin(), leaf.names.end(), [&](const std::string& n) { return node.find(n); });
    };
    for (const Value* node : reached) {
        if (leaf.descent) {
            walk(*node, budget, [&](const Value& n) {
                if (n.is_object() && has_all(n)) merge(n);
            });
        } else if (node->is_object()) {
            merge(*node);
        }
    }
}

}  // namespace

void select_all(const Value& node, const std::vector<Step>& steps, std::size_t from, const Value& root,
                std::vector<const Value*>& out, Budget& budget) {
    // Spent before a result is kept, so the budget also bounds how many results are held.
    budget.spend();
    if (from == steps.size()) {
        out.push_back(&node);
        return;
    }
    const Step& s = steps[from];
    auto next = [&](const Value& child) { select_all(child, steps, from + 1, root, out, budget); };
    if (s.descent)
        descend(node, s, root, budget, next);
    else
        apply(node, s, root, budget, next);
}

/// Walks definite steps (names and indexes only) from step `from` on; nullptr when absent. Inlined into its
/// callers: it runs for every path a state reads, and most are one or two names long.
[[gnu::always_inline]] inline const Value* select_definite(const Value& node, const std::vector<Step>& steps,
                                                           std::size_t from = 0) noexcept {
    const Value* cur = &node;
    for (std::size_t i = from; i < steps.size(); ++i) {
        const Step& s = steps[i];
        if (s.kind == Step::Kind::name)
            cur = cur->find(s.name, s.hint);
        else
            cur = cur->is_array() ? element_at(*cur, s.index) : nullptr;
        if (!cur) return nullptr;
    }
    return cur;
}

}  // namespace detail

namespace {

const std::shared_ptr<const detail::PathImpl>& root_path() {
    static const auto impl = detail::parse_path("$");
    return impl;
}

}  // namespace

Path::Path() : impl_(root_path()) {}

Path Path::parse(std::string_view text) { return Path(detail::parse_path(text)); }

Path Path::parse_reference(std::string_view text) {
    Path p = parse(text);
    if (!p.impl_->reference)
        throw PathError("sfn.jsonpath.E002",
                        "'" + std::string(text) + "' is not a reference path: " + p.impl_->not_reference_reason);
    return p;
}

const std::string& Path::text() const noexcept { return impl_->text; }
PathRoot Path::root() const noexcept { return impl_->root; }
const std::string& Path::variable() const noexcept { return impl_->variable; }
bool Path::is_root_only() const noexcept { return impl_->steps.empty() && !impl_->length; }
bool Path::is_definite() const noexcept { return impl_->definite; }
bool Path::is_reference_path() const noexcept { return impl_->reference; }

std::string Path::normalized() const {
    std::string out = impl_->root == PathRoot::context ? "$$" : "$" + impl_->variable;
    for (const auto& s : impl_->steps) {
        if (s.descent) out += "..";
        switch (s.kind) {
            case detail::Step::Kind::name: out += "['" + s.name + "']"; break;
            case detail::Step::Kind::index: out += "[" + std::to_string(s.index) + "]"; break;
            case detail::Step::Kind::wildcard: out += "[*]"; break;
            case detail::Step::Kind::slice:
                out += "[" + (s.start ? std::to_string(*s.start) : std::string()) + ":" +
                       (s.end ? std::to_string(*s.end) : std::string()) +
                       (s.stride != 1 ? ":" + std::to_string(s.stride) : std::string()) + "]";
                break;
            case detail::Step::Kind::names: {
                out += "[";
                for (std::size_t i = 0; i < s.names.size(); ++i) out += (i ? ",'" : "'") + s.names[i] + "'";
                out += "]";
                break;
            }
            case detail::Step::Kind::indexes: {
                out += "[";
                for (std::size_t i = 0; i < s.indexes.size(); ++i) out += (i ? "," : "") + std::to_string(s.indexes[i]);
                out += "]";
                break;
            }
            case detail::Step::Kind::filter: out += "[?]"; break;
        }
    }
    if (impl_->length) out += ".length()";
    return out;
}

namespace {

// "5,000,000": the limit as the cause prints it.
std::string with_thousands(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

Outcome<std::optional<Value>> Path::try_select(const Value& root) const {
    const auto& impl = *impl_;
    if (impl.definite) {
        // At most one node per step: no budget needed.
        const Value* v = detail::select_definite(root, impl.steps);
        if (!v) return std::optional<Value>();
        if (!impl.length) return std::optional<Value>(*v);
        return detail::length_of(*v);
    }
    std::vector<const Value*> found;
    std::vector<Value> merged;
    detail::Budget budget;
    try {
        if (impl.merged_leaf) {
            detail::select_merged(root, root, impl.upstream, impl.steps.back(), merged, budget);
        } else {
            detail::select_all(root, impl.steps, 0, root, found, budget);
        }
    } catch (const detail::BudgetExhausted&) {
        // States.Runtime, as AWS reports a path it cannot evaluate; the limit is ours, not AWS's.
        return Failure{std::string(errors::runtime), "Invalid path '" + impl.text + "' : needs more than " +
                                                         with_thousands(max_evaluation_steps) +
                                                         " evaluation steps (the limit), simplify the path or the input"};
    }
    if (impl.merged_result) return merged.empty() ? std::optional<Value>() : std::optional<Value>(merged.front());
    if (impl.merged_leaf) return std::optional<Value>(Value::array(std::move(merged)));
    if (impl.length) return std::optional<Value>(Value(static_cast<std::int64_t>(found.size())));
    std::vector<Value> items;
    items.reserve(found.size());
    for (const Value* v : found) items.push_back(*v);
    return std::optional<Value>(Value::array(std::move(items)));
}

namespace {

bool is_name(const detail::Step& s, std::string_view name) noexcept {
    return s.kind == detail::Step::Kind::name && !s.descent && s.name == name;
}

/// A definite `$$` path of an ItemSelector that goes through `$$.Map.Item`, read from the item without the
/// context object being built (found: the path's value, nullptr when absent; `built` holds a made value).
/// False for the other paths.
bool lookup_map_item(const Scope& scope, const detail::PathImpl& impl, std::optional<Value>& built,
                     const Value*& found) {
    const MapItem* item = scope.map_item();
    const auto& steps = impl.steps;
    if (!item || steps.size() < 3 || !is_name(steps[0], "Map") || !is_name(steps[1], "Item")) return false;
    if (is_name(steps[2], "Value")) {
        found = detail::select_definite(*item->value, steps, 3);
    } else if (is_name(steps[2], "Index")) {
        built = Value(item->index);
        found = detail::select_definite(*built, steps, 3);
    } else {
        found = nullptr;  // Item has no other member
    }
    return true;
}

}  // namespace

Outcome<std::optional<Value>> Path::try_select(const Scope& scope) const {
    switch (impl_->root) {
        case PathRoot::input: return try_select(scope.input());
        case PathRoot::context: {
            if (impl_->definite && !impl_->length) {
                std::optional<Value> built;
                const Value* found = nullptr;
                if (lookup_map_item(scope, *impl_, built, found))
                    return found ? std::optional<Value>(*found) : std::optional<Value>();
            }
            return try_select(scope.context());
        }
        case PathRoot::variable: {
            const Value* v = scope.variable(impl_->variable);
            if (!v) return std::optional<Value>();
            return try_select(*v);
        }
    }
    return std::optional<Value>();
}

Outcome<const Value*> Path::lookup(const Scope& scope, std::optional<Value>& built) const {
    if (impl_->definite && !impl_->length) {
        const Value* root = nullptr;
        switch (impl_->root) {
            case PathRoot::input: root = &scope.input(); break;
            case PathRoot::context: {
                const Value* found = nullptr;
                if (lookup_map_item(scope, *impl_, built, found)) return found;
                root = &scope.context();
                break;
            }
            case PathRoot::variable: root = scope.variable(impl_->variable); break;
        }
        return root ? detail::select_definite(*root, impl_->steps) : nullptr;
    }
    auto selected = try_select(scope);
    if (!selected) return std::move(selected).failure();
    built = std::move(*selected);
    return built ? &*built : nullptr;
}

std::optional<Value> Path::select(const Value& root) const {
    auto r = try_select(root);
    if (!r) return std::nullopt;
    return std::move(*r);
}

std::optional<Value> Path::select(const Scope& scope) const {
    auto r = try_select(scope);
    if (!r) return std::nullopt;
    return std::move(*r);
}

Outcome<Value> Path::evaluate(const Scope& scope) const {
    auto r = try_select(scope);
    if (!r) return std::move(r).failure();
    if (*r) return std::move(**r);
    return Failure{std::string(errors::runtime),
                   "Invalid path '" + impl_->text + "' : No results for path: " + normalized()};
}

namespace {

struct Assigner {
    const detail::PathImpl& impl;
    const Value& root;

    Failure mismatch(std::size_t step, const Value& found) const {
        std::string where = "$";
        for (std::size_t i = 0; i < step; ++i) {
            const auto& s = impl.steps[i];
            where += s.kind == detail::Step::Kind::name ? "." + s.name : "[" + std::to_string(s.index) + "]";
        }
        const auto& s = impl.steps[step];
        std::string need = s.kind == detail::Step::Kind::name
                               ? "an object to hold field '" + s.name + "'"
                               : "an array with an element at index " + std::to_string(s.index);
        return Failure{std::string(errors::result_path_match_failure),
                       "Unable to apply ResultPath '" + impl.text + "' to input '" + root.dump() + "': " + where +
                           " is " + detail::describe(found) + ", not " + need};
    }

    // `node` is nullptr when the parent had no such member: ResultPath creates it as an object.
    Outcome<Value> at(const Value* node, std::size_t step, Value value) const {
        if (step == impl.steps.size()) return value;
        const auto& s = impl.steps[step];
        static const Value empty_object = Value::object();
        if (s.kind == detail::Step::Kind::name) {
            const Value& container = node ? *node : empty_object;
            if (!container.is_object()) return mismatch(step, container);
            auto child = at(container.find(s.name), step + 1, std::move(value));
            if (!child) return std::move(child).failure();
            return container.with_member(s.name, std::move(*child));
        }
        if (!node || !node->is_array()) return mismatch(step, node ? *node : Value());
        auto size = static_cast<std::int64_t>(node->size());
        std::int64_t index = s.index < 0 ? s.index + size : s.index;
        if (index < 0 || index >= size) return mismatch(step, *node);
        auto child = at(&(*node)[static_cast<std::size_t>(index)], step + 1, std::move(value));
        if (!child) return std::move(child).failure();
        return node->with_element(static_cast<std::size_t>(index), std::move(*child));
    }
};

}  // namespace

Outcome<Value> Path::assign(const Value& root, Value value) const {
    return Assigner{*impl_, root}.at(&root, 0, std::move(value));
}

std::optional<std::string> check_path(std::string_view text, PathKind kind) {
    try {
        if (kind == PathKind::reference_path)
            (void)Path::parse_reference(text);
        else
            (void)Path::parse(text);
    } catch (const PathError& e) {
        return e.detail();
    }
    return std::nullopt;
}

}  // namespace sfn::jsonpath
