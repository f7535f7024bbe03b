#!/usr/bin/env node
// Benchmark for wf-lint: how fast it lints a directory of workflows, and one file.
//
// Usage:  npm run build && npm run bench -- [options] <dir>
//         (or node bench/bench.mjs [options] <dir>; a relative <dir> is taken from where you ran npm)
//
// Options:
//   --runs N        timed runs of the whole directory (default 5), after one untimed warm-up
//   --sample N      files in the single-file sample (default 200; 0 skips that part)
//   --seed N        seed that picks the sample (default 1), so two benches time the same files
//   --vs "COMMAND"  time another linter on the same files in the same bench, alternating runs with
//                   wf-lint (wf-lint, other, wf-lint, other, ...). `{}` in COMMAND stands for the
//                   directory and a `{files}` word for the workflow files; with neither the directory
//                   is appended. A tool that refuses a directory (actionlint takes files only) gets the
//                   files instead, and the output says so. Its exit codes 0 and 1 count as success.
//   --replicate N   lint a temporary copy that holds the workflows N times (copy-0 .. copy-N-1),
//                   for scaling tests; it is removed afterwards
//   --json          print the results as JSON as well, after the text
//   --cli FILE      the command to time (default package.json's bin, dist/cli.cjs), e.g. a copy of an
//                   earlier build's dist/ to compare with, or a snapshot that a concurrent `npm run build`
//                   cannot replace mid-bench
//
// What is timed: the command users run (package.json's bin, dist/cli.cjs), each run a fresh process
//   node dist/cli.cjs <dir> --format json -o <tmp file>
// It keeps V8's compiled code between runs (docs/development.md, "Start-up cache"); the warm-up runs write that cache.
// with wall time from spawn to exit, and the default configuration (wf-lint runs in an empty temporary
// directory, so no .wf-lint.yml is picked up). It prints the machine; for the whole directory the
// median of the runs of files linted, wall time, files/second and peak RSS; the startup floor
// (`node -e 0`, `wf-lint --version`); and p50/p99 of single-file runs, `wf-lint FILE` from process
// start to exit over a seeded sample of files (the pre-commit case), with the slowest 10. The CLI does
// not time files itself and runs main() when imported, so per-file figures come from separate processes.
// The --vs command runs from where you ran the bench (its relative paths work), its output discarded.
//
// Peak RSS: each timed whole-directory wf-lint process is started with `node --import bench/rss-hook.mjs`,
// which writes the process's own getrusage() high-water mark as it exits (every thread included). That is
// exact and needs no /usr/bin/time, which many machines lack; polling /proc/<pid>/status VmHWM from outside
// would miss the last moments before exit, and spawnSync() does not report a child's rusage. The other
// tool's peak RSS comes from GNU `/usr/bin/time -f %M` (the kernel's wait4 rusage) where that exists.
// Both agree with each other to the KiB on wf-lint, and neither adds time beyond run-to-run noise.
// MB here means 2^20 bytes, as top and /usr/bin/time count.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_CLI = join(ROOT, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin['wf-lint']);
const RSS_HOOK = pathToFileURL(join(ROOT, 'bench', 'rss-hook.mjs')).href;
const GNU_TIME = '/usr/bin/time';
const STARTUP_RUNS = 10;
const SLOWEST = 10;
// Bytes of file arguments per invocation of the other tool: well under Linux's 2 MiB ARG_MAX (which also
// holds the environment). A larger set is passed xargs-style, in batches run one after another.
const ARG_BUDGET = 1_000_000;
// `npm run` starts scripts in the package root; INIT_CWD is where the user typed the command.
const USER_CWD = process.env.INIT_CWD ?? process.cwd();

// ---------------------------------------------------------------------------------------------- options

function parseOptions(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: '5' },
      sample: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      vs: { type: 'string' },
      replicate: { type: 'string' },
      json: { type: 'boolean', default: false },
      cli: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(usage());
    process.exit(0);
  }
  if (positionals.length !== 1) fail(`give exactly one directory to lint.\n${usage()}`);
  const dir = resolve(USER_CWD, positionals[0]);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`${positionals[0]} is not a directory.`);
  return {
    dir,
    runs: wholeNumber('--runs', values.runs, 1),
    sample: wholeNumber('--sample', values.sample, 0),
    seed: wholeNumber('--seed', values.seed, 0),
    vs: values.vs,
    replicate: values.replicate === undefined ? 1 : wholeNumber('--replicate', values.replicate, 1),
    json: values.json,
    cli: values.cli === undefined ? DEFAULT_CLI : resolve(USER_CWD, values.cli),
  };
}

