import { AWS, AZURE, CONTAINER_REGISTRY, GCP, VAULT } from './providers.js';

/**
 * Actions that fail at once, with a clear error and before changing anything, when one of some
 * inputs is empty: a secret that only feeds such an input needs no preflight, since the action
 * already is one. Action names and input names are lower-case, as actionName and withInput compare
 * them. `settings.preflight.failFast` adds to the table.
 */
export interface FailFastAction {
  action: string;
  inputs: string[];
}

/** The logins of the providers table: each stops on an empty credential or region. */
const LOGINS: FailFastAction[] = [
  // "Input required and not supplied: aws-region"; no key and no role: "Could not load credentials".
  {
    action: AWS.loginAction,
    inputs: [AWS.inputs.accessKeyId, AWS.inputs.secretAccessKey, AWS.inputs.role, AWS.inputs.region],
  },
  // "Not all values are present. Ensure 'client-id' and 'tenant-id' are supplied."
  {
    action: AZURE.loginAction,
    inputs: [AZURE.inputs.creds, AZURE.inputs.clientId, AZURE.inputs.tenantId, AZURE.inputs.subscriptionId],
  },
  // "must specify exactly one of workload_identity_provider or credentials_json".
  { action: GCP.loginAction, inputs: [GCP.inputs.credentialsJson, GCP.inputs.workloadIdentityProvider] },
  // "Username and password required".
  { action: CONTAINER_REGISTRY.loginAction, inputs: ['username', 'password'] },
  { action: 'azure/docker-login', inputs: ['username', 'password'] },
  // "Input required and not supplied: url".
  { action: VAULT.loginAction, inputs: ['url', 'token'] },
];

/** Other actions whose credential inputs are required: an empty one stops the step before it does anything. */
const OTHERS: FailFastAction[] = [
  // `token` is read with `required: true`: "Input required and not supplied: token".
  { action: 'actions/checkout', inputs: ['token'] },
  // "The ssh-private-key argument is empty. Maybe the secret has not been configured".
  { action: 'webfactory/ssh-agent', inputs: ['ssh-private-key'] },
  // They connect first: no host, user or key, no connection, and nothing runs on the server.
  { action: 'appleboy/ssh-action', inputs: ['host', 'username', 'key', 'password'] },
  { action: 'appleboy/scp-action', inputs: ['host', 'username', 'key', 'password'] },
];

export const FAIL_FAST_ACTIONS: FailFastAction[] = [...LOGINS, ...OTHERS];

/**
 * Inputs by which a wrapper (a composite action, a local action) hands a cloud login its credential:
 * the logins' own input names, bare or after the cloud's name (`role-to-assume`, `azure-client-id`,
 * `azure_creds`). A wrapper starts with that login, which stops at once when the value is empty.
 */
const CLOUD_LOGINS: [string, FailFastAction][] = [
  ['aws', LOGINS[0]],
  ['azure', LOGINS[1]],
  ['gcp', LOGINS[2]],
];
export const FORWARDED_LOGIN_INPUTS = new Set(
  CLOUD_LOGINS.flatMap(([cloud, login]) => login.inputs.flatMap((i) => [i, `${cloud}-${i}`])).map(forwardedName),
);

/** A user name or password handed to an action (`cf_password`, `ftp-username`): it logs in with them first. */
export const LOGIN_PAIR_INPUT = /^([a-z0-9]+-)?(username|password)$/;

/**
 * An action named for a login or a credential (`…/request-vault-token`, `…/get-gke-credentials`,
 * `tibdex/github-app-token`): it exchanges its inputs for a credential first, and stops at once when
 * one is empty.
 */
export const LOGIN_ACTION_NAME = /(^|[-/_.])(login|auth|oauth|credentials?|token)([-/_.]|$)/;

/** An input name as FORWARDED_LOGIN_INPUTS holds it: lower-case, `_` as `-`, a cloud prefix once. */
export function forwardedName(input: string): string {
  return input
    .toLowerCase()
    .replace(/_/g, '-')
    .replace(/^(aws|azure|gcp)-\1-/, '$1-');
}

/** `my-org/login: [token]` in settings, as the table holds it. */
export function failFastOf(settings: Record<string, string[]>): FailFastAction[] {
  return Object.entries(settings).map(([action, inputs]) => ({
    action: action.toLowerCase().split('@')[0],
    inputs: inputs.map((i) => i.toLowerCase()),
  }));
}
