import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pkg from '../package.json' with { type: 'json' };
import {
  applyRuleOverrides,
  ConfigError,
  defaultConfig,
  effectiveLevel,
  findGitRoot,
  loadConfig,
  problemCollector,
  type Config,
} from './config/config.js';
import { loadHistory } from './config/durations-file.js';
import { didYouMean } from './config/names.js';
import { calibrate } from './calibrate/command.js';
import { VISIBILITIES, type Visibility } from './config/settings.js';
import { CalledWorkflows } from './analysis/called-workflows.js';
import { initShellParser } from './shell-parser/parser.js';
import { applyBaselineOptions } from './baseline.js';
import type { FileResult } from './findings.js';
import { init } from './init.js';
import { lintFiles, listWorkflowFolder, readCalledWorkflow, type LintOptions } from './lint.js';
import { isLintWorker, lintFilesInParallel, serveBatches, threadCount } from './parallel.js';
import { fixFiles, type FixRun } from './fixers/run.js';
import { unifiedDiff } from './report/diff.js';
import { formatFixSummary, progressBar } from './report/fix-summary.js';
import { reporters, type FormatName } from './report/index.js';
import { DEFAULT_COLUMNS } from './report/stylish.js';
import { describeRules, REPOSITORY_URL } from './rules/docs.js';
import { directiveMetas } from './rules/directives.js';
import { rules } from './rules/registry.js';
import type { RuleMeta } from './rules/rule.js';
import { printGraph } from './report/print-graph.js';
import { fileTimelines, timelineBundle } from './timelines.js';
import { discoverWorkflows, displayPath } from './workflow/discover.js';

const HELP = `Usage: wf-lint [options] [paths...]
       wf-lint init             write a commented .wf-lint.yml here and print the
                                pre-commit and pull-request check snippets
       wf-lint calibrate ...    measure step durations from recorded runs into
                                .wf-lint/durations.json (wf-lint calibrate --help)
       wf-lint timeline [-f mermaid|html] [-o FILE] [paths...]
                                draw each job's steps, credential sessions and
                                secret reads on a time axis (wf-lint timeline -h)

Lints GitHub Actions workflows for secret handling and deploy safety.
With no paths, lints .github/workflows/ under the current directory. A directory
means its .github/workflows/ when it has one, else every *.yml/*.yaml below it.

Output:
  -f, --format NAME        stylish (default), json, sarif, github or html (a
                           page with each job's timeline)
  -o, --output FILE        write the report to FILE instead of stdout
      --color, --no-color  force colours on or off (default: on for a TTY;
                           NO_COLOR and FORCE_COLOR are honoured)
  -q, --quiet              report errors only
      --verbose            stylish: each finding's explanation below its
                           first line (the chain, why it matters, the fix)

Fixing:
      --fix                apply safe fixes in place
      --fix-dry-run        show the fixes as a unified diff and change nothing;
                           the diff goes before a stylish report on stdout,
                           else to stderr; findings are where they are on disk
      --fix-diff FILE      write the diff of the fixes to FILE instead
      --unsafe-fixes       also apply fixes that need something outside the
                           file (an IAM role, a new permission block)
      --fix-rule ID        only fix findings of this rule (repeatable)

Rules and config:
  -c, --config FILE        use this config instead of .wf-lint.yml
      --rule ID[=LEVEL]    enable a rule, optionally at a level (repeatable)
      --disable ID         turn a rule off (repeatable)
      --report-unused-disable-directives
                           report wf-lint-disable comments that suppress nothing
      --list-rules         list the rules and exit
      --print-config       print the effective configuration and exit
      --print-graph FILE   print what wf-lint understood of FILE (jobs, steps,
                           happens-before and data edges) as JSON and exit
      --repository-visibility public|private|internal
                           the repository's visibility, over the config's
                           settings.repository.visibility (the GitHub Action
                           passes it from the event)

Baseline (adopt wf-lint and fail only on new findings):
      --baseline FILE      report only findings that FILE does not list
      --update-baseline    write the current findings to the baseline file
                           (--baseline FILE, default .wf-lint-baseline.json)

Exit status:
      --max-warnings N     exit 1 when there are more than N warnings
                           (-1, the default: any number)
      --exit-zero          exit 0 even when problems are found
  0 no errors (and warnings within --max-warnings), 1 lint errors,
  2 usage, config, I/O or internal error.

  -v, --version            print the version
  -h, --help               print this help
`;

