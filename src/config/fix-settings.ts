import { isScalar } from 'yaml';
import { AWS, AZURE, GCP } from '../analysis/providers.js';
import { entriesOf, type Fail } from './nodes.js';

/**
 * `settings.fix` in .wf-lint.yml: choices the fixes cannot read from the workflow itself.
 *
 *   settings:
 *     fix:
 *       lateSecretRead: refresh            # or early-load (the default)
 *       longLivedCredentials:
 *         awsRoleToAssume: vars.DEPLOY_ROLE_ARN
 *         awsRegion: eu-west-1
 */

/** Where the OIDC replacement of a static credential reads each identifier: a secret or a variable. */
export interface CredentialNames {
  awsRoleToAssume: string;
  /** The region of an AWS login step the fix inserts, when the env names none. */
  awsRegion?: string;
  azureClientId: string;
  azureTenantId: string;
  azureSubscriptionId: string;
  gcpWorkloadIdentityProvider: string;
  gcpServiceAccount: string;
}

export const DEFAULT_CREDENTIAL_NAMES: CredentialNames = {
  awsRoleToAssume: AWS.fixDefaults.roleToAssume,
  azureClientId: AZURE.fixDefaults.clientId,
  azureTenantId: AZURE.fixDefaults.tenantId,
  azureSubscriptionId: AZURE.fixDefaults.subscriptionId,
  gcpWorkloadIdentityProvider: GCP.fixDefaults.workloadIdentityProvider,
  gcpServiceAccount: GCP.fixDefaults.serviceAccount,
};

const REFERENCE = /^(secrets|vars)\.[A-Za-z_][A-Za-z0-9_]*$/;
const LATE_SECRET_READ_MODES = ['early-load', 'refresh'] as const;
const FIX_KEYS = ['lateSecretRead', 'longLivedCredentials'] as const;
const CREDENTIAL_KEYS = [
  'awsRoleToAssume',
  'awsRegion',
  'azureClientId',
  'azureTenantId',
  'azureSubscriptionId',
  'gcpWorkloadIdentityProvider',
  'gcpServiceAccount',
] as const;

/** How late-secret-read's fix moves a late read: loaded early (the default), or after refreshed credentials. */
export type LateSecretReadMode = (typeof LATE_SECRET_READ_MODES)[number];

export interface FixSettings {
  lateSecretRead: LateSecretReadMode;
  longLivedCredentials: CredentialNames;
}

export const DEFAULT_FIX_SETTINGS: FixSettings = {
  lateSecretRead: 'early-load',
  longLivedCredentials: DEFAULT_CREDENTIAL_NAMES,
};

/** Reads the `settings.fix` node over the defaults. */
export function readFixSettings(node: unknown, where: string, fail: Fail): FixSettings {
  const settings = { ...DEFAULT_FIX_SETTINGS };
  for (const [key, value] of entriesOf(node, where, FIX_KEYS, fail)) {
    if (key === 'lateSecretRead') settings.lateSecretRead = modeOf(value, `${where}.${key}`, fail);
    else settings.longLivedCredentials = credentialNamesOf(value, `${where}.${key}`, fail);
  }
  return settings;
}

function modeOf(node: unknown, where: string, fail: Fail): LateSecretReadMode {
  const mode = LATE_SECRET_READ_MODES.find((m) => isScalar(node) && node.value === m);
  return mode ?? fail(node, `${where}: must be one of ${LATE_SECRET_READ_MODES.join(', ')}`);
}

function credentialNamesOf(node: unknown, where: string, fail: Fail): CredentialNames {
  const names = { ...DEFAULT_CREDENTIAL_NAMES };
  for (const [key, value] of entriesOf(node, where, CREDENTIAL_KEYS, fail)) {
    const name = isScalar(value) ? value.value : undefined;
    const ok =
      typeof name === 'string' && (REFERENCE.test(name) || (key === 'awsRegion' && AWS.regionPattern.test(name)));
    const expected =
      key === 'awsRegion' ? 'a region such as eu-west-1, or secrets.NAME / vars.NAME' : 'secrets.NAME or vars.NAME';
    if (!ok) return fail(value, `${where}.${key}: must be ${expected}`);
    names[key] = name;
  }
  return names;
}
