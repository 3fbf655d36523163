// A keep-alive HTTP load generator for the Step Functions API. It starts `sfn serve` (SQLite store on a
// temp file) and moto_server, deploys the seed workflow on both and measures, with N connections each:
//   StartSyncExecution (EXPRESS, sfn only: moto has none), StartExecution+DescribeExecution (STANDARD) and
//   DescribeStateMachine - requests/s and p50/p99 latency - then prints a Markdown table.
// Usage: sfn_server_load --sfn build/bin/sfn [--seconds 3] [--connections 1,16] [--no-moto] [--checkpoint-cost] [--only OPERATION]
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Process {
    pid_t pid = -1;
    int port = 0;
    ~Process() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            int status = 0;
            waitpid(pid, &status, 0);
        }
    }
};

// Starts `argv` with stdout on a pipe and returns after `ready(line)` yields a port.
template <class Ready>
void spawn(Process& p, std::vector<std::string> argv, Ready ready) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    p.pid = fork();
    if (p.pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    close(fds[1]);
    FILE* out = fdopen(fds[0], "r");
    char line[4096];
    while (std::fgets(line, sizeof line, out)) {
        if (int port = ready(std::string(line)); port > 0) {
            p.port = port;
            // Keep draining output so the child never blocks on a full pipe.
            std::thread([out] {
                char sink[4096];
                while (std::fgets(sink, sizeof sink, out)) {}
                std::fclose(out);
            }).detach();
            return;
        }
    }
    throw std::runtime_error("process " + argv[0] + " exited before it was ready");
}

int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    close(fd);
    return ntohs(addr.sin_port);
}

json call(httplib::Client& client, const std::string& op, const json& body, int* status = nullptr) {
    httplib::Headers headers = {
        {"X-Amz-Target", "AWSStepFunctions." + op},
        {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDLOCAL/20260101/us-east-1/states/aws4_request, "
                          "SignedHeaders=host, Signature=0"},
        {"X-Amz-Date", "20260101T000000Z"}};
    auto res = client.Post("/", headers, body.dump(), "application/x-amz-json-1.0");
    if (!res) throw std::runtime_error(op + ": no response (" + httplib::to_string(res.error()) + ")");
    if (status) *status = res->status;
    if (res->status != 200) throw std::runtime_error(op + " failed: " + std::to_string(res->status) + " " + res->body);
    return json::parse(res->body);
}

struct Result {
    std::string target;
    std::string operation;
    int connections = 0;
    double rps = 0;
    double p50_ms = 0;
    double p99_ms = 0;
    long errors = 0;
    double cpu_us = 0;  // server CPU time (user + system, all threads) per logical request
};

