import type { Range } from '../findings.js';
import type { Job, Step } from '../workflow/model.js';
import type { Command, Script } from './shell/script.js';
import { actionName, commandMatches, withInput } from './match.js';
import { AWS, AZURE, byCloud, GCP, PROVIDERS, shortName, type Provider } from './providers.js';

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
 * Default lifetimes (their sources are in the providers table), overridable with
 * `settings.lifetimes` in .wf-lint.yml.
 */
export const DEFAULT_LIFETIMES = {
  aws: AWS.sessionLifetime,
  azure: AZURE.sessionLifetime,
  gcp: GCP.sessionLifetime,
  gcpDirect: GCP.directSessionLifetime,
};
export type Lifetimes = typeof DEFAULT_LIFETIMES;

/** CLI forms of OIDC federation. */
const CLI_FEDERATION = byCloud((c) => c.federationCommands);

/** Parses `3600`, `3600s`, `90m`, `1h`; undefined when dynamic or malformed. */
export function parseSeconds(text: string | undefined): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$/i.exec(text ?? '');
  if (!m) return undefined;
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's').toLowerCase() as 's' | 'm' | 'h'];
}

/** The OIDC credential issued by a step, if any. Static keys are not a source: they never expire. */
export function credentialIssuedBy(
  step: Step,
  script: Script | undefined,
  lifetimes: Lifetimes,
): CredentialIssue | undefined {
  const uses = step.uses;
  const name = actionName(step);
  if (uses && name === AWS.loginAction) {
    const { role, accessKeyId, duration: durationInput } = AWS.inputs;
    if (!withInput(step, role) || withInput(step, accessKeyId)) return undefined;
    const duration = parseSeconds(withInput(step, durationInput)?.text);
    return {
      step,
      provider: 'aws',
      lifetime: duration ?? lifetimes.aws,
      lifetimeReason: duration ? durationInput : `the default ${durationInput}`,
      how: `${shortName(AWS.loginAction)} with ${role} (OIDC)`,
      range: uses.range,
    };
  }
  const azureWrapper = AZURE.oidcWrappers[name ?? ''];
  if (uses && azureWrapper) {
    if (!withInput(step, azureWrapper)) return undefined;
    return {
      step,
      provider: 'azure',
      lifetime: lifetimes.azure,
      lifetimeReason: AZURE.sessionLimit,
      how: `${name} (${AZURE.loginAction} with OIDC)`,
      range: uses.range,
    };
  }
  if (uses && name === AZURE.loginAction) {
    const { clientId, creds } = AZURE.inputs;
    if (!withInput(step, clientId) || withInput(step, creds)) return undefined;
    return {
      step,
      provider: 'azure',
      lifetime: lifetimes.azure,
      lifetimeReason: AZURE.sessionLimit,
      how: `${AZURE.loginAction} with ${clientId} (OIDC)`,
      range: uses.range,
    };
  }
  if (uses && name === GCP.loginAction) {
    const { workloadIdentityProvider, credentialsJson, serviceAccount, tokenLifetime } = GCP.inputs;
    if (!withInput(step, workloadIdentityProvider) || withInput(step, credentialsJson)) return undefined;
    if (withInput(step, serviceAccount)) {
      const lifetime = parseSeconds(withInput(step, tokenLifetime)?.text);
      return {
        step,
        provider: 'gcp',
        lifetime: lifetime ?? lifetimes.gcp,
        lifetimeReason: lifetime ? tokenLifetime : `the default ${tokenLifetime}`,
        how: `${GCP.loginAction} with ${workloadIdentityProvider} and ${serviceAccount}`,
        range: uses.range,
      };
    }
    return {
      step,
      provider: 'gcp',
      lifetime: lifetimes.gcpDirect,
      lifetimeReason: 'direct Workload Identity Federation',
      how: `${GCP.loginAction} with direct workload identity federation`,
      range: uses.range,
    };
  }
  for (const command of script?.commands ?? []) {
    const form = CLI_FEDERATION.find((f) => commandMatches(command, f));
    if (form) return cliIssue(step, command, form.cloud, form.how, lifetimes);
  }
  return undefined;
}

function cliIssue(
  step: Step,
  command: Command,
  provider: Provider,
  how: string,
  lifetimes: Lifetimes,
): CredentialIssue {
  const durationArg = command.args.findIndex((a) => a.text === '--duration-seconds');
  const duration = durationArg >= 0 ? parseSeconds(command.args[durationArg + 1]?.text) : undefined;
  const lifetime =
    duration ?? (provider === 'aws' ? lifetimes.aws : provider === 'azure' ? lifetimes.azure : lifetimes.gcp);
  const defaultReason = provider === 'azure' ? AZURE.sessionLimit : `the ${PROVIDERS[provider].displayName} default`;
  return {
    step,
    provider,
    lifetime,
    lifetimeReason: `${how}: ${duration ? '--duration-seconds' : defaultReason}`,
    how,
    range: command.range,
  };
}

/** All credential issues in a job, in source order. */
export function credentialIssues(
  job: Job,
  scriptOf: (s: Step) => Script | undefined,
  lifetimes: Lifetimes,
): CredentialIssue[] {
  return job.steps.flatMap((s) => {
    const issue = credentialIssuedBy(s, scriptOf(s), lifetimes);
    return issue ? [issue] : [];
  });
}
