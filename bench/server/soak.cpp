// A bounded soak of a running `sfn serve`: N keep-alive connections each repeat a cycle of mixed API calls
// for a fixed time, while the server's resident memory (VmRSS of its pid) is sampled and printed. At the end
// it prints requests, errors and latency percentiles per operation, and RSS at start / after 1 min / at end.
//
// One cycle on one connection:
//   CreateStateMachine (STANDARD: Parallel of a Map and a Pass, tagged) -> DescribeStateMachine
//   -> TagResource / ListTagsForResource / UntagResource
//   -> StartExecution x2 -> DescribeExecution until done -> GetExecutionHistory, ListExecutions
//   -> StartExecution reusing a name with another input (expected ExecutionAlreadyExists)
//   -> CreateStateMachine (EXPRESS) -> StartSyncExecution x3 -> ListStateMachines
//   -> DescribeStateMachine of a missing machine (expected StateMachineDoesNotExist) -> DeleteStateMachine x2
//
// Exit status 1 when any request failed unexpectedly (transport error, a non-2xx that is not the expected
// error, an execution that did not succeed) or, with --max-growth-mb, when RSS grew more than that after
// the warm-up. `bench/server/soak.sh` starts the server and runs this program.
//
// Usage: sfn_server_soak --port P --pid PID [--seconds 600] [--connections 16] [--sample-seconds 5]
//                        [--warmup-seconds 60] [--max-growth-mb MB] [--skip ListExecutions|ListStateMachines]
// (--skip leaves out a call whose output the cycle does not read, to see what that call costs the rest.)
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kRole = "arn:aws:iam::123456789012:role/soak";

// A STANDARD machine that exercises Map (inline, 5 items) and Parallel with intrinsics.
const json kStandardDefinition = json::parse(R"json({
  "StartAt": "Fan",
  "States": {
    "Fan": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "Each", "States": {"Each": {
          "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
          "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Echo",
                            "States": {"Echo": {"Type": "Pass", "Parameters": {"item.$": "$"}, "End": true}}},
          "End": true}}},
        {"StartAt": "Count", "States": {"Count": {
          "Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($.items)"}, "End": true}}}
      ],
      "Next": "Done"
    },
    "Done": {"Type": "Succeed"}
  }
})json");

// An EXPRESS machine for StartSyncExecution: a Parallel of two Pass states.
const json kExpressDefinition = json::parse(R"json({
  "StartAt": "Both",
  "States": {
    "Both": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": true}}},
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.x, 1)"}, "End": true}}}
      ],
      "End": true
    }
  }
})json");

/// Per-operation figures of one connection (merged at the end).
struct OpStats {
    std::vector<double> latencies_ms;
    long expected_errors = 0;
    long errors = 0;
};

/// A request that did not go as the cycle expects; ends the cycle.
struct Unexpected : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Connection {
public:
    Connection(int port, std::atomic<long>& requests, std::atomic<long>& errors, std::string skip)
        : http_("127.0.0.1", port), requests_(requests), errors_(errors), skip_(std::move(skip)) {
        http_.set_keep_alive(true);
        http_.set_tcp_nodelay(true);
        http_.set_connection_timeout(10, 0);
        http_.set_read_timeout(60, 0);
    }

