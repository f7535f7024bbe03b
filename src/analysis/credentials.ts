import type { Range } from '../findings.js';
import type { Job, Step } from '../workflow/model.js';
import type { Command, Script } from './shell/script.js';
import { actionName, commandMatches, withInput, type CommandPattern } from './match.js';

export type Provider = 'aws' | 'azure' | 'gcp' | 'vault';

export const PROVIDER_NAMES: Record<Provider, string> = { aws: 'AWS', azure: 'Azure', gcp: 'Google Cloud', vault: 'Vault' };

/** A step that issues short-lived cloud credentials through OIDC federation. */
export interface CredentialIssue {
  step: Step;
  provider: Provider;
  /** Seconds the credentials can be used for later requests. */
  lifetime: number;
  /** Where the lifetime comes from, for messages ("role-duration-seconds", "Azure's 10-minute assertion window"). */
  lifetimeReason: string;
  /** How the credentials are issued, for messages. */
  how: string;
  range: Range;
}

/**
 * Default lifetimes, overridable with `settings.lifetimes` in .wf-lint.yml.
 * - aws: configure-aws-credentials' role-duration-seconds default, 1 hour (STS AssumeRoleWithWebIdentity).
 * - azure: azure/login exchanges GitHub's OIDC token, which Entra ID accepts as a client assertion for
 *   only ~10 minutes; new token requests after that fail with AADSTS700024 (Microsoft recommends
 *   fetching tokens at the start of the job).
 * - gcp: an impersonated service account's access_token_lifetime default, 1 hour.
 * - gcpDirect: direct Workload Identity Federation without a service account: the federated token
 *   from google-github-actions/auth is short-lived (~5 minutes of use for new requests).
 */
export const DEFAULT_LIFETIMES = { aws: 3600, azure: 600, gcp: 3600, gcpDirect: 300 };
export type Lifetimes = typeof DEFAULT_LIFETIMES;

/** CLI forms of OIDC federation. */
const CLI_FEDERATION: (CommandPattern & { provider: Provider; how: string })[] = [
  { provider: 'aws', command: 'aws', subcommands: ['sts', 'assume-role-with-web-identity'], how: 'aws sts assume-role-with-web-identity' },
  { provider: 'azure', command: 'az', subcommands: ['login'], flags: ['--federated-token'], how: 'az login --federated-token' },
  { provider: 'gcp', command: 'gcloud', subcommands: ['auth', 'login'], flags: ['--cred-file'], how: 'gcloud auth login --cred-file' },
];

const action = (step: Step, name: string) => actionName(step) === name;

/** Composite actions that wrap azure/login with OIDC, and the input that carries the client id. */
const AZURE_OIDC_WRAPPERS: Record<string, string> = {
  'bitwarden/gh-actions/azure-login': 'client_id',
};

/** Parses `3600`, `3600s`, `90m`, `1h`; undefined when dynamic or malformed. */
export function parseSeconds(text: string | undefined): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/i.exec(text ?? '');
  if (!m) return undefined;
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's').toLowerCase() as 's' | 'm' | 'h'];
}

/** Why Azure credentials are short: the OIDC assertion azure/login exchanges is accepted for ~10 minutes. */
const AZURE_WINDOW = "Entra ID's window for new token requests (AADSTS700024)";

/** The OIDC credential issued by a step, if any. Static keys are not a source: they never expire. */
export function credentialIssuedBy(step: Step, script: Script | undefined, lifetimes: Lifetimes): CredentialIssue | undefined {
  const uses = step.uses;
  if (uses && action(step, 'aws-actions/configure-aws-credentials')) {
    if (!withInput(step, 'role-to-assume') || withInput(step, 'aws-access-key-id')) return undefined;
    const duration = parseSeconds(withInput(step, 'role-duration-seconds')?.text);
    return {
      step,
      provider: 'aws',
      lifetime: duration ?? lifetimes.aws,
      lifetimeReason: duration ? 'role-duration-seconds' : 'the default role-duration-seconds',
      how: 'configure-aws-credentials with role-to-assume (OIDC)',
      range: uses.range,
    };
  }
  const azureWrapper = AZURE_OIDC_WRAPPERS[actionName(step) ?? ''];
  if (uses && azureWrapper) {
    if (!withInput(step, azureWrapper)) return undefined;
    return { step, provider: 'azure', lifetime: lifetimes.azure, lifetimeReason: AZURE_WINDOW, how: `${actionName(step)} (azure/login with OIDC)`, range: uses.range };
  }
  if (uses && action(step, 'azure/login')) {
    if (!withInput(step, 'client-id') || withInput(step, 'creds')) return undefined;
    return { step, provider: 'azure', lifetime: lifetimes.azure, lifetimeReason: AZURE_WINDOW, how: 'azure/login with client-id (OIDC)', range: uses.range };
  }
  if (uses && action(step, 'google-github-actions/auth')) {
    if (!withInput(step, 'workload_identity_provider') || withInput(step, 'credentials_json')) return undefined;
    if (withInput(step, 'service_account')) {
      const lifetime = parseSeconds(withInput(step, 'access_token_lifetime')?.text);
      return {
        step,
        provider: 'gcp',
        lifetime: lifetime ?? lifetimes.gcp,
        lifetimeReason: lifetime ? 'access_token_lifetime' : 'the default access_token_lifetime',
        how: 'google-github-actions/auth with workload_identity_provider and service_account',
        range: uses.range,
      };
    }
    return { step, provider: 'gcp', lifetime: lifetimes.gcpDirect, lifetimeReason: 'direct Workload Identity Federation', how: 'google-github-actions/auth with direct workload identity federation', range: uses.range };
  }
  for (const command of script?.commands ?? []) {
    const form = CLI_FEDERATION.find((f) => commandMatches(command, f));
    if (form) return cliIssue(step, command, form.provider, form.how, lifetimes);
  }
  return undefined;
}

function cliIssue(step: Step, command: Command, provider: Provider, how: string, lifetimes: Lifetimes): CredentialIssue {
  const durationArg = command.args.findIndex((a) => a.text === '--duration-seconds');
  const duration = durationArg >= 0 ? parseSeconds(command.args[durationArg + 1]?.text) : undefined;
  const lifetime = duration ?? (provider === 'aws' ? lifetimes.aws : provider === 'azure' ? lifetimes.azure : lifetimes.gcp);
  const defaultReason = provider === 'azure' ? AZURE_WINDOW : `the ${PROVIDER_NAMES[provider]} default`;
  return { step, provider, lifetime, lifetimeReason: `${how}: ${duration ? '--duration-seconds' : defaultReason}`, how, range: command.range };
}

/** All credential issues in a job, in source order. */
export function credentialIssues(job: Job, scriptOf: (s: Step) => Script | undefined, lifetimes: Lifetimes): CredentialIssue[] {
  return job.steps.flatMap((s) => {
    const issue = credentialIssuedBy(s, scriptOf(s), lifetimes);
    return issue ? [issue] : [];
  });
}
