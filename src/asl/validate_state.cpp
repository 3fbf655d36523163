// Per-state checks: field shapes, ranges, paths and the JSONPath/JSONata split.
#include "asl/detail_validate.hpp"
#include "core/detail_overloaded.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace sfn::asl::detail {
namespace {

using model::Json;

using sfn::detail::Overloaded;

/// Checks one state with its pointer and query language at hand.
class StateChecker {
public:
    StateChecker(Checker& c, std::string pointer, bool jsonata) : c_(c), ptr_(std::move(pointer)), jsonata_(jsonata) {}

    /// The pointer of a field of this state; an empty name is the state itself.
    [[nodiscard]] std::string at(std::string_view name) const { return name.empty() ? ptr_ : field(ptr_, name); }

    // A field that only JSONPath states may use.
    template <class T>
    bool jsonpath_only(std::string_view name, const std::optional<T>& value) {
        if (!value) return false;
        if (jsonata_) {
            c_.error(at(name), code::kJsonPathOnly,
                     "'" + std::string(name) + "' is a JSONPath field and cannot be used when QueryLanguage is JSONata");
            return false;
        }
        return true;
    }
    // A field that only JSONata states may use.
    template <class T>
    bool jsonata_only(std::string_view name, const std::optional<T>& value) {
        if (!value) return false;
        if (!jsonata_) {
            c_.error(at(name), code::kJsonataOnly,
                     "'" + std::string(name) + "' is a JSONata field and requires QueryLanguage JSONata");
            return false;
        }
        return true;
    }

    void path(std::string_view name, const std::optional<model::Path>& p, bool reference = true) {
        if (jsonpath_only(name, p)) c_.path(at(name), *p, reference);
    }
    void nullable_path(std::string_view name, const std::optional<model::NullablePath>& p, bool reference) {
        if (jsonpath_only(name, p)) c_.nullable_path(at(name), p, reference);
    }
    // ResultPath writes into the state input: a reference path on `$`, never a variable (`$foo`), which only
    // Assign sets (AWS rejects the definition).
    void result_path(const std::optional<model::NullablePath>& p) {
        nullable_path("ResultPath", p, true);
        const auto* path = p ? std::get_if<model::Path>(&*p) : nullptr;
        if (!jsonata_ && path && path->text.size() > 1 && path->text[0] == '$' &&
            (std::isalpha(static_cast<unsigned char>(path->text[1])) || path->text[1] == '_')) {
            c_.error(at("ResultPath"), code::kReferencePath,
                     "ResultPath cannot refer to a variable ('" + path->text + "'); set variables with Assign");
        }
    }
    void payload(std::string_view name, const std::optional<Json>& payload) {
        if (jsonpath_only(name, payload)) c_.payload_template(at(name), *payload);
    }
    void jsonata_payload(std::string_view name, const std::optional<Json>& payload) {
        if (jsonata_only(name, payload)) c_.jsonata_value(at(name), *payload);
    }

    // An integer field (or, in JSONata states, an expression) with a lower bound.
    void integer(std::string_view name, const std::optional<model::IntegerOrExpression>& value, std::int64_t minimum) {
        if (!value) return;
        if (const auto* e = std::get_if<model::Expression>(&*value)) {
            if (jsonata_) c_.jsonata_expression(at(name), e->text);
            else
                c_.error(at(name), code::kJsonataFraming,
                         "expected an integer, got the string \"" + e->text + "\" (expressions need QueryLanguage JSONata)");
            return;
        }
        const auto n = std::get<std::int64_t>(*value);
        if (n < minimum) {
            c_.error(at(name), code::kNegative,
                     "expected an integer >= " + std::to_string(minimum) + ", got " + std::to_string(n));
        }
    }

    // A plain string field that becomes an expression in JSONata states when framed.
    void text_or_expression(std::string_view name, const std::optional<std::string>& value) {
        if (value && jsonata_) c_.jsonata_value(at(name), Json(*value));
    }

    // "X" and "XPath" (or any two alternatives) are mutually exclusive.
    template <class A, class B>
    void exclusive(std::string_view a, const std::optional<A>& va, std::string_view b, const std::optional<B>& vb) {
        if (va && vb) {
            c_.error(at(b), code::kExclusiveFields,
                     "'" + std::string(a) + "' and '" + std::string(b) + "' cannot both be set");
        }
    }

