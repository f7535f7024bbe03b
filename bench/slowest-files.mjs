#!/usr/bin/env node
// Which workflows take wf-lint longest, and where their time goes.
//
// Usage:  npm run bench:slowest -- [--top N] [--runs N] <dir>
//
// Lints every workflow under <dir> in this process (warm: after one pass over all files), each file
// --runs times (default 3, the minimum counts), and splits each file's time into:
//   yaml      parsing the text into the yaml package's document, as `loadWorkflow` starts with
//             (wf-lint's quick syntax tree or yaml's parser, then yaml's composer: src/workflow/parse-yaml.ts)
//   load      the rest of `loadWorkflow`: the workflow model and GitHub's schema validation
//   rules     every rule and the analyses they use (shell parsing, taint, durations, deploys); the
//             first rule to ask for a shared analysis pays for it, so "shell" (tree-sitter parsing
//             the file's scripts, timed apart) is shown too: it is part of the rules' time
// It prints the totals over the directory, then the slowest --top files (default 10) with their size,
// steps, script bytes and slowest rule, which is what makes them slow. Timing is in-process, so process
// start is not included (bench/bench.mjs times that).
import { build } from 'esbuild';
import { Buffer } from 'node:buffer';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { glob } from 'tinyglobby';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USER_CWD = process.env.INIT_CWD ?? process.cwd();

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '10' }, runs: { type: 'string', default: '3' } },
});
if (positionals.length !== 1) {
  process.stderr.write('bench:slowest: give one directory of workflows.\n');
  process.exit(2);
}
const dir = resolve(USER_CWD, positionals[0]);
const top = Number(values.top);
const runs = Number(values.runs);

// wf-lint's modules, bundled from source the way the CLI is (the CLI bundle runs main() when imported),
// inside node_modules so that the shell parser finds its WASM files in their packages.
mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
const scratch = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'wf-lint-slowest-'));
const entry = join(scratch, 'lint.mjs');
await build({
  stdin: {
    resolveDir: ROOT,
    loader: 'ts',
    contents: [
      "export { loadWorkflow } from './src/workflow/load.ts';",
      "export { parseYaml } from './src/workflow/parse-yaml.ts';",
      "export { lintLoaded, readCalledWorkflow } from './src/lint.ts';",
      "export { CalledWorkflows } from './src/analysis/called-workflows.ts';",
      "export { rules } from './src/rules/registry.ts';",
      "export { parseConfig } from './src/config/config.ts';",
      "export { initShellParser, parseTree } from './src/shell-parser/parser.ts';",
    ].join('\n'),
  },
  outfile: entry,
  bundle: true,
  platform: 'node',
  format: 'esm',
  logLevel: 'error',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
const wf = await import(pathToFileURL(entry).href);
const { LineCounter } = await import('yaml');
await wf.initShellParser();

const ruleTime = new Map();
const timedRules = wf.rules.map((rule) => ({
  meta: rule.meta,
  check(context) {
    const start = performance.now();
    try {
      rule.check(context);
    } finally {
      ruleTime.set(rule.meta.id, (ruleTime.get(rule.meta.id) ?? 0) + performance.now() - start);
    }
  },
}));
const config = wf.parseConfig(
  '',
  'bench',
  wf.rules.map((r) => r.meta),
);
const options = {
  config,
  rules: timedRules,
  calledWorkflows: new wf.CalledWorkflows(config.settings, wf.readCalledWorkflow),
  onInternalError() {},
};

const files = (await glob(['**/*.{yml,yaml}'], { cwd: dir, absolute: true, dot: true })).sort();
const texts = files.map((f) => readFileSync(f, 'utf8').replace(/^\uFEFF/, ''));

function measure(path, text) {
  ruleTime.clear();
  let t = performance.now();
  wf.parseYaml(text, new LineCounter(), 64);
  const yaml = performance.now() - t;
  t = performance.now();
  const loaded = wf.loadWorkflow(path, text);
  const load = Math.max(0, performance.now() - t - yaml);
  t = performance.now();
  wf.lintLoaded(loaded, options);
  const rules = performance.now() - t;
  t = performance.now();
  for (const job of loaded.workflow?.jobs ?? [])
    for (const step of job.steps) if (step.run) wf.parseTree(step.run.text)?.delete();
  const shell = performance.now() - t;
  const [slowRule, slowRuleMs] = [...ruleTime].sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
  const steps = loaded.workflow?.jobs.reduce((n, j) => n + j.steps.length, 0) ?? 0;
  const scriptBytes =
    loaded.workflow?.jobs.reduce((n, j) => n + j.steps.reduce((m, s) => m + (s.run?.text.length ?? 0), 0), 0) ?? 0;
  return { yaml, load, rules, shell, total: yaml + load + rules, slowRule, slowRuleMs, steps, scriptBytes };
}

texts.forEach((text, i) => measure(files[i], text)); // warm-up
const results = files.map((path, i) => {
  let best;
  for (let r = 0; r < runs; r++) {
    const m = measure(path, texts[i]);
    if (!best || m.total < best.total) best = m;
  }
  return { path, bytes: Buffer.byteLength(texts[i]), lines: texts[i].split('\n').length, ...best };
});
rmSync(scratch, { recursive: true, force: true });

const sum = (key) => results.reduce((n, r) => n + r[key], 0);
const total = sum('total');
const ms = (n) => `${n.toFixed(1)} ms`;
const share = (n) => `${((100 * n) / total).toFixed(0)}%`;
const out = [
  `${results.length} files, ${(sum('bytes') / 1e6).toFixed(1)} MB, linted in ${(total / 1000).toFixed(2)} s of one thread (warm, min of ${runs} runs per file)`,
  `  yaml ${(sum('yaml') / 1000).toFixed(2)} s (${share(sum('yaml'))}), load ${(sum('load') / 1000).toFixed(2)} s (${share(sum('load'))}), rules ${(sum('rules') / 1000).toFixed(2)} s (${share(sum('rules'))}; shell parsing alone ${(sum('shell') / 1000).toFixed(2)} s)`,
  '',
  `slowest ${top}:`,
  ...results
    .sort((a, b) => b.total - a.total)
    .slice(0, top)
    .map(
      (r) =>
        `  ${ms(r.total).padStart(9)}  ${relative(dir, r.path)}\n` +
        `             ${(r.bytes / 1024).toFixed(0)} KiB, ${r.lines} lines, ${r.steps} steps, ${(r.scriptBytes / 1024).toFixed(0)} KiB of scripts; ` +
        `yaml ${ms(r.yaml)}, load ${ms(r.load)}, rules ${ms(r.rules)} (shell parsing ${ms(r.shell)}; slowest rule ${r.slowRule} ${ms(r.slowRuleMs)})`,
    ),
];
process.stdout.write(out.join('\n') + '\n');