    /// Calls `op`; returns the output on 2xx. When `expected_error` is given, that error code is the one
    /// acceptable outcome (and returns nullopt). Anything else throws Unexpected.
    std::optional<json> call(const std::string& op, const json& input, const char* expected_error = nullptr) {
        if (op == skip_) return json::object();
        const httplib::Headers headers = {
            {"X-Amz-Target", "AWSStepFunctions." + op},
            {"X-Amz-Date", "20260101T000000Z"},
            {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDSOAK/20260101/us-east-1/states/aws4_request, "
                              "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0"}};
        auto& stats = stats_[op];
        ++requests_;
        const auto t0 = Clock::now();
        auto res = http_.Post("/", headers, input.dump(), "application/x-amz-json-1.0");
        stats.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!res) fail(stats, op + ": no response (" + httplib::to_string(res.error()) + ")");
        const bool ok = res->status >= 200 && res->status < 300;
        const json body = json::parse(res->body, nullptr, false);
        if (expected_error) {
            const std::string type = body.is_object() ? body.value("__type", "") : "";
            if (!ok && type.ends_with(expected_error)) {
                ++stats.expected_errors;
                return std::nullopt;
            }
            fail(stats, op + ": expected " + expected_error + ", got HTTP " + std::to_string(res->status) + " " +
                            res->body.substr(0, 300));
        }
        if (!ok) fail(stats, op + ": HTTP " + std::to_string(res->status) + " " + res->body.substr(0, 300));
        if (!body.is_object()) fail(stats, op + ": the response is not a JSON object: " + res->body.substr(0, 300));
        return body;
    }

    /// Records an error found in a successful response (e.g. an execution that did not succeed).
    [[noreturn]] void fail_content(const std::string& op, const std::string& what) { fail(stats_[op], op + ": " + what); }

    std::map<std::string, OpStats>& stats() { return stats_; }

private:
    [[noreturn]] void fail(OpStats& stats, const std::string& what) {
        ++stats.errors;
        ++errors_;
        throw Unexpected(what);
    }

    httplib::Client http_;
    std::atomic<long>& requests_;
    std::atomic<long>& errors_;
    std::string skip_;
    std::map<std::string, OpStats> stats_;
};

void run_cycle(Connection& c, const std::string& id) {
    const json items = json::array({1, 2, 3, 4, 5});
    const std::string standard = c.call("CreateStateMachine", {{"name", "soak-" + id},
                                                               {"definition", kStandardDefinition.dump()},
                                                               {"roleArn", kRole},
                                                               {"tags", {{{"key", "soak"}, {"value", "yes"}}}}})
                                     ->at("stateMachineArn")
                                     .get<std::string>();
    c.call("DescribeStateMachine", {{"stateMachineArn", standard}});
    c.call("TagResource", {{"resourceArn", standard}, {"tags", {{{"key", "cycle"}, {"value", id}}}}});
    const json tags = *c.call("ListTagsForResource", {{"resourceArn", standard}});
    if (tags.value("tags", json::array()).size() != 2) c.fail_content("ListTagsForResource", "expected 2 tags: " + tags.dump());
    c.call("UntagResource", {{"resourceArn", standard}, {"tagKeys", {"cycle"}}});

    std::vector<std::string> executions;
    for (const char* name : {"first", "second"}) {
        executions.push_back(c.call("StartExecution", {{"stateMachineArn", standard}, {"name", name},
                                                       {"input", json{{"items", items}}.dump()}})
                                 ->at("executionArn")
                                 .get<std::string>());
    }
    for (const auto& arn : executions) {
        std::string status = "RUNNING";
        for (int polls = 0; status == "RUNNING"; ++polls) {
            if (polls > 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
            const json d = *c.call("DescribeExecution", {{"executionArn", arn}});
            status = d.value("status", "");
            if (status == "SUCCEEDED" && json::parse(d.value("output", "null")).size() != 2) {
                c.fail_content("DescribeExecution", "unexpected output " + d.value("output", ""));
            }
        }
        if (status != "SUCCEEDED") c.fail_content("DescribeExecution", arn + " ended " + status);
        const json history = *c.call("GetExecutionHistory", {{"executionArn", arn}, {"maxResults", 1000}});
        if (history.value("events", json::array()).empty()) c.fail_content("GetExecutionHistory", "no events");
    }
    c.call("ListExecutions", {{"stateMachineArn", standard}});
    c.call("StartExecution", {{"stateMachineArn", standard}, {"name", "first"}, {"input", R"({"items":[]})"}},
           "ExecutionAlreadyExists");

    const std::string express = c.call("CreateStateMachine", {{"name", "soak-express-" + id},
                                                              {"definition", kExpressDefinition.dump()},
                                                              {"roleArn", kRole},
                                                              {"type", "EXPRESS"}})
                                    ->at("stateMachineArn")
                                    .get<std::string>();
    for (int x = 0; x < 3; ++x) {
        const json out = *c.call("StartSyncExecution", {{"stateMachineArn", express}, {"input", json{{"x", x}}.dump()}});
        if (out.value("status", "") != "SUCCEEDED") c.fail_content("StartSyncExecution", "ended " + out.dump());
    }
    c.call("ListStateMachines", {{"maxResults", 100}});
    c.call("DescribeStateMachine", {{"stateMachineArn", standard + "-missing"}}, "StateMachineDoesNotExist");
    c.call("DeleteStateMachine", {{"stateMachineArn", express}});
    c.call("DeleteStateMachine", {{"stateMachineArn", standard}});
}

/// VmRSS of `pid` in MiB, or nullopt once the process is gone.
std::optional<double> rss_mb(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            double kb = 0;
            status >> kb;
            return kb / 1024.0;
        }
        status.ignore(1 << 12, '\n');
    }
    return std::nullopt;
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    const auto at = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(at, sorted.size() - 1)];
}

