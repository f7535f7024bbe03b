import { anyOf } from './match.js';

/** The last word of an identifier's name, before any qualifiers: `DOCKER_USERNAME`, `AWS_REGION`. */
const IDENTIFIER_WORDS = [
  /USER(NAME)?S?|LOGIN|ACTOR|EMAIL|IDS?|IDENTIFIER|ACCOUNT|ACCOUNT_NUMBER|REGION|LOCATION|PROJECT|PROJECT_NUMBER/,
  /NAME|KEYNAME|KEYGRIP|ARNS?|ORG|ORGANIZATION|OWNER|TENANT|ISSUER|SUBSCRIPTION/,
  /HOST|HOSTNAME|IP|IP_ADDRESS|ADDR|ADDRESS|DOMAIN|BUCKET|ZONE|CLUSTER|NAMESPACE|REGISTRY|REPO|REPOSITORY/,
  /VAULT|PORT|ENDPOINT|RESOURCE_GROUP|CHANNEL/,
];

/** Environments, regions and versions that may follow it: `_PROD`, `_EU`, `_V2`. */
const QUALIFIERS =
  /PROD|PRODUCTION|DEV|DEVELOPMENT|STAGING|STAGE|TEST|QA|UAT|EAST|WEST|NORTH|SOUTH|CENTRAL|EU|US|V?\d+/;

/**
 * Secrets whose names say they hold identifiers rather than confidential values: user names,
 * account and project ids, resource names, regions, hosts. Teams often keep them in `secrets.*` for
 * convenience; flagging them as leaked would bury the real findings. Users can replace the pattern
 * with `settings.identifierSecrets` (a regular expression) in .wf-lint.yml.
 */
export const IDENTIFIER_SECRET_NAMES = new RegExp(
  `(^|[_-])(${anyOf(IDENTIFIER_WORDS)})([_-](${QUALIFIERS.source}))*$|^(USER|USERNAME|LOGIN)[_-]`,
  'i',
);

/**
 * Whether a name (a secret, a JSON field, a property) says it holds an identifier: `DOCKER_USER`,
 * `clientId`, `tenantId`. camelCase is read as words, so `clientId` is `client_Id`.
 */
export function identifierLike(name: string, pattern: RegExp = IDENTIFIER_SECRET_NAMES): boolean {
  return pattern.test(name) || pattern.test(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
}

/** Names that say they hold a secret, for exports whose names the workflow cannot spell out. */
export const SECRET_LIKE_NAME = /TOKEN|SECRET|PASSW(OR)?D|PASS\b|_PASS_|PWD|KEY\b|PRIVATE|CREDENTIAL|_PAT\b|AUTH/i;