function usage() {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const start = text.indexOf('// Usage:');
  const end = text.indexOf('\n//\n// What is timed');
  return text.slice(start, end).replace(/^\/\/ ?/gm, '') + '\n';
}

function wholeNumber(name, text, min) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) fail(`${name} needs a whole number of ${min} or more, not "${text}".`);
  return n;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function progress(message) {
  process.stderr.write(`bench: ${message}\n`);
}

// ---------------------------------------------------------------------------------------------- files

/** The files wf-lint lints for `dir`: its .github/workflows/ when it has one, else every *.yml/*.yaml below. */
function discoverWorkflows(dir) {
  const workflows = join(dir, '.github', 'workflows');
  const root = existsSync(workflows) ? workflows : dir;
  return { root, files: findYamlFiles(root) };
}

/** Like the CLI's glob: dot folders included, node_modules and .git skipped, symlinks followed once. */
function findYamlFiles(root) {
  const found = [];
  const seen = new Set();
  const visit = (dir) => {
    const real = realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const kind = entry.isSymbolicLink() ? statSafely(path) : entry;
      if (kind?.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') visit(path);
      } else if (kind?.isFile() && /\.ya?ml$/.test(entry.name)) {
        found.push(path);
      }
    }
  };
  visit(root);
  return found.sort();
}

function statSafely(path) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Copies `files` (below `root`) `times` times into `into`/copy-0 .. copy-(times-1); returns the copies. */
function replicate(files, root, times, into) {
  const made = new Set();
  const copies = [];
  for (let i = 0; i < times; i++) {
    for (const file of files) {
      const dest = join(into, `copy-${i}`, relative(root, file));
      const folder = dirname(dest);
      if (!made.has(folder)) mkdirSync(folder, { recursive: true });
      made.add(folder);
      copyFileSync(file, dest);
      copies.push(dest);
    }
  }
  return copies.sort();
}

function describeFile(path) {
  const bytes = readFileSync(path);
  let lines = 0;
  for (const byte of bytes) if (byte === 0x0a) lines++;
  if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) lines++;
  return { bytes: bytes.length, lines };
}

function totalBytes(files) {
  return files.reduce((sum, file) => sum + statSync(file).size, 0);
}

// ---------------------------------------------------------------------------------------------- machine

function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: round(os.loadavg()[0], 2),
  };
}

/** Size and hash of the bundle, so a bench can tell which build it timed (and notice a rebuild mid-run). */
function fingerprintCli(cli) {
  if (!existsSync(cli))
    fail(`${relative(USER_CWD, cli)} is missing${cli === DEFAULT_CLI ? ': run `npm run build` first' : ''}.`);
  const bytes = readFileSync(cli);
  return {
    path: cli.startsWith(ROOT) ? relative(ROOT, cli) : cli,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex').slice(0, 12),
  };
}

/** Whether GNU time is there to report another tool's peak RSS (BSD and busybox time lack -f/-o). */
function hasGnuTime(scratch) {
  const out = join(scratch, 'gnu-time-check');
  const result = spawnSync(GNU_TIME, ['-f', '%M', '-o', out, process.execPath, '-e', '0'], { stdio: 'ignore' });
  return result.status === 0 && /^\d+\s*$/.test(readIfExists(out));
}

