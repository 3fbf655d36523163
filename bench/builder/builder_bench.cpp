// The builder's cost: authoring N states with the cursor API, taking the model snapshot, and
// rendering ASL. Run: build/bin/sfn_builder_bench (figures go into the closing note).

#include <sfn/builder/builder.hpp>

#include <benchmark/benchmark.h>

namespace {

/// A straight chain of `n` Pass states with a Choice every tenth state looping back to the start.
sfn::Workflow make_workflow(int n) {
    sfn::Workflow workflow;
    auto first = sfn::Pass("State 0").result({{"i", 0}});
    workflow.start_from(first);
    for (int i = 1; i < n; ++i) {
        std::string id = "State " + std::to_string(i);
        if (i % 10 == 0) {
            auto next = sfn::Pass(id);
            workflow.choice({(sfn::Var("$.i") > i).next_then(next)}, {.default_state = first, .id = "Choice " + std::to_string(i)});
            workflow.continue_from(next);
        } else {
            workflow.next_then(sfn::Task(id).resource("arn:aws:states:::lambda:invoke").parameters({{"Payload.$", "$"}}));
        }
    }
    workflow.end();
    return workflow;
}

void BM_AuthorWorkflow(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(make_workflow(static_cast<int>(state.range(0))));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_AuthorWorkflow)->Arg(100)->Arg(1000);

void BM_Definition(benchmark::State& state) {
    auto workflow = make_workflow(static_cast<int>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(workflow.definition());
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Definition)->Arg(100)->Arg(1000);

void BM_Serialize(benchmark::State& state) {
    auto workflow = make_workflow(static_cast<int>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(workflow.serialize());
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Serialize)->Arg(100)->Arg(1000);

}  // namespace

BENCHMARK_MAIN();
