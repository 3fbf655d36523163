// Runs one benchmark workload on aws-local-stepfunctions in this node process, the way the peer figures of
// shared/bench/README.md were taken: one warm-up execution, then the median of at least 3 (more until
// --min-seconds of measuring). Checks the output against the workload's expected_output and prints one JSON
// line: {"name", "runs", "wall_s", "cpu_s" (medians per execution: wall seconds, and CPU seconds of the
// whole process, its helper threads included), "ok"}.
//   node run_peer.mjs WORKLOAD.json [--min-seconds S]
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { StateMachine } from 'aws-local-stepfunctions';

// The peer uses Promise.withResolvers (node >= 22) for Task timeouts; none of the workloads has a Task, but keep
// the polyfill so an older node never fails on it.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

const args = process.argv.slice(2);
const file = args[0];
let minSeconds = 1.0;
for (let i = 1; i < args.length; ++i) {
  if (args[i] === '--min-seconds') minSeconds = Number(args[++i]);
  else { console.error(`unknown argument ${args[i]}`); process.exit(2); }
}
const workload = JSON.parse(readFileSync(file, 'utf8'));
const machine = new StateMachine(workload.definition, { validationOptions: { checkPaths: false } });

async function runOnce() {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const execution = machine.run(workload.input);
  const output = await execution.result;
  const cpuUsed = process.cpuUsage(cpuStart);
  const wall = Number(process.hrtime.bigint() - start) * 1e-9;
  return { wall, cpu: (cpuUsed.user + cpuUsed.system) * 1e-6, output };
}

const warm = await runOnce();
const ok = isDeepStrictEqual(warm.output, workload.expected_output);
const walls = [];
const cpus = [];
let total = 0;
while (walls.length < 3 || total < minSeconds) {
  const { wall, cpu } = await runOnce();
  walls.push(wall);
  cpus.push(cpu);
  total += wall;
  if (walls.length >= 1000) break;
}
const median = (v) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(JSON.stringify({ name: workload.name, runs: walls.length, wall_s: median(walls), cpu_s: median(cpus), ok }));
