#pragma once
// Internal: the JSONata query language in the engine (QueryLanguage "JSONata"). Every `{% %}` field of a
// JSONata state is compiled once, with the machine, into a JsonataTemplate. At run time a template is
// evaluated with `$states` (input, result, errorOutput, context), the workflow variables its expressions
// mention (the same VarScope JSONPath states use: one variable model), and AWS's added functions.
// Evaluation problems are values: Err{"States.QueryEvaluationError", ...} flowing through Retry/Catch.

#include "engine/detail_runtime.hpp"
#include "sfn/jsonata/expression.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sfn::engine::detail {

/// Everything besides the workflow variables an expression may see. Null pointers = not available.
struct JsonataInputs {
    const Value* input = nullptr;         // $states.input
    const Value* result = nullptr;        // $states.result (Task/Parallel/Map, once the result exists)
    const Value* error_output = nullptr;  // $states.errorOutput (Catch only)
    const Value* context = nullptr;       // $states.context (only when an object)
    const VarScope* vars = nullptr;
    jsonpath::Random* random = nullptr;
};

/// A JSON template in which every string that starts with "{%" and ends with "%}" is a JSONata expression
/// (AWS: " {% x %} " with surrounding blanks is a literal string); objects and arrays recurse.
class JsonataTemplate {
public:
    /// `field` names the template in error causes ("Output", "Assign/result"), `pointer` in CompileErrors.
    /// \throws CompileError when an expression does not parse.
    static JsonataTemplate compile(const nlohmann::ordered_json& json, const std::string& field,
                                   const std::string& pointer);

    /// Evaluates the template. On failure `err` holds States.QueryEvaluationError with a cause that still
    /// lacks the "An error occurred while executing the state ..." prefix (the caller adds it).
    bool evaluate(const JsonataInputs& in, Value& out, Err& err) const;

    /// True when some expression may read `$states.context`.
    [[nodiscard]] bool uses_context() const noexcept;
    /// The expression text ("$x" for "{% $x %}") when the whole template is one expression, else "".
    [[nodiscard]] const std::string& expression_text() const noexcept;
    [[nodiscard]] const std::string& field() const noexcept;

    struct Node;

private:
    std::shared_ptr<const Node> root_;
};

/// States.QueryEvaluationError "The JSONata expression '<t>' specified for the field '<f>' returned an
/// unexpected result type. Expected '<expected>', but was '<type>' for value: <json>" (cause without prefix).
Err jsonata_type_error(const JsonataTemplate& t, std::string_view expected, const Value& got);
/// States.QueryEvaluationError with `cause` (without the state prefix).
Err query_evaluation_error(std::string cause);

struct JsonataCatcher {
    std::optional<JsonataTemplate> output;
    std::optional<JsonataTemplate> assign;
};

struct JsonataRule {
    JsonataTemplate condition;
    std::optional<JsonataTemplate> output;
    std::optional<JsonataTemplate> assign;
    int next = -1;
};

/// The compiled JSONata fields of one state (absent fields stay nullopt).
struct JsonataSpec {
    std::optional<JsonataTemplate> arguments, output, assign;
    std::vector<JsonataRule> rules;  // Choice
    std::optional<JsonataTemplate> items, item_selector, max_concurrency, tolerated_failure_count,
        tolerated_failure_percentage;                                // Map
    std::optional<JsonataTemplate> seconds, timestamp;               // Wait
    std::optional<JsonataTemplate> error, cause;                     // Fail
    std::optional<JsonataTemplate> timeout_seconds, heartbeat_seconds;  // Task
    std::vector<JsonataCatcher> catchers;                            // parallel to State::catchers
};

using StateLookup = std::function<int(const std::string& name, const std::string& where)>;
using AssignedList = std::shared_ptr<const std::vector<std::pair<std::string, Value>>>;

/// Compiles the JSONata fields of `s` (whose nested graphs, Retry and Catch structure are already compiled)
/// into s.jsonata_spec and the per-type spec. \throws CompileError (JSONPath-only fields, bad expressions).
void compile_jsonata_state(State& s, const nlohmann::ordered_json& def, const std::string& ptr,
                           const StateLookup& lookup);

struct JsonataStep {
    Value output;
    int next = -1;
    bool end = false;
    AssignedList assigned;
};

/// One attempt of a JSONata state (Retry is the caller's). False with `err` when the state failed.
bool run_jsonata_state(Runtime& rt, const State& s, Frame& frame, TimePoint entered, const Value& input,
                       const Value& ctx, int attempt, JsonataStep& out, Err& err);

/// Applies catcher `index` of a JSONata state: its Assign and Output (default: the error output).
bool catch_jsonata(Runtime& rt, const State& s, Frame& frame, std::size_t index, const Value& input,
                   const Value& error_output, Value& output, AssignedList& assigned, Err& err);

/// AWS's functions $partition, $range, $hash, $random (optional seed), $uuid and $parse; the unseeded
/// $random and $uuid draw from the generator of the execution being evaluated (JsonataInputs::random).
std::map<std::string, jsonata::NativeFunction, std::less<>> aws_functions();

}  // namespace sfn::engine::detail
