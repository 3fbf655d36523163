// Choice rules: Boolean combinators, every comparison operator (literal and *Path forms) and the type
// tests, with the ASL rule that a comparison between mismatched types is simply false.
#include "engine/detail_runtime.hpp"

namespace sfn::engine::detail {

namespace {

// StringMatches: '*' matches any run of characters; "\*" and "\\" are literal.
bool string_matches(std::string_view pattern, std::string_view text) {
    std::size_t p = 0, t = 0, star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star_p = ++p;
            star_t = t;
            continue;
        }
        if (p < pattern.size()) {
            char c = pattern[p];
            std::size_t width = 1;
            if (c == '\\' && p + 1 < pattern.size()) {
                c = pattern[p + 1];
                width = 2;
            }
            if (c == text[t]) {
                p += width;
                ++t;
                continue;
            }
        }
        if (star_p == std::string_view::npos) return false;
        p = star_p;
        t = ++star_t;
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

template <class T>
bool ordered(CompareOp op, const T& a, const T& b, CompareOp base) {
    switch (static_cast<int>(op) - static_cast<int>(base)) {
        case 0: return a == b;
        case 1: return a < b;
        case 2: return a > b;
        case 3: return a <= b;
        case 4: return a >= b;
        default: return false;
    }
}

int compare_numbers(const Value& a, const Value& b) {
    if (a.is_integer() && b.is_integer()) {
        const auto x = a.as_int(), y = b.as_int();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    const double x = a.as_double(), y = b.as_double();
    return x < y ? -1 : (x > y ? 1 : 0);
}

class Evaluator {
public:
    Evaluator(const State& s, const Frame& f, const jsonpath::Scope& scope) : s_(s), f_(f), scope_(scope) {}

    bool eval(const ChoiceRule& r, bool& result, Err& err) const {
        switch (r.kind) {
            case ChoiceRule::Kind::And:
                for (const auto& c : r.children) {
                    if (!eval(c, result, err)) return false;
                    if (!result) return true;
                }
                result = true;
                return true;
            case ChoiceRule::Kind::Or:
                for (const auto& c : r.children) {
                    if (!eval(c, result, err)) return false;
                    if (result) return true;
                }
                result = false;
                return true;
            case ChoiceRule::Kind::Not:
                if (!eval(r.children.front(), result, err)) return false;
                result = !result;
                return true;
            case ChoiceRule::Kind::Compare:
                return compare(r, result, err);
        }
        return false;
    }

private:
    bool missing(const jsonpath::Path& p, Err& err) const {
        err = state_failure(
            s_, f_, "States.Runtime",
            "Invalid path '" + p.text() + "': The choice state's condition path references an invalid value.");
        return false;
    }

    // A path that passes the evaluation budget fails the state: reading it as absent would silently pick
    // the wrong branch (IsPresent false, comparisons "invalid value").
    bool failed(jsonpath::Failure failure, Err& err) const {
        err = state_failure(s_, f_, std::move(failure.error), failure.cause);
        return false;
    }

    /// The value `p` selects, borrowed from the document where it can be (no reference is taken: this runs
    /// for every rule of every Choice). False when the path failed (err set); `out` is nullptr when nothing
    /// was selected.
    bool select(const jsonpath::Path& p, std::optional<Value>& built, const Value*& out, Err& err) const {
        auto found = p.lookup(scope_, built);
        if (!found) return failed(std::move(found).failure(), err);
        out = *found;
        return true;
    }

    bool compare(const ChoiceRule& r, bool& result, Err& err) const {
        std::optional<Value> built;
        const Value* v = nullptr;
        if (!select(r.variable, built, v, err)) return false;
        if (r.op == CompareOp::IsPresent) {
            result = (v != nullptr) == r.operand.as_bool();
            return true;
        }
        if (!v) {
            // Type tests on an absent field are simply false; comparisons need a value.
            if (r.op >= CompareOp::IsNull) {
                result = false;
                return true;
            }
            return missing(r.variable, err);
        }
        const Value* operand_ptr = &r.operand;
        std::optional<Value> built_operand;
        if (r.operand_path) {
            if (!select(*r.operand_path, built_operand, operand_ptr, err)) return false;
            if (!operand_ptr) return missing(*r.operand_path, err);
        }
        const Value& operand = *operand_ptr;
        const Value& a = *v;
        TimePoint t1, t2;
        switch (r.op) {
            case CompareOp::IsNull: result = a.is_null() == operand.as_bool(); return true;
            case CompareOp::IsNumeric: result = a.is_number() == operand.as_bool(); return true;
            case CompareOp::IsString: result = a.is_string() == operand.as_bool(); return true;
            case CompareOp::IsBoolean: result = a.is_bool() == operand.as_bool(); return true;
            case CompareOp::IsTimestamp:
                result = (a.is_string() && parse_timestamp(a.as_string(), t1)) == operand.as_bool();
                return true;
            case CompareOp::StringMatches:
                result = a.is_string() && operand.is_string() && string_matches(operand.as_string(), a.as_string());
                return true;
            case CompareOp::BooleanEquals:
                result = a.is_bool() && operand.is_bool() && a.as_bool() == operand.as_bool();
                return true;
            default: break;
        }
        if (r.op <= CompareOp::StringGreaterThanEquals) {
            result = a.is_string() && operand.is_string() &&
                     ordered(r.op, a.as_string(), operand.as_string(), CompareOp::StringEquals);
        } else if (r.op <= CompareOp::NumericGreaterThanEquals) {
            result = a.is_number() && operand.is_number() &&
                     ordered(r.op, compare_numbers(a, operand), 0, CompareOp::NumericEquals);
        } else {
            result = a.is_string() && operand.is_string() && parse_timestamp(a.as_string(), t1) &&
                     parse_timestamp(operand.as_string(), t2) && ordered(r.op, t1, t2, CompareOp::TimestampEquals);
        }
        return true;
    }

    const State& s_;
    const Frame& f_;
    const jsonpath::Scope& scope_;
};

}  // namespace

bool run_choice(Runtime& rt, const State& s, const Value& input, Frame& frame, const Value& ctx, int& next,
                const jsonpath::Template*& assign, Err& err) {
    (void)rt;
    const auto& spec = std::get<ChoiceSpec>(s.spec);
    const jsonpath::Scope scope(input, ctx, frame.vars, frame.random);
    const Evaluator ev(s, frame, scope);
    for (const auto& rule : spec.rules) {
        bool matched = false;
        if (!ev.eval(rule, matched, err)) return false;
        if (matched) {
            next = rule.next;
            assign = rule.assign ? &*rule.assign : nullptr;
            return true;
        }
    }
    if (spec.default_next >= 0) {
        next = spec.default_next;
        return true;
    }
    err = state_failure(s, frame, "States.NoChoiceMatched",
                        "Failed to transition out of the state. The state does not point to a next state.");
    return false;
}

}  // namespace sfn::engine::detail
