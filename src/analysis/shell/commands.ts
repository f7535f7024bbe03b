import { PROVIDERS } from '../providers.js';

/**
 * What wf-lint knows about commands by name, one set per question the analysis asks (which start
 * no process, which print, which pass data through or transform it, which wrap another command),
 * and about where a command's output goes. Cloud CLIs and their logins are in providers.ts. Names
 * are compared with the command's effective name (see effectiveCommand).
 */

/** Commands that do not start a process (their arguments are not visible in `ps`). */
export const SHELL_BUILTINS = new Set([
  'echo',
  'printf',
  'test',
  '[',
  '[[',
  'export',
  'read',
  'local',
  'declare',
  'typeset',
  'readonly',
  ':',
  'set',
  'unset',
  'eval',
  'cd',
  'source',
  '.',
  'return',
  'exit',
  'shift',
  'let',
  'true',
  'false',
  'Write-Host',
  'Write-Output',
  'Write-Error',
  'Set-Content',
  'Add-Content',
  'Out-File',
  'Set-Variable',
  'Write-Verbose',
]);

/** Wrappers whose first argument is the real command. */
export const WRAPPERS = new Set(['sudo', 'time', 'nohup', 'exec', 'env', 'command', 'npx', 'bunx', 'pnpx']);

/** Commands that print their arguments: to the log, unless something captures their output. */
export const PRINTERS = new Set(['echo', 'printf', 'Write-Host', 'Write-Output']);

/**
 * Commands that say nothing about how long a step takes: the printers (`echo "make sure to …"`),
 * and `:`, which prints nothing but does nothing either.
 */
export const NO_WORK = new Set([...PRINTERS, ':']);

/**
 * Commands that pass data through unchanged (the value stays a registered secret). Unlike PRINTERS,
 * `cat` and `tee` pass on what they read, and Write-Host writes to the host, not to the pipeline.
 */
export const PASS_THROUGH = new Set(['echo', 'printf', 'cat', 'tee', 'Write-Output']);

/**
 * Filters whose output depends on nothing but their input and arguments (no file, clock or
 * environment): the case conversion `tr '[:lower:]' '[:upper:]'` of one of a few known values is one of a
 * few known values.
 */
export const PURE_FILTERS = new Set(['tr']);

/**
 * Commands whose stdout is a function of their input, so a secret going in comes out (decoded,
 * extracted, reformatted). The output of other commands (curl, gh, aws …) is their response, not
 * the secret they authenticated with.
 */
export const TRANSFORMERS = new Set([
  'echo',
  'printf',
  'cat',
  'tee',
  'base64',
  'base32',
  'basenc',
  'jq',
  'yq',
  'sed',
  'awk',
  'gawk',
  'cut',
  'tr',
  'head',
  'tail',
  'grep',
  'xxd',
  'od',
  'rev',
  'sort',
  'uniq',
  'envsubst',
  'openssl',
  'gpg',
  'sops',
  'age',
  'fold',
  'paste',
  'iconv',
  'Write-Output',
  'ConvertFrom-Json',
  'ConvertTo-Json',
  'Select-Object',
]);

/**
 * Transformers that print the data only in some modes: `gpg --import` and `openssl x509` print
 * status or public data, `gpg --decrypt` and `openssl enc -d` print the secret.
 */
export const TRANSFORMER_MODES: Record<string, RegExp> = {
  gpg: /^(-d|--decrypt|--dearmou?r|--export-secret-(sub)?keys)$/,
  openssl: /^(enc|base64|pkey|rsa|ec|pkcs12|-d)$/,
  sops: /^(-d|--decrypt|decrypt)$/,
  age: /^(-d|--decrypt)$/,
};

/** Flags with which a transformer prints no data: `grep -q` answers with its exit code, `grep -c` with a count. */
export const QUIET_FLAGS: Record<string, RegExp> = {
  grep: /^(-[A-Za-z]*[qclL][A-Za-z]*|--(quiet|silent|count|files-with(out)?-matches))$/,
  // In-place edits write the file, not stdout.
  sed: /^(-[A-Za-z]*i\S*|--in-place\S*)$/,
  yq: /^(-i|--inplace)$/,
};

/**
 * Options that send a command's output to a file: `--out-file f`, `--file f` (the aws CLI's
 * `--output` is a format, not a file).
 */
export const OUTPUT_FILE_FLAGS = /^(--out-file|--output-file|--outfile|--file)$/;

/** Output-file options where a command's own spelling differs (`gpg -o`, `openssl -out`, `az … -f`). */
export const OUTPUT_FILE_FLAGS_OF: Record<string, RegExp> = {
  base64: /^(-o|--output)$/,
  gpg: /^(-o|--output)$/,
  openssl: /^-out$/,
  sops: /^--output$/,
  age: /^(-o|--output)$/,
  az: /^(-f|--file)$/,
  gcloud: /^--out-file$/,
};

/** Programs whose first argument is the script they run: `bash scripts/deploy.sh`. */
export const SCRIPT_INTERPRETERS = new Set([
  'bash',
  'sh',
  'zsh',
  'source',
  '.',
  'python',
  'python3',
  'node',
  'ruby',
  'pwsh',
  'powershell',
]);

/** Commands that run targets a file in the repository defines (`make plan-prod`), which may run any tool. */
export const TASK_RUNNERS = new Set(['make', 'just', 'task', 'rake']);

/**
 * Commands that only print or set the step's exit status: a job made of them reports on a deploy (the
 * "end of workflow" summary jobs), it does not deploy.
 */
export const REPORT_COMMANDS = new Set(['echo', 'printf', 'exit', 'true', 'false', 'test', '[']);

/**
 * Commands a self-contained secret-loading script may run without the checked-out workspace: the
 * secret stores' CLIs and shell plumbing.
 */
export const WORKSPACE_FREE = new Set([
  ...Object.values(PROVIDERS).map((p) => p.cli),
  'echo',
  'printf',
  'export',
  'read',
  'test',
  '[',
  'jq',
  'cat',
  'base64',
  'tee',
  'mkdir',
  'set',
  ':',
  'local',
  'declare',
]);

/** A redirect target that is the log: `/dev/stdout` or `/dev/stderr` (quoted or not), `&1`, `&2`. */
export const LOG_STREAM = /^["']?\/dev\/(stdout|stderr)|^&[12]$/;

/** A redirect target that is no file: the log, `/dev/null`, another file descriptor (`&3`). */
export function isNotAFile(target: string): boolean {
  return LOG_STREAM.test(target) || /^["']?\/dev\/null|^&\d$/.test(target);
}
