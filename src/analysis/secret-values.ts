/**
 * Secrets whose names say they hold identifiers rather than confidential values: user names,
 * account and project ids, resource names, regions, hosts. Teams often keep them in `secrets.*` for
 * convenience; flagging them as leaked would bury the real findings. Users can replace the pattern
 * with `settings.identifierSecrets` (a regular expression) in .wf-lint.yml.
 */
export const IDENTIFIER_SECRET_NAMES =
  /(^|[_-])(USER(NAME)?S?|LOGIN|ACTOR|EMAIL|IDS?|IDENTIFIER|ACCOUNT|ACCOUNT_NUMBER|REGION|LOCATION|PROJECT|PROJECT_NUMBER|NAME|KEYNAME|KEYGRIP|ARNS?|ORG|ORGANIZATION|OWNER|TENANT|ISSUER|SUBSCRIPTION|HOST|HOSTNAME|IP|IP_ADDRESS|ADDR|ADDRESS|DOMAIN|BUCKET|ZONE|CLUSTER|NAMESPACE|REGISTRY|REPO|REPOSITORY|VAULT|PORT|ENDPOINT|RESOURCE_GROUP|CHANNEL)([_-](PROD|PRODUCTION|DEV|DEVELOPMENT|STAGING|STAGE|TEST|QA|UAT|EAST|WEST|NORTH|SOUTH|CENTRAL|EU|US|V?\d+))*$|^(USER|USERNAME|LOGIN)[_-]/i;

/**
 * Whether a name (a secret, a JSON field, a property) says it holds an identifier: `DOCKER_USER`,
 * `clientId`, `tenantId`. camelCase is read as words, so `clientId` is `client_Id`.
 */
export function identifierLike(name: string, pattern: RegExp = IDENTIFIER_SECRET_NAMES): boolean {
  return pattern.test(name) || pattern.test(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
}

/** Names that say they hold a secret, for exports whose names the workflow cannot spell out. */
export const SECRET_LIKE_NAME = /TOKEN|SECRET|PASSW(OR)?D|PASS\b|_PASS_|PWD|KEY\b|PRIVATE|CREDENTIAL|_PAT\b|AUTH/i;

/**
 * Commands whose stdout is a function of their input, so a secret going in comes out (decoded,
 * extracted, reformatted). The output of other commands (curl, gh, aws …) is their response, not
 * the secret they authenticated with.
 */
export const TRANSFORMERS = new Set([
  'echo', 'printf', 'cat', 'tee', 'base64', 'base32', 'basenc', 'jq', 'yq', 'sed', 'awk', 'gawk', 'cut', 'tr', 'head', 'tail',
  'grep', 'xxd', 'od', 'rev', 'sort', 'uniq', 'envsubst', 'openssl', 'gpg', 'sops', 'age', 'fold', 'paste', 'iconv',
  'Write-Output', 'ConvertFrom-Json', 'ConvertTo-Json', 'Select-Object',
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
