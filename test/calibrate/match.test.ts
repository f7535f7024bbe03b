import { describe, expect, it } from 'vitest';
import { measuredStep } from '../../src/analysis/durations.js';
import { matchesJobName, matchesStepName } from '../../src/analysis/run-names.js';
import { Calibration, statsOf } from '../../src/calibrate/match.js';
import { latestAttempts, readPayload } from '../../src/calibrate/payloads.js';
import { loadWorkflow } from '../../src/workflow/load.js';
import { runCalibrate } from './calibrate-io.js';

const WORKFLOW = `on: push
jobs:
  ship:
    runs-on: ubuntu-latest
    steps:
      - run: make
      - name: Post results
        run: ./post.sh
      - run: make
      - run: ./scripts/a-very-long-command-line --with many --options that GitHub might shorten
`;

function known() {
  const { workflow } = loadWorkflow('ship.yml', WORKFLOW);
  return { key: '.github/workflows/ship.yml', workflow: workflow!, called: () => undefined };
}

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000).toISOString();
const step = (name: string, from: number, to: number) => ({ name, startedAt: at(from), completedAt: at(to) });

describe('the importer', () => {
  it('reads gh zero times and REST nulls as no time', () => {
    const gh = readPayload(
      { jobs: [{ name: 'a', steps: [{ name: 's', startedAt: '0001-01-01T00:00:00Z', completedAt: null }] }] },
      'x',
    );
    expect(gh.jobs[0].steps[0]).toMatchObject({ startedAt: undefined, completedAt: undefined });
  });

  it('names a run by its id and keeps its latest attempt', () => {
    const job = (attempt: number, seconds: number) => ({
      run_id: 5,
      run_attempt: attempt,
      name: 'ship',
      steps: [step('Run make', 0, seconds)],
    });
    const runs = latestAttempts([readPayload({ jobs: [job(2, 60)] }, 'a'), readPayload({ jobs: [job(1, 900)] }, 'b')]);
    expect(runs.map((r) => [r.id, r.attempt, r.jobs.length])).toEqual([['5', 2, 1]]);
  });

  it('matches duplicate names in order, a real step named Post …, and a shortened script line', () => {
    const workflow = known();
    const calibration = new Calibration([workflow]);
    const steps = [
      step('Set up job', 0, 2),
      step('Run make', 2, 62),
      step('Post results', 62, 63),
      step('Run make', 63, 183),
      step('Run ./scripts/a-very-long-command-line', 183, 190),
      step('Post Run actions/checkout@v4', 190, 191),
      step('Complete job', 191, 191),
    ];
    calibration.add(readPayload({ jobs: [{ name: 'ship', steps }] }, 'run'));
    const [report] = calibration.report();
    expect(report).toMatchObject({ steps: 4, matched: 4, unknownSteps: [] });
    const history = calibration.history()[workflow.key];
    expect(history.jobs.ship.steps.map((s) => [s.index, s.name, s.duration.max])).toEqual([
      [0, 'Run make', 60],
      [1, 'Post results', 1],
      [2, 'Run make', 120],
      [3, 'Run ./scripts/a-very-long-command-line --with many --options that GitHub might shorten', 7],
    ]);
    // The lint finds the second `make` by its place among the steps of that name.
    const job = workflow.workflow.jobs[0];
    expect(measuredStep(history, job, job.steps[2])?.max).toBe(120);
  });

  it('lists the steps of a run that match no YAML step', () => {
    const calibration = new Calibration([known()]);
    calibration.add(readPayload({ jobs: [{ name: 'ship', steps: [step('Run make test', 0, 5)] }] }, 'run'));
    expect(calibration.report()[0].unknownSteps).toEqual([{ job: 'ship', name: 'Run make test', runs: 1 }]);
  });
});

describe('run names', () => {
  it('reads matrix values, expressions and called jobs', () => {
    expect(matchesJobName('Test', 'Test (ubuntu-latest, 20)')).toBe(true);
    expect(matchesJobName('Test ${{ matrix.os }}', 'Test windows-latest')).toBe(true);
    expect(matchesJobName('Test', 'Test / unit')).toBe(false);
    expect(matchesStepName('Package ${{ github.sha }}', 'Package 3f2a')).toBe(true);
    expect(matchesStepName('Run make', 'Run make test')).toBe(false);
  });

  it('gives nearest-rank percentiles', () => {
    expect(statsOf([5, 1, 4, 2, 3, 6, 7, 8, 9, 10])).toEqual({ p50: 5, p90: 9, max: 10, samples: 10 });
    expect(statsOf([])).toBeUndefined();
  });
});

describe('usage', () => {
  it('needs --workflow with --repo, and an input', async () => {
    const noWorkflow = await runCalibrate(['--repo', 'a/b'], '/');
    expect(noWorkflow.code).toBe(2);
    expect(noWorkflow.stderr).toContain('--repo needs --workflow FILE');
    const nothing = await runCalibrate([], '/');
    expect(nothing.stderr).toContain('give --from DIR (saved runs) or --repo OWNER/NAME (runs on GitHub)');
  });
});
