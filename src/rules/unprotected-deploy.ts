import { byEnvironment, type Deployment } from '../analysis/deploy.js';
import type { Facts } from '../analysis/facts.js';
import { idTokenRequests } from '../analysis/permissions.js';
import { productionEvidence, type ProductionEvidence } from '../analysis/production.js';
import { identifierLike } from '../analysis/secret-values.js';
import { upstreamJobs } from '../workflow/graph.js';
import type { Job, Workflow } from '../workflow/model.js';
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

// A job that logs in with OIDC and holds only identifiers in secrets: the exposure is its cloud identity.
const UNGATED_OIDC = [
  'GitHub applies no required reviewers, wait timer or deployment-branch rule to it,',
  "and its OIDC login works for any run that the cloud identity's trust policy admits.",
].join(' ');

const REMEDY_OIDC = [
  'Create a `production` environment (Settings → Environments) with required reviewers and deployment',
  'branches, add `environment: production` to the job, and restrict the trust policy of the identity it',
  'assumes to that environment (subject `repo:OWNER/REPO:environment:production`).',
].join(' ');

const REMEDY = [
  'Create a `production` environment (Settings → Environments) with required reviewers and deployment',
  'branches, move the production deploy secrets into it (a secret other workflows read too needs a copy in',
  'their own environment), and add `environment: production` to the job.',
].join(' ');

/** A condition that runs the job even when a job it needs failed, or was rejected at its approval. */
const RUNS_ANYWAY = /\b(always|failure|cancelled)\s*\(/;

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
    const unprotected = workflow.jobs.flatMap((job): Unprotected[] => {
      // A reusable-workflow call cannot take `environment:`; the called workflow's jobs are checked on their own.
      if (job.environment || job.uses) return [];
      const deployment = facts.deployment(job);
      if (deployment?.basis !== 'step') return [];
      const production = productionEvidence(workflow, job, deployment, facts);
      return production ? [{ job, deployment, production, gate: approvalGate(workflow, job) }] : [];
    });
    // The production jobs of a workflow with no environment are one cause, as for missing-deploy-timeout;
    // those an upstream approval gates are another.
    for (const cluster of byEnvironment(unprotected, (u) => u.gate?.environment?.name?.text.trim() ?? '')) {
      const [first, ...others] = cluster;
      const { job, deployment, production, gate } = first;
      const jobs = others.length === 0 ? `Job '${job.id}' deploys` : `${jobList(cluster.map((u) => u.job))} deploy`;
      const evidence = `${production.what}, line ${production.wordRange.start.line}`;
      const subject =
        `${jobs} to production (${evidence}; ${others.length === 0 ? '' : `job '${job.id}': `}` +
        `${deployment.reason}) but ${others.length === 0 ? 'sets' : 'set'} no \`environment:\`.`;
      const gateName = gate?.environment?.name?.text.trim();
      // An upstream approval takes more words: the job's id is cut shorter to keep the line within 120.
      const who =
        others.length === 0 ? `Job '${brief(job.id, gate ? 20 : 32)}' deploys` : `${cluster.length} jobs deploy`;
      const oidc = oidcOnly(job, facts);
      const upstream = oidc ? '(approved upstream, but not itself)' : '(approved upstream; its secrets are repo-wide)';
      const [ungated, remedy] = oidc ? [UNGATED_OIDC, REMEDY_OIDC] : [UNGATED, REMEDY];
      report({
        at: job.keyRange,
        message:
          `${who} to production with no \`environment:\` ` +
          (gate ? upstream : '(no required reviewers or branch rules)'),
        detail: gate
          ? `${subject} ${gatedDetail(gate, gateName, oidc)}`
          : `${subject} ${ungated} ${remedy}${others.length === 0 ? '' : ' Do the same for each of the others.'}`,
        related: [
          {
            range: production.wordRange,
            message: `Why the target is production: \`${production.word}\`, in ${production.what}.`,
          },
          { range: deployment.range, message: `Why the job deploys: ${deployment.reason}.` },
          ...(gate?.environment
            ? [{ range: gate.environment.range, message: `The approval that gates the run: job '${gate.id}'.` }]
            : []),
          ...others.map((u) => ({
            range: u.job.keyRange,
            message:
              `Job '${u.job.id}' deploys to production too, with no \`environment:\` ` +
              `(\`${u.production.word}\`): ${u.deployment.reason}.`,
          })),
        ],
      });
    }
  },
});

/** An upstream approval: what the job waits for, and what it still lacks. */
function gatedDetail(gate: Job, name: string | undefined, oidc: boolean): string {
  const env = name ? `\`environment: ${name}\`` : 'an `environment:`';
  const gates =
    `It runs only after job '${gate.id}', which it needs and which has ${env}, ` +
    'so an approval there gates the run; ';
  return oidc
    ? gates +
        `but the cloud identity it assumes with OIDC does not know that. Add ${env} to this job too and restrict ` +
        "the identity's trust policy to that environment, so only approved runs can assume it."
    : gates +
        "but the deploy's own credentials are still repository secrets that any workflow on any branch can read. " +
        `Move them into that environment and add ${env} to this job too, so only approved runs get them.`;
}

/** The job logs in with OIDC and every secret it uses is an identifier (an id, a name, a URL): no key to move. */
function oidcOnly(job: Job, facts: Facts): boolean {
  if (idTokenRequests(job, facts).length === 0) return false;
  const pattern = facts.settings.identifierSecrets;
  return facts.secretConsumption(job).uses.every((use) => identifierLike(use.secret, pattern));
}

/**
 * The nearest job that the job needs (directly or through others) with an `environment:`, when the
 * job cannot run without it succeeding: a rejected approval then stops the deploy too.
 */
function approvalGate(workflow: Workflow, job: Job): Job | undefined {
  if (job.if && RUNS_ANYWAY.test(job.if.text)) return undefined;
  return upstreamJobs(workflow, job).find((j) => j.environment);
}

interface Unprotected {
  job: Job;
  deployment: Deployment;
  production: ProductionEvidence;
  gate?: Job;
}
