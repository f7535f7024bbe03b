/** Words that name an identifier: the last word of a secret name, before any qualifiers. */
const IDENTIFIER_WORDS = [
  'USER(NAME)?S?|LOGIN|ACTOR|EMAIL|IDS?|IDENTIFIER|ACCOUNT|ACCOUNT_NUMBER|SID|REGION|LOCATION|ZONE',
  'PROJECT|PROJECT_NUMBER|NAMES?|KEYNAME|KEYGRIP|ARNS?|ORG|ORGANIZATION|OWNER|TENANT|ISSUER|SUBSCRIPTION',
  'HOSTS?|HOSTNAME|SERVERS?|IP|IP_ADDRESS|ADDR|ADDRESS|DOMAIN|PORT|ENDPOINT|BASE_UR[LI]',
  'BUCKET|CLUSTER|NAMESPACE|REGISTRY|REPO|REPOSITORY|VAULT|RESOURCE_GROUP|CHANNEL|ENVIRONMENT|EB_ENV|BEANSTALK_ENV',
  // A public key is not confidential: `SSH_KEY_PUBLIC_CI`, `DEPLOY_PUBLIC_KEY`.
  'PUBLIC_KEY|KEY_PUBLIC|PUBKEY|PUB_KEY',
].join('|');

/**
 * Words that may follow an identifier word without making it a credential: stages, regions and
 * purposes (`AWS_S3_BUCKET_RELEASE`, `ECR_REGISTRY_URL`, `ARTIFACT_BUCKET_NAME_DEV`). Never TOKEN,
 * KEY, SECRET, PASSWORD, WEBHOOK: `REGISTRY_TOKEN` and `SLACK_WEBHOOK_URL` stay secrets.
 */
const QUALIFIER_WORDS = [
  'PROD|PRODUCTION|DEV|DEVELOPMENT|STAGING|STAGE|TEST|QA|UAT|CI|PR|SANDBOX|DEMO|PREVIEW|LIVE',
  'EAST|WEST|NORTH|SOUTH|CENTRAL|EU|US|V?\\d+',
  'UR[LI]|NAMES?|IDS?|ARN|SID|NUMBER|PREFIX',
  'RELEASES?|NIGHTL(Y|IES)|SNAPSHOTS?|BACKUPS?|ARTIFACTS?|ASSETS|CACHE|STATIC|PUBLIC|MIRROR',
  'PRIMARY|SECONDARY|MAIN|DEFAULT|LOCAL|REMOTE|INTERNAL|EXTERNAL|DEPLOY|DEPLOYMENT',
].join('|');

/** An id glued to the resource it names, with no separator: `BYODNSZONEID`, `AKSSUBNETIDS`. */
const GLUED_IDS = '(ZONE|SUBNET|VNET|RESOURCE|ACCOUNT|PROJECT|TENANT|SUBSCRIPTION|CLIENT|APP)IDS?$';

/**
 * Secrets whose names say they hold identifiers rather than confidential values: user names,
 * account and project ids, resource names (buckets, registries, environments), regions, hosts and
 * their URLs. Teams often keep them in `secrets.*` for convenience; flagging them as leaked would
 * bury the real findings. Users can replace the pattern with `settings.identifierSecrets` (a
 * regular expression) in .wf-lint.yml.
 */
export const IDENTIFIER_SECRET_NAMES = new RegExp(
  `(^|[_-])(${IDENTIFIER_WORDS})([_-](${QUALIFIER_WORDS}))*$|^(USER|USERNAME|LOGIN)[_-]|${GLUED_IDS}`,
  'i',
);

/**
 * Secrets named for a folder (`PROJECT_PATH`, `PRODUCTION_APP_DIR`): where a script `cd`s or clones. Empty,
 * it stays in its home folder and fails at the next command. missing-preflight takes them for identifiers
 * unless a command writes or deletes there (`rsync --delete dist/ host:$APP_DIR`).
 */
export const FOLDER_SECRET_NAME = /(^|[_-])(PATH|DIR|DIRECTORY|FOLDER)$/i;

/**
 * Whether a name (a secret, a JSON field, a property) says it holds an identifier: `DOCKER_USER`,
 * `clientId`, `tenantId`. camelCase is read as words, so `clientId` is `client_Id`.
 */
