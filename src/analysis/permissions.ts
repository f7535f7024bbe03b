import type { Range } from '../findings.js';
import type { Job, Permissions, Step, Workflow } from '../workflow/model.js';
import type { Facts } from './facts.js';
import { actionName, withInput } from './match.js';

/** The permissions a job's GITHUB_TOKEN gets, and where they are written. */
export interface EffectivePermissions {
  /** Job-level `permissions:` win over workflow-level; without either GitHub's defaults apply. */
  source: 'job' | 'workflow' | 'default';
  permissions?: Permissions;
}

export function effectivePermissions(job: Job, workflow: Workflow): EffectivePermissions {
  if (job.permissions) return { source: 'job', permissions: job.permissions };
  if (workflow.permissions) return { source: 'workflow', permissions: workflow.permissions };
  return { source: 'default' };
}

/** `id-token: write`, or `write-all`. GitHub's default permissions (permissive or restricted) never grant it. */
export function grantsIdToken({ permissions }: EffectivePermissions): boolean {
  if (!permissions) return false;
  if (permissions.all !== undefined) return permissions.all.trim() === 'write-all';
  return permissions.scopes.get('id-token')?.value?.text.trim() === 'write';
}

/** A step that asks GitHub for an OIDC token, which needs `id-token: write`. */
export interface IdTokenRequest {
  step: Step;
  /** For messages: "configure-aws-credentials with role-to-assume (OIDC)". */
  how: string;
  /** The step's `uses:` value, or the federating command. */
  range: Range;
}

/**
 * Steps of a job that request a GitHub OIDC token: the OIDC credential steps wf-lint knows
 * (configure-aws-credentials with a role and no keys, azure/login with client-id, google auth with
 * workload_identity_provider, their CLI forms) and hashicorp/vault-action with `method: jwt`.
 * Left out where the action authenticates another way: configure-aws-credentials with
 * `web-identity-token-file`, `role-chaining`, keys in the environment, or on a self-hosted runner
 * (it then falls back to the runner's instance credentials); azure/login with `auth-type: IDENTITY`
 * (a managed identity); vault-action with its own `jwtPrivateKey`. Facts.idTokenRequests keeps the answer.
 */
export function idTokenRequests(job: Job, facts: Facts): IdTokenRequest[] {
  const requests: IdTokenRequest[] = facts.credentials(job).filter((c) => !authenticatesOtherwise(c.step, job, facts.workflow)).map(({ step, how, range }) => ({ step, how, range }));
  for (const step of job.steps) {
    if (step.uses && actionName(step) === 'hashicorp/vault-action' && withInput(step, 'method')?.text.trim().toLowerCase() === 'jwt' && !withInput(step, 'jwtprivatekey')) {
      requests.push({ step, how: 'vault-action with method: jwt', range: step.uses.range });
    }
  }
  return requests.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

function authenticatesOtherwise(step: Step, job: Job, workflow: Workflow): boolean {
  switch (actionName(step)) {
    case 'aws-actions/configure-aws-credentials': {
      const keysInEnv = [...workflow.env, ...job.env, ...step.env].some((e) => e.key === 'AWS_ACCESS_KEY_ID');
      const chained = withInput(step, 'role-chaining')?.text.trim() === 'true';
      return keysInEnv || chained || withInput(step, 'web-identity-token-file') !== undefined || /self-hosted/i.test(runsOnText(job));
    }
    case 'azure/login':
      return withInput(step, 'auth-type')?.text.trim().toUpperCase() === 'IDENTITY';
    default:
      return false;
  }
}

function runsOnText(job: Job): string {
  const runsOn = job.runsOn;
  if (!runsOn) return '';
  return runsOn.value?.text ?? String(runsOn.valueNode ?? '');
}
