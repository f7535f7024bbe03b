import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBaseline, filterByBaseline, readBaseline, type Baseline } from '../../src/baseline.js';
import { ConfigError } from '../../src/config/config.js';
import type { FileResult, Finding } from '../../src/findings.js';
import { lineHash, withFingerprints } from '../../src/report/fingerprint.js';
import { ROOT, runCli } from '../cli/run-cli.js';
import { BAD_WORKFLOW, GOOD_WORKFLOW, tempDir } from './temp-dir.js';

const TEXT = 'on: push\njobs:\n  a:\n    runs-on: 3\n    steps: 4\n';

function finding(line: number, ruleId = 'syntax-error'): Finding {
  return {
    ruleId,
    level: 'error',
    message: `Problem on line ${line}.`,
    range: { start: { line, column: 5, offset: 0 }, end: { line, column: 6, offset: 0 } },
  };
}

/** A file's result as linting makes it: each finding with the fingerprint of its line in `text`. */
function fileResult(path: string, text: string, findings: Finding[]): FileResult {
  return { path, findings: withFingerprints(text, findings) };
}

const lines = (results: FileResult[]) =>
  results.flatMap((result) => result.findings.map((f) => `${result.path}:${f.range.start.line}`));

describe('createBaseline', () => {
  it('records rule, file, line-content fingerprint and message of each finding', () => {
    const baseline = createBaseline([fileResult('ci.yml', TEXT, [finding(4)])]);
    expect(baseline).toEqual({
      version: 1,
      findings: [
        { rule: 'syntax-error', file: 'ci.yml', fingerprint: lineHash(TEXT, 4), message: 'Problem on line 4.' },
      ],
    });
  });

  it('keeps earlier entries of files not linted this time, and replaces those of linted files', () => {
    const earlier = createBaseline([fileResult('a.yml', TEXT, [finding(4)]), fileResult('b.yml', TEXT, [finding(5)])]);
    const updated = createBaseline([fileResult('b.yml', TEXT, [])], earlier.findings);
    expect(updated.findings.map((entry) => entry.file)).toEqual(['a.yml']);
  });
});

describe('filterByBaseline', () => {
  const baseline = createBaseline([fileResult('ci.yml', TEXT, [finding(4), finding(5)])]);

  it('accepts the same findings after lines are inserted above them', () => {
    const shifted = fileResult('ci.yml', `# a comment\n\n${TEXT}`, [finding(6), finding(7)]);
    const { results, stale } = filterByBaseline([shifted], baseline);
    expect(lines(results)).toEqual([]);
    expect(stale).toEqual([]);
  });

  it('reports findings of another rule, another file or another line', () => {
    const results = [
      fileResult('ci.yml', TEXT, [finding(4, 'other-rule'), finding(3)]),
      fileResult('copy.yml', TEXT, [finding(4)]),
    ];
    expect(lines(filterByBaseline(results, baseline).results)).toEqual(['ci.yml:4', 'ci.yml:3', 'copy.yml:4']);
  });

  it('accepts a repeated finding as often as the baseline holds it', () => {
    const once = createBaseline([fileResult('ci.yml', TEXT, [finding(4)])]);
    const twice = fileResult('ci.yml', TEXT, [finding(4), finding(4)]);
    expect(lines(filterByBaseline([twice], once).results)).toEqual(['ci.yml:4']);
  });

  it('returns the entries of linted files that match nothing as stale', () => {
    const withOtherFile = createBaseline([
      fileResult('ci.yml', TEXT, [finding(4), finding(5)]),
      fileResult('other.yml', TEXT, [finding(4)]),
    ]);
    const { stale } = filterByBaseline([fileResult('ci.yml', TEXT, [finding(5)])], withOtherFile);
    expect(stale.map((entry) => `${entry.file} ${entry.message}`)).toEqual(['ci.yml Problem on line 4.']);
  });
});

