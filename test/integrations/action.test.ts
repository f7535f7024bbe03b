import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli } from '../cli/run-cli.js';
import { BAD_WORKFLOW, GOOD_WORKFLOW, tempDir } from './temp-dir.js';

const ACTION = join(ROOT, 'dist/action.js');
const SELF_HOSTED_ON_PULL_REQUEST =
  'on: pull_request\njobs:\n  t:\n    runs-on: self-hosted\n    steps:\n      - run: make\n';
const WARNINGS_ONLY_CONFIG = 'rules:\n  syntax-error: warning\n';

/** Parses a GITHUB_OUTPUT file: `name<<DELIMITER`, value lines, `DELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^(.+?)<<(.+)\n([\s\S]*?)\n\2\n/gm)) outputs[match[1]] = match[3];
  return outputs;
}

/**
 * A Node.js binary of the major version action.yml declares (`node24`): this one when it is, else the
 * one WF_LINT_ACTION_NODE names (.ci/run installs it from the npm registry's `node` package).
 */
function actionNode(using: string): string | undefined {
  const major = using.replace(/^node/, '');
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  const candidate = process.env.WF_LINT_ACTION_NODE;
  if (!candidate) return undefined;
  const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  return version.startsWith(`v${major}.`) ? candidate : undefined;
}

/** Runs dist/action.js in `dir` as the runner does: inputs as INPUT_<NAME> variables, outputs in a file. */
function runAction(dir: string, inputs: Record<string, string>, node = process.execPath, event?: object) {
  const outputFile = join(dir, 'github-output');
  writeFileSync(outputFile, '');
  const summaryFile = join(dir, 'github-step-summary');
  writeFileSync(summaryFile, '');
  const eventFile = join(dir, 'github-event.json');
  if (event) writeFileSync(eventFile, JSON.stringify(event));
  const env: Record<string, string | undefined> = {
    ...process.env,
    GITHUB_EVENT_PATH: event ? eventFile : undefined,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: dir,
    NO_COLOR: '1',
  };
  for (const name of Object.keys(env)) if (name.startsWith('INPUT_')) delete env[name];
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const result = spawnSync(node, [ACTION], { cwd: dir, env, encoding: 'utf8' });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  };
}

describe('action.yml', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));

  it('runs the bundled entry on node24, built for it, and declares the inputs and the output', () => {
    // GitHub removed Node 20 from its runners in September 2026 and forces node20 actions onto 24.
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
    expect(readFileSync(ACTION, 'utf8').split('\n', 1)[0]).toBe(
      '// wf-lint GitHub Action entry, built for node24 (action.yml runs.using)',
    );
    expect(existsSync(ACTION)).toBe(true);
    expect(Object.keys(action.inputs)).toEqual([
      'paths',
      'config',
      'format',
      'sarif-file',
      'fail-on',
      'args',
      'summary',
    ]);
    expect(action.inputs['fail-on'].default).toBe('error');
    expect(Object.keys(action.outputs)).toEqual(['sarif-file']);
  });
});

