import type { Deployment } from '../analysis/deploy.js';
import { productionEvidence, type ProductionEvidence } from '../analysis/production.js';
import type { Job } from '../workflow/model.js';
import { defineRule } from './rule.js';
import { brief, jobList } from './wording.js';

const SUMMARY = 'Production deploy without environment: no reviewers, branch rules or environment secrets';
const DESCRIPTION = [
  'A job that runs a deploy command or action whose names, inputs or target variables say production',
  '(`prod`, `production`, `prd`, or a whole value `live`) and that sets no `environment:`. GitHub then',
  'applies no required reviewers, wait timer or deployment-branch rule to it, and the deploy credentials',
  'have to be repository secrets that every job and branch can read. There is no automatic fix: an',
  'environment is configured in the repository settings.',
].join(' ');

const UNGATED = [
  'GitHub applies no required reviewers, wait timer or deployment-branch rule to it,',
  'and its credentials are repository secrets that any workflow on any branch can read.',
].join(' ');

const REMEDY = [
  'Create a `production` environment (Settings → Environments) with required reviewers and deployment',
  'branches, move the deploy secrets into it, and add `environment: production` to the job.',
].join(' ');

export const unprotectedDeploy = defineRule({
  meta: {
    id: 'unprotected-deploy',
    summary: SUMMARY,
    description: DESCRIPTION,
    level: 'warning',
    securitySeverity: 5.0,
    precision: 'high',
    tags: ['security', 'deploy'],
    fixable: [],
  },
  check({ workflow, facts, report }) {
    const unprotected = new Map<string, Unprotected[]>();
    for (const job of workflow.jobs) {
      // A reusable-workflow call cannot take `environment:`; the called workflow's jobs are checked on their own.
      if (job.environment || job.uses) continue;
      const deployment = facts.deployment(job);
      if (deployment?.basis !== 'step') continue;
      const production = productionEvidence(workflow, job, deployment, facts);
      // Jobs that production reaches for the same reason (`ENVIRONMENT: production` on the workflow) are one cause.
      if (production)
        unprotected.set(production.what, [
          ...(unprotected.get(production.what) ?? []),
          { job, deployment, production },
        ]);
    }
    for (const [first, ...others] of unprotected.values()) {
      const { job, deployment, production } = first;
      const subject =
        others.length === 0
          ? `Job '${job.id}' deploys to production (${production.what}; ${deployment.reason}) but sets no`
          : `${jobList([job, ...others.map((u) => u.job)])} deploy to production ` +
            `(${production.what}; job '${job.id}': ${deployment.reason}) but set no`;
      report({
        at: job.keyRange,
        message:
          `${others.length === 0 ? `Job '${brief(job.id)}' deploys` : `${others.length + 1} jobs deploy`} ` +
          'to production with no `environment:` (no required reviewers or branch rules)',
        detail: `${subject} \`environment:\`. ${UNGATED} ${REMEDY}`,
        related: [
          { range: production.range, message: `Why the target is production: ${production.what}.` },
          { range: deployment.range, message: `Why the job deploys: ${deployment.reason}.` },
          ...others.map((u) => ({
            range: u.job.keyRange,
            message: `Job '${u.job.id}' deploys to production too, with no \`environment:\`: ${u.deployment.reason}.`,
          })),
        ],
      });
    }
  },
});

interface Unprotected {
  job: Job;
  deployment: Deployment;
  production: ProductionEvidence;
}
