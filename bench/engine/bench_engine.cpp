// Runs every workload of shared/bench/workloads in-process with the virtual clock and full history
// recording, and prints executions/s, transitions/s and peak RSS. One warm-up, then the median of at least
// 3 runs (more until --min-seconds of measuring). Ratios to the peer come only from compare.sh, which runs
// the peer on the same machine in the same run.
//
// Executions run as EXPRESS: counter-loop and map-10k record 40,000-60,000 history events, which a STANDARD
// execution would refuse (25,000-event quota); every event is still recorded.
#include "sfn/engine/execution.hpp"

#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace engine = sfn::engine;

namespace {

// CPU time of the process: on a shared, busy machine wall time mostly measures the wait for a core.
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long peak_rss_kb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dir = std::string(SFN_SHARED_DIR) + "/bench/workloads";
    unsigned threads = 1;
    double min_seconds = 1.0;
    std::string only;
    bool record = true;
    bool standard = false;     // STANDARD executions (durable when a checkpoint sink is set)
    bool checkpoints = false;  // STANDARD with a checkpoint sink
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--workloads" && i + 1 < argc) dir = argv[++i];
        else if (a == "--threads" && i + 1 < argc) threads = static_cast<unsigned>(std::stoul(argv[++i]));
        else if (a == "--min-seconds" && i + 1 < argc) min_seconds = std::stod(argv[++i]);
        else if (a == "--only" && i + 1 < argc) only = argv[++i];
        else if (a == "--no-history") record = false;
        else if (a == "--standard") standard = true;
        else if (a == "--checkpoints") standard = checkpoints = true;
        else {
            std::fprintf(stderr, "usage: sfn_bench_engine [--workloads DIR] [--threads N] [--min-seconds S] [--only NAME] [--no-history] [--standard] [--checkpoints]\n");
            return 2;
        }
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::printf("threads=%u, virtual clock, history %s, %s\n", threads, record ? "recorded" : "not recorded",
                checkpoints ? "STANDARD with a checkpoint sink (durable executions)" : standard ? "STANDARD" : "EXPRESS");
    std::printf("%-18s %10s %10s %10s %14s %8s %s\n", "workload", "cpu s/exec", "wall s/ex", "exec/s",
                "transitions/s", "RSS MB", "check");
    bool all_ok = true;
    for (const auto& file : files) {
        std::ifstream in(file);
        const auto w = nlohmann::ordered_json::parse(in);
        const std::string name = w["name"];
        if (!only.empty() && name != only) continue;
        const auto machine = engine::compile(w["definition"]);
        const auto input = sfn::Value::from_json(w["input"]);
        const auto expected = sfn::Value::from_json(w["expected_output"]);
        engine::ExecutionOptions options;
        options.type = standard ? engine::ExecutionType::Standard : engine::ExecutionType::Express;
        options.record_history = record;
        // What the server's sink does first: take each checkpoint (it then encodes and queues it with its event).
        std::uint64_t checkpoints_made = 0;
        if (checkpoints)
            options.checkpoint_sink = [&checkpoints_made](const engine::HistoryEvent*, const engine::Checkpoint& c) {
                checkpoints_made += c.event_id > 0 ? 1 : 0;
            };
        options.max_threads = threads;
        auto run_once = [&] {
            auto o = options;
            o.clock = std::make_shared<engine::VirtualClock>();
            engine::Execution exec(machine, input, o);
            const auto start = std::chrono::steady_clock::now();
            const double cpu_start = cpu_seconds();
            auto r = exec.run();
            const double cpu = cpu_seconds() - cpu_start;
            const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            return std::make_tuple(wall, cpu, r);
        };
        const auto warm = std::get<2>(run_once());
        const bool ok = warm.status == engine::ExecutionStatus::Succeeded && warm.output == expected &&
                        warm.transitions == w["transitions"].get<std::uint64_t>();
        all_ok = all_ok && ok;
        std::vector<double> walls, cpus;
        double total = 0;
        while (walls.size() < 3 || total < min_seconds) {
            auto [wall, cpu, r] = run_once();
            walls.push_back(wall);
            cpus.push_back(cpu);
            total += wall;
            if (walls.size() >= 1000) break;
        }
        std::sort(walls.begin(), walls.end());
        std::sort(cpus.begin(), cpus.end());
        const double median_wall = walls[walls.size() / 2];
        const double median = cpus[cpus.size() / 2];
        const double tps = static_cast<double>(warm.transitions) / median;
        std::printf("%-18s %10.6f %10.6f %10.1f %14.0f %8.1f %s\n", name.c_str(), median, median_wall,
                    1.0 / median, tps, static_cast<double>(peak_rss_kb()) / 1024.0,
                    ok ? "ok" : ("WRONG: " + std::string(engine::to_string(warm.status)) + " " +
                                 warm.error.value_or("") + " " + warm.cause.value_or("").substr(0, 200))
                                    .c_str());
    }
    return all_ok ? 0 : 1;
}
