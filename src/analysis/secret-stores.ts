import type { Range } from '../findings.js';
import type { Step } from '../workflow/model.js';
import type { Provider } from './credentials.js';
import { actionName, commandMatches, effectiveCommand, hasFlag, withInput, type CommandPattern } from './match.js';
import type { Command, Script } from './shell/script.js';

/** A read of a secret from a cloud secret store, by CLI command or by action. */
export interface SecretRead {
  step: Step;
  provider: Provider;
  /** Human-readable form for messages: `aws ssm get-parameters --with-decryption`. */
  label: string;
  range: Range;
  /**
   * Whether the value read is confidential. `aws ssm get-parameter` without `--with-decryption`
   * returns a plain String parameter (an AMI id, an image tag) or ciphertext: the read still needs
   * credentials, but its output is not a secret.
   */
  secret: boolean;
  /** Set for CLI reads: the command (its stdout is the secret). */
  command?: Command;
  /** Environment variables the read exports to later steps (actions). */
  exportsEnv: string[];
  /** Step outputs that carry secret values (actions); `*` means every output of the step. */
  exportsOutputs: string[];
}

/** CLI reads. The first matching pattern names the read. */
export const SECRET_READ_COMMANDS: (CommandPattern & { provider: Provider })[] = [
  { provider: 'aws', command: 'aws', subcommands: ['ssm', 'get-parameter'] },
  { provider: 'aws', command: 'aws', subcommands: ['ssm', 'get-parameters'] },
  { provider: 'aws', command: 'aws', subcommands: ['ssm', 'get-parameters-by-path'] },
  { provider: 'aws', command: 'aws', subcommands: ['secretsmanager', 'get-secret-value'] },
  { provider: 'aws', command: 'aws', subcommands: ['secretsmanager', 'batch-get-secret-value'] },
  { provider: 'azure', command: 'az', subcommands: ['keyvault', 'secret', 'show'] },
  { provider: 'azure', command: 'az', subcommands: ['keyvault', 'secret', 'download'] },
  { provider: 'gcp', command: 'gcloud', subcommands: ['secrets', 'versions', 'access'] },
  { provider: 'vault', command: 'vault', subcommands: ['kv', 'get'] },
  { provider: 'vault', command: 'vault', subcommands: ['read'] },
];

/** Actions that read secrets, and how their values leave the step. */
const SECRET_READ_ACTIONS: Record<string, { provider: Provider; exports: (step: Step) => { env: string[]; outputs: string[] } }> = {
  'aws-actions/aws-secretsmanager-get-secrets': { provider: 'aws', exports: (s) => ({ env: awsSecretEnvNames(s), outputs: [] }) },
  'azure/get-keyvault-secrets': { provider: 'azure', exports: (s) => ({ env: [], outputs: listInput(s, 'secrets') }) },
  'google-github-actions/get-secretmanager-secrets': { provider: 'gcp', exports: (s) => ({ env: [], outputs: gcpOutputNames(s) }) },
  'hashicorp/vault-action': { provider: 'vault', exports: (s) => vaultExports(s) },
};

function listInput(step: Step, key: string): string[] {
  return (withInput(step, key)?.text ?? '')
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** `secret-ids:` lines are `ALIAS,secret-id` or `secret-id`; the env name is the alias or the id upper-cased. */
function awsSecretEnvNames(step: Step): string[] {
  return (withInput(step, 'secret-ids')?.text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [first, second] = line.split(',').map((p) => p.trim());
      const name = second !== undefined ? first : first.replace(/\*$/, '');
      return name.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
    });
}

/** `secrets:` lines are `output_name:project/secret[/version]`. */
function gcpOutputNames(step: Step): string[] {
  return listInput(step, 'secrets').flatMap((l) => {
    const m = /^([\w-]+)\s*:/.exec(l);
    return m ? [m[1]] : [];
  });
}

/** `secrets:` lines are `path key | OUTPUT_NAME ;`; each becomes an output and (by default) an env var. */
function vaultExports(step: Step): { env: string[]; outputs: string[] } {
  const names = (withInput(step, 'secrets')?.text ?? '')
    .split(/[;\n]/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [source, alias] = l.split('|').map((p) => p.trim());
      return alias || (source.split(/\s+/).pop() ?? '').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
    })
    .filter(Boolean);
  const exportEnv = (withInput(step, 'exportenv')?.text ?? 'true').trim() !== 'false';
  return { env: exportEnv ? names : [], outputs: names };
}

/** Secret-store reads in one step: its action, or the read commands in its script. */
export function secretReadsIn(step: Step, script: Script | undefined): SecretRead[] {
  const name = actionName(step);
  const known = name ? SECRET_READ_ACTIONS[name] : undefined;
  if (known && step.uses) {
    const exports = known.exports(step);
    return [{ step, provider: known.provider, label: name!, range: step.uses.range, secret: true, exportsEnv: exports.env, exportsOutputs: exports.outputs }];
  }
  const reads: SecretRead[] = [];
  for (const command of script?.commands ?? []) {
    const pattern = SECRET_READ_COMMANDS.find((p) => commandMatches(command, p));
    if (!pattern) continue;
    const { args } = effectiveCommand(command);
    const decrypted = hasFlag(args, '--with-decryption');
    const label = [pattern.command, ...(pattern.subcommands ?? []), ...(decrypted ? ['--with-decryption'] : [])].join(' ');
    const secret = pattern.subcommands?.[0] !== 'ssm' || decrypted;
    reads.push({ step, provider: pattern.provider, label, range: command.range, command, secret, exportsEnv: [], exportsOutputs: [] });
  }
  return reads;
}
