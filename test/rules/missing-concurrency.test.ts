import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CalledWorkflows, type ListWorkflows } from '../../src/analysis/called-workflows.js';
import { parseConfig } from '../../src/config/config.js';
import { lintBytes, listWorkflowFolder, readCalledWorkflow } from '../../src/lint.js';
import { rules } from '../../src/rules/registry.js';
import { FIXTURES, lintFixture } from './harness.js';

const fixture = (name: string) => lintFixture(join(FIXTURES, 'missing-concurrency', name), 'missing-concurrency');

/** Lints a workflow text with every rule; returns the findings of one rule. */
function findingsOf(text: string, rule: string) {
  const config = parseConfig(
    '',
    'none',
    rules.map((r) => r.meta),
  );
  const calledWorkflows = new CalledWorkflows(config.settings, () => undefined);
  const onInternalError = (id: string, _path: string, error: unknown) => {
    throw new Error(`${id}: ${String(error)}`);
  };
  const result = lintBytes('wf.yml', Buffer.from(text), { config, rules, calledWorkflows, onInternalError });
  return result.findings.filter((f) => f.ruleId === rule);
}

describe('missing-concurrency reports a cause once', () => {
  it('gives the 25 apply jobs of a terragrunt pipeline one finding, the other 24 jobs as related locations', () => {
    const { findings } = fixture('terragrunt-pipeline.yml');
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    const others = finding.related!.filter((r) => r.message.startsWith('Job '));
    expect(others).toHaveLength(24);
    expect(others[0].message).toBe(
      "Job 'terragrunt-apply-ecr' deploys too, with no `concurrency:`: it runs `terragrunt apply` (line 106).",
    );
    expect(finding.fix?.edits).toHaveLength(1);
    expect(finding.detail).toContain('to the workflow: whole runs of this deploy pipeline then go one at a time');
  });

  it('names every job in its related locations, with why each deploys', () => {
    const related = (name: string) => fixture(name).findings[0].related!.map((r) => r.message);
    expect(related('s3-sync-and-tool-runners.yml')).toEqual([
      'Why the job deploys: it runs `aws s3 sync` (line 16).',
      "Job 'infra' deploys too, with no `concurrency:`: it runs `cdk deploy` (line 24).",
      "Job 'api' deploys too, with no `concurrency:`: it runs `serverless deploy` (line 30).",
    ]);
    expect(related('settings-deploy-command.yml')).toContain(
      "Job 'release' deploys too, with no `concurrency:`: it runs `make release` (line 21).",
    );
  });

  it('keeps one finding per environment when the jobs deploy to different ones', () => {
    const text = (environments: string[]) =>
      'on:\n  push:\n    branches: [main]\njobs:\n' +
      environments
        .map((e, i) => `  d${i}:\n    runs-on: x\n    environment: ${e}\n    steps:\n      - run: terraform apply\n`)
        .join('');
    expect(findingsOf(text(['staging', 'production']), 'missing-concurrency')).toHaveLength(2);
    const same = findingsOf(text(['production', 'production', 'production']), 'missing-concurrency');
    expect(same).toHaveLength(1);
    expect(same[0].detail).toMatch(/^Jobs 'd0', 'd1' and 'd2' deploy \(job 'd0': it sets `environment: production`/);
  });

  it('says what GitHub does with a group: one runs, one waits, a newer one cancels the one waiting', () => {
    const [finding] = fixture('ssh-action.yml').findings;
    expect(finding.detail).toContain(
      'In a concurrency group GitHub runs one at a time and keeps at most one more waiting: a newer one cancels the one waiting (never the running one, with `cancel-in-progress: false`), so the latest commit still deploys last.',
    );
    expect(finding.detail).not.toMatch(/\bqueue/);
  });
});

describe('deploy-cancel-in-progress reports a cause once', () => {
  const job = (id: string, environment: string) =>
    `  ${id}:\n    runs-on: x\n    environment: ${environment}\n    concurrency:\n      group: ${id}\n      cancel-in-progress: true\n    steps:\n      - run: helm upgrade --install ${id} ./chart\n`;

  it('groups job-level settings of jobs that deploy to one environment, with one fix for them all', () => {
    const findings = findingsOf(
      `on: push\njobs:\n${job('api', 'production')}${job('web', 'production')}`,
      'deploy-cancel-in-progress',
    );
    expect(findings).toHaveLength(1);
    expect(findings[0].detail).toMatch(/cancel jobs 'api', 'web' midway through their deploys/);
    expect(findings[0].related!.map((r) => r.message)[0]).toBe("Job 'web' cancels in progress too.");
    expect(findings[0].fix?.edits).toHaveLength(2);
  });

  it('keeps one finding per environment', () => {
    const findings = findingsOf(
      `on: push\njobs:\n${job('api', 'staging')}${job('web', 'production')}`,
      'deploy-cancel-in-progress',
    );
    expect(findings).toHaveLength(2);
  });

  it('says what GitHub does instead of cancelling: the newer run waits, and replaces any run already waiting', () => {
    const [finding] = findingsOf(`on: push\njobs:\n${job('api', 'production')}`, 'deploy-cancel-in-progress');
    expect(finding.detail).toContain('a newer run then waits until the running deploy ends');
    expect(finding.detail).not.toMatch(/\bqueue/);
  });
});

describe('missing-concurrency and deploys only people start', () => {
  const callee = join(FIXTURES, 'missing-concurrency/manual-callers/.github/workflows/deploy-lib.ok.yml');
  const lintCallee = (list: ListWorkflows) => {
    const config = parseConfig(
      '',
      'none',
      rules.map((r) => r.meta),
    );
    const calledWorkflows = new CalledWorkflows(config.settings, readCalledWorkflow, list);
    const onInternalError = (id: string, _path: string, error: unknown) => {
      throw new Error(`${id}: ${String(error)}`);
    };
    const options = { config, rules, calledWorkflows, onInternalError };
    return lintBytes(callee, readFileSync(callee), options).findings.filter((f) => f.ruleId === 'missing-concurrency');
  };

  it('counts a workflow_call as manual when its callers are known and all manual, or there is none', () => {
    expect(lintCallee(listWorkflowFolder)).toEqual([]);
    // Callers unknown (nothing to list): they may be automatic.
    expect(lintCallee(() => undefined)).toHaveLength(1);
    // No local caller: a caller in another repository owns its own concurrency.
    expect(lintCallee(() => [])).toEqual([]);
  });

  it('follows `needs` and `if:` to the events that reach a job', () => {
    const text = (deployIf: string) =>
      'on: [push, workflow_dispatch]\njobs:\n' +
      "  gate:\n    if: github.event_name == 'workflow_dispatch'\n    runs-on: x\n    steps:\n      - run: echo ok\n" +
      `  deploy:\n    needs: gate\n${deployIf}    runs-on: x\n    steps:\n      - run: helm upgrade --install a ./c\n`;
    expect(findingsOf(text(''), 'missing-concurrency')).toEqual([]);
    expect(findingsOf(text('    if: always()\n'), 'missing-concurrency')).toHaveLength(1);
    // After always(), a conjunct that requires the gate to have succeeded keeps the gate's events.
    const ran = "    if: always() && needs.gate.result == 'success'\n";
    expect(findingsOf(text(ran), 'missing-concurrency')).toEqual([]);
    const either = "    if: always() && (needs.gate.result == 'success' || needs.gate.result == 'skipped')\n";
    expect(findingsOf(text(either), 'missing-concurrency')).toHaveLength(1);
    expect(findingsOf(text("    if: github.event_name == 'push' || true\n"), 'missing-concurrency')).toEqual([]);
  });
});

describe('missing-concurrency keeps a run that deploys only its own changes', () => {
  it('offers the group as an unsafe fix when each run deploys only what its push changed', () => {
    const { findings } = fixture('deploys-own-push-changes.yml');
    expect(findings).toHaveLength(1);
    expect(findings[0].fix?.kind).toBe('unsafe');
    expect(findings[0].detail).toContain('have each run deploy what changed since the last successful deploy');
  });

  it('keeps the fix safe when the runs deploy the whole tree', () => {
    const { findings } = fixture('terragrunt-pipeline.yml');
    expect(findings[0].fix?.kind).toBe('safe');
  });
});
