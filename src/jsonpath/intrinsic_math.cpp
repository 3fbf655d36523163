// Numeric and identity intrinsics: MathAdd, MathRandom, UUID.
#include <cmath>
#include <limits>

#include "jsonpath/detail_intrinsic.hpp"

namespace sfn::jsonpath::detail {

Outcome<Value> eval_math_add(const CallContext& ctx) {
    std::int64_t a = 0;
    std::int64_t b = 0;
    if (!round_half_up(ctx.args[0], a)) return ctx.fail("argument 1 is too large: " + ctx.args[0].dump());
    if (!round_half_up(ctx.args[1], b)) return ctx.fail("argument 2 is too large: " + ctx.args[1].dump());
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) return ctx.fail("the sum overflows a 64-bit integer");
    return Value(sum);
}

Outcome<Value> eval_math_random(const CallContext& ctx) {
    // AWS rounds a bound that is not an integer to the nearest one (as MathAdd rounds: half up). Both must
    // fit a 64-bit integer.
    std::int64_t start = 0;
    std::int64_t end = 0;
    if (!round_half_up(ctx.args[0], start) || !round_half_up(ctx.args[1], end)) return ctx.fail("the range is too large");
    if (start >= end)
        return ctx.fail("the start (" + std::to_string(start) + ") must be less than the end (" + std::to_string(end) + ")");
    // The start is inclusive and the end exclusive. A seed makes the result repeatable.
    if (ctx.args.size() == 3) {
        Random seeded(static_cast<std::uint64_t>(ctx.args[2].as_int()));
        return Value(seeded.uniform(start, end - 1));
    }
    return Value(ctx.scope.random().uniform(start, end - 1));
}

Outcome<Value> eval_uuid(const CallContext& ctx) {
    Random& rng = ctx.scope.random();
    std::uint64_t hi = rng.bits();
    std::uint64_t lo = rng.bits();
    hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(36);
    for (int i = 15; i >= 0; --i) {
        out += hex[(hi >> (i * 4)) & 15];
        if (i == 8 || i == 4) out += '-';
    }
    out += '-';
    for (int i = 15; i >= 0; --i) {
        out += hex[(lo >> (i * 4)) & 15];
        if (i == 12) out += '-';
    }
    return Value(std::move(out));
}

}  // namespace sfn::jsonpath::detail
