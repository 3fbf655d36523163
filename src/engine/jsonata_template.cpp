// JSONata templates: `{% %}` strings compiled once into jsonata::Expressions, evaluated with `$states`, the
// workflow variables the expression mentions, and AWS's added functions ($partition, $range, $hash,
// $random, $uuid, $parse). AWS implements JSONata 2.0.6 with every built-in function except `$eval` ("not
// available - use $parse instead"): it does not exist, so calling it fails with T1006 at run time, as on AWS.
// AWS also bounds every evaluation; the limits below reproduce the boundaries measured on AWS.
#include "engine/detail_jsonata.hpp"
#include "sfn/engine/error.hpp"
#include "sfn/jsonpath/intrinsic.hpp"

#include <algorithm>
#include <cctype>
#include <utility>
#include <set>

namespace sfn::engine::detail {

using OJ = nlohmann::ordered_json;

struct JsonataTemplate::Node {
    enum class Kind : std::uint8_t { Literal, Expression, Object, Array } kind = Kind::Literal;
    Value literal;
    std::optional<jsonata::Expression> expression;
    std::string text;                    // the expression as written between the delimiters, trimmed
    std::string field;                   // "Output/result", for causes
    std::vector<std::string> variables;  // `$name`s the expression mentions, bound when defined
    bool uses_states = false;
    bool uses_context = false;
    // Which members of `$states` the expression reads (a bare `$states` reads them all): only those are
    // converted for the evaluation, so an ItemSelector reading `$states.context` does not convert the input.
    bool uses_input = false, uses_result = false, uses_error_output = false;
    // Object members are keys[i] -> elements[i]; arrays use elements alone. (No pair<string, Node>: Node is
    // incomplete here, which clang with libstdc++ 12 rejects.)
    std::vector<std::string> keys;
    std::vector<Node> elements;
};

namespace {

using Node = JsonataTemplate::Node;

bool is_expression(std::string_view s) {
    return s.size() >= 4 && s.substr(0, 2) == "{%" && s.substr(s.size() - 2) == "%}";
}

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

std::string pointer_token(std::string_view token) {
    std::string out;
    for (char c : token) out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return out;
}

bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The `$name`s an expression mentions. A name inside a string literal is a harmless extra binding.
void scan_names(Node& n) {
    std::set<std::string> names;
    const std::string& t = n.text;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] != '$') continue;
        std::size_t j = i + 1;
        while (j < t.size() && name_char(t[j])) ++j;
        if (j == i + 1) continue;
        std::string name = t.substr(i + 1, j - i - 1);
        if (name == "states") {
            n.uses_states = true;
            // `$states.input` / `.result` / `.errorOutput` need no context object; anything else might.
            const std::string_view rest = std::string_view(t).substr(j);
            auto member = [&](std::string_view name) {
                return rest.substr(0, name.size()) == name && (rest.size() == name.size() || !name_char(rest[name.size()]));
            };
            if (member(".input")) {
                n.uses_input = true;
            } else if (member(".result")) {
                n.uses_result = true;
            } else if (member(".errorOutput")) {
                n.uses_error_output = true;
            } else if (member(".context")) {
                n.uses_context = true;
            } else {
                n.uses_input = n.uses_result = n.uses_error_output = n.uses_context = true;
            }
        } else {
            names.insert(std::move(name));
        }
        i = j - 1;
    }
    n.variables.assign(names.begin(), names.end());
}