describe('readBaseline', () => {
  const cases: [string, string | undefined, RegExp][] = [
    ['a missing file', undefined, /^missing\.json: baseline file not found; create it with --update-baseline$/],
    ['invalid JSON', '{ "version": 1,', /^bad\.json: baseline file is not valid JSON \(/],
    [
      'another version',
      '{ "version": 2, "findings": [] }',
      /^bad\.json: not a wf-lint baseline: unsupported version 2 \(expected 1\)/,
    ],
    [
      'a bad entry',
      '{ "version": 1, "findings": [{ "rule": "x" }] }',
      /^bad\.json: not a wf-lint baseline: findings\[0\] must have the strings/,
    ],
  ];
  for (const [what, text, message] of cases) {
    it(`rejects ${what} with a ConfigError that names the file`, () => {
      const dir = tempDir(text === undefined ? {} : { 'bad.json': text });
      const name = text === undefined ? 'missing.json' : 'bad.json';
      const read = () => readBaseline(join(dir, name), name);
      expect(read).toThrow(ConfigError);
      expect(read).toThrow(message);
    });
  }
});

describe('--baseline and --update-baseline', () => {
  const WORKFLOW = '.github/workflows/ci.yml';

  it('survives inserted lines, reports only new findings and counts stale entries', () => {
    const dir = tempDir({ [WORKFLOW]: BAD_WORKFLOW });
    const update = runCli(['--update-baseline'], { cwd: dir });
    expect(update.stderr).toBe('wf-lint: wrote 1 baseline entry to .wf-lint-baseline.json.\n');
    expect(update.stdout).toBe('');
    expect(update.code).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, '.wf-lint-baseline.json'), 'utf8')) as Baseline;
    expect(saved.findings.map((entry) => [entry.rule, entry.file])).toEqual([['syntax-error', WORKFLOW]]);

    writeFileSync(join(dir, WORKFLOW), `# Deploys.\n\n${BAD_WORKFLOW}`);
    const shifted = runCli(['--baseline', '.wf-lint-baseline.json'], { cwd: dir });
    expect(shifted.stdout).toBe('');
    expect(shifted.stderr).toBe('');
    expect(shifted.code).toBe(0);
    expect(runCli([], { cwd: dir }).code).toBe(1);

    writeFileSync(join(dir, WORKFLOW), `# Deploys.\n\n${BAD_WORKFLOW.replace('on: push', 'on: push\nenv: 3')}`);
    const newProblem = runCli(['--baseline', '.wf-lint-baseline.json', '--format', 'json'], { cwd: dir });
    const reported = JSON.parse(newProblem.stdout).files[0].findings;
    expect(reported.map((f: { start: { line: number; column: number } }) => f.start)).toEqual([{ line: 4, column: 6 }]);
    expect(newProblem.code).toBe(1);

    writeFileSync(join(dir, WORKFLOW), GOOD_WORKFLOW);
    const fixed = runCli(['--baseline', '.wf-lint-baseline.json'], { cwd: dir });
    expect(fixed.stderr).toBe(
      'wf-lint: 1 baseline entry no longer matches (fixed?); run --update-baseline to drop it.\n',
    );
    expect(fixed.code).toBe(0);
  });

  it('writes to the --baseline path, and exits 2 on a bad baseline file', () => {
    const dir = tempDir({ [WORKFLOW]: BAD_WORKFLOW, 'broken.json': '[]' });
    expect(runCli(['--update-baseline', '--baseline', 'wf-lint-baseline.json'], { cwd: dir }).code).toBe(0);
    expect(runCli(['--baseline', 'wf-lint-baseline.json'], { cwd: dir }).code).toBe(0);

    const broken = runCli(['--baseline', 'broken.json'], { cwd: dir });
    expect(broken.stderr).toBe(
      'wf-lint: broken.json: not a wf-lint baseline: the top level must be an object; recreate it with --update-baseline\n',
    );
    expect(broken.code).toBe(2);
  });
});

describe('a baseline written before findings had a first line and an explanation', () => {
  // Written by wf-lint before the change, whose messages were whole paragraphs: matching uses rule, file
  // and the fingerprint of the line, never the message, so every entry still accepts its finding.
  const dir = join(ROOT, 'test/fixtures/baseline');
  const OLD = 'written-before-two-part-messages.json';

  it('holds the old, paragraph-long messages', () => {
    const old = readBaseline(join(dir, OLD));
    expect(old.findings).toHaveLength(6);
    expect(Math.min(...old.findings.map((entry) => entry.message.length))).toBeGreaterThan(300);
  });

  it('still accepts every finding, with no stale entry', () => {
    // The baseline predates missing-deploy-timeout, which finds something new in this file: not a stale entry.
    const older = ['--disable', 'missing-deploy-timeout'];
    expect(runCli([...older, 'deploy.yml'], { cwd: dir }).code).toBe(1);
    const r = runCli([...older, '--baseline', OLD, 'deploy.yml'], { cwd: dir });
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
