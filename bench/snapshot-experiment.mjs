#!/usr/bin/env node
// Issue 20 item 4: what a Node user-land startup snapshot (`node --snapshot-blob`) gives against the
// V8 code cache that dist/cli.cjs uses today (src/bin.ts), for one file and for a whole corpus.
//
//   npm run build && node bench/snapshot-experiment.mjs CORPUS [--runs 5] [--sample 60]
//
// The snapshot holds the CLI bundle with its module code already run. Building it needs two changes
// to a copy of dist/cli-main.js, made here and checked: main() is deferred to the snapshot's main
// function, and WebAssembly (absent while a snapshot is built) is looked up when used. A snapshot
// needs the --snapshot-blob flag on node's command line, which a `bin` script cannot set for itself.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '5' }, sample: { type: 'string', default: '60' } },
});
if (positionals.length !== 1)
  throw new Error('usage: node bench/snapshot-experiment.mjs CORPUS [--runs N] [--sample N]');
const corpus = resolve(positionals[0]);
const runs = Number(values.runs);
const sampleSize = Number(values.sample);

const work = mkdtempSync(join(tmpdir(), 'wf-lint-snapshot-'));
const dist = join(work, 'dist');
cpSync(resolve('dist'), dist, { recursive: true });
// Worker threads start dist/cli.cjs, which runs the unchanged bundle: only the main thread's copy is patched.
const bundleFile = join(dist, 'cli-main-snapshot.js');
writeFileSync(bundleFile, patched(readFileSync(join(dist, 'cli-main.js'), 'latin1')), 'latin1');
const entry = join(work, 'snapshot-entry.cjs');
writeFileSync(
  entry,
  `const { readFileSync } = require('node:fs');
const vm = require('node:vm');
const file = ${JSON.stringify(bundleFile)};
const bundle = vm.runInThisContext(readFileSync(file, 'latin1'), { filename: file });
bundle(require, file, ${JSON.stringify(dist)}, ${JSON.stringify(`file://${join(dist, 'cli.cjs')}`)});
require('node:v8').startupSnapshot.setDeserializeMainFunction(() => globalThis.__wfLintRun());
`,
);
const blob = join(work, 'wf-lint.blob');
check(spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', entry], { encoding: 'utf8' }));

// argv[1] is the snapshot's stand-in for a script name: the CLI reads its arguments from argv[2] on.
const variants = {
  'code cache': (args) => [join(dist, 'cli.cjs'), ...args],
  snapshot: (args) => ['--snapshot-blob', blob, 'wf-lint', ...args],
};
// Worker threads do not survive a Node 20 snapshot (node warns that worker_threads is not verified
// in snapshots, and the threaded corpus run fails): the corpus is compared on one thread each.
const threaded = spawnSync(process.execPath, variants.snapshot([corpus]), { encoding: 'utf8', maxBuffer: 1 << 30 });
const threadedOutcome =
  threaded.status === 0 || threaded.status === 1 ? 'runs' : `fails (${threaded.stderr.trim().split('\n')[0]})`;
process.env.WF_LINT_THREADS = '1';
const same = Object.values(variants).map((argv) => run(argv(['--format', 'json', corpus])).stdout);
if (same[0] !== same[1]) throw new Error('the snapshot build reports differently from the code-cache build');

const files = sampleOf(workflowsUnder(corpus), sampleSize);
const single = { 'code cache': [], snapshot: [] };
files.forEach((file, i) => {
  const order = i % 2 ? ['snapshot', 'code cache'] : ['code cache', 'snapshot'];
  for (const name of order) single[name].push(timed(variants[name]([file])));
});
const whole = { 'code cache': [], snapshot: [] };
for (let i = 0; i < runs; i++) {
  for (const name of i % 2 ? ['snapshot', 'code cache'] : ['code cache', 'snapshot'])
    whole[name].push(timed(variants[name]([corpus])));
}
console.log(
  `node ${process.version}, load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(`snapshot with worker threads (the default): ${threadedOutcome}`);
console.log(
  `single file (${files.length} files, interleaved) and corpus (${runs} runs, one thread, interleaved), wall ms:`,
);
for (const name of Object.keys(variants)) {
  const s = single[name].sort((a, b) => a - b);
  console.log(
    `  ${name.padEnd(10)}  one file p50 ${pct(s, 50).toFixed(0)}  p99 ${pct(s, 99).toFixed(0)}` +
      `   corpus median ${pct(
        whole[name].sort((a, b) => a - b),
        50,
      ).toFixed(0)}`,
  );
}
console.log(`snapshot blob ${(statSync(blob).size / 1e6).toFixed(1)} MB`);
rmSync(work, { recursive: true, force: true });

function patched(source) {
  const replacements = [
    [
      /if \(isLintWorker\(\)\) void serveBatches\(\);\nelse void (run\d*)\(\);/,
      'globalThis.__wfLintRun = () => void $1();',
    ],
    [
      /^var wasmApi = globalThis\.WebAssembly;$/m,
      'var wasmApi = new Proxy({}, { get: (_, k) => globalThis.WebAssembly[k], ' +
        'set: (_, k, v) => ((globalThis.WebAssembly[k] = v), true) });',
    ],
  ];
  for (const [from, to] of replacements) {
    if (!from.test(source)) throw new Error(`dist/cli-main.js no longer has ${from}: update this experiment`);
    source = source.replace(from, to);
  }
  return source;
}

function run(args) {
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0 && result.status !== 1) check(result);
  return result;
}

function timed(args) {
  const start = process.hrtime.bigint();
  run(args);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function check(result) {
  if (result.status !== 0) throw new Error(`exit ${result.status}: ${result.stderr}`);
}

function workflowsUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f))
    .sort();
}

/** Every k-th file of the sorted list: the same sample for the same corpus, no generator needed. */
function sampleOf(all, size) {
  const step = Math.max(1, Math.floor(all.length / size));
  return all.filter((_, i) => i % step === 0).slice(0, size);
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
