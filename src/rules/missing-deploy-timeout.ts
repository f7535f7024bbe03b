import { addJobTimeout, suggestTimeout, timeoutOrigin } from '../fixers/missing-deploy-timeout.js';
import { defineRule } from './rule.js';
import { listOf } from './wording.js';

const SUMMARY = 'Deploying job without timeout-minutes: a hung deploy runs for 6 hours';
const DESCRIPTION = [
  'A job that runs a deploy command or action (strong evidence, not only an `environment:`) and sets no',
  '`timeout-minutes:`, with no step-level timeout on every deploy step either. GitHub then stops the job',
  'only after 360 minutes, so a deploy that hangs holds its runner, its concurrency group and its',
  'environment for six hours, and later deploys queue behind it. A reusable-workflow call cannot take',
  '`timeout-minutes:`; its called workflow is checked on its own.',
].join(' ');

const HUNG = 'GitHub stops a job only after its default of 360 minutes, so a hung deploy holds';

export const missingDeployTimeout = defineRule({
  meta: {
    id: 'missing-deploy-timeout',
    summary: SUMMARY,
    description: DESCRIPTION,
    level: 'warning',
    securitySeverity: 2.0,
    precision: 'high',
    tags: ['reliability', 'deploy'],
    fixable: ['safe'],
  },
  check({ workflow, facts, report }) {
    for (const job of workflow.jobs) {
      if (job.timeoutMinutes || job.uses) continue;
      const deployment = facts.deployment(job);
      // Only a deploy step is strong evidence; a step timeout on each of them bounds the deploy too.
      if (deployment?.basis !== 'step' || deployment.steps.every((s) => s.timeoutMinutes)) continue;
      const estimate = facts.jobDuration(job);
      const timeout = suggestTimeout(estimate.worst);
      const held = [
        'its runner',
        ...(job.concurrency || workflow.concurrency ? ['its concurrency group'] : []),
        ...(job.environment ? ['its environment'] : []),
      ];
      const holds = `${HUNG} ${listOf(held)} for six hours.`;
      const add = `Add \`timeout-minutes: ${timeout.minutes}\` to the job (${timeoutOrigin(timeout)}).`;
      report({
        at: job.keyRange,
        message: `Job '${job.id}' deploys (${deployment.reason}) and sets no \`timeout-minutes:\`. ${holds} ${add}`,
        related: [{ range: deployment.range, message: `Why the job deploys: ${deployment.reason}.` }],
        fix: addJobTimeout(workflow, job, timeout),
      });
    }
  },
});
