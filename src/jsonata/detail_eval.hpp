#pragma once
// The evaluator: walks the compiled tree for one evaluation. One Evaluator per evaluate() call, so
// nothing here is shared between threads; the tree itself is only read.
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "jsonata/detail_ast.hpp"
#include "jsonata/detail_signature.hpp"
#include "jsonata/detail_value.hpp"
#include "sfn/jsonata/expression.hpp"

namespace sfn::jsonata::detail {

class Evaluator;

/// A variable scope. Frames live in the evaluation's arena, so closures can point at them freely.
struct Frame {
    Frame* parent = nullptr;
    std::vector<std::pair<std::string, Value>> vars;

    void bind(std::string_view name, Value v);
    [[nodiscard]] const Value* lookup(std::string_view name) const;
};

using BuiltinImpl = Value (*)(Evaluator&, std::vector<Value>& args, const Value& input);

struct Builtin {
    std::string_view name;
    std::string_view signature;
    int arity;  // how many arguments a higher-order caller passes (JS function length)
    BuiltinImpl impl;
    std::shared_ptr<const Signature> parsed;
};

/// The built-in function table, looked up by name (without '$'); nullptr when unknown.
const Builtin* find_builtin(std::string_view name);
/// Every built-in, sorted by name (lets tests cover them all).
const std::vector<Builtin>& builtins();

struct Function {
    enum class Kind : std::uint8_t { Lambda, Builtin, Partial, Chain, Regex, Transform, External, Matcher };
    Kind kind = Kind::Lambda;
    const Node* node = nullptr;  // lambda or transform
    Frame* env = nullptr;
    Value input;                 // the lambda's defining context
    const Builtin* builtin = nullptr;
    const NativeFunction* external = nullptr;
    std::shared_ptr<const Signature> signature;
    Value target;                                  // partial: the function; chain: first function
    Value second;                                  // chain: second function
    std::vector<std::pair<bool, Value>> bound;     // partial: (is placeholder, value)
    std::shared_ptr<const Regex> regex;
    std::string subject;                           // matcher continuation: the string
    std::size_t offset = 0;                        // matcher continuation: where to resume
    bool disabled = false;                         // a built-in the environment forbids (D3201 when called)

    [[nodiscard]] int arity() const;
};

Value make_function(Function f);

/// Conversions at the API boundary.
Value from_json(const Json& j);
Value from_value(const sfn::Value& v);
std::optional<Json> to_json(const Value& v);

/// Semantics shared between the evaluator and the function library.
bool truthy(const Value& v);  // $boolean; undefined → false
bool deep_equal(const Value& a, const Value& b);
Value append(const Value& a, const Value& b);  // $append, the reference's concat semantics
Value deep_clone(const Value& v);
std::string stringify(const Value& v, bool pretty);  // JSON.stringify as JSONata renders it
/// $string without the prefix rules for strings: numbers use 15 significant digits. \throws D3001 on ±inf.
std::string to_display_string(const Value& v);

class Evaluator {
public:
    Evaluator(const Environment& env, std::size_t max_depth, std::chrono::milliseconds time_limit);

    Value run(const Node& root, const Json* input);
    /// \param input already converted; never modified (it may be shared between threads)
    Value run(const Node& root, const Value& input);

    Value eval(const Node* n, const Value& input, Frame* env);
    /// Applies any function value to arguments (used by the function library).
    Value apply(const Value& fn, std::vector<Value> args, const Value& input, Frame* env, const Node* site);
    Value call(const Value& fn, std::vector<Value> args) { return apply(fn, std::move(args), Value(), root_, nullptr); }

    Frame* new_frame(Frame* parent);
    [[nodiscard]] Frame* root() const { return root_; }
    [[nodiscard]] const Environment& environment() const { return env_; }
    std::size_t position = 0;  // position of the call being applied, for error reports
    Value current_input;       // the focus of the builtin being applied
    Frame* current_frame = nullptr;
    std::string current_name;  // name of the builtin being applied, as called (an alias, or the caller of a callback)
    const Builtin* current_builtin = nullptr;  // the builtin whose implementation is running (for argument errors)