const TIMELINE_HELP = `Usage: wf-lint timeline [options] [paths...]

Draws each job of the workflows on a time axis, in a typical run and in the
worst case: its steps (background steps and parallel groups beside the others),
each credential session as a band from its credential step to its expiry, and
each secret-store read as a marker, red when it runs after its session expired.
Durations and lifetimes are wf-lint's estimates, as late-secret-read uses them.
Paths are read as by a lint run: with none, .github/workflows/ here.

Options:
  -f, --format NAME        mermaid (default): Markdown with a Mermaid Gantt chart
                           per job, for pull-request comments and job summaries;
                           html: a self-contained page with a lane per job
  -o, --output FILE        write it to FILE instead of stdout
  -c, --config FILE        use this config (settings.durations, lifetimes)
                           instead of .wf-lint.yml
      --late-only          only the jobs where late-secret-read reports a finding
  -h, --help               print this help
`;

/** Lint reports, and `html`, which the timeline bundle writes. */
const FORMATS = [...(Object.keys(reporters) as FormatName[]), 'html' as const];
type Format = (typeof FORMATS)[number];
const TIMELINE_FORMATS = ['mermaid', 'html'];

class UsageError extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    allowNegative: true,
    options: {
      format: { type: 'string', short: 'f', default: 'stylish' },
      output: { type: 'string', short: 'o' },
      config: { type: 'string', short: 'c' },
      rule: { type: 'string', multiple: true, default: [] },
      disable: { type: 'string', multiple: true, default: [] },
      'max-warnings': { type: 'string' },
      quiet: { type: 'boolean', short: 'q', default: false },
      verbose: { type: 'boolean', default: false },
      color: { type: 'boolean' },
      'list-rules': { type: 'boolean', default: false },
      'print-config': { type: 'boolean', default: false },
      'print-graph': { type: 'string' },
      'repository-visibility': { type: 'string' },
      baseline: { type: 'string' },
      'update-baseline': { type: 'boolean', default: false },
      'exit-zero': { type: 'boolean', default: false },
      fix: { type: 'boolean', default: false },
      'fix-dry-run': { type: 'boolean', default: false },
      'unsafe-fixes': { type: 'boolean', default: false },
      'fix-rule': { type: 'string', multiple: true, default: [] },
      'fix-diff': { type: 'string' },
      'report-unused-disable-directives': { type: 'boolean', default: false },
      version: { type: 'boolean', short: 'v', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (!FORMATS.includes(values.format as Format)) {
    throw new UsageError(`Unknown format "${values.format}". Use one of: ${FORMATS.join(', ')}.`);
  }
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    maxWarnings = Number(values['max-warnings']);
    if (!Number.isInteger(maxWarnings) || maxWarnings < -1) {
      throw new UsageError(
        `--max-warnings needs a whole number of 0 or more (or -1 for any number), not "${values['max-warnings']}".`,
      );
    }
  }
  if (values['print-graph'] !== undefined && positionals.length > 0) {
    const others = positionals.join(' ');
    throw new UsageError(
      `--print-graph prints the graph of one file; run it once per file instead of also naming ${others}.`,
    );
  }
  return { ...values, format: values.format as Format, maxWarnings, paths: positionals };
}

type Options = ReturnType<typeof parse>;

/** Whether to colour what goes to `stream` (the report's: stdout, unless -o names a file). */
function useColor(options: Options, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (options.color !== undefined) return options.color;
  if (stream === process.stdout && options.output) return false;
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return stream.isTTY === true;
}

/**
 * The width the stylish report wraps at: `COLUMNS` when set (as for Python's and other tools' reports, and
 * for tests), else the terminal's when the report goes to one, else DEFAULT_COLUMNS.
 */
