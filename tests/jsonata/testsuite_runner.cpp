// Runs every case of ../shared/jsonata-testsuite/ (the reference implementation's suite) and compares
// the outcome with the expected result, undefined result or error code.
//
//   sfn_jsonata_testsuite <suite-dir> <expected_failures.txt> [filter]
//
// Prints pass/fail counts; exits non-zero if a case fails that expected_failures.txt does not list.
#include <cmath>
#include <iostream>
#include <set>

#include "suite_cases.hpp"

using sfn::jsonata::Json;

namespace {

bool same(const Json& a, const Json& b, bool unordered) {
    if (a.is_number() && b.is_number()) {
        double x = a.get<double>(), y = b.get<double>();
        return x == y || std::fabs(x - y) <= 1e-12 * std::max(std::fabs(x), std::fabs(y));
    }
    if (a.type() != b.type()) return false;
    if (a.is_array()) {
        if (a.size() != b.size()) return false;
        if (unordered) {
            std::vector<bool> used(b.size());
            for (const auto& x : a) {
                bool found = false;
                for (std::size_t i = 0; i < b.size() && !found; ++i)
                    if (!used[i] && same(x, b[i], true)) used[i] = found = true;
                if (!found) return false;
            }
            return true;
        }
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same(a[i], b[i], false)) return false;
        return true;
    }
    if (a.is_object()) {
        if (a.size() != b.size()) return false;
        for (auto it = a.begin(); it != a.end(); ++it) {
            auto jt = b.find(it.key());
            if (jt == b.end() || !same(it.value(), *jt, unordered)) return false;
        }
        return true;
    }
    return a == b;
}

std::set<std::string> read_expected_failures(const std::string& path) {
    std::set<std::string> ids;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        ids.insert(line.substr(0, line.find_first_of(" \t")));
    }
    return ids;
}

// Runs one case; returns an empty string when it passes, else what went wrong.
std::string run(const sfn::jsonata::suite::Case& c) {
    try {
        auto compiled = sfn::jsonata::Expression::compile(c.expr);
        auto result = compiled.evaluate(c.input ? &*c.input : nullptr, c.env);
        const std::string got = result ? result->dump() : "undefined";
        if (!c.error_code.empty()) return "expected error " + c.error_code + ", got " + got;
        if (c.result) return result && same(*result, *c.result, c.unordered) ? "" : "expected " + c.result->dump() + ", got " + got;
        return result ? "expected undefined, got " + got : "";
    } catch (const sfn::jsonata::Error& e) {
        if (!c.error_code.empty() && e.code() == c.error_code) return "";
        return std::string("threw ") + e.what() + (c.error_code.empty() ? "" : " (expected " + c.error_code + ")");
    } catch (const std::exception& e) {
        return std::string("threw a non-jsonata exception: ") + e.what();
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: " << argv[0] << " <suite-dir> <expected_failures.txt> [filter]\n";
        return 2;
    }
    const std::set<std::string> expected = read_expected_failures(argv[2]);
    const std::string filter = argc > 3 ? argv[3] : "";
    int pass = 0, fail = 0, listed_fail = 0;
    std::vector<std::string> unexpected, stale;
#ifdef SFN_RESULT_TIME_SCALE
    const int result_time_scale = SFN_RESULT_TIME_SCALE;
#else
    const int result_time_scale = 1;
#endif
    for (const auto& c : sfn::jsonata::suite::load_cases(argv[1], std::chrono::milliseconds(10000), result_time_scale)) {
        if (!filter.empty() && c.id.find(filter) == std::string::npos) continue;
        const std::string outcome = run(c);
        if (outcome.empty()) {
            ++pass;
            if (expected.count(c.id)) stale.push_back(c.id);
        } else {
            ++fail;
            if (expected.count(c.id)) ++listed_fail;
            else unexpected.push_back(c.id + "\n    expr: " + c.expr.substr(0, 300) + "\n    " + outcome.substr(0, 600));
        }
    }
    for (const auto& u : unexpected) std::cout << "UNEXPECTED FAILURE " << u << "\n";
    for (const auto& s : stale) std::cout << "passes but listed in expected_failures.txt: " << s << "\n";
    const int total = pass + fail;
    std::cout << "jsonata test suite: " << pass << "/" << total << " passed (" << (total ? 100.0 * pass / total : 0.0)
              << "%), " << fail << " failed (" << listed_fail << " listed as expected failures, " << unexpected.size()
              << " unexpected)\n";
    return unexpected.empty() ? 0 : 1;
}
