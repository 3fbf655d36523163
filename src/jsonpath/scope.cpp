#include "sfn/jsonpath/scope.hpp"

namespace sfn::jsonpath {

Random::Random() : engine_(std::random_device{}()) {}

std::int64_t Random::uniform(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(engine_);
}

Random& Scope::random() const {
    if (random_) return *random_;
    thread_local Random fallback;
    return fallback;
}

}  // namespace sfn::jsonpath
