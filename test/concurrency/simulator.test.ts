import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CalledWorkflows } from '../../src/analysis/called-workflows.js';
import { Facts } from '../../src/analysis/facts.js';
import { parseConfig } from '../../src/config/config.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import { fixText } from '../../src/fixers/apply.js';
import { listWorkflowFolder, readCalledWorkflow } from '../../src/lint.js';
import { rules } from '../../src/rules/registry.js';
import { loadWorkflow } from '../../src/workflow/load.js';
import { FIXTURES } from '../rules/harness.js';
import {
  checkConcurrency,
  holds,
  legsOf,
  runSpecs,
  sharedGroupPairs,
  simulate,
  deploysByFacts,
  simWorkflowOf,
  type RunSpec,
  type SimJob,
  type SimWorkflow,
} from './simulator.js';

const PUSH: RunSpec = { event: 'push', ref: 'refs/heads/main' };
const pr = (n: number): RunSpec => ({ event: 'pull_request', ref: `refs/pull/${n}/merge`, pullRequest: n });

/** A job of the model: no needs, no matrix, no group, deploying unless said otherwise. */
function job(id: string, extra: Partial<SimJob> = {}): SimJob {
  return { id, needs: [], legs: [undefined], deploys: true, ...extra };
}

function workflowOf(jobs: SimJob[], extra: Partial<SimWorkflow> = {}): SimWorkflow {
  return { name: 'Deploy', events: ['push'], inputs: new Map(), pushRefs: ['refs/heads/main'], jobs, ...extra };
}

const group = (name: string, cancelInProgress = 'false') => ({ group: name, cancelInProgress });