function readIfExists(path) {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

// ---------------------------------------------------------------------------------------------- processes

/** Runs a process to completion; spawnSync blocks our event loop, so nothing of ours adds to its time. */
function timeProcess(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe'], // stdout unread: wf-lint writes its report with -o
    maxBuffer: 256 * 2 ** 20,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { ms, status: result.status, signal: result.signal, error: result.error, stderr: String(result.stderr ?? '') };
}

function succeeded(result) {
  return !result.error && (result.status === 0 || result.status === 1);
}

function describeFailure(what, result) {
  const how = result.error
    ? result.error.message
    : result.signal
      ? `killed by ${result.signal}`
      : `exit code ${result.status}`;
  const detail = result.stderr.trim().split('\n').slice(0, 8).join('\n  ');
  return `${what} failed (${how})${detail ? `:\n  ${detail}` : ''}`;
}

/** One whole-directory wf-lint run: wall time, peak RSS and the JSON report's summary. */
function lintDirectory(ctx, target) {
  rmSync(ctx.rssFile, { force: true });
  rmSync(ctx.reportFile, { force: true });
  const args = ['--import', RSS_HOOK, ctx.cli, target, '--format', 'json', '-o', ctx.reportFile];
  const result = timeProcess(process.execPath, args, {
    cwd: ctx.cwd,
    env: { ...process.env, WF_BENCH_RSS_FILE: ctx.rssFile },
  });
  if (!succeeded(result) || !existsSync(ctx.reportFile)) fail(describeFailure(`wf-lint ${target}`, result));
  const summary = JSON.parse(readFileSync(ctx.reportFile, 'utf8')).summary;
  return { ms: result.ms, rssMB: Number(readFileSync(ctx.rssFile, 'utf8')) / 1024, summary };
}

/** One single-file wf-lint run as a pre-commit hook makes it: no preload, just the CLI. */
function lintOneFile(ctx, file) {
  rmSync(ctx.reportFile, { force: true });
  const result = timeProcess(process.execPath, [ctx.cli, file, '--format', 'json', '-o', ctx.reportFile], {
    cwd: ctx.cwd,
  });
  // Node exits 1 on a crash too, so a run only counts when it also wrote its report.
  const ok = succeeded(result) && existsSync(ctx.reportFile);
  return { ms: result.ms, ok, failure: ok ? undefined : describeFailure(file, result) };
}

function medianStartup(ctx, args) {
  const times = [];
  for (let i = 0; i <= STARTUP_RUNS; i++) {
    const result = timeProcess(process.execPath, args, { cwd: ctx.cwd });
    if (!succeeded(result)) fail(describeFailure(`node ${args.join(' ')}`, result));
    if (i > 0) times.push(result.ms); // the first one warms the page cache
  }
  return median(times);
}

// ---------------------------------------------------------------------------------------------- other tool

/** Splits a command line into words the way a POSIX shell would for quotes and backslashes (no $, no globs). */
function splitCommand(text) {
  const words = [];
  let word = null;
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) fail(`--vs: unclosed ${quote} in "${text}".`);
  if (word !== null) words.push(word);
  if (words.length === 0) fail('--vs needs a command.');
  return words;
}

/** The invocations (one, or several batches of files) that run `words` on `target` / `files`. */
function otherInvocations(words, target, files, mode) {
  if (mode === 'files') {
    const shown = files.map((file) => shorterPath(file));
    const hasSlot = words.includes('{files}');
    return batchByArgBytes(shown).map((batch) =>
      hasSlot ? words.flatMap((w) => (w === '{files}' ? batch : [w])) : [...words, ...batch],
    );
  }
  const shownTarget = shorterPath(target);
  if (words.some((w) => w.includes('{}'))) return [words.map((w) => w.replaceAll('{}', shownTarget))];
  return [[...words, shownTarget]];
}

/** Relative to where the user ran the bench when that is shorter: more files fit in one invocation. */
function shorterPath(path) {
  const rel = relative(USER_CWD, path);
  return rel.length < path.length ? rel : path;
}

function batchByArgBytes(paths) {
  const batches = [[]];
  let bytes = 0;
  for (const path of paths) {
    const size = Buffer.byteLength(path) + 1;
    if (bytes + size > ARG_BUDGET && batches.at(-1).length > 0) {
      batches.push([]);
      bytes = 0;
    }
    batches.at(-1).push(path);
    bytes += size;
  }
  return batches;
}

/**
 * Works out how to run the other tool (its untimed warm-up): as asked, else, when the directory was
 * appended and the tool failed on it, with the files as arguments.
 */
