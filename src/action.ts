/**
 * The GitHub Action's entry point (action.yml): reads the inputs that the runner passes as INPUT_*
 * variables, runs the bundled CLI beside this file, sets the `sarif-file` output and writes the
 * timelines of the jobs with late secret reads into the job summary. The CLI stays the single
 * implementation; this file only translates inputs into its options.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('./cli.js', import.meta.url));

const FAIL_ON_OPTIONS: Record<string, string[]> = {
  error: [],
  warning: ['--max-warnings', '0'],
  never: ['--exit-zero'],
};

/** An input as the runner passes it (INPUT_<NAME>, spaces as underscores, upper case), trimmed. */
function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

/** Appends a step output to the GITHUB_OUTPUT file, in the delimited form that allows any value. */
function setOutput(name: string, value: string): void {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  const delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

/**
 * The repository's visibility from the event that started the run (GITHUB_EVENT_PATH): `visibility`,
 * else `private` as a boolean. Empty when the payload has no repository (a scheduled run has one) or
 * cannot be read: the CLI then keeps the config's setting, or treats the visibility as unknown.
 */
function repositoryVisibility(): string[] {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path) return [];
  try {
    const event = JSON.parse(readFileSync(path, 'utf8')) as {
      repository?: { visibility?: unknown; private?: unknown };
    };
    const repository = event.repository;
    const visibility =
      typeof repository?.visibility === 'string'
        ? repository.visibility
        : typeof repository?.private === 'boolean'
          ? repository.private
            ? 'private'
            : 'public'
          : undefined;
    return visibility && ['public', 'private', 'internal'].includes(visibility)
      ? ['--repository-visibility', visibility]
      : [];
  } catch {
    return [];
  }
}

function runCli(args: string[]): number {
  const { status, error } = spawnSync(process.execPath, [CLI, ...args], { stdio: 'inherit' });
  if (error) throw error;
  return status ?? 2;
}

const SUMMARY_INTRO =
  '**wf-lint**: the jobs where a secret is read after its cloud credentials may have expired, ' +
  'on a time axis (a typical run and the worst case, as wf-lint estimates them).\n\n';

/**
 * Appends to the job summary (GITHUB_STEP_SUMMARY) the Mermaid timeline of each job where
 * late-secret-read reports a finding; nothing when there is none. A failure here is a warning: the
 * report run decides the step's outcome.
 */
function writeSummary(config: string[], paths: string[]): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file || getInput('summary') === 'false') return;
  const args = ['timeline', '--late-only', '--format', 'mermaid', ...config, ...paths];
  const { status, stdout, error } = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 28,
  });
  if (error || status !== 0) {
    process.stdout.write('::warning::wf-lint: could not write the timelines into the job summary.\n');
    return;
  }
  if (stdout !== '') appendFileSync(file, SUMMARY_INTRO + stdout);
}

function main(): number {
  const failOn = getInput('fail-on') || 'error';
  if (!Object.hasOwn(FAIL_ON_OPTIONS, failOn)) {
    process.stdout.write(`::error::wf-lint: fail-on must be error, warning or never, not "${failOn}".\n`);
    return 2;
  }
  const configInput = getInput('config');
  const config = configInput ? ['--config', configInput] : [];
  const paths = words(getInput('paths'));
  // Extra `args` come after the options derived from inputs, so that they win.
  const shared = [...config, ...repositoryVisibility(), ...words(getInput('args')), ...paths];

  const sarifFile = getInput('sarif-file');
  if (sarifFile) {
    // Findings do not fail this run: the report run below applies fail-on.
    const code = runCli([...shared, '--format', 'sarif', '--output', sarifFile, '--exit-zero']);
    if (code !== 0) return code;
    setOutput('sarif-file', sarifFile);
  }
  const code = runCli(['--format', getInput('format') || 'github', ...FAIL_ON_OPTIONS[failOn], ...shared]);
  // `args` are lint options: the timelines take the config and the paths only.
  writeSummary(config, paths);
  return code;
}

process.exitCode = main();