Node build(const OJ& j, const std::string& field, const std::string& pointer) {
    Node n;
    n.field = field;
    if (j.is_string() && is_expression(j.get_ref<const std::string&>())) {
        const auto& s = j.get_ref<const std::string&>();
        const std::string_view inner = std::string_view(s).substr(2, s.size() - 4);
        n.kind = Node::Kind::Expression;
        n.text = trim(inner);
        if (n.text.empty()) throw CompileError(pointer, "empty JSONata expression '" + s + "'");
        try {
            n.expression = jsonata::Expression::compile(inner);
        } catch (const jsonata::Error& e) {
            throw CompileError(pointer, "invalid JSONata expression '" + n.text + "': " + e.what());
        }
        scan_names(n);
        return n;
    }
    bool dynamic = false;
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            n.keys.push_back(k);
            n.elements.push_back(build(v, field.empty() ? k : field + "/" + k, pointer + "/" + pointer_token(k)));
            dynamic |= n.elements.back().kind != Node::Kind::Literal;
        }
        n.kind = Node::Kind::Object;
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) {
            n.elements.push_back(build(j[i], field + "/" + std::to_string(i), pointer + "/" + std::to_string(i)));
            dynamic |= n.elements.back().kind != Node::Kind::Literal;
        }
        n.kind = Node::Kind::Array;
    }
    if (!dynamic) {
        // No expression anywhere below: evaluate to one shared constant.
        n = Node{};
        n.field = field;
        n.literal = Value::from_json(j);
    }
    return n;
}

bool any_context(const Node& n) {
    if (n.uses_context) return true;
    for (const auto& e : n.elements)
        if (any_context(e)) return true;
    return false;
}

Value states_object(const JsonataInputs& in, const Node& n) {
    std::vector<Member> st;
    if (in.input && n.uses_input) st.emplace_back("input", *in.input);
    if (in.result && n.uses_result) st.emplace_back("result", *in.result);
    if (in.error_output && n.uses_error_output) st.emplace_back("errorOutput", *in.error_output);
    if (n.uses_context && in.context && in.context->is_object()) st.emplace_back("context", *in.context);
    return Value::object(std::move(st));
}

std::string described(const Node& n) {
    return "The JSONata expression '" + n.text + "' specified for the field '" + n.field + "'";
}

// The first nextDouble() of java.util.Random seeded with `seed`: what AWS's seeded $random returns (its 48-bit
// linear congruential generator, two draws of 26 and 27 bits making the 53-bit fraction).
double java_random_first_double(std::int64_t seed) {
    constexpr std::uint64_t multiplier = 0x5DEECE66DULL;
    constexpr std::uint64_t mask = (std::uint64_t{1} << 48) - 1;
    std::uint64_t state = (static_cast<std::uint64_t>(seed) ^ multiplier) & mask;
    const auto next = [&](int bits) {
        state = (state * multiplier + 0xBULL) & mask;
        return state >> (48 - bits);
    };
    const std::uint64_t high = next(26);
    const std::uint64_t low = next(27);
    return static_cast<double>((high << 27) + low) * 0x1.0p-53;
}

// The execution whose expression this thread is evaluating: its generator serves the unseeded $random and
// $uuid, so the function table itself can be built once for every execution.
thread_local jsonpath::Random* evaluating_random = nullptr;

// AWS's bounds on one evaluation (measured on AWS, see docs/architecture.md): evaluation nested deeper than
// 100 (the reference's evaluate-entry depth; `1+1+...+1` with 101 terms fails), a sequence of more than
// 873,782 numbers or a string of 2^23 characters, each "Stack overflow error" / "Expression evaluation memory
// limit exceeded". AWS does not document a time limit; the reference's own harness uses five seconds.
constexpr std::size_t aws_max_depth = 100;
constexpr std::size_t aws_memory_limit = 873'782 * 8;
constexpr std::chrono::milliseconds aws_time_limit{5000};

const jsonata::Environment& aws_environment() {
    static const jsonata::Environment env = [] {
        jsonata::Environment e;
        e.functions = aws_functions();
        e.hidden_functions.insert("eval");
        return e;
    }();
    return env;
}

// AWS words a coded JSONata error "... during evaluation. T1006: Attempted to invoke a non-function" and a
// bound being hit (no code of the reference) "... during evaluation: Stack overflow error: ...".
std::string evaluation_failure(const jsonata::Error& e) {
    const std::string& code = e.code();
    const bool reference_code = code.size() == 5 && std::isupper(static_cast<unsigned char>(code[0])) &&
                                code[0] != 'U' && std::all_of(code.begin() + 1, code.end(), [](char c) {
                                    return std::isdigit(static_cast<unsigned char>(c));
                                });
    return reference_code ? ". " + code + ": " + e.message() : ": " + e.message();
}