describe("the model follows GitHub's rules", () => {
  it('keeps one running and one pending run per workflow-level group; a newer pending run cancels the older', () => {
    const workflow = workflowOf([job('deploy')], { concurrency: group('deploy') });
    const result = simulate(
      workflow,
      [0, 0.2, 0.4].map((at) => ({ at, run: PUSH })),
    );
    expect(result.cancellations).toEqual([
      {
        time: 0.4,
        victim: 'run 2',
        by: 'run 3',
        sameRun: false,
        crossTarget: false,
        lostDeploy: false,
        deadlock: false,
      },
    ]);
    expect(result.completed[1]).toEqual(['deploy']);
    expect(result.completed[3]).toEqual(['deploy']);
    expect(result.overlappingDeploys).toEqual([]);
  });

  it('cancels the running run with cancel-in-progress: true', () => {
    const workflow = workflowOf([job('deploy')], { concurrency: group('deploy', 'true') });
    const result = simulate(
      workflow,
      [0, 0.5].map((at) => ({ at, run: PUSH })),
    );
    expect(result.cancellations.map((c) => `${c.victim} by ${c.by}`)).toEqual(['run 1 by run 2']);
  });

  it('evaluates cancel-in-progress expressions per run', () => {
    const cancelPullRequests = "${{ github.event_name == 'pull_request' }}";
    const workflow = workflowOf([job('build')], {
      concurrency: group('ci-${{ github.ref }}', cancelPullRequests),
      events: ['push', 'pull_request'],
    });
    const starts = (run: RunSpec) => [0, 0.5].map((at) => ({ at, run }));
    expect(simulate(workflow, starts(pr(7))).cancellations).toHaveLength(1);
    expect(simulate(workflow, starts(PUSH)).cancellations).toHaveLength(0);
  });

  it('lets the third of three jobs of one run that are ready together cancel the second', () => {
    const apply = (id: string) => job(id, { needs: ['plan'], concurrency: group('deploy-${{ github.workflow }}') });
    const workflow = workflowOf([job('plan', { deploys: false }), apply('a'), apply('b'), apply('c')]);
    const result = simulate(workflow, [{ at: 0, run: PUSH }]);
    expect(result.cancellations.map((c) => [c.victim, c.by, c.sameRun])).toEqual([['run 1: b', 'run 1: c', true]]);
    expect(sharedGroupPairs(workflow, PUSH).map((p) => `${p.a}+${p.b}`)).toEqual(['a+b', 'a+c', 'b+c']);
  });

  it('lets matrix legs that share a group cancel each other, and not legs with groups of their own', () => {
    const legs = legsOf(parseDocument('region: [eu, us, ap]').contents);
    const shared = workflowOf([job('deploy', { legs, concurrency: group('deploy') })]);
    expect(checkConcurrency(shared).filter((v) => v.kind === 'same-run cancellation')).not.toEqual([]);
    const own = workflowOf([job('deploy', { legs, concurrency: group('deploy-${{ matrix.region }}') })]);
    expect(checkConcurrency(own)).toEqual([]);
    expect(sharedGroupPairs(own, PUSH)).toEqual([]);
  });

  it('runs legs one at a time with max-parallel: 1, so they may share a group', () => {
    const legs = legsOf(parseDocument('region: [eu, us, ap]').contents);
    const workflow = workflowOf([job('deploy', { legs, maxParallel: 1, concurrency: group('deploy') })]);
    expect(simulate(workflow, [{ at: 0, run: PUSH }]).completed[1]).toHaveLength(3);
    expect(sharedGroupPairs(workflow, PUSH)).toEqual([]);
  });

  it('lets jobs ordered by needs share a group: the later one is ready only when the earlier has ended', () => {
    const workflow = workflowOf([
      job('staging', { concurrency: group('deploy') }),
      job('production', { needs: ['staging'], concurrency: group('deploy') }),
    ]);
    expect(sharedGroupPairs(workflow, PUSH)).toEqual([]);
    expect(simulate(workflow, [{ at: 0, run: PUSH }]).cancellations).toEqual([]);
  });

  it("detects a job whose group is its own run's workflow-level group (a deadlock GitHub cancels)", () => {
    const workflow = workflowOf([job('deploy', { concurrency: group('deploy') })], { concurrency: group('deploy') });
    const [cancelled] = simulate(workflow, [{ at: 0, run: PUSH }]).cancellations;
    expect(cancelled).toMatchObject({ victim: 'run 1: deploy', sameRun: true, deadlock: true });
    expect(sharedGroupPairs(workflow, PUSH)).toEqual([{ group: 'deploy', a: '(workflow)', b: 'deploy' }]);
  });

  it('sees two runs deploy the same target at once without a group, and never with one', () => {
    expect(checkConcurrency(workflowOf([job('deploy')]))[0]).toMatchObject({ kind: 'overlapping deploy' });
    expect(checkConcurrency(workflowOf([job('deploy')], { concurrency: group('d') }))).toEqual([]);
    expect(checkConcurrency(workflowOf([job('deploy', { concurrency: group('d') })]))).toEqual([]);
  });

  it('sees a dispatch for one environment cancel a pending one for another, unless the group is keyed by it', () => {
    const dispatch = (environment: string): RunSpec => ({
      event: 'workflow_dispatch',
      ref: 'refs/heads/main',
      inputs: { environment },
    });
    const starts = ['dev', 'prod', 'staging'].map((e, i) => ({ at: i * 0.2, run: dispatch(e) }));
    const shared = workflowOf([job('deploy')], { concurrency: group('deploy') });
    expect(simulate(shared, starts).cancellations).toMatchObject([{ victim: 'run 2', crossTarget: true }]);
    const keyed = workflowOf([job('deploy')], { concurrency: group('deploy-${{ inputs.environment }}') });
    expect(simulate(keyed, starts).cancellations).toEqual([]);
  });

  it('counts a pending deploy cancelled by a run of another event that does not deploy it', () => {
    // Pull requests only plan; a push to main applies. One group for both lets a plan cancel a waiting apply.
    const apply = (key: string) =>
      workflowOf([job('terraform', { concurrency: group(key), deployIfs: ["github.ref == 'refs/heads/main'"] })], {
        events: ['push', 'pull_request'],
      });
    const starts = [PUSH, PUSH, pr(1)].map((run, i) => ({ at: i * 0.2, run }));
    expect(simulate(apply('tf'), starts).cancellations).toMatchObject([
      { victim: 'run 2: terraform', lostDeploy: true },
    ]);
    expect(checkConcurrency(apply('tf')).map((v) => v.kind)).toContain('lost deploy');
    const keyed = apply('tf-${{ github.event.pull_request.number || github.ref }}');
    expect(simulate(keyed, starts).cancellations).toEqual([]);
    expect(checkConcurrency(keyed)).toEqual([]);
  });

  it('keeps pull requests apart with a group keyed by pull request', () => {
    const keyed = group('preview-${{ github.event.pull_request.number }}');
    const workflow = workflowOf([job('preview', { concurrency: keyed })], { events: ['pull_request'] });
    expect(
      simulate(
        workflow,
        [0, 0.2, 0.4].map((at, i) => ({ at, run: pr(i + 1) })),
      ).cancellations,
    ).toEqual([]);
    expect(checkConcurrency(workflow)).toEqual([]);
    const shared = workflowOf([job('preview', { concurrency: group('preview') })], { events: ['pull_request'] });
    expect(
      simulate(
        shared,
        [0, 0.2, 0.4].map((at, i) => ({ at, run: pr(i + 1) })),
      ).cancellations,
    ).toHaveLength(1);
  });

  it('skips jobs whose condition fails, and what needs them', () => {
    const workflow = workflowOf([
      job('deploy', { if: "github.event_name == 'push'" }),
      job('smoke', { needs: ['deploy'], deploys: false }),
    ]);
    expect(simulate(workflow, [{ at: 0, run: pr(1) }]).completed[1]).toEqual([]);
    expect(simulate(workflow, [{ at: 0, run: PUSH }]).completed[1]).toEqual(['deploy', 'smoke']);
  });
});

