import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { CALIBRATE_FIXTURES } from './calibrate-io.js';

/**
 * The seed workflow (test/fixtures/seed/robust-solution.yml) with 40 recorded runs in which its build
 * takes about 70 minutes: the late-secret-read finding turns from a class estimate into the measured
 * numbers, and from a warning into an error (the typical case alone outlasts the 1-hour session).
 */
function seedRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wf-lint-seed-'));
  mkdirSync(join(dir, '.github/workflows'), { recursive: true });
  cpSync(join(import.meta.dirname, '../fixtures/seed/robust-solution.yml'), join(dir, '.github/workflows/ci.yml'));
  return dir;
}

function lateRead(cwd: string) {
  const { code, stdout, stderr } = runCli(['--format', 'json'], { cwd });
  expect(code, stderr).toBe(1);
  const [file] = JSON.parse(stdout).files;
  return file.findings.find((f: { rule: string }) => f.rule === 'late-secret-read');
}

describe('late-secret-read with measured durations', () => {
  it('says p90 over 40 runs instead of a class estimate once the runs are calibrated', () => {
    const dir = seedRepository();
    const before = lateRead(dir);
    expect(before.level).toBe('warning');
    expect(before.detail).toContain("'Build' (long step, ~15 min)");

    const calibrated = runCli(['calibrate', '--from', join(CALIBRATE_FIXTURES, 'seed-runs')], { cwd: dir });
    expect(calibrated.code, calibrated.stderr).toBe(0);
    expect(calibrated.stdout).toContain('.github/workflows/ci.yml: 40 runs, 8 of 8 steps matched (100%)');

    const after = lateRead(dir);
    expect(after.level).toBe('error');
    expect(after.detail).toMatch(/Slow steps in between: 'Build' \(p50 1 h 10 min, p90 1 h 1\d min over 40 runs\)/);
    expect(after.detail).not.toContain('long step');
    expect(after.related).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/^'Build': p90 1 h 1\d min over 40 runs \(p50 1 h 10 min, max/),
      }),
    );
  });

  it('stops with a clear message on a damaged durations file', () => {
    const dir = seedRepository();
    mkdirSync(join(dir, '.wf-lint'));
    writeFileSync(join(dir, '.wf-lint/durations.json'), JSON.stringify({ version: 1, workflows: { 'a.yml': {} } }));
    const { code, stdout, stderr } = runCli([], { cwd: dir });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'wf-lint: .wf-lint/durations.json: workflows["a.yml"]: must be an object with jobs; ' +
        'run wf-lint calibrate again to rewrite it\n',
    );
  });
});