bool evaluate_expression(const Node& n, const JsonataInputs& in, Value& out, Err& err) {
    jsonata::Environment env;
    env.base = &aws_environment();
    env.max_depth = aws_max_depth;
    env.memory_limit = aws_memory_limit;
    env.time_limit = aws_time_limit;
    for (const auto& name : n.variables) {
        if (!in.vars) break;
        if (const Value* v = in.vars->lookup(name)) env.prepared_bindings.emplace(name, jsonata::Input(*v));
    }
    if (n.uses_states) env.prepared_bindings.emplace("states", jsonata::Input(states_object(in, n)));
    jsonata::Evaluation r;
    struct RandomScope {
        jsonpath::Random* saved;
        explicit RandomScope(jsonpath::Random* r) : saved(std::exchange(evaluating_random, r)) {}
        ~RandomScope() { evaluating_random = saved; }
        RandomScope(const RandomScope&) = delete;
        RandomScope& operator=(const RandomScope&) = delete;
    } random_scope(in.random);
    try {
        r = n.expression->evaluate_with_kind(nullptr, env);
    } catch (const jsonata::Error& e) {
        err = query_evaluation_error(described(n) + " threw an error during evaluation" + evaluation_failure(e));
        return false;
    }
    if (!r.value) {
        err = query_evaluation_error(described(n) + " returned nothing (undefined).");
        return false;
    }
    // A function is no JSON value (`{% $uppercase %}`, `{% function($x){$x} %}`).
    if (r.function) {
        err = query_evaluation_error(described(n) + " returned an unsupported result type.");
        return false;
    }
    out = Value::from_json(*r.value);
    return true;
}

bool evaluate_node(const Node& n, const JsonataInputs& in, Value& out, Err& err) {
    switch (n.kind) {
        case Node::Kind::Literal: out = n.literal; return true;
        case Node::Kind::Expression: return evaluate_expression(n, in, out, err);
        case Node::Kind::Object: {
            std::vector<Member> members;
            members.reserve(n.keys.size());
            for (std::size_t i = 0; i < n.keys.size(); ++i) {
                Value v;
                if (!evaluate_node(n.elements[i], in, v, err)) return false;
                members.emplace_back(n.keys[i], std::move(v));
            }
            out = Value::object(std::move(members));
            return true;
        }
        case Node::Kind::Array: {
            std::vector<Value> elements;
            elements.reserve(n.elements.size());
            for (const auto& child : n.elements) {
                Value v;
                if (!evaluate_node(child, in, v, err)) return false;
                elements.push_back(std::move(v));
            }
            out = Value::array(std::move(elements));
            return true;
        }
    }
    return false;
}


// --- AWS's functions -----------------------------------------------------------------------------------

[[noreturn]] void function_error(const std::string& function, const std::string& message) {
    throw jsonata::Error("States.QueryEvaluationError", 0, function, message);
}

// $partition/$range/$hash/$uuid behave as their States.* intrinsics; one implementation serves both.
jsonata::NativeFunction via_intrinsic(const char* signature, const jsonpath::Intrinsic* intrinsic, const char* name,
                                      std::vector<const char*> params, bool single_unwrapped = false) {
    return {signature, [=](const std::vector<std::optional<OJ>>& args) -> std::optional<OJ> {
                std::vector<Member> members;
                for (std::size_t i = 0; i < params.size(); ++i) {
                    if (i >= args.size() || !args[i]) function_error(name, std::string("missing argument ") + params[i]);
                    members.emplace_back(params[i], Value::from_json(*args[i]));
                }
                const Value input = Value::object(std::move(members));
                const Value none;
                auto r = intrinsic->evaluate(jsonpath::Scope(input, none, nullptr, evaluating_random));
                if (!r) function_error(name, r.failure().cause);
                // A one-element sequence is a single value in JSONata ($range(1, 9, 9) = 1).
                if (single_unwrapped && r->is_array() && r->size() == 1) return (*r)[0].to_json();
                return r->to_json();
            }};
}

}  // namespace

