// Payload templates (Parameters, ResultSelector, ItemSelector, Assign in JSONPath mode).
// ASL spec: a field whose name ends in ".$" takes a path or intrinsic; the name loses the ".$".
#include "sfn/jsonpath/template.hpp"

#include <nlohmann/json.hpp>

namespace sfn::jsonpath {

namespace detail {

struct TemplateNode {
    enum class Kind : std::uint8_t { constant, object, array, expression };
    Kind kind = Kind::constant;
    Value constant;                                     // constant
    std::vector<std::string> names;                     // object: output names, parallel to items
    std::vector<TemplateNode> items;                    // object values, or array elements
    std::optional<Expression> expression;               // expression
    std::string field;                                  // expression: the template field name ("x.$")

    Outcome<Value> render(const Scope& scope) const {
        switch (kind) {
            case Kind::constant: return constant;
            case Kind::expression: return expression->evaluate(scope, field);
            case Kind::object: {
                ObjectBuilder members(items.size());
                for (std::size_t i = 0; i < items.size(); ++i) {
                    auto v = items[i].render(scope);
                    if (!v) return std::move(v).failure();
                    members.add(names[i], std::move(*v));
                }
                return std::move(members).finish();
            }
            case Kind::array: {
                ArrayBuilder values(items.size());
                for (const auto& child : items) {
                    auto v = child.render(scope);
                    if (!v) return std::move(v).failure();
                    values.add(std::move(*v));
                }
                return std::move(values).finish();
            }
        }
        return Value();
    }
};

namespace {

std::string pointer_token(std::string_view key) {
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

struct Compiler {
    std::vector<TemplateIssue>* issues = nullptr;  // collect instead of throwing when set

    [[noreturn]] static void rethrow(const std::string& pointer, const PathError& e) {
        throw PathError(e.code(), pointer + ": " + e.detail(), e.position());
    }

    void report(const std::string& pointer, const PathError& e) const {
        if (!issues) rethrow(pointer, e);
        issues->push_back({pointer, e.detail()});
    }

    template <class Json>
    TemplateNode compile(const Json& j, const std::string& pointer) const {
        TemplateNode node;
        if (j.is_object()) {
            node.kind = TemplateNode::Kind::object;
            bool dynamic = false;
            for (auto it = j.begin(); it != j.end(); ++it) {
                const std::string& key = it.key();
                std::string child_pointer = pointer + "/" + pointer_token(key);
                TemplateNode child;
                std::string name = key;
                if (key.size() >= 2 && key.ends_with(".$")) {
                    name = key.substr(0, key.size() - 2);
                    if (!it.value().is_string()) {
                        report(child_pointer, PathError("sfn.jsonpath.E006",
                                                        "the value of a field ending in '.$' must be a string "
                                                        "holding a path or an intrinsic function call"));
                        continue;
                    }
                    try {
                        child.kind = TemplateNode::Kind::expression;
                        child.expression = Expression::parse(it.value().template get_ref<const std::string&>());
                        child.field = key;
                    } catch (const PathError& e) {
                        report(child_pointer, e);
                        continue;
                    }
                } else {
                    child = compile(it.value(), child_pointer);
                }
                bool duplicate = false;
                for (const auto& existing : node.names) duplicate = duplicate || existing == name;
                if (duplicate) {
                    report(child_pointer, PathError("sfn.jsonpath.E006", "the field '" + key +
                                                                             "' produces the name '" + name +
                                                                             "', which another field already produces"));
                    continue;
                }
                dynamic = dynamic || child.kind != TemplateNode::Kind::constant;
                node.names.push_back(std::move(name));
                node.items.push_back(std::move(child));
            }
            if (!dynamic) fold(node);
            return node;
        }
        if (j.is_array()) {
            node.kind = TemplateNode::Kind::array;
            bool dynamic = false;
            std::size_t i = 0;
            for (const auto& e : j) {
                node.items.push_back(compile(e, pointer + "/" + std::to_string(i++)));
                dynamic = dynamic || node.items.back().kind != TemplateNode::Kind::constant;
            }
            if (!dynamic) fold(node);
            return node;
        }
        node.constant = Value::from_json(j);
        return node;
    }

    // A subtree without expressions renders to the same Value every time: build it once.
    static void fold(TemplateNode& node) {
        Scope none(node.constant, node.constant);
        node.constant = *node.render(none);
        node.kind = TemplateNode::Kind::constant;
        node.names.clear();
        node.items.clear();
    }
};

}  // namespace
}  // namespace detail

Expression Expression::parse(std::string_view text) {
    if (looks_like_intrinsic(text)) return Expression(Intrinsic::parse(text));
    return Expression(Path::parse(text));
}

const std::string& Expression::text() const noexcept {
    return is_intrinsic() ? std::get<Intrinsic>(kind_).text() : std::get<Path>(kind_).text();
}

Outcome<Value> Expression::evaluate(const Scope& scope, std::string_view field) const {
    if (is_intrinsic()) return std::get<Intrinsic>(kind_).evaluate(scope);
    const Path& p = std::get<Path>(kind_);
    auto v = p.try_select(scope);
    if (!v) return std::move(v).failure();
    if (*v) return std::move(**v);
    return Failure{std::string(errors::runtime), "The JSONPath '" + p.text() + "' specified for the field '" +
                                                     std::string(field) + "' could not be found in the input '" +
                                                     scope.input().dump() + "'"};
}

Template::Template() : root_(std::make_shared<detail::TemplateNode>(detail::TemplateNode{})) {
    auto node = std::make_shared<detail::TemplateNode>();
    node->constant = Value::object();
    root_ = std::move(node);
}

Template Template::compile(const nlohmann::ordered_json& payload) {
    return Template(std::make_shared<detail::TemplateNode>(detail::Compiler{}.compile(payload, "")));
}

Template Template::compile(const nlohmann::json& payload) {
    return Template(std::make_shared<detail::TemplateNode>(detail::Compiler{}.compile(payload, "")));
}

Outcome<Value> Template::render(const Scope& scope) const { return root_->render(scope); }

bool Template::is_constant() const noexcept { return root_->kind == detail::TemplateNode::Kind::constant; }

std::vector<TemplateIssue> check_template(const nlohmann::ordered_json& payload) {
    std::vector<TemplateIssue> issues;
    (void)detail::Compiler{&issues}.compile(payload, "");
    return issues;
}

}  // namespace sfn::jsonpath
