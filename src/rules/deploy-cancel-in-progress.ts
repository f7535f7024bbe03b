import { byEnvironment, environmentKey, type Deployment } from '../analysis/deploy.js';
import type { Concurrency, Job, ScalarValue } from '../workflow/model.js';
import { waitInsteadOfCancel } from '../fixers/deploy-cancel-in-progress.js';
import { defineRule } from './rule.js';

const SUMMARY = 'Deploying job can be cancelled halfway: cancel-in-progress: true';
const DESCRIPTION = [
  'A deploying job governed by a concurrency group with `cancel-in-progress: true`, at the workflow or the',
  'job level. A newer run then cancels a deploy midway and leaves partial state (a half-applied Terraform',
  'plan, a rollout stopped between versions). With `cancel-in-progress: false` the newer run waits for the',
  'running deploy instead. An expression such as `${{ inputs.environment != ' + "'production'" + ' }}` is',
  'accepted. Jobs whose own groups cancel in the same way are reported once.',
].join(' ');

const PARTIAL = 'A deploy stopped halfway leaves partial state.';
const REMEDY = [
  'Set `cancel-in-progress: false`: a newer run then waits until the running deploy ends',
  '(GitHub keeps one run waiting per group, and a newer one replaces it),',
  'or use an expression that is false for the environments that matter.',
].join(' ');

interface Governed {
  value: ScalarValue;
  deploying: { job: Job; deployment: Deployment }[];
}

export const deployCancelInProgress = defineRule({
  meta: {
    id: 'deploy-cancel-in-progress',
    summary: SUMMARY,
    description: DESCRIPTION,
    level: 'warning',
    securitySeverity: 4.0,
    precision: 'very-high',
    tags: ['reliability', 'deploy'],
    fixable: ['safe'],
  },
  check({ workflow, facts, report }) {
    const governed = (concurrency: Concurrency | undefined, jobs: Job[]): Governed[] => {
      const value = concurrency?.cancelInProgress;
      if (value?.text.trim().toLowerCase() !== 'true') return [];
      const deploying = jobs.flatMap((job) => {
        const deployment = facts.deployment(job);
        // A branch push updates the ref in one step: a cancelled run has pushed all or nothing, and the newer
        // run pushes the newer site, which is what cancelling is for.
        return deployment && !deployment.branchPush ? [{ job, deployment }] : [];
      });
      return deploying.length > 0 ? [{ value, deploying }] : [];
    };
    const atWorkflow = governed(workflow.concurrency, workflow.jobs);
    const atJobs = workflow.jobs.flatMap((j) => governed(j.concurrency, [j]));
    for (const cluster of [
      ...atWorkflow.map((g) => [g]),
      ...byEnvironment(atJobs, (g) => environmentKey(g.deploying[0].job)),
    ]) {
      const deploying = cluster.flatMap((g) => g.deploying);
      const [first] = deploying;
      const who =
        deploying.length === 1
          ? `job '${first.job.id}' midway through its deploy`
          : `jobs ${deploying.map((d) => `'${d.job.id}'`).join(', ')} midway through their deploys`;
      const why =
        deploying.length === 1 ? first.deployment.reason : `job '${first.job.id}': ${first.deployment.reason}`;
      const [head, ...others] = cluster;
      const cancels = `\`cancel-in-progress: true\` lets a newer run cancel ${who}`;
      report({
        at: head.value.range,
        message: cancels,
        detail: `${cancels} (${why}). ${PARTIAL} ${REMEDY}`,
        related: [
          ...others.map((g) => ({
            range: g.value.range,
            message: `Job '${g.deploying[0].job.id}' cancels in progress too.`,
          })),
          ...deploying.map((d) => ({
            range: d.job.keyRange,
            message: `Job '${d.job.id}' deploys: ${d.deployment.reason}.`,
          })),
        ],
        fix: waitInsteadOfCancel(cluster.map((g) => g.value)),
      });
    }
  },
});