    /// Sorting with a user comparator or natural order (used by $sort and order-by).
    [[nodiscard]] std::chrono::steady_clock::time_point started() const { return started_; }
    /// Milliseconds since the epoch when the evaluation began ($now and $millis are stable within one).
    double now_millis();
    /// The longest string any evaluation builds, memory_limit or not: JavaScript's own limit (2^29 - 24
    /// UTF-16 units in V8), where the reference fails with a RangeError.
    static constexpr std::size_t kMaxStringBytes = (std::size_t{1} << 29) - 24;
    /// Environment::memory_limit: U1002 at `pos` when a string of `bytes` would exceed it (or kMaxStringBytes) ...
    void charge_string(std::size_t bytes, std::size_t pos) const {
        if ((memory_limit_ != 0 && bytes > memory_limit_) || bytes > kMaxStringBytes) fail_memory(pos);
    }
    /// ... or an array of `elements` (8 bytes each) ... A large array also reads the clock: building one is
    /// where the time goes when an expression doubles an array per recursion, and the time_limit check in
    /// check_limits only reads the clock every 256 steps.
    void charge_array(std::size_t elements, std::size_t pos) const {
        if (memory_limit_ != 0 && elements > memory_limit_ / 8) fail_memory(pos);
        if (elements >= kLargeArray) check_time(pos);
    }
    static constexpr std::size_t kLargeArray = std::size_t{1} << 16;
    /// U1001 at `pos` when the time_limit has passed (reads the clock every call).
    void check_time(std::size_t pos) const;
    /// ... or ranges allocating `elements` more would exceed 8 times it over the whole evaluation.
    void charge_range(std::size_t elements, std::size_t pos);
    /// Keeps a tree parsed at run time ($eval) alive for the rest of the evaluation.
    void keep_alive(NodePtr n) { kept_.push_back(std::move(n)); }

private:
    Value eval_path(const Node* n, const Value& input, Frame* env);
    Value eval_step(const Node* step, const Value& input_seq, Frame* env, bool last);
    Value eval_tuple_step(const Node* step, const Value& input_seq, const Value& tuples, Frame* env);
    Value eval_stages(const std::vector<Stage>& stages, Value input, Frame* env);
    Value eval_filter(const Node* pred, const Value& input, Frame* env);
    Value eval_binary(const Node* n, const Value& input, Frame* env);
    Value eval_group(const GroupSpec& g, const Value& input, Frame* env);
    Value eval_sort(const Node* n, const Value& input, Frame* env);
    Value eval_call(const Node* n, const Value& input, Frame* env, const Value* applyto);
    Value eval_partial(const Node* n, const Value& input, Frame* env);
    Value eval_apply(const Node* n, const Value& input, Frame* env);
    Value eval_lookup_variable(const Node* n, const Value& input, Frame* env);
    /// A caller function (Environment::functions, then its base's) named `name`, bound on first use.
    const Value* native_function(std::string_view name);
    [[nodiscard]] bool listed(std::set<std::string, std::less<>> Environment::*names, std::string_view name) const;
    Value eval_transform_apply(const Function& f, const Value& obj);
    Value apply_inner(const Value& fn, std::vector<Value>& args, const Value& input, Frame* env);
    Frame* frame_from_tuple(Frame* env, const Value& tuple);
    void check_limits();
    [[noreturn]] static void fail_memory(std::size_t pos);

    const Environment& env_;
    std::deque<Frame> frames_;
    Frame* root_ = nullptr;
    std::size_t depth_ = 0;
    std::size_t max_depth_;
    std::chrono::milliseconds time_limit_;
    std::chrono::steady_clock::time_point started_;
    std::size_t ticks_ = 0;
    std::size_t memory_limit_ = 0;
    std::size_t range_elements_ = 0;  // allocated by ranges so far
    double now_millis_ = 0;
    std::uintptr_t stack_floor_ = 0;  // below this address the native stack is nearly exhausted
    std::vector<NodePtr> kept_;
};

}  // namespace sfn::jsonata::detail
