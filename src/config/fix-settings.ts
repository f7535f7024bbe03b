import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import { AWS, AZURE, GCP } from '../analysis/providers.js';
import { didYouMean } from './names.js';

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
const LATE_SECRET_READ_MODES = ['early-load', 'refresh'];
const FIX_KEYS = ['lateSecretRead', 'longLivedCredentials'];
const CREDENTIAL_KEYS = ['awsRoleToAssume', 'awsRegion', 'azureClientId', 'azureTenantId', 'azureSubscriptionId', 'gcpWorkloadIdentityProvider', 'gcpServiceAccount'] as const;

/** The names configured under `settings.fix.longLivedCredentials`, over the defaults (the config is validated before). */
export function credentialNames(settings: Record<string, unknown>): CredentialNames {
  const configured = ((settings.fix as Record<string, unknown> | null | undefined)?.longLivedCredentials ?? {}) as Partial<CredentialNames>;
  return { ...DEFAULT_CREDENTIAL_NAMES, ...configured };
}

export interface SettingProblem {
  node: unknown;
  detail: string;
}

/** The first problem in the `settings.fix` node of a config's `settings:` mapping, if any. */
export function fixSettingsProblem(settings: unknown): SettingProblem | undefined {
  const fix = isMap(settings) ? settings.items.find((p) => isScalar(p.key) && p.key.value === 'fix') : undefined;
  if (!fix || isNull(fix.value)) return undefined;
  if (!isMap(fix.value)) return { node: fix.value, detail: 'settings.fix: must be a mapping' };
  for (const pair of fix.value.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const where = `settings.fix.${key}`;
    if (key === 'lateSecretRead') {
      if (!isScalar(pair.value) || !LATE_SECRET_READ_MODES.includes(String(pair.value.value))) return { node: pair.value ?? pair.key, detail: `${where}: must be one of ${LATE_SECRET_READ_MODES.join(', ')}` };
    } else if (key === 'longLivedCredentials') {
      const problem = credentialNamesProblem(pair.value, where);
      if (problem) return problem;
    } else {
      return { node: pair.key, detail: `${where}: unknown setting (expected one of ${FIX_KEYS.join(', ')})${didYouMean(key, FIX_KEYS)}` };
    }
  }
  return undefined;
}

function credentialNamesProblem(node: unknown, where: string): SettingProblem | undefined {
  if (isNull(node)) return undefined;
  if (!isMap(node)) return { node, detail: `${where}: must be a mapping` };
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!(CREDENTIAL_KEYS as readonly string[]).includes(key)) return { node: pair.key, detail: `${where}.${key}: unknown setting (expected one of ${CREDENTIAL_KEYS.join(', ')})${didYouMean(key, CREDENTIAL_KEYS)}` };
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    const ok = typeof value === 'string' && (REFERENCE.test(value) || (key === 'awsRegion' && AWS.regionPattern.test(value)));
    const expected = key === 'awsRegion' ? 'a region such as eu-west-1, or secrets.NAME / vars.NAME' : 'secrets.NAME or vars.NAME';
    if (!ok) return { node: (pair.value as YamlNode | null) ?? pair.key, detail: `${where}.${key}: must be ${expected}` };
  }
  return undefined;
}

function isNull(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}