struct Args {
    int port = 0;
    int pid = 0;
    double seconds = 600;
    int connections = 16;
    double sample_seconds = 5;
    double warmup_seconds = 60;
    double max_growth_mb = -1;  // < 0: report only
    std::string skip;
};

std::optional<Args> parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) return std::nullopt;
        const std::string value = argv[++i];
        if (flag == "--port") a.port = std::stoi(value);
        else if (flag == "--pid") a.pid = std::stoi(value);
        else if (flag == "--seconds") a.seconds = std::stod(value);
        else if (flag == "--connections") a.connections = std::stoi(value);
        else if (flag == "--sample-seconds") a.sample_seconds = std::stod(value);
        else if (flag == "--warmup-seconds") a.warmup_seconds = std::stod(value);
        else if (flag == "--max-growth-mb") a.max_growth_mb = std::stod(value);
        else if (flag == "--skip" && (value == "ListExecutions" || value == "ListStateMachines")) a.skip = value;
        else return std::nullopt;
    }
    if (a.port <= 0 || a.pid <= 0 || a.connections <= 0 || a.seconds <= 0 || a.sample_seconds <= 0) return std::nullopt;
    return a;
}

}  // namespace

int main(int argc, char** argv) {
    const auto parsed = parse_args(argc, argv);
    if (!parsed) {
        std::cerr << "usage: sfn_server_soak --port P --pid PID [--seconds 600] [--connections 16] "
                     "[--sample-seconds 5] [--warmup-seconds 60] [--max-growth-mb MB] [--skip OPERATION]\n";
        return 2;
    }
    const Args args = *parsed;
    const auto start_rss = rss_mb(args.pid);
    if (!start_rss) {
        std::cerr << "soak: no process " << args.pid << "\n";
        return 2;
    }
    std::printf("soak: %d connections for %.0f s against 127.0.0.1:%d (server pid %d)\n", args.connections,
                args.seconds, args.port, args.pid);

    std::atomic<long> requests{0};
    std::atomic<long> errors{0};
    std::atomic<long> cycles{0};
    std::mutex report_mutex;
    std::vector<std::string> first_errors;
    std::vector<std::map<std::string, OpStats>> per_connection(static_cast<std::size_t>(args.connections));
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration<double>(args.seconds);

    std::vector<std::thread> workers;
    for (int c = 0; c < args.connections; ++c) {
        workers.emplace_back([&, c] {
            Connection connection(args.port, requests, errors, args.skip);
            for (long i = 0; Clock::now() < deadline; ++i) {
                try {
                    run_cycle(connection, std::to_string(c) + "-" + std::to_string(i));
                    ++cycles;
                } catch (const std::exception& e) {
                    std::lock_guard lock(report_mutex);
                    if (first_errors.size() < 10) first_errors.emplace_back(e.what());
                }
            }
            per_connection[static_cast<std::size_t>(c)] = std::move(connection.stats());
        });
    }

    struct Sample {
        double seconds;  // since start
        double rss_mb;
        long cycles;     // completed by then
    };
    std::vector<Sample> samples{{0.0, *start_rss, 0}};
    std::printf("t=%5.0fs  rss=%7.1f MB  requests=%ld  errors=%ld\n", 0.0, *start_rss, 0L, 0L);
    std::fflush(stdout);
    bool server_gone = false;
    for (auto next = start + std::chrono::duration<double>(args.sample_seconds); next < deadline;
         next += std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(args.sample_seconds))) {
        std::this_thread::sleep_until(next);
        const auto rss = rss_mb(args.pid);
        if (!rss) {
            server_gone = true;
            break;
        }
        const double t = std::chrono::duration<double>(Clock::now() - start).count();
        samples.push_back({t, *rss, cycles.load()});
        std::printf("t=%5.0fs  rss=%7.1f MB  requests=%ld  errors=%ld\n", t, *rss, requests.load(), errors.load());
        std::fflush(stdout);
    }
    for (auto& w : workers) w.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (const auto rss = rss_mb(args.pid)) samples.push_back({elapsed, *rss, cycles.load()});
    else server_gone = true;

    std::map<std::string, OpStats> merged;
    for (auto& conn : per_connection) {
        for (auto& [op, s] : conn) {
            auto& m = merged[op];
            m.latencies_ms.insert(m.latencies_ms.end(), s.latencies_ms.begin(), s.latencies_ms.end());
            m.expected_errors += s.expected_errors;
            m.errors += s.errors;
        }
    }
    std::printf("\n| operation | requests | expected errors | errors | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|\n");
    for (auto& [op, s] : merged) {
        std::sort(s.latencies_ms.begin(), s.latencies_ms.end());
        std::printf("| %s | %zu | %ld | %ld | %.3f | %.3f | %.3f |\n", op.c_str(), s.latencies_ms.size(),
                    s.expected_errors, s.errors, percentile(s.latencies_ms, 0.50), percentile(s.latencies_ms, 0.99),
                    s.latencies_ms.empty() ? 0.0 : s.latencies_ms.back());
    }

    // RSS at the first sample at or after a time (the last one when the run was shorter).
    const auto sample_at = [&](double t) -> const Sample& {
        for (const auto& s : samples) {
            if (s.seconds >= t) return s;
        }
        return samples.back();
    };
    double max_rss = 0;
    for (const auto& s : samples) max_rss = std::max(max_rss, s.rss_mb);
    const double end_rss = samples.back().rss_mb;
    const Sample& warm = sample_at(args.warmup_seconds);
    const double warm_rss = warm.rss_mb;
    const long cycles_after_warmup = samples.back().cycles - warm.cycles;
    std::printf("\nrequests %ld in %.0f s (%.0f/s), cycles %ld, errors %ld\n", requests.load(), elapsed,
                static_cast<double>(requests.load()) / elapsed, cycles.load(), errors.load());
    std::printf("RSS: start %.1f MB, after 1 min %.1f MB, end %.1f MB, max %.1f MB; after warm-up (%.0f s) %+.1f MB\n",
                samples.front().rss_mb, sample_at(60).rss_mb, end_rss, max_rss, args.warmup_seconds,
                end_rss - warm_rss);
    if (cycles_after_warmup > 0) {
        std::printf("RSS growth after warm-up per cycle (2 STANDARD executions each): %.2f KB\n",
                    (end_rss - warm_rss) * 1024.0 / static_cast<double>(cycles_after_warmup));
    }
    for (const auto& e : first_errors) std::printf("error: %s\n", e.c_str());

    int status = 0;
    if (server_gone) {
        std::printf("FAIL: the server process %d is gone\n", args.pid);
        status = 1;
    }
    if (errors.load() > 0) {
        std::printf("FAIL: %ld unexpected errors\n", errors.load());
        status = 1;
    }
    if (args.max_growth_mb >= 0 && end_rss - warm_rss > args.max_growth_mb) {
        std::printf("FAIL: RSS grew %.1f MB after warm-up (limit %.1f MB)\n", end_rss - warm_rss, args.max_growth_mb);
        status = 1;
    }
    return status;
}
