#include "sfn/builder/state.hpp"

#include "builder/detail_graph.hpp"
#include "sfn/asl/serialize.hpp"
#include "sfn/builder/chain.hpp"
#include "sfn/builder/choice.hpp"
#include "sfn/builder/parallel.hpp"
#include "sfn/builder/retry.hpp"
#include "sfn/builder/states.hpp"

namespace sfn {

using builder::detail::Node;

State::State(std::string_view id, model::State value) : node_(nullptr) {
    std::string name = id.empty() ? builder::detail::random_id(model::type_name(value)) : std::string(id);
    builder::detail::check_name(name);
    pool_ = builder::detail::make_node(std::move(name), std::move(value), node_);
}

State State::from_node(Node& node) {
    return State(node.pool->shared_from_this(), &node);
}

const std::string& State::id() const noexcept { return node_->id; }

std::string_view State::type() const noexcept { return builder::detail::type_of(*node_); }

model::State State::to_model() const { return builder::detail::snapshot(*node_); }

nlohmann::ordered_json State::serialize() const { return asl::serialize_state(to_model()); }

Chain State::next(const Chain& then) const { return Chain(*this).next(then); }

namespace builder::detail {

template <class Self>
Self& Described<Self>::comment(std::string text) {
    return set_common(static_cast<Self&>(*this), &model::StateCommon::comment, std::move(text));
}
template <class Self>
Self& Described<Self>::query_language(model::QueryLanguage language) {
    return set_common(static_cast<Self&>(*this), &model::StateCommon::query_language, language);
}

template <class Self>
Self& Filtered<Self>::input_path(const Path& path) {
    return set_common(static_cast<Self&>(*this), &model::StateCommon::input_path, path.to_model());
}
template <class Self>
Self& Filtered<Self>::input_path(std::nullptr_t) {
    return set_common(static_cast<Self&>(*this), &model::StateCommon::input_path, nullptr);
}
template <class Self>
Self& Filtered<Self>::output_path(const Path& path) {
    return set_common(static_cast<Self&>(*this), &model::StateCommon::output_path, path.to_model());
}
template <class Self>
Self& Filtered<Self>::output_path(std::nullptr_t) {
    return set_common(static_cast<Self&>(*this), &model::StateCommon::output_path, nullptr);
}
template <class Self>
Self& Filtered<Self>::output(model::Json value) {
    auto& self = static_cast<Self&>(*this);
    check_expressions(value, "state '" + self.id() + "', Output");
    return set_common(self, &model::StateCommon::output, std::move(value));
}
template <class Self>
Self& Filtered<Self>::assign(model::Json variables) {
    auto& self = static_cast<Self&>(*this);
    check_expressions(variables, "state '" + self.id() + "', Assign");
    return set_common(self, &model::StateCommon::assign, std::move(variables));
}

template <class Self>
Self& Nextable<Self>::end() {
    auto& self = static_cast<Self&>(*this);
    mark_end(self.node());
    return self;
}

template <class Self>
Self& Resulting<Self>::result_path(const ReferencePath& path) {
    return set_field(static_cast<Self&>(*this), &Self::model_type::result_path, path.to_model());
}
template <class Self>
Self& Resulting<Self>::result_path(std::nullptr_t) {
    return set_field(static_cast<Self&>(*this), &Self::model_type::result_path, nullptr);
}
template <class Self>
Self& Resulting<Self>::parameters(model::Json payload) {
    return set_field(static_cast<Self&>(*this), &Self::model_type::parameters, std::move(payload));
}

template <class Self>
Self& Recovering<Self>::result_selector(model::Json payload) {
    return set_field(static_cast<Self&>(*this), &Self::model_type::result_selector, std::move(payload));
}
template <class Self>
Self& Recovering<Self>::add_retry(const Retry& retry) {
    auto& self = static_cast<Self&>(*this);
    auto& list = model::present(fields_of(self).retry);
    check_error_equals(retry.to_model().error_equals,
                       "state '" + self.id() + "', Retry #" + std::to_string(list.size() + 1));
    list.push_back(retry.to_model());
    return self;
}
template <class Self>
Self& Recovering<Self>::add_catch(const Catch& handler) {
    auto& self = static_cast<Self&>(*this);
    check_error_equals(handler.to_model().error_equals,
                       "state '" + self.id() + "', Catch #" + std::to_string(self.node().catches.size() + 1));
    Node& target = handler.next().node();
    unite(*self.node().pool, *target.pool);
    self.node().catches.push_back({handler.to_model(), &target});
    return self;
}

template class Described<Task>;
template class Described<Pass>;
template class Described<Wait>;
template class Described<Succeed>;
template class Described<Fail>;
template class Described<Choice>;
template class Described<Parallel>;
template class Described<Map>;
template class Filtered<Task>;
template class Filtered<Pass>;
template class Filtered<Wait>;
template class Filtered<Succeed>;
template class Filtered<Choice>;
template class Filtered<Parallel>;
template class Filtered<Map>;
template class Nextable<Task>;
template class Nextable<Pass>;
template class Nextable<Wait>;
template class Nextable<Parallel>;
template class Nextable<Map>;
template class Resulting<Task>;
template class Resulting<Pass>;
template class Resulting<Parallel>;
template class Resulting<Map>;
template class Recovering<Task>;
template class Recovering<Parallel>;
template class Recovering<Map>;

}  // namespace builder::detail
}  // namespace sfn
