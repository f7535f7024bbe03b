import { byEnvironment, type Deployment } from '../analysis/deploy.js';
import type { Fix } from '../findings.js';
import type { Facts } from '../analysis/facts.js';
import { CALL_ENVIRONMENT_INPUT, canOverlap } from '../analysis/deploy-recognisers.js';
import { changeScopedBy } from '../analysis/change-scope.js';
import { overlapsOnlyByHand } from '../analysis/triggers.js';
import type { Job, ScalarValue } from '../workflow/model.js';
import { anyComplementary } from '../workflow/expressions.js';
import { dependsOnRun, planConcurrency, type ConcurrencyPlan } from '../fixers/missing-concurrency.js';
import { defineRule } from './rule.js';
import { brief, jobList } from './wording.js';

const SUMMARY = 'Deploying job can run twice at once: no concurrency group';
const DESCRIPTION = [
  'A job that deploys (it runs a deploy command or action, or sets a deploy `environment:` and is named',
  'for deploying, or calls a local reusable workflow that deploys) in a workflow whose triggers can start',
  'overlapping runs, with no `concurrency:` on the workflow or the job. Two runs can then deploy at the',
  'same time and leave the environment half old, half new. Jobs that miss the same setting are reported',
  'once. A workflow started only by `workflow_call` is left to its caller, and a deploy that only people',
  'start (`workflow_dispatch`, or a call from such a workflow) is not reported, nor one whose only automatic',
  'runs come from a schedule that fires further apart than a run can last.',
].join(' ');

/** What GitHub does with a group, said precisely: it is not a queue. */
const SEMANTICS = [
  'In a concurrency group GitHub runs one at a time and keeps at most one more waiting:',
  'a newer one cancels the one waiting (never the running one, with `cancel-in-progress: false`),',
  'so the latest commit still deploys last.',
].join(' ');

/** The harm, by the kind of deploy: stepwise deploys interleave; an atomic one switches a pointer, in any order. */
const OVERLAP = 'so two runs can deploy at once and leave the environment half old, half new.';
const ORDERING =
  'so two runs can deploy at once; each deployment is atomic (it switches the live version in one step), ' +
  'but the older run can finish last and leave the older version live.';
const PUSH_RACE =
  'so two runs can publish at once by pushing the same branch: one push is rejected, ' +
  "or an older run's forced push lands last and leaves the site stale.";
// Each at most as long as the stepwise one: the first line stays within 120 characters with the longest job id.
const HARM = {
  stepwise: 'two runs can deploy at once',
  atomic: 'the older run may stay live',
  branchPush: 'an older push may land last',
};

const BY_RUN =
  'keyed by whether the run deploys (else by pull request or ref), because some runs reach the job ' +
  'without deploying and must not cancel a pending deploy of another run';
const WHOLE_RUNS = 'whole runs of this deploy pipeline then go one at a time';
const PER_JOB = 'one group per job and matrix leg, so that jobs of one run never cancel each other';
const PER_PR = 'keyed by pull request, so that previews of different pull requests never cancel each other';
const perTarget = (target: string) =>
  `keyed by the deploy target \`${target}\`, so that deploys to different targets never cancel each other`;

interface Uncovered {
  job: Job;
  deployment: Deployment;
}