function reportColumns(options: Options): number {
  const fromEnv = Number(process.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (!options.output && process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  return DEFAULT_COLUMNS;
}

function listRules(config: Config, metas: RuleMeta[]): string {
  const rows = metas.map((m) => [m.id, effectiveLevel(config, m), m.fixable.join(', ') || '-', m.summary]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((row) => row[i].length), ['rule', 'level', 'fix'][i].length),
  );
  const line = (row: string[]) => row.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ');
  return [line(['rule', 'level', 'fix', 'summary']), ...rows.map(line)].join('\n') + '\n';
}

function printConfig(config: Config, metas: RuleMeta[]): string {
  const effective = Object.fromEntries(metas.map((meta) => [meta.id, effectiveLevel(config, meta)]));
  const printed = {
    configFile: config.path ?? null,
    rules: effective,
    ignore: config.ignore,
    settings: config.settings,
  };
  // Patterns print as their source, as written in the config.
  return JSON.stringify(printed, (_key, value: unknown) => (value instanceof RegExp ? value.source : value), 2) + '\n';
}

async function main(argv: string[]): Promise<number> {
  const cwd = process.cwd();
  if (argv[0] === 'calibrate') {
    const io = {
      cwd,
      env: process.env,
      stdout: (text: string) => process.stdout.write(text),
      stderr: (text: string) => process.stderr.write(text),
      now: Date.now,
      sleep: (ms: number) => new Promise<void>((done) => setTimeout(done, ms)),
    };
    return calibrate(argv.slice(1), io);
  }
  if (argv[0] === 'timeline') return timeline(argv.slice(1), cwd);
  const options = parse(argv);
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (options.version) {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  if (options.paths[0] === 'init') {
    if (options.paths.length > 1) throw new UsageError('wf-lint init takes no paths.');
    return emit(init(cwd, pkg.version), options);
  }
  const metas = [...rules.map((r) => r.meta), ...directiveMetas];
  const config = configOf(cwd, options, metas);
  if (options['list-rules']) return emit(listRules(config, metas), options);
  if (options['print-config']) return emit(printConfig(config, metas), options);
  await initShellParser();
  if (options['print-graph'] !== undefined) {
    const path = options['print-graph'];
    let bytes: Buffer;
    try {
      bytes = readFileSync(resolve(cwd, path));
    } catch (error) {
      throw new FileError(path, 'read', error);
    }
    return emit(printGraph(path, bytes), options);
  }

  let failed = false;
  const discovery = discoverWorkflows(options.paths, cwd, { patterns: config.ignore, baseDir: config.baseDir });
  for (const message of discovery.errors) {
    process.stderr.write(`wf-lint: ${message}\n`);
    failed = true;
  }
  const lintOptions = {
    config,
    rules,
    reportUnusedDirectives: options['report-unused-disable-directives'],
    calledWorkflows: new CalledWorkflows(config.settings, readCalledWorkflow, listWorkflowFolder),
    onInternalError(ruleId: string, path: string, error: unknown) {
      failed = true;
      process.stderr.write(`wf-lint: ${internalError(ruleId, path, error)}\n`);
    },
  };
  const files = discovery.files.map((abs) => ({ abs, path: displayPath(abs, cwd) }));
  let results: FileResult[];
  let fixRun: FixRun | undefined;
  if (options.fix || options['fix-dry-run']) {
    fixRun = runFixes(files, lintOptions, options);
    results = fixRun.results;
    if (
      fixRun.summary.skipped.some(
        (s) => s.reason.startsWith('cannot be read') || s.reason.startsWith('could not be written'),
      )
    )
      failed = true;
  } else {
    const threads = threadCount(files.length);
    const linted =
      threads > 1
        ? await lintFilesInParallel(files, lintOptions, threads, new URL(import.meta.url))
        : lintFiles(files, lintOptions);
    for (const { path, reason } of linted.unreadable) process.stderr.write(`wf-lint: ${path}: ${reason}.\n`);
    if (linted.unreadable.length > 0) failed = true;
    results = linted.results;
  }
  if (options.quiet) for (const r of results) r.findings = r.findings.filter((f) => f.level === 'error');

  const context = {
    // SARIF URIs must be relative to the repository root for code scanning to place alerts.
    root: process.env.GITHUB_WORKSPACE || findGitRoot(cwd) || cwd,
    toolVersion: pkg.version,
    informationUri: REPOSITORY_URL,
    rules: options.format === 'sarif' || options.format === 'html' ? describeRules(metas) : [],
    color: useColor(options),
    columns: reportColumns(options),
    verbose: options.verbose,
  };
  const reported = applyBaselineOptions(results, { path: options.baseline, update: options['update-baseline'], cwd });
  // After the baseline and --quiet: the summary's counts are those of the report it comes with.
  if (fixRun) process.stderr.write(formatFixSummary(fixRun.summary, options['fix-dry-run'], reported));
  if (options.format === 'html') {
    // Each job's timeline is drawn from the file as it is now (after --fix, fixed).
    const bundle = timelineBundle();
    // A file without a timeline (unreadable, not a workflow) is in the report already.
    const timelines = fileTimelines(files, bundle, { ...lintOptions, onProblem: () => {} });
    emit(bundle.htmlReporter(reported, context, new Map(timelines.map((t) => [t.path, t]))), options);
  } else emit(reporters[options.format](reported, context), options);

  if (failed) return 2;
  if (options['exit-zero']) return 0;
  const findings = reported.flatMap((r) => r.findings);
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.filter((f) => f.level === 'warning').length;
  if (errors > 0) return 1;
  if (options.maxWarnings >= 0 && warnings > options.maxWarnings) {
    process.stderr.write(`wf-lint: ${warnings} warnings, more than --max-warnings ${options.maxWarnings}.\n`);
    return 1;
  }
  return 0;
}

/** `wf-lint timeline`: the timelines of the files given, as Markdown with Mermaid charts or as a page. */
async function timeline(argv: string[], cwd: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'mermaid' },
      output: { type: 'string', short: 'o' },
      config: { type: 'string', short: 'c' },
      'late-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(TIMELINE_HELP);
    return 0;
  }
  if (!TIMELINE_FORMATS.includes(values.format)) {
    throw new UsageError(`Unknown timeline format "${values.format}". Use one of: ${TIMELINE_FORMATS.join(', ')}.`);
  }
  const metas = [...rules.map((r) => r.meta), ...directiveMetas];
  const config = configOf(cwd, { config: values.config, rule: [], disable: [], 'fix-rule': [] }, metas);
  await initShellParser();
  let failed = false;
  const problem = (message: string) => {
    process.stderr.write(`wf-lint: ${message}\n`);
    failed = true;
  };
  const discovery = discoverWorkflows(positionals, cwd, { patterns: config.ignore, baseDir: config.baseDir });
  discovery.errors.forEach(problem);
  const bundle = timelineBundle();
  const files = discovery.files.map((abs) => ({ abs, path: displayPath(abs, cwd) }));
  const timelines = fileTimelines(files, bundle, {
    config,
    calledWorkflows: new CalledWorkflows(config.settings, readCalledWorkflow, listWorkflowFolder),
    lateOnly: values['late-only'],
    onProblem: (path, reason) => problem(`${path}: ${reason}.`),
    onInternalError: (ruleId, path, error) => problem(internalError(ruleId, path, error)),
  });
  emit(values.format === 'html' ? bundle.timelinePage(timelines) : bundle.timelineMarkdown(timelines), values);
  return failed ? 2 : 0;
}

