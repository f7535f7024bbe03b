import type { Range } from '../findings.js';
import type { Job, Permissions, Step, Workflow } from '../workflow/model.js';
import type { Facts } from './facts.js';
import { actionName, withInput } from './match.js';
import { AWS, AZURE, shortName, VAULT } from './providers.js';

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
  /** For messages: how the step logs in ("… with client-id (OIDC)"). */
  how: string;
  /** The step's `uses:` value, or the federating command. */
  range: Range;
}

/**
 * Steps of a job that request a GitHub OIDC token: the OIDC credential steps wf-lint knows (see
 * credentials.ts) and Vault's login with `method: jwt`. Left out where the action authenticates
 * another way: AWS's login with `web-identity-token-file`, `role-chaining`, keys in the environment,
 * or on a self-hosted runner (it then falls back to the runner's instance credentials); Azure's
 * with `auth-type: IDENTITY` (a managed identity); Vault's with its own `jwtPrivateKey`.
 */
export function idTokenRequests(job: Job, facts: Facts): IdTokenRequest[] {
  const requests: IdTokenRequest[] = facts
    .credentials(job)
    .filter((c) => !authenticatesOtherwise(c.step, job, facts.workflow))
    .map(({ step, how, range }) => ({ step, how, range }));
  const { method, privateKey } = VAULT.inputs;
  for (const step of job.steps) {
    if (
      step.uses &&
      actionName(step) === VAULT.loginAction &&
      withInput(step, method)?.text.trim().toLowerCase() === VAULT.oidcMethod &&
      !withInput(step, privateKey)
    ) {
      requests.push({
        step,
        how: `${shortName(VAULT.loginAction)} with ${method}: ${VAULT.oidcMethod}`,
        range: step.uses.range,
      });
    }
  }
  return requests.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

function authenticatesOtherwise(step: Step, job: Job, workflow: Workflow): boolean {
  switch (actionName(step)) {
    case AWS.loginAction: {
      const keysInEnv = [...workflow.env, ...job.env, ...step.env].some((e) => e.key === AWS.env.accessKeyId);
      const chained = withInput(step, AWS.inputs.chaining)?.text.trim() === 'true';
      return (
        keysInEnv ||
        chained ||
        withInput(step, AWS.inputs.tokenFile) !== undefined ||
        /self-hosted/i.test(runsOnText(job))
      );
    }
    case AZURE.loginAction:
      return withInput(step, AZURE.inputs.authType)?.text.trim().toUpperCase() === AZURE.managedIdentity;
    default:
      return false;
  }
}

function runsOnText(job: Job): string {
  const runsOn = job.runsOn;
  if (!runsOn) return '';
  return runsOn.value?.text ?? String(runsOn.valueNode ?? '');
}