export const missingConcurrency = defineRule({
  meta: {
    id: 'missing-concurrency',
    summary: SUMMARY,
    description: DESCRIPTION,
    level: 'warning',
    securitySeverity: 4.0,
    precision: 'high',
    tags: ['reliability', 'deploy'],
    fixable: ['safe', 'unsafe'],
  },
  check({ workflow, facts, report }) {
    if (workflow.concurrency || !workflow.triggers.some((t) => canOverlap(t.event))) return;
    const uncovered = workflow.jobs.flatMap((job): Uncovered[] => {
      if (job.concurrency) return [];
      const deployment = facts.deployment(job);
      // A deploy only people start (or a slow schedule) overlaps only when a person starts a run.
      if (!deployment || overlapsOnlyByHand(facts, job, deployment.steps)) return [];
      return !serialisedByCallee(deployment) ? [{ job, deployment }] : [];
    });
    if (uncovered.length === 0) return;
    const deploying = uncovered.map((u) => u.job);
    const conditional = new Map(
      uncovered
        .filter((u) => deploysInSomeRuns(u.job, u.deployment))
        .map((u) => [u.job, u.deployment.callee || u.job.uses ? [] : u.deployment.steps.map((s) => s.if?.text)]),
    );
    const plan = planConcurrency(workflow, {
      deploying,
      calleeGroups: calleeGroups(workflow.jobs, facts),
      conditional,
    });
    for (const cluster of byEnvironment(uncovered, environmentOf)) {
      const [first, ...others] = cluster;
      const scopedBy = cluster.map((u) => changeScopedBy(workflow, u.job)).find((by) => by !== undefined);
      report({
        at: first.job.keyRange,
        message: headline(cluster),
        detail: messageFor(cluster, plan) + (scopedBy ? ` ${LOST_CHANGES(scopedBy)}` : ''),
        related: [
          { range: first.deployment.range, message: `Why the job deploys: ${first.deployment.reason}.` },
          ...others.map(({ job, deployment }) => ({
            range: job.keyRange,
            message: `Job '${job.id}' deploys too, with no \`concurrency:\`: ${deployment.reason}.`,
          })),
        ],
        fix: scopedFix(plan.fixFor(cluster.map((u) => u.job)), scopedBy),
      });
    }
  },
});

/**
 * For a run that deploys only what its own push changed: a group makes GitHub cancel a waiting run when a
 * newer one arrives, and that run's changes would never deploy.
 */
const LOST_CHANGES = (by: string) =>
  `But each run deploys only what its own push changed (${by}): a run the group cancels while it waits ` +
  'would leave its changes undeployed, so the fix is offered as unsafe; have each run deploy what changed ' +
  'since the last successful deploy before adding the group.';

/** A group changes what such a workflow deploys: the fix is then unsafe (applied with --unsafe-fixes only). */
function scopedFix(fix: Fix | undefined, scopedBy: string | undefined): Fix | undefined {
  return fix && scopedBy ? { ...fix, kind: 'unsafe' } : fix;
}

/** The environment a job names, or for a call the environment it passes: one finding per environment. */
function environmentOf(u: Uncovered): string {
  const passed = u.job.with.find((e) => CALL_ENVIRONMENT_INPUT.test(e.key))?.value?.text;
  return (u.job.environment?.name?.text ?? passed ?? '').trim();
}

function messageFor(cluster: Uncovered[], plan: ConcurrencyPlan): string {
  const [first, ...others] = cluster;
  const why = first.deployment.reason;
  const subject =
    others.length === 0
      ? `Job '${first.job.id}' deploys (${why}) but neither it nor the workflow sets`
      : `${jobList(cluster.map((u) => u.job))} deploy (job '${first.job.id}': ${why}) ` +
        'but neither they nor the workflow set';
  const harm = branchPush(cluster) ? PUSH_RACE : atomic(cluster) ? ORDERING : OVERLAP;
  return `${subject} \`concurrency:\`, ${harm} ${SEMANTICS} ${remedy(first.job, others.length > 0, plan)}`;
}

/** The group to add, where it goes, and what it is keyed by. */
function remedy(job: Job, more: boolean, plan: ConcurrencyPlan): string {
  const entry = `\`concurrency: { group: ${plan.groupOf(job)}, cancel-in-progress: false }\``;
  const { target, pullRequest, byRun } = plan.keysOf(job);
  const keyed = [target ? perTarget(target) : '', pullRequest ? PER_PR : '', byRun ? BY_RUN : ''].filter(Boolean);
  if (plan.shape === 'pipeline') return `Add ${entry} to the workflow: ${[WHOLE_RUNS, ...keyed].join('; ')}.`;
  const where = more ? `to job '${job.id}', and a group of its own to each other deploying job` : `to job '${job.id}'`;
  return `Add ${entry} ${where}: ${[PER_JOB, ...keyed].join('; ')}.`;
}