function prepareOther(ctx, command, target, files) {
  const words = splitCommand(command);
  const asked = words.includes('{files}') ? 'files' : 'dir';
  let other = {
    command,
    words,
    mode: asked,
    invocations: otherInvocations(words, target, files, asked),
    note: undefined,
  };
  let warmUp = runOther(ctx, other);
  if (!warmUp.ok && asked === 'dir' && !words.some((w) => w.includes('{}'))) {
    const refusal = (warmUp.failure.split('\n')[1] ?? '')
      .trim()
      .replaceAll(target, '<dir>')
      .replaceAll(shorterPath(target), '<dir>');
    other = { ...other, mode: 'files', invocations: otherInvocations(words, target, files, 'files') };
    other.note = `it failed on the directory${refusal ? ` (${refusal})` : ''}, so it gets the ${formatCount(files.length)} files as arguments`;
    warmUp = runOther(ctx, other);
  }
  if (!warmUp.ok) fail(`--vs: ${warmUp.failure}`);
  if (other.invocations.length > 1) {
    const batches = `in ${other.invocations.length} invocations run one after another (xargs-style; one would exceed ARG_MAX)`;
    other.note = other.note ? `${other.note}, ${batches}` : `files passed ${batches}`;
  }
  return other;
}

/** Runs every invocation of the other tool in turn: total wall time, peak RSS when GNU time is there. */
function runOther(ctx, other) {
  let ms = 0;
  let rssKiB = ctx.gnuTime ? 0 : undefined;
  for (const [program, ...args] of other.invocations) {
    const wrapped = ctx.gnuTime ? [GNU_TIME, ['-f', '%M', '-o', ctx.rssFile, program, ...args]] : [program, args];
    const result = timeProcess(wrapped[0], wrapped[1], { cwd: USER_CWD });
    ms += result.ms;
    if (!succeeded(result))
      return { ok: false, ms, failure: describeFailure(`${program} (exit codes 0 and 1 are success)`, result) };
    if (ctx.gnuTime) rssKiB = Math.max(rssKiB, parseInt(readIfExists(ctx.rssFile).trim().split('\n').at(-1), 10) || 0);
  }
  return { ok: true, ms, rssMB: rssKiB === undefined ? undefined : rssKiB / 1024 };
}

// ---------------------------------------------------------------------------------------------- statistics

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** mulberry32: a small seeded generator, so a given --seed always picks the same sample. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function sampleOf(files, size, seed) {
  const pool = [...files];
  const random = seededRandom(seed);
  const count = Math.min(size, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, count);
}

function round(value, digits) {
  return Number(value.toFixed(digits));
}

// ---------------------------------------------------------------------------------------------- benches

function benchWholeDirectory(ctx, target, runs, other) {
  progress(`warm-up: wf-lint${other ? ' and the other tool' : ''} on ${target}`);
  const warmUp = lintDirectory(ctx, target);
  const wfLint = [];
  const others = [];
  for (let i = 1; i <= runs; i++) {
    const run = lintDirectory(ctx, target);
    wfLint.push(run);
    let line = `run ${i}/${runs}: wf-lint ${formatMs(run.ms)}, ${Math.round(run.rssMB)} MB`;
    if (other) {
      const otherRun = runOther(ctx, other);
      if (!otherRun.ok) fail(`--vs: ${otherRun.failure}`);
      others.push(otherRun);
      line += `; other ${formatMs(otherRun.ms)}`;
    }
    progress(line);
  }
  return { summary: warmUp.summary, wfLint, others };
}

function benchSingleFiles(ctx, files, root, size, seed) {
  const sample = sampleOf(files, size, seed);
  const runs = [];
  const failures = [];
  sample.forEach((file, i) => {
    if (i % 50 === 0) progress(`single-file runs: ${i}/${sample.length}`);
    const run = lintOneFile(ctx, file);
    if (!run.ok) failures.push(run.failure);
    runs.push({ path: file, file: relative(root, file), ms: run.ms, ...describeFile(file) });
  });
  const times = runs.map((r) => r.ms);
  return {
    sample: sample.length,
    seed,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    slowest: confirmSlowest(ctx, runs).map(({ path: _path, ...run }) => run),
    failures,
  };
}

/**
 * One run per file is enough for percentiles, but a single stall (another process taking the CPU) can
 * put any small file at the top. So the slowest candidates are run twice more and ranked by their median.
 */
function confirmSlowest(ctx, runs) {
  progress('single-file runs: re-timing the slowest');
  const candidates = [...runs].sort((a, b) => b.ms - a.ms).slice(0, 2 * SLOWEST);
  const confirmed = candidates.map((run) => {
    const times = [run.ms, lintOneFile(ctx, run.path).ms, lintOneFile(ctx, run.path).ms];
    return { ...run, ms: median(times), msRuns: times };
  });
  return confirmed.sort((a, b) => b.ms - a.ms).slice(0, SLOWEST);
}

