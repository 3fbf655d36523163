#include "sfn/jsonpath/scope.hpp"

namespace sfn::jsonpath {

Random::Random() : engine_(std::random_device{}()) {}

std::int64_t Random::uniform(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
}

const Value& Scope::context_with_item() const {
    if (!context_with_item_) {
        std::vector<Member> item;
        item.reserve(2);
        item.emplace_back("Index", Value(item_->index));
        item.emplace_back("Value", *item_->value);
        std::vector<Member> map;
        map.emplace_back("Item", Value::object_distinct(std::move(item)));
        context_with_item_ = context_->with_member("Map", Value::object_distinct(std::move(map)));
    }
    return *context_with_item_;
}

Random& Scope::random() const {
    if (random_) return *random_;
    thread_local Random fallback;
    return fallback;
}

}  // namespace sfn::jsonpath
