import type { CommandPattern } from './match.js';

/**
 * Secrets whose names say they hold identifiers rather than confidential values: user names,
 * account and project ids, resource names, regions, hosts. Teams often keep them in `secrets.*` for
 * convenience; flagging them as leaked would bury the real findings. Users can replace the pattern
 * with `settings.identifierSecrets` (a regular expression) in .wf-lint.yml.
 */
export const IDENTIFIER_SECRET_NAMES =
  /(^|[_-])(USER(NAME)?|LOGIN|ACTOR|EMAIL|ID|IDENTIFIER|ACCOUNT|ACCOUNT_NUMBER|REGION|LOCATION|PROJECT|PROJECT_NUMBER|NAME|KEYNAME|KEYGRIP|ARN|ORG|ORGANIZATION|OWNER|TENANT|SUBSCRIPTION|HOST|HOSTNAME|DOMAIN|BUCKET|ZONE|CLUSTER|NAMESPACE|REGISTRY|REPO|REPOSITORY|PORT|ENDPOINT|RESOURCE_GROUP|CHANNEL)([_-](PROD|PRODUCTION|DEV|DEVELOPMENT|STAGING|STAGE|TEST|QA|UAT|EAST|WEST|NORTH|SOUTH|CENTRAL|EU|US|\d+))*$|^(USER|USERNAME|LOGIN)[_-]/i;

/**
 * Commands whose stdout is a function of their input, so a secret going in comes out (decoded,
 * extracted, reformatted). The output of other commands (curl, gh, aws …) is their response, not
 * the secret they authenticated with.
 */
export const TRANSFORMERS = new Set([
  'echo', 'printf', 'cat', 'tee', 'base64', 'base32', 'basenc', 'jq', 'yq', 'sed', 'awk', 'gawk', 'cut', 'tr', 'head', 'tail',
  'grep', 'xxd', 'od', 'rev', 'sort', 'uniq', 'envsubst', 'openssl', 'gpg', 'sops', 'age', 'xargs', 'fold', 'paste', 'iconv',
  'Write-Output', 'ConvertFrom-Json', 'ConvertTo-Json', 'Select-Object',
]);

/** Commands that print a fresh credential: their output is a secret GitHub does not know to mask. */
export const TOKEN_COMMANDS: CommandPattern[] = [
  { command: 'aws', subcommands: ['ecr', 'get-login-password'] },
  { command: 'aws', subcommands: ['ecr-public', 'get-login-password'] },
  { command: 'aws', subcommands: ['codeartifact', 'get-authorization-token'] },
  { command: 'aws', subcommands: ['sts', 'get-session-token'] },
  { command: 'gcloud', subcommands: ['auth', 'print-access-token'] },
  { command: 'gcloud', subcommands: ['auth', 'print-identity-token'] },
  { command: 'az', subcommands: ['account', 'get-access-token'] },
  { command: 'az', subcommands: ['acr', 'login'], flags: ['--expose-token'] },
  { command: 'gh', subcommands: ['auth', 'token'] },
];