// ---------------------------------------------------------------------------------------------- report

function formatMs(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

function formatCount(n) {
  return Math.round(n).toLocaleString('en-US');
}

function formatMB(bytes) {
  return `${(bytes / 2 ** 20).toFixed(1)} MB`;
}

function textReport(r) {
  const m = r.machine;
  const lines = [
    'wf-lint benchmark',
    `  machine   ${m.cpu}, ${m.cpus} CPUs, ${m.memoryGiB} GiB memory`,
    `            Node ${m.node}, ${m.os}, load average ${m.loadAverageAtStart} at start, ${m.loadAverageAtEnd} at end`,
    `  wf-lint   ${r.cli.path} (${formatCount(r.cli.bytes)} bytes, sha256 ${r.cli.sha256})`,
    r.corpus.replicate > 1
      ? `  corpus    ${r.corpus.dir} replicated ${r.corpus.replicate}x into a temporary copy: ${formatCount(r.corpus.files)} files, ${formatMB(r.corpus.bytes)}`
      : `  corpus    ${r.corpus.dir}: ${formatCount(r.corpus.files)} files, ${formatMB(r.corpus.bytes)}`,
    `  runs      ${r.runs} timed after 1 warm-up; figures are medians`,
    '',
    `Whole directory: node ${r.cli.path} <dir> --format json -o <tmp file>`,
    `  files linted    ${formatCount(r.wholeDirectory.files)}`,
    `  wall time       ${formatMs(r.wholeDirectory.wallMs)}   (runs: ${r.wholeDirectory.wallMsRuns.map(formatMs).join(', ')})`,
    `  files/second    ${formatCount(r.wholeDirectory.filesPerSecond)}`,
    `  per file        ${r.wholeDirectory.msPerFile.toFixed(2)} ms (wall time / files)`,
    `  peak RSS        ${Math.round(r.wholeDirectory.peakRssMB)} MB   (runs: ${r.wholeDirectory.peakRssMBRuns.map(Math.round).join(', ')} MB)`,
    `  findings        ${r.wholeDirectory.findings.errors} errors, ${r.wholeDirectory.findings.warnings} warnings, ${r.wholeDirectory.findings.notes} notes`,
    '',
    `Startup (median of ${STARTUP_RUNS})`,
    `  node -e 0              ${formatMs(r.startup.nodeMs)}`,
    `  wf-lint --version      ${formatMs(r.startup.versionMs)}`,
  ];
  if (r.singleFile) lines.push('', ...singleFileLines({ ...r.singleFile, cli: r.cli.path }));
  if (r.vs) lines.push('', ...vsLines(r.vs, r.wholeDirectory));
  for (const warning of r.warnings) lines.push('', `warning: ${warning}`);
  return lines.join('\n') + '\n';
}

function singleFileLines(s) {
  const lines = [
    `Single-file runs: node ${s.cli} FILE, process start to exit, ${s.sample} files sampled with seed ${s.seed}`,
    `  p50   ${formatMs(s.p50Ms)}`,
    `  p99   ${formatMs(s.p99Ms)}`,
    `  slowest ${s.slowest.length} (median of 3 runs each):`,
    `      ms       KB   lines  file`,
    ...s.slowest.map(
      (f) =>
        `  ${String(Math.round(f.ms)).padStart(6)}  ${(f.bytes / 1024).toFixed(1).padStart(7)}  ${String(f.lines).padStart(6)}  ${f.file}`,
    ),
  ];
  if (s.failures.length > 0) lines.push(`  ${s.failures.length} runs failed:`, ...s.failures.map((f) => `  ${f}`));
  return lines;
}

function vsLines(vs, whole) {
  const lines = [`Versus: ${vs.command}`];
  if (vs.note) lines.push(`  note: ${vs.note}`);
  lines.push(
    `  wall time       wf-lint ${formatMs(whole.wallMs)}, other ${formatMs(vs.wallMs)}   (other's runs: ${vs.wallMsRuns.map(formatMs).join(', ')})`,
    `  files/second    wf-lint ${formatCount(whole.filesPerSecond)}, other ${formatCount(vs.filesPerSecond)}`,
  );
  if (vs.peakRssMB !== undefined)
    lines.push(`  peak RSS        wf-lint ${Math.round(whole.peakRssMB)} MB, other ${Math.round(vs.peakRssMB)} MB`);
  lines.push(`  ratio           ${vs.ratio.toFixed(2)}x (wf-lint wall time / other wall time)`);
  return lines;
}

// ---------------------------------------------------------------------------------------------- main

function main() {
  const options = parseOptions(process.argv.slice(2));
  const scratch = mkdtempSync(join(os.tmpdir(), 'wf-lint-bench-'));
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

  const machine = describeMachine();
  const cli = fingerprintCli(options.cli);
  const cwd = join(scratch, 'cwd'); // empty: no .wf-lint.yml, no git root, so the default config
  mkdirSync(cwd);
  const ctx = {
    cli: options.cli,
    cwd,
    reportFile: join(scratch, 'report.json'),
    rssFile: join(scratch, 'rss'),
    gnuTime: false,
  };
  const warnings = [];

  const { root, files } = discoverWorkflows(options.dir);
  if (files.length === 0) fail(`no *.yml or *.yaml files in ${options.dir}.`);
  let target = options.dir;
  let targetFiles = files;
  if (options.replicate > 1) {
    progress(`copying ${files.length} files ${options.replicate} times`);
    target = join(scratch, 'replica');
    targetFiles = replicate(files, root, options.replicate, target);
  }

  let other;
  if (options.vs !== undefined) {
    ctx.gnuTime = hasGnuTime(scratch);
    progress(`warm-up: ${options.vs}`);
    other = prepareOther(ctx, options.vs, target, targetFiles);
  }
  const whole = benchWholeDirectory(ctx, target, options.runs, other);
  if (whole.summary.files !== targetFiles.length) {
    warnings.push(
      `wf-lint linted ${whole.summary.files} files, the bench found ${targetFiles.length} (an ignore pattern?); files/second uses wf-lint's count.`,
    );
  }
  progress('startup');
  const startup = { nodeMs: medianStartup(ctx, ['-e', '0']), versionMs: medianStartup(ctx, [ctx.cli, '--version']) };
  const singleFile = options.sample > 0 ? benchSingleFiles(ctx, files, root, options.sample, options.seed) : undefined;

  machine.loadAverageAtEnd = round(os.loadavg()[0], 2);
  const busiest = Math.max(machine.loadAverageAtStart, machine.loadAverageAtEnd);
  if (busiest > machine.cpus) {
    // The bench itself keeps about one CPU busy; a load above the CPU count means others competed for them.
    warnings.push(
      `load average reached ${busiest} on ${machine.cpus} CPUs: other processes competed for the CPU, so the times are pessimistic.`,
    );
  }
  if (fingerprintCli(options.cli).sha256 !== cli.sha256)
    warnings.push(`${cli.path} changed during the bench (a rebuild?): the figures mix two builds.`);
  const wallMs = median(whole.wfLint.map((r) => r.ms));
  const report = {
    machine,
    cli,
    corpus: {
      dir: options.dir,
      files: targetFiles.length,
      bytes: totalBytes(targetFiles),
      replicate: options.replicate,
    },
    runs: options.runs,
    wholeDirectory: {
      files: whole.summary.files,
      wallMs,
      wallMsRuns: whole.wfLint.map((r) => r.ms),
      filesPerSecond: whole.summary.files / (wallMs / 1000),
      msPerFile: wallMs / whole.summary.files,
      peakRssMB: median(whole.wfLint.map((r) => r.rssMB)),
      peakRssMBRuns: whole.wfLint.map((r) => r.rssMB),
      findings: { errors: whole.summary.errors, warnings: whole.summary.warnings, notes: whole.summary.notes },
    },
    startup,
    singleFile,
    vs: other && summarizeOther(other, whole.others, targetFiles.length, wallMs),
    warnings,
  };
  process.stdout.write(textReport(report));
  if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

function summarizeOther(other, runs, files, wfLintMs) {
  const wallMs = median(runs.map((r) => r.ms));
  const rss = runs.map((r) => r.rssMB).filter((v) => v !== undefined);
  return {
    command: other.command,
    note: other.note,
    invocations: other.invocations.length,
    wallMs,
    wallMsRuns: runs.map((r) => r.ms),
    filesPerSecond: files / (wallMs / 1000),
    peakRssMB: rss.length > 0 ? median(rss) : undefined,
    ratio: wfLintMs / wallMs,
  };
}

main();