/** The first line: which jobs deploy with no group, and what can happen. */
function headline(cluster: Uncovered[]): string {
  const [first, ...others] = cluster;
  const more = `and ${others.length} more job${others.length === 1 ? '' : 's'}`;
  const job = `Job '${brief(first.job.id)}'`;
  const jobs = others.length === 0 ? `${job} deploys` : `${job} ${more} deploy`;
  const harm = branchPush(cluster) ? HARM.branchPush : atomic(cluster) ? HARM.atomic : HARM.stepwise;
  return `${jobs} with no \`concurrency:\` group: ${harm}`;
}

/** Every job of the finding publishes by pushing a branch (DeployAction.branchPush). */
const branchPush = (cluster: Uncovered[]) => cluster.every((u) => u.deployment.branchPush === true);

/** Every job of the finding deploys atomically (DeployAction.atomic). */
const atomic = (cluster: Uncovered[]) => cluster.every((u) => u.deployment.atomic === true);

/**
 * A called workflow that serialises its own deploys (workflow-level, or on every deploying job, or in the
 * workflows its deploying jobs call in turn) needs nothing from the caller.
 */
function serialisedByCallee({ callee }: Deployment): boolean {
  if (!callee) return false;
  if (callee.workflow.concurrency !== undefined) return true;
  const serialised = callee.mapJobs((job) => {
    const deployment = callee.facts.deployment(job);
    return deployment ? [job.concurrency !== undefined || serialisedByCallee(deployment)] : [];
  });
  return serialised.every(Boolean);
}

/**
 * Whether some runs reach the job without deploying: a deploy step's `if:` reads the event or the ref
 * (`github.ref == 'refs/heads/main'` while pull requests only plan), or a called workflow that cannot be
 * read, or whose deploying jobs or steps depend on the caller's event or ref.
 */
function deploysInSomeRuns(job: Job, deployment: Deployment): boolean {
  if (job.uses && !deployment.callee) return true;
  const readsRun = (c: ScalarValue | undefined) => c !== undefined && dependsOnRun(c);
  const gated = deployment.steps.filter((s) => readsRun(s.if)).map((s) => s.if?.text ?? '');
  // Steps under opposite conditions (`inputs.version == ''` and `!= ''`): one of them deploys in every run.
  const everyRun = anyComplementary(gated);
  if (gated.length > 0 && !everyRun) return true;
  const { callee } = deployment;
  if (!callee) return false;
  return callee
    .mapJobs((j) => {
      const inner = callee.facts.deployment(j);
      return inner
        ? [
            readsEvent(j.if) ||
              inner.steps.some((s) => readsEvent(s.if)) ||
              (j.uses !== undefined && deploysInSomeRuns(j, inner)),
          ]
        : [];
    })
    .some(Boolean);
}

/** Inside a called workflow, `github` is the caller's: its event and ref decide, its inputs are fixed by the call. */
const readsEvent = (c: ScalarValue | undefined) =>
  c !== undefined && c.expressions.some((e) => e.refs.some((r) => r.context === 'github'));

/** The groups written in the local workflows the jobs call: a caller's group must not take one of them. */
function calleeGroups(jobs: Job[], facts: Facts): string[] {
  return jobs.flatMap((job) => {
    const callee = job.uses ? facts.calledWorkflow(job) : undefined;
    if (!callee) return [];
    const all = [callee.workflow.concurrency, ...callee.workflow.jobs.map((j) => j.concurrency)];
    return all.flatMap((c) => (c?.group ? [c.group.text] : []));
  });
}
