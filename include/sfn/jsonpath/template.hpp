#pragma once
/// \file
/// jsonpath::Expression and jsonpath::Template: the dynamic parts of JSONPath-mode payloads.
///
/// A payload template (Parameters, ResultSelector, ItemSelector, Assign) is a JSON object whose
/// keys ending in `.$` take an Expression: a path (`$.x`, `$$.x`, `$var.x`) or an intrinsic call.
/// The key is emitted without the `.$`. Everything else is copied; nested objects and arrays
/// recurse. Compile once, render per execution.
///
/// **Example**
/// \code
///   auto t = jsonpath::Template::compile(R"({"id.$":"$.order.id","n":1})"_json);
///   auto r = t.render(scope);          // Outcome<Value>: {"id":7,"n":1}
/// \endcode

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sfn/core/value.hpp"
#include "sfn/jsonpath/intrinsic.hpp"
#include "sfn/jsonpath/outcome.hpp"
#include "sfn/jsonpath/path.hpp"
#include "sfn/jsonpath/scope.hpp"

namespace sfn::jsonpath {

namespace detail {
struct TemplateNode;
}

/// The value of a `.$` field, ErrorPath or CausePath: a path or an intrinsic call.
class Expression {
public:
    /// \throws PathError (see Path::parse and Intrinsic::parse).
    [[nodiscard]] static Expression parse(std::string_view text);

    [[nodiscard]] const std::string& text() const noexcept;
    [[nodiscard]] bool is_intrinsic() const noexcept { return std::holds_alternative<Intrinsic>(kind_); }
    /// Precondition: !is_intrinsic().
    [[nodiscard]] const Path& path() const { return std::get<Path>(kind_); }
    /// Precondition: is_intrinsic().
    [[nodiscard]] const Intrinsic& intrinsic() const { return std::get<Intrinsic>(kind_); }

    /// Evaluates it. A path that matches nothing fails with States.Runtime
    /// "The JSONPath '<text>' specified for the field '<field>' could not be found in the input
    /// '<input as compact JSON>'" (the AWS cause, without the "An error occurred while executing
    /// the state ..." prefix, which the engine adds).
    [[nodiscard]] Outcome<Value> evaluate(const Scope& scope, std::string_view field) const;

private:
    explicit Expression(std::variant<Path, Intrinsic> kind) : kind_(std::move(kind)) {}
    std::variant<Path, Intrinsic> kind_;
};

/// One problem found by check_template: `pointer` is the RFC 6901 pointer of the field inside the
/// template (e.g. "/order/id.$"), `message` the PathError detail.
struct TemplateIssue {
    std::string pointer;
    std::string message;
    friend bool operator==(const TemplateIssue&, const TemplateIssue&) = default;
};

/// A compiled payload template.
class Template {
public:
    /// An empty object template.
    Template();

    /// Compiles any JSON value (objects and arrays recurse; other values are constants).
    /// \throws PathError E006 "<pointer>: ..." for a `.$` field whose value is not a string, or the
    ///         Path/Intrinsic error prefixed with the field's pointer.
    [[nodiscard]] static Template compile(const nlohmann::ordered_json& payload);
    [[nodiscard]] static Template compile(const nlohmann::json& payload);

    /// Renders against the scope; the first failing field's Failure is returned.
    [[nodiscard]] Outcome<Value> render(const Scope& scope) const;

    /// True when the template has no `.$` field (render always returns the same shared Value).
    [[nodiscard]] bool is_constant() const noexcept;

private:
    explicit Template(std::shared_ptr<const detail::TemplateNode> root) : root_(std::move(root)) {}
    std::shared_ptr<const detail::TemplateNode> root_;
};

/// Every problem in a template (all of them, not just the first). Never throws.
[[nodiscard]] std::vector<TemplateIssue> check_template(const nlohmann::ordered_json& payload);

}  // namespace sfn::jsonpath
