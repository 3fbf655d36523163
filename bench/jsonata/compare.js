// Times the reference implementation (npm `jsonata`) on the cases sfn_jsonata_bench timed, then prints
// per-group and aggregate throughput ratios (reference time / sfn time; > 1 means sfn is faster).
//   node compare.js <suite-dir> <sfn-results.json>
const fs = require('fs');
const path = require('path');
const jsonata = require('jsonata');

async function main() {
  const [suite, resultsFile] = process.argv.slice(2);
  const sfn = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  const repeat = sfn.repeat;
  const datasets = {};
  for (const f of fs.readdirSync(path.join(suite, 'datasets'))) {
    datasets[path.basename(f, '.json')] = JSON.parse(fs.readFileSync(path.join(suite, 'datasets', f), 'utf8'));
  }
  const groups = {};
  for (const c of sfn.cases) {
    let expr, input, bindingsOf;
    if (c.expr !== undefined) {
      // a conformance-corpus expression, carried inline
      expr = c.expr; input = c.input; bindingsOf = c.bindings;
    } else {
      // ids are "<group>/<file stem>" with "[i]" for files that hold several cases
      const m = /^(.*?)(?:\[(\d+)\])?$/.exec(c.id);
      const file = path.join(suite, 'groups', m[1] + '.json');
      const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
      const tc = m[2] !== undefined ? doc[Number(m[2])] : doc;
      expr = tc.expr !== undefined ? tc.expr : fs.readFileSync(path.join(path.dirname(file), tc['expr-file']), 'utf8');
      input = tc.data !== undefined ? tc.data : (typeof tc.dataset === 'string' ? datasets[tc.dataset] : undefined);
      bindingsOf = tc.bindings;
    }
    const bindings = bindingsOf || {};
    let seconds;
    try {
      const compiled = jsonata(expr);
      for (let w = 0; w < 3; w++) await compiled.evaluate(input, bindings);
      // best of five batches, exactly as sfn_jsonata_bench measures
      const batch = Math.max(1, Math.floor(repeat / 5));
      seconds = Infinity;
      for (let b = 0; b < 5; b++) {
        const start = process.hrtime.bigint();
        for (let r = 0; r < batch; r++) await compiled.evaluate(input, bindings);
        seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9);
      }
      seconds *= 5;
    } catch (e) {
      continue;  // the reference rejects it: not comparable
    }
    const g = groups[c.group] || (groups[c.group] = { ref: 0, sfn: 0, n: 0 });
    g.ref += seconds;
    g.sfn += c.seconds;
    g.n += 1;
  }
  let ref = 0, ours = 0, n = 0;
  const rows = Object.keys(groups).sort().map(name => {
    const g = groups[name];
    ref += g.ref; ours += g.sfn; n += g.n;
    return `${name.padEnd(32)} ${String(g.n).padStart(4)} cases  ref ${(g.ref * 1000).toFixed(1).padStart(9)} ms  sfn ${(g.sfn * 1000).toFixed(1).padStart(9)} ms  ratio ${(g.ref / g.sfn).toFixed(2).padStart(7)}x`;
  });
  console.log(rows.join('\n'));
  const p = groups.performance;
  if (p) console.log(`AGGREGATE without the 'performance' group: ratio ${((ref - p.ref) / (ours - p.sfn)).toFixed(2)}x`);
  console.log(`AGGREGATE ${n} cases x ${repeat} evaluations: reference ${(ref * 1000).toFixed(1)} ms, sfn ${(ours * 1000).toFixed(1)} ms, ratio ${(ref / ours).toFixed(2)}x`);
}

main().catch(e => { console.error(e); process.exit(1); });