    void common(const model::StateCommon& s, bool has_io = true) {
        if (has_io) {
            nullable_path("InputPath", s.input_path, false);
            nullable_path("OutputPath", s.output_path, false);
        }
        jsonata_payload("Output", s.output);
        if (s.assign) {
            if (jsonata_) c_.jsonata_assign(at("Assign"), *s.assign);
            else c_.jsonpath_assign(at("Assign"), *s.assign);
        }
    }

    void retry(std::span<const model::Retrier> list) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& r = list[i];
            const auto p = index(at("Retry"), i);
            error_equals(p, r.error_equals, i + 1 == list.size(), code::kRetryErrors, "retrier");
            if (r.max_attempts && *r.max_attempts < 0)
                c_.error(field(p, "MaxAttempts"), code::kRetryRange, "MaxAttempts must be >= 0, got " + std::to_string(*r.max_attempts));
            if (r.max_attempts && *r.max_attempts > 99999999)
                c_.error(field(p, "MaxAttempts"), code::kRetryRange, "MaxAttempts must be <= 99999999, got " + std::to_string(*r.max_attempts));
            if (r.interval_seconds && (*r.interval_seconds < 1 || *r.interval_seconds > 99999999))
                c_.error(field(p, "IntervalSeconds"), code::kRetryRange,
                         "IntervalSeconds must be between 1 and 99999999, got " + std::to_string(*r.interval_seconds));
            if (r.backoff_rate && *r.backoff_rate < 1.0)
                c_.error(field(p, "BackoffRate"), code::kRetryRange, "BackoffRate must be >= 1.0, got " + Json(*r.backoff_rate).dump());
            if (r.max_delay_seconds && (*r.max_delay_seconds < 1 || *r.max_delay_seconds > 31622400))
                c_.error(field(p, "MaxDelaySeconds"), code::kRetryRange,
                         "MaxDelaySeconds must be between 1 and 31622400, got " + std::to_string(*r.max_delay_seconds));
        }
    }

    void catchers(std::span<const model::Catcher> list) {
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& k = list[i];
            const auto p = index(at("Catch"), i);
            error_equals(p, k.error_equals, i + 1 == list.size(), code::kCatchErrors, "catcher");
            if (k.result_path) {
                if (jsonata_) c_.error(field(p, "ResultPath"), code::kJsonPathOnly, "'ResultPath' is a JSONPath field and cannot be used when QueryLanguage is JSONata");
                else c_.nullable_path(field(p, "ResultPath"), k.result_path, true);
            }
            if (k.output) {
                if (!jsonata_) c_.error(field(p, "Output"), code::kJsonataOnly, "'Output' is a JSONata field and requires QueryLanguage JSONata");
                else c_.jsonata_value(field(p, "Output"), *k.output);
            }
            if (k.assign) {
                if (jsonata_) c_.jsonata_assign(field(p, "Assign"), *k.assign);
                else c_.jsonpath_assign(field(p, "Assign"), *k.assign);
            }
        }
    }

    Checker& checker() { return c_; }
    [[nodiscard]] bool jsonata() const { return jsonata_; }

private:
    // ASL: ErrorEquals is a non-empty array; "States.ALL" must appear alone and in the last element.
    void error_equals(const std::string& p, const std::vector<std::string>& errors, bool last, const char* code,
                      const char* what) {
        const auto ptr = field(p, "ErrorEquals");
        if (errors.empty()) {
            c_.error(ptr, code, "ErrorEquals must list at least one error name");
            return;
        }
        const bool has_all = std::find(errors.begin(), errors.end(), "States.ALL") != errors.end();
        if (has_all && errors.size() > 1)
            c_.error(ptr, code, "\"States.ALL\" must appear alone in ErrorEquals");
        else if (has_all && !last)
            c_.error(ptr, code, std::string("a ") + what + " with \"States.ALL\" must be the last one");
    }

    Checker& c_;
    std::string ptr_;
    bool jsonata_;
};

