import type { Range } from '../findings.js';
import type { Step } from '../workflow/model.js';
import { actionName, commandMatches, effectiveCommand, hasFlag, withInput, type CommandPattern } from './match.js';
import { VAULT, type Provider } from './providers.js';
import { identifierLike } from './secret-values.js';
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
  /**
   * Whether the command prints the secret: not with `--query Name`, `-o none`, `-field=username` or
   * an output file (`--file`, `--out-file`).
   */
  secretOutput: boolean;
  /** Environment variables the read exports to later steps (actions). */
  exportsEnv: string[];
  /** Upper-cased prefixes of exported names the workflow does not spell out (`DB_` for the JSON keys of secret DB). */
  exportsEnvPrefixes: string[];
  /**
   * The read exports variables whose names cannot be known (a secret id from an expression, JSON
   * keys without a prefix).
   */
  exportsUnknownEnv: boolean;
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
interface ActionExports {
  env: string[];
  outputs: string[];
  envPrefixes?: string[];
  unknownEnv?: boolean;
}

const SECRET_READ_ACTIONS: Record<string, { provider: Provider; exports: (step: Step) => ActionExports }> = {
  'aws-actions/aws-secretsmanager-get-secrets': { provider: 'aws', exports: (s) => awsSecretExports(s) },
  'azure/get-keyvault-secrets': { provider: 'azure', exports: (s) => ({ env: [], outputs: listInput(s, 'secrets') }) },
  'google-github-actions/get-secretmanager-secrets': {
    provider: 'gcp',
    // `export_to_environment: true` also sets each output as an environment variable.
    exports: (s) => ({
      env: (withInput(s, 'export_to_environment')?.text ?? '').trim() === 'true' ? gcpOutputNames(s) : [],
      outputs: gcpOutputNames(s),
    }),
  },
  [VAULT.loginAction]: { provider: 'vault', exports: (s) => vaultExports(s) },
  // Composite actions built on the same stores.
  'bitwarden/gh-actions/get-keyvault-secrets': {
    provider: 'azure',
    exports: (s) => ({ env: [], outputs: listInput(s, 'secrets') }),
  },
  'marvinpinto/action-inject-ssm-secrets': { provider: 'aws', exports: (s) => ({ env: ssmInjectEnv(s), outputs: [] }) },
  'department-of-veterans-affairs/action-inject-ssm-secrets': {
    provider: 'aws',
    exports: (s) => ({ env: ssmInjectEnv(s), outputs: [] }),
  },
};

/** action-inject-ssm-secrets exports the parameter as `env_variable_name`, upper-cased. */
function ssmInjectEnv(step: Step): string[] {
  const name = withInput(step, 'env_variable_name')?.text.trim();
  return name ? [name.toUpperCase()] : [];
}