describe('conditions and matrices', () => {
  const scope = { run: PUSH, workflow: workflowOf([]) };
  it.each([
    ["github.event_name == 'push'", true],
    ["${{ github.ref == 'refs/heads/dev' }}", false],
    ["github.event_name == 'push' && github.repository == 'x/y'", true],
    ["needs.changes.outputs.app == 'true'", true],
    ['failure()', false],
    ['always()', true],
    ["inputs.deploy && github.event_name == 'push'", false],
  ])('`%s` holds: %s (a condition it cannot decide holds)', (condition, expected) => {
    expect(holds(condition, scope)).toBe(expected);
  });

  it('expands a matrix as GitHub does: the product, less exclude, then include', () => {
    const matrix = parseDocument(
      'os: [linux, windows]\nnode: [18, 20]\nexclude:\n  - { os: windows, node: 18 }\ninclude:\n  - { os: linux, experimental: true }\n  - { os: mac, node: 22 }\n',
    ).contents;
    expect(legsOf(matrix)).toEqual([
      { os: 'linux', node: 18, experimental: true },
      { os: 'linux', node: 20, experimental: true },
      { os: 'windows', node: 20 },
      { os: 'mac', node: 22 },
    ]);
    expect(legsOf(parseDocument('${{ fromJSON(needs.a.outputs.m) }}').contents)).toHaveLength(2);
    expect(legsOf(undefined)).toEqual([undefined]);
  });
});

/** The model of a workflow text, with wf-lint's view of which jobs deploy (called workflows read beside it). */
function modelOf(path: string, text: string): SimWorkflow {
  const loaded = loadWorkflow(path, text);
  const calls = new CalledWorkflows(DEFAULT_SETTINGS, readCalledWorkflow, listWorkflowFolder);
  const facts = new Facts(loaded.workflow!, loaded.diagnostics, DEFAULT_SETTINGS, calls);
  return simWorkflowOf(loaded.workflow!, deploysByFacts(facts));
}

const FIX = join(FIXTURES, 'fix');
const pairsOf = (workflow: SimWorkflow) => runSpecs(workflow).flatMap((spec) => sharedGroupPairs(workflow, spec));

describe('every missing-concurrency fix pair, proved against the model', () => {
  const dir = join(FIX, 'missing-concurrency');
  const cases = readdirSync(dir).filter((f) => f.endsWith('.yml') && !f.endsWith('.fixed.yml'));
  it.each(cases)('%s: the fixed workflow never cancels its own jobs nor deploys a target twice at once', (name) => {
    const path = join(dir, name);
    const before = modelOf(path, readFileSync(path, 'utf8'));
    const after = modelOf(path, readFileSync(path.replace(/\.yml$/, '.fixed.yml'), 'utf8'));
    expect(checkConcurrency(before).some((v) => v.kind === 'overlapping deploy')).toBe(true);
    expect(checkConcurrency(after)).toEqual([]);
    expect(pairsOf(after)).toEqual([]);
  });
});

/** What the model finds wrong with a fix case given one workflow-level group that ignores its target. */
function withOneUnkeyedGroup(name: string): string[] {
  const path = join(FIX, 'missing-concurrency', name);
  const oneGroup = readFileSync(path, 'utf8').replace(
    /^jobs:/m,
    'concurrency:\n  group: deploy-${{ github.workflow }}\n  cancel-in-progress: false\njobs:',
  );
  return checkConcurrency(modelOf(path, oneGroup)).map((v) => v.kind);
}

describe('a group that ignores how a run chooses its target', () => {
  it('sees one without the environment a needed job chooses let a run for dev cancel a pending run for prod', () => {
    expect(withOneUnkeyedGroup('environment-from-needed-output.yml')).toContain('cross-target cancellation');
  });

  it('sees one without the ref let a push to develop cancel a pending deploy to production', () => {
    expect(withOneUnkeyedGroup('ref-chooses-target.yml')).toContain('cross-target cancellation');
  });
});

describe('every fix of the other fix folders keeps what concurrency it had', () => {
  const config = parseConfig(
    '',
    'none',
    rules.map((r) => r.meta),
  );
  const folders = readdirSync(FIX).filter((f) => f !== 'missing-concurrency');
  const cases = folders.flatMap((folder) =>
    readdirSync(join(FIX, folder))
      .filter((f) => f.endsWith('.yml') && !f.endsWith('.fixed.yml'))
      .map((f) => join(folder, f)),
  );
  it.each(cases)('%s: no new same-run cancellation, no new shared group', (name) => {
    const path = join(FIX, name);
    const text = readFileSync(path, 'utf8');
    const fixed = fixText(path, text, { lint: { config, rules, onInternalError: () => undefined }, unsafe: true });
    const cancels = (w: SimWorkflow) => checkConcurrency(w).filter((v) => v.kind === 'same-run cancellation');
    const before = modelOf(path, text);
    const after = modelOf(path, fixed.text);
    expect(cancels(after).length).toBeLessThanOrEqual(cancels(before).length);
    expect(pairsOf(after).length).toBeLessThanOrEqual(pairsOf(before).length);
  });
});