void check_task(StateChecker& s, const model::Task& t) {
    s.common(t.common);
    if (t.resource.empty() || (t.resource.rfind("arn:", 0) != 0 && !s.jsonata()))
        s.checker().error(s.at("Resource"), code::kResource, "Resource must be an ARN (arn:...), got \"" + t.resource + "\"");
    // A Lambda function ARN AWS accepts: arn:PARTITION:lambda:REGION:ACCOUNT(12 digits):function:NAME[:QUALIFIER].
    static const std::regex lambda_arn(
        R"(arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?)");
    static const std::regex lambda_service(R"(arn:[^:]*:lambda:.*)");  // the service field, not states:::lambda:invoke
    if (std::regex_match(t.resource, lambda_service) && !std::regex_match(t.resource, lambda_arn))
        s.checker().error(s.at("Resource"), code::kResource,
                          "malformed Lambda function ARN \"" + t.resource +
                              "\" (expected arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])");
    s.payload("Parameters", t.parameters);
    s.jsonata_payload("Arguments", t.arguments);
    s.payload("ResultSelector", t.result_selector);
    s.result_path(t.result_path);
    s.integer("TimeoutSeconds", t.timeout_seconds, 1);
    s.integer("HeartbeatSeconds", t.heartbeat_seconds, 1);
    s.path("TimeoutSecondsPath", t.timeout_seconds_path);
    s.path("HeartbeatSecondsPath", t.heartbeat_seconds_path);
    s.exclusive("TimeoutSeconds", t.timeout_seconds, "TimeoutSecondsPath", t.timeout_seconds_path);
    s.exclusive("HeartbeatSeconds", t.heartbeat_seconds, "HeartbeatSecondsPath", t.heartbeat_seconds_path);
    if (t.timeout_seconds && t.heartbeat_seconds) {
        const auto* timeout = std::get_if<std::int64_t>(&*t.timeout_seconds);
        const auto* heartbeat = std::get_if<std::int64_t>(&*t.heartbeat_seconds);
        if (timeout && heartbeat && *heartbeat >= *timeout)
            s.checker().error(s.at("HeartbeatSeconds"), code::kTimeouts,
                              "HeartbeatSeconds (" + std::to_string(*heartbeat) + ") must be smaller than TimeoutSeconds (" +
                                  std::to_string(*timeout) + ")");
    }
    if (t.credentials && s.jsonata()) s.checker().jsonata_value(s.at("Credentials"), *t.credentials);
    else if (t.credentials) s.checker().payload_template(s.at("Credentials"), *t.credentials);
    s.retry(model::elements(t.retry));
    s.catchers(model::elements(t.catch_));
}

void check_pass(StateChecker& s, const model::Pass& p) {
    s.common(p.common);
    s.payload("Parameters", p.parameters);
    s.result_path(p.result_path);
    s.jsonpath_only("Result", p.result);
}

void check_wait(StateChecker& s, const model::Wait& w) {
    s.common(w.common);
    const int given = (w.seconds ? 1 : 0) + (w.timestamp ? 1 : 0) + (w.seconds_path ? 1 : 0) + (w.timestamp_path ? 1 : 0);
    if (given != 1) {
        s.checker().error(s.at(""), code::kWaitShape,
                          "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath or TimestampPath, found " +
                              std::to_string(given));
    }
    s.integer("Seconds", w.seconds, 0);
    if (w.timestamp) {
        if (s.jsonata() && is_jsonata_framed(*w.timestamp)) s.checker().jsonata_expression(s.at("Timestamp"), *w.timestamp);
        else if (!is_timestamp(*w.timestamp))
            s.checker().error(s.at("Timestamp"), code::kTimestamp,
                              "expected an RFC 3339 timestamp such as 2016-03-14T01:59:00Z, got \"" + *w.timestamp + "\"");
    }
    s.path("SecondsPath", w.seconds_path);
    s.path("TimestampPath", w.timestamp_path);
}

void check_fail(StateChecker& s, const model::Fail& f) {
    s.common(f.common, false);
    if (f.common.input_path || f.common.output_path)
        s.checker().error(s.at(f.common.input_path ? "InputPath" : "OutputPath"), code::kTerminalTransition,
                          "a Fail state cannot have InputPath or OutputPath");
    s.exclusive("Error", f.error, "ErrorPath", f.error_path);
    s.exclusive("Cause", f.cause, "CausePath", f.cause_path);
    s.text_or_expression("Error", f.error);
    s.text_or_expression("Cause", f.cause);
    if (s.jsonpath_only("ErrorPath", f.error_path)) s.checker().path_or_intrinsic(s.at("ErrorPath"), *f.error_path);
    if (s.jsonpath_only("CausePath", f.cause_path)) s.checker().path_or_intrinsic(s.at("CausePath"), *f.cause_path);
}

void check_parallel(StateChecker& s, const model::Parallel& p) {
    s.common(p.common);
    if (p.branches.empty()) s.checker().error(s.at("Branches"), code::kNoBranches, "a Parallel state needs at least one branch");
    s.payload("Parameters", p.parameters);
    s.jsonata_payload("Arguments", p.arguments);
    s.payload("ResultSelector", p.result_selector);
    s.result_path(p.result_path);
    s.retry(model::elements(p.retry));
    s.catchers(model::elements(p.catch_));
}