JsonataTemplate JsonataTemplate::compile(const OJ& json, const std::string& field, const std::string& pointer) {
    JsonataTemplate t;
    auto root = std::make_shared<Node>(build(json, field, pointer));
    root->uses_context = any_context(*root);
    t.root_ = std::move(root);
    return t;
}

bool JsonataTemplate::evaluate(const JsonataInputs& in, Value& out, Err& err) const {
    return evaluate_node(*root_, in, out, err);
}

bool JsonataTemplate::uses_context() const noexcept { return root_->uses_context; }
const std::string& JsonataTemplate::expression_text() const noexcept { return root_->text; }
const std::string& JsonataTemplate::field() const noexcept { return root_->field; }

Err query_evaluation_error(std::string cause) {
    return Err{"States.QueryEvaluationError", std::move(cause), true, true};
}

Err jsonata_type_error(const JsonataTemplate& t, std::string_view expected, const Value& got) {
    return query_evaluation_error("The JSONata expression '" + t.expression_text() + "' specified for the field '" +
                                  t.field() + "' returned an unexpected result type. Expected '" +
                                  std::string(expected) + "', but was '" + std::string(got.type_name()) + "' for value: " +
                                  got.dump());
}

std::map<std::string, jsonata::NativeFunction, std::less<>> aws_functions() {
    // Parsed once; Intrinsic is immutable and safe to evaluate from many threads.
    static const auto partition = jsonpath::Intrinsic::parse("States.ArrayPartition($.array, $.size)");
    static const auto range = jsonpath::Intrinsic::parse("States.ArrayRange($.start, $.end, $.step)");
    static const auto hash = jsonpath::Intrinsic::parse("States.Hash($.data, $.algorithm)");
    static const auto uuid = jsonpath::Intrinsic::parse("States.UUID()");
    std::map<std::string, jsonata::NativeFunction, std::less<>> f;
    f.emplace("partition", via_intrinsic("<an:a>", &partition, "$partition", {"array", "size"}));
    f.emplace("range", via_intrinsic("<nnn:a>", &range, "$range", {"start", "end", "step"}, true));
    f.emplace("hash", via_intrinsic("<ss:s>", &hash, "$hash", {"data", "algorithm"}));
    f.emplace("uuid", via_intrinsic("<:s>", &uuid, "$uuid", {}));
    f.emplace("random", jsonata::NativeFunction{"<n?:n>", [](const std::vector<std::optional<OJ>>& args)
                                                              -> std::optional<OJ> {
        // A seed makes the number reproducible (AWS's); without one it comes from the execution's generator.
        if (!args.empty() && args[0]) {
            const double seed = args[0]->get<double>();
            if (seed != static_cast<double>(static_cast<std::int64_t>(seed)))
                function_error("$random", "the seed must be an integer, got " + args[0]->dump());
            return OJ(java_random_first_double(static_cast<std::int64_t>(seed)));
        }
        const std::uint64_t bits = evaluating_random ? evaluating_random->bits() : jsonpath::Random().bits();
        return OJ(static_cast<double>(bits >> 11) * 0x1.0p-53);  // uniform in [0, 1)
    }});
    f.emplace("parse", jsonata::NativeFunction{"<s:j>", [](const std::vector<std::optional<OJ>>& args)
                                                             -> std::optional<OJ> {
        if (args.empty() || !args[0]) return std::nullopt;
        try {
            return Value::parse(args[0]->get<std::string>()).to_json();
        } catch (const sfn::Error& e) {
            function_error("$parse", std::string("the argument is not valid JSON text: ") + e.what());
        }
    }});
    return f;
}

}  // namespace sfn::engine::detail
