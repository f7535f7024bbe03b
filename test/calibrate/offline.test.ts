import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { WorkflowHistory } from '../../src/analysis/durations.js';
import type { CalibrationReport } from '../../src/report/calibration.js';
import { copyFixture, runCalibrate } from './calibrate-io.js';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../schema/durations.schema.json'), 'utf8'));
const validate = new Ajv().compile(schema);

/**
 * test/fixtures/calibrate/repo: ci.yml (a matrix job, unnamed steps, a parallel group, a step skipped
 * in every run, a call to deploy.yml, one step added after the runs) and its runs: five `gh run view
 * --json jobs` outputs (the parallel group's steps nested under its entry, skipped steps at gh's zero
 * time) and REST pages (one run in two pages, one run at two attempts, the first with a one-hour hang).
 */
async function calibrated(format = 'json') {
  const dir = copyFixture('repo');
  const result = await runCalibrate(['--from', 'runs', '--format', format], dir);
  const file = JSON.parse(readFileSync(join(dir, '.wf-lint/durations.json'), 'utf8'));
  return { ...result, file, workflows: file.workflows as Record<string, WorkflowHistory> };
}

function step(history: WorkflowHistory, job: string, name: string) {
  return history.jobs[job].steps.find((s) => s.name === name)?.duration;
}

describe('wf-lint calibrate --from DIR', () => {
  it('matches at least 95% of the YAML steps and lists the unmatched one by name', async () => {
    const { code, stdout, stderr } = await calibrated();
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as CalibrationReport;
    const steps = report.workflows.reduce((n, w) => n + w.steps, 0);
    const matched = report.workflows.reduce((n, w) => n + w.matched, 0);
    expect([matched, steps]).toEqual([22, 23]);
    expect(matched / steps).toBeGreaterThanOrEqual(0.95);
    expect(report.workflows.flatMap((w) => w.unmatched)).toEqual([{ job: 'lint', step: 'Check licenses' }]);
    expect(report.workflows.flatMap((w) => [...w.unknownJobs, ...w.unknownSteps])).toEqual([]);
    expect(report.unassigned).toEqual([]);
  });

  it('lists the unmatched steps in the stylish report', async () => {
    const { stdout } = await calibrated('stylish');
    expect(stdout).toContain('.github/workflows/ci.yml: 7 runs, 19 of 20 steps matched (95%)');
    expect(stdout).toContain("unmatched step  lint: 'Check licenses' (in no run)");
    expect(stdout).toContain('.github/workflows/deploy.yml: 7 runs, 3 of 3 steps matched (100%)');
  });

  it('writes a file the schema accepts', async () => {
    const { file } = await calibrated();
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
  });

  it('counts each matrix leg, and leaves skipped steps (zero times) out of the samples', async () => {
    const ci = (await calibrated()).workflows['.github/workflows/ci.yml'];
    expect(ci.runs).toBe(7);
    expect(ci.jobs.test.duration?.samples).toBe(28);
    expect(step(ci, 'test', 'Run npm ci')?.samples).toBe(28);
    // Skipped on the two Windows legs of each run.
    expect(step(ci, 'test', 'Upload coverage')?.samples).toBe(14);
    // Skipped in every run: seen, so matched, but without a duration.
    expect(step(ci, 'build', 'Notify chat')).toBeUndefined();
  });

  it('maps Run <uses> and Run <first script line> back to unnamed steps, and names with expressions', async () => {
    const ci = (await calibrated()).workflows['.github/workflows/ci.yml'];
    expect(ci.jobs.lint.steps.map((s) => s.name)).toEqual([
      'Run actions/checkout@v4',
      'Run actions/setup-node@v4',
      'Run actions/cache@v4',
      'Run npm ci',
      'Run npx eslint .',
      'Run npx prettier --check .',
      'Run npx tsc --noEmit',
      'Lint the docs',
      'Run npx knip',
    ]);
    expect(step(ci, 'build', 'Package ${{ github.sha }}')?.samples).toBe(7);
  });

  it('takes the steps of a parallel group from under its entry and from a flat list alike', async () => {
    const ci = (await calibrated()).workflows['.github/workflows/ci.yml'];
    expect(step(ci, 'build', 'Build frontend')?.samples).toBe(7);
    expect(step(ci, 'build', 'Build backend')?.samples).toBe(7);
  });

  it('uses the latest attempt of a re-run: the first attempt hung for an hour', async () => {
    const ci = (await calibrated()).workflows['.github/workflows/ci.yml'];
    expect(step(ci, 'build', 'Build backend')?.max).toBeLessThan(600);
  });

  it('gives the called workflow its steps and the calling job its span', async () => {
    const { workflows } = await calibrated();
    const deploy = workflows['.github/workflows/deploy.yml'];
    expect(deploy.jobs.release.steps.map((s) => [s.name, s.duration.samples])).toEqual([
      ['Run actions/checkout@v4', 7],
      ['Run aws-actions/configure-aws-credentials@v4', 7],
      ['Deploy', 7],
    ]);
    expect(workflows['.github/workflows/ci.yml'].jobs.deploy.duration).toEqual(deploy.jobs.release.duration);
  });

  it('reports a payload that is not a run and carries on', async () => {
    const dir = copyFixture('repo');
    writeFileSync(join(dir, 'runs/notes.json'), '{"runs": []}');
    writeFileSync(join(dir, 'runs/broken.json'), '{"jobs": [');
    const { code, stderr } = await runCalibrate(['--from', 'runs'], dir);
    expect(code).toBe(0);
    expect(stderr).toContain('runs/notes.json: not the jobs of a run: expected an object with a "jobs" list; skipped');
    expect(stderr).toMatch(/runs\/broken\.json: .*JSON.*; skipped/);
  });
});