void check_map(StateChecker& s, const model::Map& m) {
    s.common(m.common);
    auto& c = s.checker();
    if (!m.item_processor && !m.iterator)
        c.error(s.at(""), code::kMapProcessor, "a Map state needs an ItemProcessor (or the legacy Iterator)");
    s.exclusive("ItemProcessor", m.item_processor, "Iterator", m.iterator);
    s.path("ItemsPath", m.items_path);
    if (s.jsonata_only("Items", m.items)) {
        if (!m.items->is_array() && !(m.items->is_string() && is_jsonata_framed(m.items->get_ref<const std::string&>())))
            c.error(s.at("Items"), code::kJsonataFraming, "Items must be an array or a JSONata expression \"{% ... %}\"");
        else c.jsonata_value(s.at("Items"), *m.items);
    }
    s.exclusive("ItemSelector", m.item_selector, "Parameters", m.parameters);
    if (m.item_selector) {
        if (s.jsonata()) c.jsonata_value(s.at("ItemSelector"), *m.item_selector);
        else c.payload_template(s.at("ItemSelector"), *m.item_selector);
    }
    s.payload("Parameters", m.parameters);
    s.payload("ResultSelector", m.result_selector);
    s.result_path(m.result_path);
    s.integer("MaxConcurrency", m.max_concurrency, 0);
    s.path("MaxConcurrencyPath", m.max_concurrency_path);
    s.exclusive("MaxConcurrency", m.max_concurrency, "MaxConcurrencyPath", m.max_concurrency_path);
    s.integer("ToleratedFailureCount", m.tolerated_failure_count, 0);
    s.path("ToleratedFailureCountPath", m.tolerated_failure_count_path);
    s.exclusive("ToleratedFailureCount", m.tolerated_failure_count, "ToleratedFailureCountPath", m.tolerated_failure_count_path);
    s.path("ToleratedFailurePercentagePath", m.tolerated_failure_percentage_path);
    s.exclusive("ToleratedFailurePercentage", m.tolerated_failure_percentage, "ToleratedFailurePercentagePath",
                m.tolerated_failure_percentage_path);
    if (m.tolerated_failure_percentage) {
        if (const auto* e = std::get_if<model::Expression>(&*m.tolerated_failure_percentage)) {
            if (s.jsonata()) c.jsonata_expression(s.at("ToleratedFailurePercentage"), e->text);
            else c.error(s.at("ToleratedFailurePercentage"), code::kJsonataFraming, "expected a number between 0 and 100");
        } else if (double v = std::get<double>(*m.tolerated_failure_percentage); v < 0 || v > 100) {
            c.error(s.at("ToleratedFailurePercentage"), code::kPercentage, "must be between 0 and 100, got " + Json(v).dump());
        }
    }
    if (m.label && (m.label->size() > 40 || m.label->find_first_of(" <>{}[]?*\"#%\\^|~`$&,;:/") != std::string::npos))
        c.error(s.at("Label"), code::kLabel, "Label must be at most 40 characters without whitespace or special characters");
    const auto& processor = m.item_processor ? m.item_processor : m.iterator;
    const bool distributed = processor && processor->processor_config && processor->processor_config->mode == model::ProcessorMode::DISTRIBUTED;
    if (!distributed) {
        auto only_distributed = [&](std::string_view name, bool present) {
            if (present)
                c.error(s.at(name), code::kDistributedOnly,
                        "'" + std::string(name) + "' requires ProcessorConfig Mode DISTRIBUTED");
        };
        only_distributed("ItemReader", m.item_reader.has_value());
        only_distributed("ItemBatcher", m.item_batcher.has_value());
        only_distributed("ResultWriter", m.result_writer.has_value());
        only_distributed("Label", m.label.has_value());
    }
    // The ASL spec: a field and its *Path form MUST NOT both be present (AWS rejects the definition).
    auto both = [&](std::string_view parent, std::string_view a, bool has_a, std::string_view b, bool has_b) {
        if (has_a && has_b)
            c.error(s.at(parent) + "/" + std::string(b), code::kExclusiveFields,
                    "'" + std::string(a) + "' and '" + std::string(b.substr(b.rfind('/') + 1)) + "' cannot both be set");
    };
    if (const auto& b = m.item_batcher) {
        both("ItemBatcher", "MaxItemsPerBatch", b->max_items_per_batch.has_value(), "MaxItemsPerBatchPath",
             b->max_items_per_batch_path.has_value());
        both("ItemBatcher", "MaxInputBytesPerBatch", b->max_input_bytes_per_batch.has_value(),
             "MaxInputBytesPerBatchPath", b->max_input_bytes_per_batch_path.has_value());
    }
    if (m.item_reader && m.item_reader->reader_config) {
        const auto& config = *m.item_reader->reader_config;
        both("ItemReader", "MaxItems", config.contains("MaxItems"), "ReaderConfig/MaxItemsPath",
             config.contains("MaxItemsPath"));
    }
    s.retry(model::elements(m.retry));
    s.catchers(model::elements(m.catch_));
}

