// The comparison of shared/conformance/README.md (compare.hpp).
#include "compare.hpp"

#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace sfn::conformance {

using json = nlohmann::json;

namespace {

// Placeholders LocalStack's snapshot transformers left in recorded values (README: "<...>", "date", "datetime",
// "timestamp"); the last four also come from those transformers (context-object times and the role ARN).
// "RequestId" replaced the Lambda request id in SdkResponseMetadata the same way.
const std::set<std::string> whole_string_wildcards = {"date",         "datetime",     "timestamp",
                                                      "start-time",   "entered-time", "snf_role_arn",
                                                      "sfn_role_arn", "RequestId"};

// Lambda function-error causes carry a stack trace and request id we cannot reproduce (README: compare the
// error only, or the cause modulo wildcards): compare their errorType and errorMessage.
bool lambda_cause_matches(const std::string& expected, const std::string& actual) {
    // Regexes rather than a JSON parse: placeholders sometimes ate a quote of the recorded JSON text.
    static const std::regex type(R"re("errorType": ?"([^"]*)")re");
    static const std::regex message(R"re("errorMessage": ?"((?:[^"\\]|\\.)*)")re");
    if (expected.find("stackTrace") == std::string::npos) return false;
    std::smatch et, em, at, am;
    return std::regex_search(expected, et, type) && std::regex_search(expected, em, message) &&
           std::regex_search(actual, at, type) && std::regex_search(actual, am, message) && et[1] == at[1] &&
           em[1] == am[1];
}

bool string_matches(const std::string& expected, const std::string& actual) {
    if (whole_string_wildcards.count(expected)) return true;
    if (expected.find('<') == std::string::npos) return expected == actual;
    // Each "<...>" placeholder matches any text; everything else literally.
    static const std::regex placeholder("<[^<>]*>");
    auto quote = [](const std::string& literal) {
        std::string out;
        for (char c : literal) {
            if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
            out += c;
        }
        return out;
    };
    std::string pattern;
    std::size_t last = 0;
    for (auto it = std::sregex_iterator(expected.begin(), expected.end(), placeholder); it != std::sregex_iterator();
         ++it) {
        pattern += quote(expected.substr(last, static_cast<std::size_t>(it->position()) - last));
        pattern += "[\\s\\S]*";
        last = static_cast<std::size_t>(it->position() + it->length());
    }
    pattern += quote(expected.substr(last));
    return std::regex_match(actual, std::regex(pattern));
}

// `recorded_input` (README): the input as AWS recorded it, after LocalStack's transformer rewrote some strings
// (a function name became "lambda_function_name"). The same rewrite hit the recorded output, so a string the
// output shares with recorded_input stands for the input's string at that place: undo the rewrite.
void collect_rewrites(const json& input, const json& recorded, std::map<std::string, std::string>& rewrites) {
    if (input.is_string() && recorded.is_string() && input != recorded) {
        rewrites.emplace(recorded.get<std::string>(), input.get<std::string>());
    } else if (input.is_object() && recorded.is_object()) {
        for (const auto& [k, v] : recorded.items())
            if (input.contains(k)) collect_rewrites(input[k], v, rewrites);
    } else if (input.is_array() && recorded.is_array() && input.size() == recorded.size()) {
        for (std::size_t i = 0; i < input.size(); ++i) collect_rewrites(input[i], recorded[i], rewrites);
    }
}

json untransformed(json expected, const std::map<std::string, std::string>& rewrites) {
    if (expected.is_string()) {
        auto it = rewrites.find(expected.get<std::string>());
        if (it != rewrites.end()) expected = it->second;
    } else if (expected.is_structured()) {
        for (auto& v : expected) v = untransformed(v, rewrites);
    }
    return expected;
}

}  // namespace

bool json_matches(const json& expected, const json& actual, std::string& where, const std::string& path) {
    if (expected.is_string() && (whole_string_wildcards.count(expected.get<std::string>()) ||
                                 std::regex_match(expected.get<std::string>(), std::regex("<[^<>]*>")))) {
        return true;  // a whole-value placeholder matches any value
    }
    if (expected.is_number() && actual.is_number()) {
        if (expected.get<double>() == actual.get<double>()) return true;
        where = path + ": expected " + expected.dump() + ", got " + actual.dump();
        return false;
    }
    if (expected.type() != actual.type()) {
        where = path + ": expected " + expected.dump().substr(0, 200) + ", got " + actual.dump().substr(0, 200);
        return false;
    }
    if (expected.is_string()) {
        if (string_matches(expected.get<std::string>(), actual.get<std::string>())) return true;
        if (lambda_cause_matches(expected.get<std::string>(), actual.get<std::string>())) return true;
        where = path + ": expected " + expected.dump().substr(0, 300) + ", got " + actual.dump().substr(0, 300);
        return false;
    }
    if (expected.is_array()) {
        if (expected.size() != actual.size()) {
            where = path + ": expected " + std::to_string(expected.size()) + " elements, got " +
                    std::to_string(actual.size()) + ": " + actual.dump().substr(0, 300);
            return false;
        }
        for (std::size_t i = 0; i < expected.size(); ++i)
            if (!json_matches(expected[i], actual[i], where, path + "/" + std::to_string(i))) return false;
        return true;
    }
    if (expected.is_object()) {
        for (const auto& [k, v] : expected.items()) {
            if (!actual.contains(k)) {
                where = path + "/" + k + ": missing in " + actual.dump().substr(0, 300);
                return false;
            }
            if (!json_matches(v, actual[k], where, path + "/" + k)) return false;
        }
        for (const auto& [k, v] : actual.items()) {
            if (!expected.contains(k)) {
                where = path + "/" + k + ": unexpected member " + v.dump().substr(0, 200);
                return false;
            }
        }
        return true;
    }
    if (expected == actual) return true;
    where = path + ": expected " + expected.dump() + ", got " + actual.dump();
    return false;
}

std::optional<std::string> compare_run(const json& c, const RunResult& run, const CompareOptions& options) {
    const auto& expected = c["expected"];
    const std::string expected_status = expected.value("status", "");
    if (run.status != expected_status)
        return "status: expected " + expected_status + ", got " + run.status +
               (run.error ? " error=" + *run.error : "") + (run.cause ? " cause=" + run.cause->substr(0, 400) : "");
    std::string where;
    if (run.status == "SUCCEEDED" && expected.contains("output")) {
        std::map<std::string, std::string> rewrites;
        if (c.contains("recorded_input")) collect_rewrites(c["input"], c["recorded_input"], rewrites);
        const json actual = run.output ? json::parse(*run.output, nullptr, false) : json(nullptr);
        if (!json_matches(untransformed(expected["output"], rewrites), actual, where, "output")) return where;
    }
    if (expected.contains("error")) {
        const json actual = run.error ? json(*run.error) : json(nullptr);
        if (!json_matches(expected["error"], actual, where, "error")) return where;
    }
    if (expected.contains("cause") && options.compare_cause) {
        const auto& ec = expected["cause"];
        json actual = run.cause ? json(*run.cause) : json(nullptr);
        // A cause AWS returned as JSON is stored parsed.
        if (ec.is_object() && run.cause) actual = json::parse(*run.cause, nullptr, false);
        if (!json_matches(ec, actual, where, "cause")) return where;
    }
    if (auto h = c.find("history_event_types"); h != c.end() && h->is_array()) {
        const auto exp = h->get<std::vector<std::string>>();
        if (exp != run.history) {
            std::ostringstream os;
            os << "history: expected";
            for (const auto& t : exp) os << ' ' << t;
            os << "\n             got     ";
            for (const auto& t : run.history) os << ' ' << t;
            return os.str();
        }
    }
    return std::nullopt;
}

}  // namespace sfn::conformance