// CPU seconds (user + system, all threads) the process `pid` has used so far: /proc/PID/stat fields 14-15.
// Unlike requests/s this hardly depends on what else the machine runs.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');  // the command name may contain spaces
    if (close == std::string::npos) return 0;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i >= 14) ticks += std::stod(field);
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Runs `step` (one logical request, which may be several HTTP calls) on `connections` keep-alive clients.
template <class Step>
Result measure(const std::string& target, const std::string& op, pid_t pid, int port, int connections, double seconds,
               Step step) {
    const double cpu_before = cpu_seconds(pid);
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
    std::atomic<long> errors{0};
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration<double>(seconds);
    for (int c = 0; c < connections; ++c) {
        threads.emplace_back([&, c] {
            httplib::Client client("127.0.0.1", port);
            client.set_keep_alive(true);
            client.set_tcp_nodelay(true);
            client.set_read_timeout(30, 0);
            long i = 0;
            while (Clock::now() < deadline) {
                const auto t0 = Clock::now();
                try {
                    step(client, c, i++);
                } catch (const std::exception&) {
                    ++errors;
                    continue;
                }
                latencies[static_cast<std::size_t>(c)].push_back(
                    std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            }
        });
    }
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    Result r{target, op, connections, 0, 0, 0, errors.load()};
    if (!all.empty()) {
        r.rps = static_cast<double>(all.size()) / elapsed;
        r.p50_ms = all[all.size() / 2];
        r.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
        r.cpu_us = (cpu_seconds(pid) - cpu_before) * 1e6 / static_cast<double>(all.size());
    }
    return r;
}

std::vector<int> parse_list(const std::string& s) {
    std::vector<int> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ',')) out.push_back(std::stoi(item));
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::string sfn = "build/bin/sfn";
    double seconds = 3;
    double moto_seconds = 3;
    std::vector<int> connections = {1, 16};
    bool with_moto = true;
    bool checkpoint_cost = false;  // also run `sfn serve --no-checkpoints` and compare
    std::string only;  // measure one operation (profiling)
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--sfn") sfn = next();
        else if (a == "--seconds") seconds = std::stod(next());
        else if (a == "--moto-seconds") moto_seconds = std::stod(next());
        else if (a == "--connections") connections = parse_list(next());
        else if (a == "--no-moto") with_moto = false;
        else if (a == "--checkpoint-cost") checkpoint_cost = true;
        else if (a == "--only") only = next();
        else {
            std::cerr << "usage: sfn_server_load --sfn BINARY [--seconds S] [--moto-seconds S] [--connections 1,16] [--no-moto] [--only OPERATION]\n";
            return 2;
        }
    }
    std::ifstream seed_file(std::string(SFN_SHARED_DIR) + "/seed-examples/07-deployment-seed-scenario.json");
    const std::string seed = json::parse(seed_file)["expected_asl"].dump();
    const std::string role = "arn:aws:iam::123456789012:role/bench";
    const auto db = std::filesystem::temp_directory_path() / ("sfn-bench-" + std::to_string(getpid()) + ".db");

    std::vector<Result> results;
    struct Target {
        std::string name;
        Process process;
        bool sync = false;
    };
    std::vector<std::unique_ptr<Target>> targets;
    const auto start_sfn = [&](const std::string& name, const std::filesystem::path& file,
                               std::vector<std::string> extra) {
        auto target = std::make_unique<Target>();
        target->name = name;
        target->sync = true;
        std::vector<std::string> argv = {sfn, "serve", "--port", "0", "--db", file.string(), "--clock", "virtual"};
        argv.insert(argv.end(), extra.begin(), extra.end());
        spawn(target->process, argv, [](const std::string& line) {
            const auto at = line.find("http://127.0.0.1:");
            return at == std::string::npos ? 0 : std::stoi(line.substr(at + 17));
        });
        targets.push_back(std::move(target));
    };
    const auto db_off = db.string() + "-off.db";
    start_sfn("sfn serve", db, {});
    if (checkpoint_cost) start_sfn("sfn serve --no-checkpoints", db_off, {"--no-checkpoints"});
    if (with_moto) {
        auto moto = std::make_unique<Target>();
        moto->name = "moto";
        const int port = free_port();
        spawn(moto->process, {"python3", std::string(SFN_SHARED_DIR) + "/aws/moto_server_fixed.py", std::to_string(port)},
              [port](const std::string& line) { return line.find("Running on") != std::string::npos ? port : 0; });
        targets.push_back(std::move(moto));
    }

    for (auto& t : targets) {
        const int port = t->process.port;
        const pid_t pid = t->process.pid;
        httplib::Client admin("127.0.0.1", port);
        admin.set_tcp_nodelay(true);
        const std::string suffix = std::to_string(getpid());
        const std::string standard = call(admin, "CreateStateMachine", {{"name", "bench-std-" + suffix},
                                          {"definition", seed}, {"roleArn", role}})["stateMachineArn"];
        const double secs = t->name == "moto" ? moto_seconds : seconds;
        const auto wanted = [&](const char* op) { return only.empty() || only == op; };
        for (int n : connections) {
            if (wanted("DescribeStateMachine")) {
                results.push_back(measure(t->name, "DescribeStateMachine", pid, port, n, secs,
                                          [&](httplib::Client& c, int, long) {
                                              call(c, "DescribeStateMachine", {{"stateMachineArn", standard}});
                                          }));
            }
            if (wanted("StartExecution+DescribeExecution")) {
                results.push_back(measure(t->name, "StartExecution+DescribeExecution", pid, port, n, secs,
                                          [&](httplib::Client& c, int, long) {
                                              const auto e = call(c, "StartExecution", {{"stateMachineArn", standard}});
                                              call(c, "DescribeExecution", {{"executionArn", e["executionArn"]}});
                                          }));
            }
            if (t->sync && wanted("StartSyncExecution")) {
                const std::string express = call(admin, "CreateStateMachine",
                                                 {{"name", "bench-express-" + suffix + "-" + std::to_string(n)},
                                                  {"definition", seed}, {"roleArn", role}, {"type", "EXPRESS"}})["stateMachineArn"];
                results.push_back(measure(t->name, "StartSyncExecution", pid, port, n, secs,
                                          [&](httplib::Client& c, int, long) {
                                              const auto out = call(c, "StartSyncExecution", {{"stateMachineArn", express}});
                                              if (out["status"] != "SUCCEEDED") throw std::runtime_error("not SUCCEEDED");
                                          }));
            }
        }
    }
    targets.clear();
    std::error_code ec;
    for (const char* ext : {"", "-wal", "-shm"}) {
        std::filesystem::remove(db.string() + ext, ec);
        std::filesystem::remove(db_off + ext, ec);
    }

    std::printf("| target | operation | connections | req/s | p50 ms | p99 ms | server CPU us/req | errors |\n");
    std::printf("|---|---|---|---|---|---|---|---|\n");
    for (const auto& r : results) {
        std::printf("| %s | %s | %d | %.0f | %.3f | %.3f | %.0f | %ld |\n", r.target.c_str(), r.operation.c_str(),
                    r.connections, r.rps, r.p50_ms, r.p99_ms, r.cpu_us, r.errors);
    }
    std::printf("\n| operation | connections | sfn/moto throughput |\n|---|---|---|\n");
    for (const auto& a : results) {
        if (a.target != "sfn serve") continue;
        for (const auto& b : results) {
            if (b.target == "moto" && b.operation == a.operation && b.connections == a.connections && b.rps > 0) {
                std::printf("| %s | %d | %.0fx |\n", a.operation.c_str(), a.connections, a.rps / b.rps);
            }
        }
    }
    if (checkpoint_cost) {
        // Durable executions' price: the same service with and without checkpoints, server CPU per request.
        std::printf("\n| operation | connections | CPU us/req checkpoints on | off | change |\n|---|---|---|---|---|\n");
        for (const auto& a : results) {
            if (a.target != "sfn serve") continue;
            for (const auto& b : results) {
                if (b.target == "sfn serve --no-checkpoints" && b.operation == a.operation &&
                    b.connections == a.connections && b.cpu_us > 0) {
                    std::printf("| %s | %d | %.0f | %.0f | %+.0f%% |\n", a.operation.c_str(), a.connections, a.cpu_us,
                                b.cpu_us, (a.cpu_us / b.cpu_us - 1) * 100);
                }
            }
        }
    }
    return 0;
}