void check_rule(StateChecker& s, const model::Rule& rule, const std::string& p, bool top);

void check_rules(StateChecker& s, const std::vector<model::Rule>& rules, const std::string& p, const char* name) {
    if (rules.empty()) s.checker().error(p, code::kRuleShape, std::string(name) + " needs at least one rule");
    for (std::size_t i = 0; i < rules.size(); ++i) check_rule(s, rules[i], index(p, i), false);
}

void check_rule(StateChecker& s, const model::Rule& rule, const std::string& p, bool top) {
    auto& c = s.checker();
    std::visit(Overloaded{
                   [&](const model::Comparison& cmp) {
                       if (s.jsonata()) {
                           c.error(field(p, "Variable"), code::kJsonPathOnly,
                                   "'Variable' comparisons are JSONPath rules; JSONata states use Condition");
                           return;
                       }
                       c.path(field(p, "Variable"), cmp.variable, false);
                       const auto op_ptr = field(p, model::to_string(cmp.op));
                       if (const auto* path = std::get_if<model::Path>(&cmp.operand)) {
                           c.path(op_ptr, *path, false);
                       } else if (model::operand_kind(cmp.op) == model::OperandKind::Timestamp) {
                           const auto& text = std::get<std::string>(cmp.operand);
                           if (!is_timestamp(text))
                               c.error(op_ptr, code::kTimestamp, "expected an RFC 3339 timestamp, got \"" + text + "\"");
                       }
                   },
                   [&](const model::And& a) { check_rules(s, a.rules, field(p, "And"), "And"); },
                   [&](const model::Or& o) { check_rules(s, o.rules, field(p, "Or"), "Or"); },
                   [&](const model::Not& n) { check_rule(s, *n.rule, field(p, "Not"), false); },
                   [&](const model::Condition& cond) {
                       if (!s.jsonata()) {
                           c.error(field(p, "Condition"), code::kJsonataOnly, "'Condition' is a JSONata field and requires QueryLanguage JSONata");
                           return;
                       }
                       if (!top) c.error(field(p, "Condition"), code::kRuleShape, "Condition can only appear in a top-level choice rule");
                       if (const auto* e = std::get_if<model::Expression>(&cond.expression))
                           c.jsonata_expression(field(p, "Condition"), e->text);
                   },
               },
               rule.test);
}

void check_choice(StateChecker& s, const model::Choice& ch) {
    s.common(ch.common);
    if (ch.choices.empty()) s.checker().error(s.at("Choices"), code::kEmptyChoices, "a Choice state needs at least one choice rule");
    for (std::size_t i = 0; i < ch.choices.size(); ++i) {
        const auto& rule = ch.choices[i];
        const auto p = index(s.at("Choices"), i);
        check_rule(s, rule.rule, p, true);
        if (rule.output) {
            if (!s.jsonata()) s.checker().error(field(p, "Output"), code::kJsonataOnly, "'Output' is a JSONata field and requires QueryLanguage JSONata");
            else s.checker().jsonata_value(field(p, "Output"), *rule.output);
        }
        if (rule.assign) {
            if (s.jsonata()) s.checker().jsonata_assign(field(p, "Assign"), *rule.assign);
            else s.checker().jsonpath_assign(field(p, "Assign"), *rule.assign);
        }
    }
}

}  // namespace

void check_state(Checker& checker, const model::State& state, const std::string& pointer, bool jsonata) {
    StateChecker s(checker, pointer, jsonata);
    std::visit(Overloaded{
                   [&](const model::Task& t) { check_task(s, t); },
                   [&](const model::Pass& p) { check_pass(s, p); },
                   [&](const model::Choice& c) { check_choice(s, c); },
                   [&](const model::Wait& w) { check_wait(s, w); },
                   [&](const model::Succeed& x) { s.common(x.common); },
                   [&](const model::Fail& f) { check_fail(s, f); },
                   [&](const model::Parallel& p) { check_parallel(s, p); },
                   [&](const model::Map& m) { check_map(s, m); },
               },
               state);
}

}  // namespace sfn::asl::detail
