import {
  effectivePermissions,
  grantsIdToken,
  type EffectivePermissions,
  type IdTokenRequest,
} from '../analysis/permissions.js';
import { AWS, AZURE, GCP, shortName, VAULT } from '../analysis/providers.js';
import type { RelatedLocation } from '../findings.js';
import { grantIdToken } from '../fixers/oidc-missing-id-token.js';
import { defineRule } from './rule.js';
import { brief, briefStepName, stepName } from './wording.js';

/** The OIDC logins the description names, from the providers table. */
const OIDC_LOGINS = [
  `${shortName(AWS.loginAction)} with ${AWS.inputs.role}`,
  `${AZURE.loginAction} with ${AZURE.inputs.clientId}`,
  `${GCP.loginAction} with ${GCP.inputs.workloadIdentityProvider}`,
  `${shortName(VAULT.loginAction)} with ${VAULT.inputs.method} ${VAULT.oidcMethod}`,
].join(', ');

const GRANT = '`id-token: write`';
const LACKS = `lacks ${GRANT}`;
const CALLEE_WHY = "A called workflow gets at most its caller's permissions, so the run fails";
const STEP_WHY = 'Without the token the step fails';
/** The remedy for a job on the default permissions: a block of its own, which replaces all of them. */
const DEFAULT_PERMISSIONS_REMEDY =
  'add `permissions: { id-token: write, contents: read }` to the job ' +
  '(a new permissions block replaces the defaults, so list what else the job needs)';

export const oidcMissingIdToken = defineRule({
  meta: {
    id: 'oidc-missing-id-token',
    summary: 'OIDC credential step in a job without `id-token: write`',
    description:
      `A step that exchanges a GitHub OIDC token for cloud credentials (${OIDC_LOGINS}, or their CLI forms) ` +
      'in a job whose effective permissions ' +
      '(job-level, else workflow-level, else the defaults, which never grant it) lack `id-token: write`. ' +
      'The runner then has no token to request and the step fails. ' +
      "For a call to a local reusable workflow, the caller's permissions are the ones that count.",
    level: 'error',
    securitySeverity: 2.0,
    precision: 'very-high',
    tags: ['correctness', 'oidc', 'permissions'],
    fixable: ['safe', 'unsafe'],
  },
  check({ workflow, facts, report }) {
    const callable = workflow.triggers.some((t) => t.event === 'workflow_call');
    for (const job of workflow.jobs) {
      const granted = effectivePermissions(job, workflow);
      if (grantsIdToken(granted)) continue;
      const lacking = missingGrant(job.id, granted);
      const advice = remedy(granted);
      const callee = facts.calledWorkflow(job);
      if (callee && job.uses) {
        const request = callee.workflow.jobs.flatMap((j) => callee.facts.idTokenRequests(j))[0];
        if (!request) continue;
        const calls = `Job '${job.id}' calls \`${job.uses.text}\``;
        const briefCall = `Job '${brief(job.id)}' calls \`${brief(job.uses.text, 40)}\``;
        const requests = `step ${stepName(request.step)} ${requestsToken(request)}`;
        report({
          at: job.uses.range,
          message: `${briefCall}, which requests an OIDC token, but ${LACKS}`,
          detail: `${calls}, whose ${requests}, but ${lacking}. ${CALLEE_WHY}; ${advice}.`,
          related: grantLocation(granted),
          fix: grantIdToken(workflow, job),
        });
        continue;
      }
      // Without permissions of its own, a reusable workflow gets its caller's: the caller decides.
      if (granted.source === 'default' && callable) continue;
      for (const request of facts.idTokenRequests(job)) {
        report({
          at: request.range,
          message: `Step ${briefStepName(request.step)} requests an OIDC token, but its job ${LACKS}`,
          detail: `Step ${stepName(request.step)} ${requestsToken(request)}, but ${lacking}. ${STEP_WHY}; ${advice}.`,
          related: grantLocation(granted),
          fix: grantIdToken(workflow, job),
        });
      }
    }
  },
});

function requestsToken(request: IdTokenRequest): string {
  return `requests a GitHub OIDC token (${request.how})`;
}

function missingGrant(jobId: string, granted: EffectivePermissions): string {
  switch (granted.source) {
    case 'job':
      return `job '${jobId}' sets permissions without ${GRANT}`;
    case 'workflow':
      return `the workflow's permissions, which job '${jobId}' inherits, lack ${GRANT}`;
    default:
      return `job '${jobId}' runs with the default permissions, which never grant ${GRANT}`;
  }
}

function remedy(granted: EffectivePermissions): string {
  const all = granted.permissions?.all;
  if (all !== undefined && all !== 'none') {
    const scopes = `a mapping of the scopes the ${granted.source} needs`;
    return `replace \`permissions: ${all}\` with ${scopes}, including ${GRANT}`;
  }
  if (granted.source === 'default') return DEFAULT_PERMISSIONS_REMEDY;
  return `add ${GRANT} to the ${granted.source}'s permissions`;
}

function grantLocation(granted: EffectivePermissions): RelatedLocation[] {
  return granted.permissions
    ? [{ range: granted.permissions.range, message: `The ${granted.source}'s permissions.` }]
    : [];
}
