// Array and object intrinsics: Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem,
// ArrayLength, ArrayUnique, JsonMerge.
#include <unordered_set>

#include "jsonpath/detail_intrinsic.hpp"

namespace sfn::jsonpath::detail {
namespace {

// AWS caps States.ArrayRange results at 1,000 elements.
constexpr std::int64_t max_range_items = 1000;

// 128-bit arithmetic for ranges whose ends are 64 bits apart (a GCC and Clang extension).
__extension__ using Wide = __int128;

// A non-negative count in decimal (std::to_string has no overload for Wide).
std::string decimal(Wide n) {
    std::string digits;
    do {
        digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(n % 10)));
        n /= 10;
    } while (n != 0);
    return digits;
}

}  // namespace

Outcome<Value> eval_array(const CallContext& ctx) {
    ArrayBuilder items(ctx.args.size());
    for (std::size_t i = 0; i < ctx.args.size(); ++i) items.add(ctx.args[i]);
    return std::move(items).finish();
}

Outcome<Value> eval_array_partition(const CallContext& ctx) {
    auto items = ctx.args[0].elements();
    // A chunk size that is not an integer is rounded to the nearest one (AWS documents it).
    std::int64_t size = 0;
    if (!round_half_up(ctx.args[1], size)) return ctx.fail("the chunk size is too large: " + ctx.args[1].dump());
    if (size <= 0) return ctx.fail("the chunk size must be greater than 0, but was " + std::to_string(size));
    std::vector<Value> chunks;
    for (std::size_t i = 0; i < items.size(); i += static_cast<std::size_t>(size)) {
        auto n = std::min(items.size() - i, static_cast<std::size_t>(size));
        chunks.push_back(Value::array(std::vector<Value>(items.begin() + static_cast<std::ptrdiff_t>(i),
                                                         items.begin() + static_cast<std::ptrdiff_t>(i + n))));
    }
    return Value::array(std::move(chunks));
}

Outcome<Value> eval_array_contains(const CallContext& ctx) {
    for (const auto& e : ctx.args[0].elements())
        if (e == ctx.args[1]) return Value(true);
    return Value(false);
}

Outcome<Value> eval_array_range(const CallContext& ctx) {
    // Arguments that are not integers are rounded to the nearest ones (AWS documents it).
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::int64_t step = 0;
    for (std::size_t i = 0; i < 3; ++i)
        if (!round_half_up(ctx.args[i], i == 0 ? start : i == 1 ? end : step))
            return ctx.fail("argument " + std::to_string(i + 1) + " is too large: " + ctx.args[i].dump());
    if (step == 0) return ctx.fail("the step must not be 0");
    // In 128 bits: the distance between two 64-bit ends, or a step of INT64_MIN, does not fit 64.
    Wide count = 0;
    if ((step > 0 && start <= end) || (step < 0 && start >= end)) count = (Wide{end} - start) / step + 1;
    if (count > max_range_items)
        return ctx.fail("the range has " + decimal(count) + " elements, more than the limit of " +
                        std::to_string(max_range_items));
    std::vector<Value> items;
    items.reserve(static_cast<std::size_t>(count));
    for (Wide i = 0; i < count; ++i) items.emplace_back(static_cast<std::int64_t>(Wide{start} + i * step));
    return Value::array(std::move(items));
}

Outcome<Value> eval_array_get_item(const CallContext& ctx) {
    const Value& array = ctx.args[0];
    std::int64_t index = ctx.args[1].as_int();
    if (index < 0 || static_cast<std::size_t>(index) >= array.size())
        return ctx.fail("index " + std::to_string(index) + " is out of bounds for an array of length " +
                        std::to_string(array.size()));
    return array[static_cast<std::size_t>(index)];
}

Outcome<Value> eval_array_length(const CallContext& ctx) {
    return Value(static_cast<std::int64_t>(ctx.args[0].size()));
}

Outcome<Value> eval_array_unique(const CallContext& ctx) {
    // Keeps the first occurrence of each value; hashing keeps large arrays linear.
    std::unordered_set<Value> seen;
    std::vector<Value> unique;
    for (const auto& e : ctx.args[0].elements())
        if (seen.insert(e).second) unique.push_back(e);
    return Value::array(std::move(unique));
}

Outcome<Value> eval_json_merge(const CallContext& ctx) {
    // The service supports only the shallow merge: the third argument must be false.
    if (ctx.args[2].as_bool()) return ctx.fail("deep merge is not supported; the third argument must be false");
    Value merged = ctx.args[0];
    for (const auto& [key, value] : ctx.args[1].members()) merged = merged.with_member(key, value);
    return merged;
}

}  // namespace sfn::jsonpath::detail
