import type { Concurrency, Job } from '../workflow/model.js';
import { queueInsteadOfCancel } from '../fixers/deploy-cancel-in-progress.js';
import { defineRule } from './rule.js';

const WHY = 'A deploy stopped halfway leaves partial state';
const REMEDY =
  'set `cancel-in-progress: false` to queue deploys instead, ' +
  'or use an expression that is false for the environments that matter';

export const deployCancelInProgress = defineRule({
  meta: {
    id: 'deploy-cancel-in-progress',
    summary: 'Deploying job can be cancelled halfway: cancel-in-progress: true',
    description:
      'A deploying job governed by a concurrency group with `cancel-in-progress: true`, ' +
      'at the workflow or the job level. ' +
      'A newer run then cancels a deploy midway and leaves partial state ' +
      '(a half-applied Terraform plan, a rollout stopped between versions). ' +
      'Queue deploys with `cancel-in-progress: false`; ' +
      "an expression such as `${{ inputs.environment != 'production' }}` is accepted.",
    level: 'warning',
    securitySeverity: 4.0,
    precision: 'very-high',
    tags: ['reliability', 'deploy'],
    fixable: ['safe'],
  },
  check({ workflow, facts, report }) {
    const governed: [Concurrency | undefined, Job[]][] = [
      [workflow.concurrency, workflow.jobs],
      ...workflow.jobs.map((j): [Concurrency | undefined, Job[]] => [j.concurrency, [j]]),
    ];
    for (const [concurrency, jobs] of governed) {
      const value = concurrency?.cancelInProgress;
      if (value?.text.trim().toLowerCase() !== 'true') continue;
      const deploying = jobs.flatMap((job) => {
        const deployment = facts.deployment(job);
        return deployment ? [{ job, deployment }] : [];
      });
      if (deploying.length === 0) continue;
      const [first] = deploying;
      const who =
        deploying.length === 1
          ? `job '${first.job.id}' midway through its deploy`
          : `jobs ${deploying.map((d) => `'${d.job.id}'`).join(', ')} midway through their deploys`;
      const reason =
        deploying.length === 1 ? first.deployment.reason : `job '${first.job.id}': ${first.deployment.reason}`;
      report({
        at: value.range,
        message: `\`cancel-in-progress: true\` lets a newer run cancel ${who} (${reason}). ${WHY}; ${REMEDY}.`,
        related: deploying.map((d) => ({
          range: d.job.keyRange,
          message: `Job '${d.job.id}' deploys: ${d.deployment.reason}.`,
        })),
        fix: queueInsteadOfCancel(value),
      });
    }
  },
});
