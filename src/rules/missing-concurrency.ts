import type { Deployment } from '../analysis/deploy.js';
import type { Facts } from '../analysis/facts.js';
import { canOverlap } from '../analysis/deploy-recognisers.js';
import type { Job } from '../workflow/model.js';
import { addConcurrency } from '../fixers/missing-concurrency.js';
import { defineRule } from './rule.js';
import { jobDeploys } from './wording.js';

const UNGROUPED = 'neither it nor the workflow sets `concurrency:`, so two runs can deploy at once';
const WHY = 'Overlapping deploys leave the environment half old, half new';

export const missingConcurrency = defineRule({
  meta: {
    id: 'missing-concurrency',
    summary: 'Deploying job can run twice at once: no concurrency group',
    description:
      'A job that deploys (it sets `environment:`, runs a deploy command or action, ' +
      'or calls a local reusable workflow that does) in a workflow whose triggers can start overlapping runs, ' +
      'with no `concurrency:` on the workflow or the job. ' +
      'Two runs can then deploy at the same time and leave the environment half old, half new. ' +
      'A workflow started only by `workflow_call` is left to its caller.',
    level: 'warning',
    securitySeverity: 4.0,
    precision: 'high',
    tags: ['reliability', 'deploy'],
    fixable: ['safe'],
  },
  check({ workflow, facts, report }) {
    if (workflow.concurrency || !workflow.triggers.some((t) => canOverlap(t.event))) return;
    for (const job of workflow.jobs) {
      if (job.concurrency) continue;
      const deployment = facts.deployment(job);
      if (!deployment || serialisedByCallee(deployment, facts)) continue;
      const group = suggestedGroup(job);
      const remedy = `queue them with \`concurrency: { group: ${group}, cancel-in-progress: false }\``;
      report({
        at: job.keyRange,
        message: `${jobDeploys(job, deployment)} but ${UNGROUPED}. ${WHY}; ${remedy}.`,
        related: [{ range: deployment.range, message: `Why the job deploys: ${deployment.reason}.` }],
        fix: addConcurrency(workflow, job, group),
      });
    }
  },
});

/**
 * A called workflow that serialises its own deploys (workflow-level, or on every deploying job) needs
 * nothing from the caller.
 */
function serialisedByCallee({ callee }: Deployment, facts: Facts): boolean {
  if (!callee) return false;
  return (
    callee.workflow.concurrency !== undefined || facts.deployingJobs(callee).every((j) => j.concurrency !== undefined)
  );
}

/** A group keyed by the environment (`deploy-production`, `deploy-${{ inputs.environment }}`), else by the workflow. */
function suggestedGroup(job: Job): string {
  const environment = job.environment?.name?.text.trim();
  return environment ? `deploy-${environment}` : 'deploy-${{ github.workflow }}';
}
