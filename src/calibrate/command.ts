import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { calledPath } from '../analysis/called-workflows.js';
import { DURATIONS_FILE, historyRoot, type DurationsFile } from '../config/durations-file.js';
import { calibrationJson, calibrationStylish } from '../report/calibration.js';
import { discoverWorkflows, displayPath } from '../workflow/discover.js';
import { decodeWorkflow } from '../workflow/load.js';
import type { Job } from '../workflow/model.js';
import { fetchRuns, type ApiEnvironment } from './github-api.js';
import { Calibration, type KnownWorkflow } from './match.js';
import { latestAttempts, PayloadError, readPayload, type RecordedRun } from './payloads.js';

export const CALIBRATE_HELP = `Usage: wf-lint calibrate --from DIR [--workflow FILE] [-o FILE]
       wf-lint calibrate --repo OWNER/NAME --workflow FILE [--runs N] [--branch B] [-o FILE]

Measures step durations from a workflow's recorded runs and writes them to
${DURATIONS_FILE}, which later lint runs read: p50 is a step's typical
duration and p90 its worst case (docs/calibrate.md).

Input:
      --from DIR           saved \`gh run view <id> --json jobs\` outputs or REST
                           pages of /repos/{owner}/{repo}/actions/runs/{id}/jobs
                           (*.json, in DIR and below)
      --repo OWNER/NAME    read the runs from GitHub (repeatable); the token is
                           GITHUB_TOKEN or GH_TOKEN, with actions: read
      --workflow FILE      the workflow the runs are of (required with --repo;
                           without it, each saved run goes to the workflow of
                           .github/workflows/ its jobs fit)
      --runs N             the latest N successful runs per repository (20)
      --branch B           only runs on branch B
      --api-url URL        the REST API (default: GITHUB_API_URL, else
                           https://api.github.com)

Output:
  -o, --output FILE        where to write the durations (${DURATIONS_FILE})
  -f, --format NAME        the report of matched and unmatched steps on stdout:
                           stylish (default) or json
  -h, --help               print this help
`;

/** What the command works with; tests give their own clock and collect the output. */
export interface CalibrateIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
  now(): number;
  sleep(ms: number): Promise<void>;
}

class CalibrateUsageError extends Error {}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      repo: { type: 'string', multiple: true, default: [] },
      workflow: { type: 'string' },
      runs: { type: 'string', default: '20' },
      branch: { type: 'string' },
      'api-url': { type: 'string' },
      output: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f', default: 'stylish' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 0) throw new CalibrateUsageError(`unexpected argument "${positionals[0]}"`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new CalibrateUsageError(`--runs needs a whole number of 1 or more`);
  if (values.format !== 'stylish' && values.format !== 'json')
    throw new CalibrateUsageError(`unknown format "${values.format}"; use stylish or json`);
  if (!values.help && values.from === undefined && values.repo.length === 0)
    throw new CalibrateUsageError('give --from DIR (saved runs) or --repo OWNER/NAME (runs on GitHub)');
  if (values.repo.length > 0 && values.workflow === undefined)
    throw new CalibrateUsageError('--repo needs --workflow FILE: the workflow whose runs to read');
  for (const repo of values.repo)
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new CalibrateUsageError(`--repo ${repo}: must be OWNER/NAME`);
  return { ...values, runs };
}

/** The workflow files runs are matched against, with the local workflows their jobs call. */
class Workflows {
  private readonly known = new Map<string, KnownWorkflow | undefined>();

  constructor(
    private readonly root: string,
    private readonly cwd: string,
    private readonly problem: (message: string) => void,
  ) {}

