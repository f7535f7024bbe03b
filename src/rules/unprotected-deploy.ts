import { productionEvidence } from '../analysis/production.js';
import { defineRule } from './rule.js';

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
    for (const job of workflow.jobs) {
      // A reusable-workflow call cannot take `environment:`; the called workflow's jobs are checked on their own.
      if (job.environment || job.uses) continue;
      const deployment = facts.deployment(job);
      if (deployment?.basis !== 'step') continue;
      const production = productionEvidence(workflow, job, deployment, facts);
      if (!production) continue;
      report({
        at: job.keyRange,
        message:
          `Job '${job.id}' deploys to production (${production.what}; ${deployment.reason}) ` +
          `but sets no \`environment:\`. ${UNGATED} ${REMEDY}`,
        related: [
          { range: production.range, message: `Why the target is production: ${production.what}.` },
          { range: deployment.range, message: `Why the job deploys: ${deployment.reason}.` },
        ],
      });
    }
  },
});
