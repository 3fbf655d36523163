// The public face: compile once, evaluate many times.
#include "sfn/jsonata/expression.hpp"

#include "jsonata/detail_ast.hpp"
#include "jsonata/detail_eval.hpp"

namespace sfn::jsonata {

namespace detail {
struct Program {
    std::string text;
    NodePtr root;
};
}  // namespace detail

Expression Expression::compile(std::string_view text) {
    auto program = std::make_shared<detail::Program>();
    program->text = std::string(text);
    program->root = detail::parse_expression(program->text);
    return Expression(std::move(program));
}

std::optional<Json> Expression::evaluate(const Json* input, const Environment& env) const {
    detail::Evaluator evaluator(env, env.max_depth, env.time_limit);
    return detail::to_json(evaluator.run(*program_->root, input));
}

Evaluation Expression::evaluate_with_kind(const Json* input, const Environment& env) const {
    detail::Evaluator evaluator(env, env.max_depth, env.time_limit);
    const detail::Value result = evaluator.run(*program_->root, input);
    return Evaluation{detail::to_json(result), result.is_function()};
}

std::optional<Json> Expression::evaluate(const Json& input) const {
    static const Environment defaults;
    return evaluate(&input, defaults);
}

Input::Input(const Json& json) : value_(std::make_shared<const detail::Value>(detail::from_json(json))) {}

Input::Input(const sfn::Value& value) : value_(std::make_shared<const detail::Value>(detail::from_value(value))) {}

std::optional<Json> Expression::evaluate(const Input& input, const Environment& env) const {
    detail::Evaluator evaluator(env, env.max_depth, env.time_limit);
    return detail::to_json(evaluator.run(*program_->root, input.value()));
}

const std::string& Expression::text() const noexcept { return program_->text; }

}  // namespace sfn::jsonata