  load(abs: string, shown: string): KnownWorkflow | undefined {
    const key = relative(this.root, abs).split(sep).join('/');
    if (this.known.has(key)) return this.known.get(key);
    let loaded: KnownWorkflow | undefined;
    try {
      const { workflow } = decodeWorkflow(shown, readFileSync(abs));
      if (workflow) loaded = { key, workflow, called: (job) => this.called(abs, job) };
      else this.problem(`${shown}: not a workflow; skipped`);
    } catch (error) {
      this.problem(`${shown}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    this.known.set(key, loaded);
    return loaded;
  }

  /** `uses: ./.github/workflows/deploy.yml`, read as the lint reads it. */
  private called(caller: string, job: Job): KnownWorkflow | undefined {
    const uses = job.uses?.text.trim();
    if (!uses?.startsWith('./')) return undefined;
    const abs = calledPath(caller, uses.slice(2));
    return this.load(abs, displayPath(abs, this.cwd));
  }
}

/** Every `*.json` file in `dir` and below, sorted. */
function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

function readSavedRuns(dir: string, io: CalibrateIo, warn: (message: string) => void): RecordedRun[] {
  let files: string[];
  try {
    files = jsonFiles(resolve(io.cwd, dir));
  } catch (error) {
    throw new CalibrateUsageError(`--from ${dir}: cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const payloads: RecordedRun[] = [];
  for (const file of files) {
    const shown = displayPath(file, io.cwd);
    try {
      payloads.push(readPayload(JSON.parse(readFileSync(file, 'utf8')), shown));
    } catch (error) {
      if (!(error instanceof PayloadError || error instanceof SyntaxError)) throw error;
      warn(`${shown}: ${error.message}; skipped`);
    }
  }
  return latestAttempts(payloads);
}

/** `wf-lint calibrate …`: gives the exit code (0 written, 2 usage or nothing to write). */
export async function calibrate(argv: string[], io: CalibrateIo): Promise<number> {
  const warn = (message: string) => io.stderr(`wf-lint calibrate: ${message}\n`);
  try {
    return await run(parse(argv), io, warn);
  } catch (error) {
    const usage =
      error instanceof CalibrateUsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    warn(`${(error as Error).message}\nRun wf-lint calibrate --help for usage.`);
    return 2;
  }
}

async function run(options: ReturnType<typeof parse>, io: CalibrateIo, warn: (message: string) => void) {
  if (options.help) {
    io.stdout(CALIBRATE_HELP);
    return 0;
  }
  const root = historyRoot(io.cwd);
  const workflows = new Workflows(root, io.cwd, warn);
  const forced =
    options.workflow === undefined ? undefined : workflows.load(resolve(io.cwd, options.workflow), options.workflow);
  if (options.workflow !== undefined && !forced) return 2;
  const candidates = forced
    ? [forced]
    : discoverWorkflows([], io.cwd, { patterns: [], baseDir: io.cwd }).files.flatMap(
        (abs) => workflows.load(abs, displayPath(abs, io.cwd)) ?? [],
      );
  const calibration = new Calibration(candidates);
  const unassigned: string[] = [];
  const add = (run: RecordedRun) => {
    if (!calibration.add(run, forced)) unassigned.push(run.id);
  };
  if (options.from !== undefined) readSavedRuns(options.from, io, warn).forEach(add);
  const env: ApiEnvironment = {
    apiUrl: options['api-url'] ?? (io.env.GITHUB_API_URL || 'https://api.github.com'),
    token: io.env.GITHUB_TOKEN || io.env.GH_TOKEN || undefined,
    now: io.now,
    sleep: io.sleep,
    log: warn,
  };
  for (const repo of options.repo) {
    const request = { repo, workflow: options.workflow!, runs: options.runs, branch: options.branch };
    (await fetchRuns(request, env)).forEach(add);
  }
  const history = calibration.history();
  if (Object.keys(history).length === 0) {
    warn('no run fits a workflow: nothing to write');
    return 2;
  }
  const output = options.output ?? DURATIONS_FILE;
  const file: DurationsFile = { version: 1, workflows: history };
  const path = resolve(io.cwd, output);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(file, null, 2) + '\n');
  const report = { output, unassigned, workflows: calibration.report() };
  io.stdout(options.format === 'json' ? calibrationJson(report) : calibrationStylish(report));
  return 0;
}
