// How long one cache line takes to go from one core to another and back: two threads pinned to two cores hand
// a counter to each other. What Map and Parallel gain from a second core depends on it (reference counts,
// the worker pool's hand-offs and the history merge all move lines between the cores).
//   build/bin/sfn_bench_core_latency [CORE_A CORE_B]
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

bool pin(int core) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(core, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

// One run of `rounds` round trips; nanoseconds per round trip.
double round_trip(int a, int b, int rounds) {
    alignas(64) std::atomic<int> turn{0};
    std::thread other([&] {
        (void)pin(b);
        for (int i = 0; i < rounds; ++i) {
            while (turn.load(std::memory_order_acquire) != 2 * i + 1) {
            }
            turn.store(2 * i + 2, std::memory_order_release);
        }
    });
    (void)pin(a);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < rounds; ++i) {
        turn.store(2 * i + 1, std::memory_order_release);
        while (turn.load(std::memory_order_acquire) != 2 * i + 2) {
        }
    }
    const auto end = std::chrono::steady_clock::now();
    other.join();
    return std::chrono::duration<double, std::nano>(end - start).count() / rounds;
}

}  // namespace

int main(int argc, char** argv) {
    const int a = argc > 2 ? std::atoi(argv[1]) : 0;
    const int b = argc > 2 ? std::atoi(argv[2]) : 1;
    if (std::thread::hardware_concurrency() < 2) {
        std::printf("core-to-core round trip: one core only\n");
        return 0;
    }
    std::vector<double> runs;
    for (int i = 0; i < 5; ++i) runs.push_back(round_trip(a, b, 100000));
    std::sort(runs.begin(), runs.end());
    std::printf("core-to-core round trip (cores %d and %d): %.0f ns (median of 5 runs of 100,000)\n", a, b, runs[2]);
    return 0;
}
