import { stepIsBounded } from '../analysis/bounded-actions.js';
import { byEnvironment, environmentKey, type Deployment } from '../analysis/deploy.js';
import type { Fix } from '../findings.js';
import {
  addJobTimeout,
  GITHUB_JOB_LIMIT_MINUTES,
  suggestTimeout,
  timeoutOrigin,
  type SuggestedTimeout,
} from '../fixers/missing-deploy-timeout.js';
import type { Job } from '../workflow/model.js';
import { defineRule } from './rule.js';
import { brief, jobDeploys, jobList, listOf } from './wording.js';

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
    const unbounded = workflow.jobs.flatMap((job): Unbounded[] => {
      if (job.timeoutMinutes || job.uses) return [];
      const deployment = facts.deployment(job);
      // Only a deploy step is strong evidence; a timeout on each of them (its own or the action's) bounds the deploy.
      if (deployment?.basis !== 'step' || deployment.steps.every(stepIsBounded)) return [];
      return [{ job, deployment, timeout: suggestTimeout(facts.jobDuration(job).worst) }];
    });
    for (const cluster of byEnvironment(unbounded, (u) => environmentKey(u.job))) {
      const [first, ...others] = cluster;
      const { job, deployment, timeout } = first;
      const held = [
        'its runner',
        ...(job.concurrency || workflow.concurrency ? ['its concurrency group'] : []),
        ...(job.environment ? ['its environment'] : []),
      ];
      const holds = `${HUNG} ${listOf(held)} for six hours.`;
      const add =
        timeout.minutes < GITHUB_JOB_LIMIT_MINUTES
          ? `Add \`timeout-minutes: ${timeout.minutes}\` to the job (${timeoutOrigin(timeout)})`
          : `Add \`timeout-minutes:\` to the job, set to the longest a healthy deploy takes (its worst-case ` +
            `estimate, ${timeout.worstMinutes} minutes, is too long for wf-lint to suggest a number under 360)`;
      const subject =
        others.length === 0
          ? `${jobDeploys(job, deployment)} and sets no \`timeout-minutes:\`.`
          : `${jobList(cluster.map((u) => u.job))} deploy (job '${job.id}': ${deployment.reason}) ` +
            'and set no `timeout-minutes:`.';
      const each =
        others.length === 0 ? `${add}.` : `${add}, and to each of the others the timeout of its own estimate.`;
      const fixes = cluster.map((u) => addJobTimeout(workflow, u.job, u.timeout));
      report({
        at: job.keyRange,
        message:
          `${others.length === 0 ? `Job '${brief(job.id)}' deploys` : `${cluster.length} jobs deploy`} ` +
          `with no \`timeout-minutes:\`: a hang holds ${held[held.length - 1]} for 6 h`,
        detail: `${subject} ${holds} ${each}`,
        related: [
          { range: deployment.range, message: `Why the job deploys: ${deployment.reason}.` },
          ...others.map((u) => ({
            range: u.job.keyRange,
            message: `Job '${u.job.id}' deploys too, with no timeout: add \`timeout-minutes: ${u.timeout.minutes}\`.`,
          })),
        ],
        fix: fixes.every((f) => f !== undefined) ? mergeFixes(fixes, cluster.length) : undefined,
      });
    }
  },
});

interface Unbounded {
  job: Job;
  deployment: Deployment;
  timeout: SuggestedTimeout;
}

function mergeFixes(fixes: Fix[], jobs: number): Fix {
  if (fixes.length === 1) return fixes[0];
  return {
    kind: 'safe',
    description: `add timeout-minutes to each of ${jobs} jobs, from each job's worst-case estimate`,
    edits: fixes.flatMap((f) => f.edits),
  };
}