function listInput(step: Step, key: string): string[] {
  return (withInput(step, key)?.text ?? '')
    .split(/[\n,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * `secret-ids:` lines are `ALIAS,secret-id` or `secret-id` (or `prefix*`); the env name is the alias
 * or the id upper-cased. With `parse-json-secrets: true` a JSON secret also exports `NAME_KEY` per
 * key, and a blank alias (`,secret-id`) exports the bare keys. An id from an expression, or a
 * wildcard, exports names the workflow does not spell out.
 */
function awsSecretExports(step: Step): ActionExports {
  const parseJson = (withInput(step, 'parse-json-secrets')?.text ?? '').trim().toLowerCase() === 'true';
  const env: string[] = [];
  const envPrefixes: string[] = [];
  let unknownEnv = false;
  const lines = (withInput(step, 'secret-ids')?.text ?? '')
    .split(/\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (const line of lines) {
    const [first, second] = line.split(',').map((p) => p.trim());
    const alias = second !== undefined ? first : undefined;
    const id = second ?? first;
    if (alias === '' && parseJson) {
      unknownEnv = true;
      continue;
    }
    const source = alias || id;
    if (source.includes('${{')) {
      unknownEnv = true;
      continue;
    }
    const name = source
      .replace(/\*$/, '')
      .toUpperCase()
      .replace(/[^A-Z0-9_]/g, '_');
    if (!alias && id.endsWith('*')) envPrefixes.push(name);
    else {
      env.push(name);
      if (parseJson) envPrefixes.push(`${name}_`);
    }
  }
  return { env, outputs: [], envPrefixes, unknownEnv };
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
    return [
      {
        step,
        provider: known.provider,
        label: name!,
        range: step.uses.range,
        secret: true,
        secretOutput: false,
        exportsEnv: exports.env,
        exportsOutputs: exports.outputs,
        exportsEnvPrefixes: exports.envPrefixes ?? [],
        exportsUnknownEnv: exports.unknownEnv ?? false,
      },
    ];
  }
  const reads: SecretRead[] = [];
  for (const command of script?.commands ?? []) {
    const pattern = SECRET_READ_COMMANDS.find((p) => commandMatches(command, p));
    if (!pattern) continue;
    const { args } = effectiveCommand(command);
    const decrypted = hasFlag(args, '--with-decryption');
    const label = [pattern.command, ...(pattern.subcommands ?? []), ...(decrypted ? ['--with-decryption'] : [])].join(
      ' ',
    );
    const secret = pattern.subcommands?.[0] !== 'ssm' || decrypted;
    reads.push({
      step,
      provider: pattern.provider,
      label,
      range: command.range,
      command,
      secret,
      secretOutput: secret && printsSecret(args),
      exportsEnv: [],
      exportsOutputs: [],
      exportsEnvPrefixes: [],
      exportsUnknownEnv: false,
    });
  }
  return reads;
}

/** The value of `--flag value` or `--flag=value` (also `-flag=value`, as vault writes them). */
function flagValue(args: { text: string }[], names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const text = args[i].text;
    for (const n of names) {
      if (text === n) return args[i + 1]?.text.replace(/^["']|["']$/g, '');
      if (text.startsWith(`${n}=`)) return text.slice(n.length + 1).replace(/^["']|["']$/g, '');
    }
  }
  return undefined;
}

/**
 * Whether a read command prints the secret on stdout. `--query Name` (aws, az) selects no value,
 * `-o none` prints nothing, `--file` / `--out-file` write it to a file instead, and
 * `vault kv get -field=username` reads an identifier.
 */
function printsSecret(args: { text: string }[]): boolean {
  if (/^none$/i.test(flagValue(args, ['--output', '-o']) ?? '')) return false;
  if (flagValue(args, ['--file', '--out-file', '-f']) !== undefined) return false;
  const query = flagValue(args, ['--query']);
  if (query !== undefined && !/value|secretstring|secretbinary|^\W*(parameters?|secretvalues)\W*$/i.test(query))
    return false;
  const field = flagValue(args, ['-field', '--field']);
  if (field !== undefined && identifierLike(field)) return false;
  // `--secret-id ci/DeviceFarm/ProjectArn`, `--name HTTP-USERNAME`: secrets named for identifiers.
  const names = secretNames(args);
  if (
    names.length > 0 &&
    names.every((n) =>
      identifierLike(
        n
          .split('/')
          .pop()!
          .replace(/[^A-Za-z0-9]+/g, '_'),
      ),
    )
  )
    return false;
  return true;
}

/** The names of the secrets or parameters a read asks for (`--names a b`, `--secret-id x`, `--id https://…/x`). */
function secretNames(args: { text: string }[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].text.split(/=(.*)/s);
    if (!/^(--names?|--secret-id|--secret|--id|-n)$/.test(flag)) continue;
    const values = inline !== undefined ? [inline] : [];
    for (let j = i + 1; inline === undefined && j < args.length && !args[j].text.startsWith('-'); j++) {
      values.push(args[j].text);
      if (flag !== '--names') break;
    }
    out.push(...values.map((v) => v.replace(/^["']|["']$/g, '').replace(/\/+$/, '')));
  }
  // A name from a variable or an expression could be anything.
  return out.some((n) => n === '' || n.includes('$')) ? [] : out;
}