/**
 * `--fix` / `--fix-dry-run`: fixes, and the diff: to `--fix-diff FILE`, else for a dry run on stdout
 * before a stylish report there, else on stderr, so that a JSON or SARIF report stays one document.
 */
function runFixes(files: { abs: string; path: string }[], lint: LintOptions, options: Options): FixRun {
  const dryRun = options['fix-dry-run'];
  const showProgress = process.stderr.isTTY === true && files.length >= PROGRESS_THRESHOLD;
  const run = fixFiles(files, {
    lint,
    unsafe: options['unsafe-fixes'],
    onlyRules: options['fix-rule'].length > 0 ? new Set(options['fix-rule']) : undefined,
    dryRun,
    onProgress: showProgress ? (done) => process.stderr.write(progressBar(done, files.length)) : undefined,
  });
  if (showProgress) process.stderr.write('\n');
  const diff = (color: boolean) =>
    run.changes.map((c) => unifiedDiff(c.path, c.before, c.after, color) + '\n').join('');
  const diffFile = options['fix-diff'];
  if (diffFile !== undefined) writeOutput(diffFile, diff(false), '--fix-diff');
  else if (dryRun) {
    const stream = options.format === 'stylish' && !options.output ? process.stdout : process.stderr;
    stream.write(diff(useColor(options, stream)));
  }
  return run;
}