export function identifierLike(name: string, pattern: RegExp = IDENTIFIER_SECRET_NAMES): boolean {
  return pattern.test(name) || pattern.test(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
}

/** Names that say they hold a secret, for exports whose names the workflow cannot spell out. */
export const SECRET_LIKE_NAME = new RegExp(
  [
    'TOKEN|SECRET|PASSW(OR)?D|PASS\\b|_PASS_|PWD|KEY\\b|PRIVATE|CREDENTIAL|(^|_)PAT\\b|AUTH',
    // Credentials by what they hold: an Azure publish profile, a kubeconfig, a PEM key, a database URL.
    'PUBLISH_?PROFILE|KUBE_?CONFIG|_PEM\\b|DATABASE_URL|DB_URL|CONNECTION_STRING',
  ].join('|'),
  'i',
);

/** Secrets named for what a deploy writes out whole: `APPLICATION_PROD`, `ENV_FILE`, `APP_CONFIG`. */
export const CONTENT_NAME =
  /(^|_)(ENV|DOTENV|CONFIG|CONF|FILE|APPLICATION|PROPERTIES|SETTINGS|JSON|YAML|YML|VALUES)(_|$)/i;

/**
 * Variables whose values become part of what is deployed: Terraform's input variables, and the public
 * variables front-end builds inline into the bundle (`VITE_*`, `NEXT_PUBLIC_*`, `REACT_APP_*`, …).
 */
export const CONTENT_VARIABLE =
  /^(TF_VAR_|VITE_|NEXT_PUBLIC_|REACT_APP_|NUXT_PUBLIC_|NUXT_ENV_|EXPO_PUBLIC_|GATSBY_|VUE_APP_|PUBLIC_|STORYBOOK_)/i;

/**
 * Files that hold a credential for the job's own tools (a key, a service account, a kubeconfig, an
 * `.npmrc`), not configuration that is deployed: `gcp-key.json`, `~/.ssh/id_rsa`, `$HOME/.kube/config`.
 */
export const CREDENTIAL_FILE = new RegExp(
  [
    '(^|[/._-])(keys?|creds?|credentials?|secrets?|tokens?|service[-_]?account|sa|gcp|gcloud|kubeconfig)([/._-]|$)',
    '(^|/)id_(rsa|ed25519|ecdsa)',
    '\\.(pem|p12|pfx|key|jks|keystore|crt|cer)$',
    '\\.(kube|ssh|docker|aws|azure|gnupg)/',
    '(^|/)\\.(npmrc|netrc|pypirc|git-credentials)$',
  ].join('|'),
  'i',
);

/**
 * Deploy tools that take an app's configuration as `KEY=value` arguments: `docker run -e A=…`,
 * `helm --set a=…`, `kubectl create secret --from-literal=a=…`, `terraform -var a=…`, `gcloud run deploy
 * --set-env-vars A=…`, `heroku config:set A=…`. A secret in such a pair is deployed with the app.
 */
export const CONFIG_COMMANDS = new Set([
  'docker',
  'docker-compose',
  'podman',
  'kubectl',
  'helm',
  'terraform',
  'tofu',
  'terragrunt',
  'gcloud',
  'az',
  'aws',
  'flyctl',
  'fly',
  'heroku',
  'railway',
  'vercel',
  'netlify',
  'wrangler',
  'serverless',
  'sls',
  'sam',
  'cdk',
  'pulumi',
  'eb',
  'dokku',
  'caprover',
  'copilot',
]);

/**
 * Subcommands that set an app's configuration from their operands or stdin: every value they are given
 * is deployed with the app (`cf set-env app KEY "$VALUE"`, `echo "$VALUE" | wrangler secret put KEY`).
 */
export const CONFIG_SETTERS: { command: string; subcommands: string[] }[] = [
  { command: 'cf', subcommands: ['set-env'] },
  { command: 'heroku', subcommands: ['config:set'] },
  { command: 'dokku', subcommands: ['config:set'] },
  { command: 'flyctl', subcommands: ['secrets', 'set'] },
  { command: 'fly', subcommands: ['secrets', 'set'] },
  { command: 'kubectl', subcommands: ['set', 'env'] },
  { command: 'vercel', subcommands: ['env', 'add'] },
  { command: 'netlify', subcommands: ['env:set'] },
  { command: 'wrangler', subcommands: ['secret', 'put'] },
  { command: 'railway', subcommands: ['variables'] },
];