const ACTION_NODE = actionNode(parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')).runs.using);
if (!ACTION_NODE)
  console.warn(
    'Skipping the action test on its own Node.js version: set WF_LINT_ACTION_NODE to a node24 binary (.ci/run does).',
  );

describe('the action entry on the Node.js version action.yml declares', () => {
  it.skipIf(!ACTION_NODE)('lints, annotates, writes SARIF and fails as on any other version', () => {
    const dir = tempDir({ '.github/workflows/ci.yml': BAD_WORKFLOW });
    const r = runAction(dir, { 'sarif-file': 'wf-lint.sarif' }, ACTION_NODE);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('::error file=.github/workflows/ci.yml,line=2,col=7,');
    expect(r.outputs).toEqual({ 'sarif-file': 'wf-lint.sarif' });
    expect((JSON.parse(readFileSync(join(dir, 'wf-lint.sarif'), 'utf8')) as Sarif.Log).runs[0].results).toHaveLength(1);
    expect(r.code).toBe(1);
  });
});

describe('the action entry', () => {
  const cases: [level: string, failOn: string, code: number][] = [
    ['error', 'error', 1],
    ['error', 'warning', 1],
    ['error', 'never', 0],
    ['warning', 'error', 0],
    ['warning', 'warning', 1],
    ['warning', 'never', 0],
  ];
  for (const [level, failOn, code] of cases) {
    it(`exits ${code} with fail-on ${failOn} when the finding is a${level === 'error' ? 'n' : ''} ${level}`, () => {
      const dir = tempDir({ '.github/workflows/ci.yml': BAD_WORKFLOW, 'wf-lint.yml': WARNINGS_ONLY_CONFIG });
      const r = runAction(dir, { 'fail-on': failOn, ...(level === 'warning' ? { config: 'wf-lint.yml' } : {}) });
      expect(r.stdout).toContain(`::${level} file=.github/workflows/ci.yml,line=2,col=7,`);
      expect(r.code).toBe(code);
    });
  }

  it('writes SARIF to sarif-file and sets the sarif-file output, whatever fail-on says', () => {
    const dir = tempDir({ '.github/workflows/ci.yml': BAD_WORKFLOW });
    const r = runAction(dir, { 'sarif-file': 'wf-lint.sarif', 'fail-on': 'never' });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ 'sarif-file': 'wf-lint.sarif' });
    const log = JSON.parse(readFileSync(join(dir, 'wf-lint.sarif'), 'utf8')) as Sarif.Log;
    expect(
      log.runs[0].results?.map((result) => [
        result.ruleId,
        result.locations?.[0].physicalLocation?.artifactLocation?.uri,
      ]),
    ).toEqual([['syntax-error', '.github/workflows/ci.yml']]);
  });

  it('lints the given paths in the given format, with extra args', () => {
    const dir = tempDir({ 'good/ci.yml': GOOD_WORKFLOW, 'bad/ci.yml': BAD_WORKFLOW });
    const clean = runAction(dir, { paths: 'good', format: 'json' });
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout).summary).toMatchObject({ files: 1, errors: 0 });

    const quietBad = runAction(dir, { paths: 'good\nbad', format: 'stylish', args: '--disable syntax-error' });
    expect(quietBad.stdout).toBe('');
    expect(quietBad.code).toBe(0);
    expect(quietBad.outputs).toEqual({});
  });

  it('writes the Mermaid timeline of each job with a late-secret-read finding into the job summary', () => {
    const seed = readFileSync(join(ROOT, 'test/fixtures/seed/robust-solution.yml'), 'utf8');
    const dir = tempDir({ '.github/workflows/deploy.yml': seed, '.github/workflows/ci.yml': GOOD_WORKFLOW });
    const r = runAction(dir, {});
    expect(r.stdout).toContain('::warning file=.github/workflows/deploy.yml,line=51,col=11,');
    expect(r.summary).toMatch(/^\*\*wf-lint\*\*: the jobs where a secret is read after its cloud credentials/);
    expect(r.summary).toContain('## `.github/workflows/deploy.yml`\n\n### Job `deploy`\n');
    expect(r.summary).not.toContain('ci.yml');
    expect(r.summary.match(/^```mermaid$/gm)).toHaveLength(1);
    expect(r.summary).toContain(':milestone, crit, 2000-01-01 02:17:00, 0s');

    // No late read, or the rule turned off in the config, or `summary: false`: nothing is written.
    expect(runAction(dir, { paths: '.github/workflows/ci.yml' }).summary).toBe('');
    writeFileSync(join(dir, 'wf-lint.yml'), 'rules:\n  late-secret-read: off\n');
    expect(runAction(dir, { config: 'wf-lint.yml' }).summary).toBe('');
    expect(runAction(dir, { summary: 'false' }).summary).toBe('');
  });

  it("passes the repository's visibility from the event payload, so that self-hosted-exposure knows it", () => {
    const dir = tempDir({ '.github/workflows/ci.yml': SELF_HOSTED_ON_PULL_REQUEST });
    const exposure = (event?: object) =>
      runAction(dir, { format: 'json' }, process.execPath, event).stdout.match(/"level": "(\w+)"/)?.[1];
    expect(exposure({ repository: { visibility: 'public', private: false } })).toBe('error');
    expect(exposure({ repository: { private: false } })).toBe('error');
    expect(exposure({ repository: { visibility: 'private', private: true } })).toBeUndefined();
    expect(exposure({ repository: { visibility: 'internal' } })).toBeUndefined();
    expect(exposure({ schedule: '0 0 * * *' })).toBe('warning');
    expect(exposure()).toBe('warning');
  });

  it('fails with exit code 2 on a bad fail-on or a bad config', () => {
    const dir = tempDir({ '.github/workflows/ci.yml': GOOD_WORKFLOW });
    const badFailOn = runAction(dir, { 'fail-on': 'sometimes' });
    expect(badFailOn.stdout).toBe('::error::wf-lint: fail-on must be error, warning or never, not "sometimes".\n');
    expect(badFailOn.code).toBe(2);

    const missingConfig = runAction(dir, { config: 'missing.yml', 'sarif-file': 'out.sarif' });
    expect(missingConfig.stderr).toContain('missing.yml: config file not found');
    expect(missingConfig.code).toBe(2);
    expect(missingConfig.outputs).toEqual({});
  });
});

describe('examples/pr-check.yml', () => {
  it('has no findings of wf-lint itself', () => {
    const r = runCli(['--format', 'json', 'examples/pr-check.yml']);
    expect(JSON.parse(r.stdout).files).toEqual([{ file: 'examples/pr-check.yml', findings: [] }]);
    expect(r.code).toBe(0);
  });

  it('runs the action on pull requests and uploads its SARIF to code scanning', () => {
    const workflow = parse(readFileSync(join(ROOT, 'examples/pr-check.yml'), 'utf8'));
    expect(workflow.on).toHaveProperty('pull_request');
    const job = workflow.jobs['wf-lint'];
    expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const [checkout, lint, upload] = job.steps;
    // The current majors (December 2026): checkout@v4 runs on node20, upload-sarif@v3 is deprecated.
    expect(checkout).toEqual({ uses: 'actions/checkout@v7', with: { 'persist-credentials': false } });
    expect(lint.uses).toBe('wf-lint/wf-lint@v1');
    expect(upload).toMatchObject({
      if: 'always()',
      uses: 'github/codeql-action/upload-sarif@v4',
      with: { sarif_file: lint.with['sarif-file'], category: 'wf-lint' },
    });
  });
});