/** The config file and the rule options, with every problem of them in one ConfigError. */
function configOf(
  cwd: string,
  options: Pick<Options, 'config' | 'rule' | 'disable' | 'fix-rule' | 'repository-visibility'>,
  metas: RuleMeta[],
): Config {
  const { attempt, check } = problemCollector();
  const loaded = attempt(
    () => loadConfig({ cwd, explicitPath: options.config, knownRules: metas }),
    defaultConfig(cwd),
  );
  const overrides = { rule: options.rule, disable: options.disable };
  const overridden = attempt(() => applyRuleOverrides(loaded, overrides, metas), loaded);
  const config = { ...overridden, history: attempt(() => loadHistory(cwd), undefined) };
  const fixable = metas.filter((meta) => meta.fixable.length > 0).map((meta) => meta.id);
  for (const id of options['fix-rule']) {
    attempt(() => {
      if (fixable.includes(id)) return;
      const known = metas.some((meta) => meta.id === id);
      throw new ConfigError(
        `--fix-rule ${id}`,
        known
          ? `the rule has no fix (rules with fixes: ${fixable.join(', ')})`
          : `unknown rule "${id}"${didYouMean(id, fixable)}`,
      );
    }, undefined);
  }
  const visibility = options['repository-visibility'];
  if (visibility !== undefined && !(VISIBILITIES as readonly string[]).includes(visibility))
    attempt(() => {
      throw new ConfigError(
        '--repository-visibility',
        `must be one of ${VISIBILITIES.join(', ')}, not "${visibility}"`,
      );
    }, undefined);
  check();
  if (visibility === undefined) return config;
  const repository = { visibility: visibility as Visibility };
  return { ...config, settings: { ...config.settings, repository } };
}

/** A rule that threw: a bug in wf-lint, reported with exit code 2. */
function internalError(ruleId: string, path: string, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `internal error in rule ${ruleId} on ${path}: ${detail}. Please report it at ${REPOSITORY_URL}/issues.`;
}

/** Files processed before a progress bar is worth drawing. */
const PROGRESS_THRESHOLD = 50;

function emit(text: string, options: Pick<Options, 'output'>): number {
  if (options.output) writeOutput(options.output, text, '--output');
  else process.stdout.write(text);
  return 0;
}

function writeOutput(path: string, text: string, option: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new FileError(`${option} ${path}`, 'written', error);
  }
}

/** What the system said about a file, as a reason: `no such file or directory`, `is a directory`. */
function reasonOf(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'EISDIR') return 'is a directory';
  // Node's message is `ENOENT: no such file or directory, open '…'`: the part between code and call.
  const reason = code ? message.replace(`${code}: `, '').replace(/, \w+(?: '.*')?$/, '') : message;
  return code ? `${reason} (${code})` : reason;
}

/** A file that could not be read or written: exit code 2, with what and why on one line. */
class FileError extends Error {
  constructor(what: string, failed: 'read' | 'written', error: unknown) {
    super(`${what}: cannot be ${failed}: ${reasonOf(error)}`);
  }
}

async function run(): Promise<void> {
  // `wf-lint … | head` closes the pipe before the report is written: stop quietly, not with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
  let code: number;
  try {
    code = await main(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError || String((err as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`wf-lint: ${(err as Error).message}\nRun wf-lint --help for usage.\n`);
    } else if (err instanceof ConfigError) {
      for (const problem of err.problems) process.stderr.write(`wf-lint: ${problem.message}\n`);
    } else if (err instanceof FileError) {
      process.stderr.write(`wf-lint: ${err.message}\n`);
    } else {
      const e = err as NodeJS.ErrnoException;
      // A system error names its code at the start of its message already.
      const message = e.code ? reasonOf(e) : `internal error: ${e.message ?? String(err)}`;
      process.stderr.write(`wf-lint: ${e.path ? `${e.path}: ` : ''}${message}\n`);
    }
    code = 2;
  }
  process.exitCode = code;
}

// The bundle is also the script of its own worker threads (src/parallel.ts). No top-level await:
// the bundle is a script, compiled from a code cache (src/bin.ts); each function handles its errors.
if (isLintWorker()) void serveBatches();
else void run();
