import type { CommandPattern } from './match.js';
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
  /** It also reads its inputs from the step's `env:` under the same names (easingthemes/ssh-deploy). */
  env?: boolean;
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

/**
 * What SSH connects with: no host, user or key, no connection, and nothing runs on the server. An empty
 * port connects to 22 or not at all, before anything runs either.
 */
const SSH_LOGIN = ['host', 'username', 'key', 'password', 'port'];

/** Other actions whose credential inputs are required: an empty one stops the step before it does anything. */
const OTHERS: FailFastAction[] = [
  // `token` is read with `required: true`: "Input required and not supplied: token".
  { action: 'actions/checkout', inputs: ['token'] },
  // "The ssh-private-key argument is empty. Maybe the secret has not been configured".
  { action: 'webfactory/ssh-agent', inputs: ['ssh-private-key'] },
  // They connect first, through the proxy when there is one.
  { action: 'appleboy/ssh-action', inputs: [...SSH_LOGIN, ...SSH_LOGIN.map((i) => `proxy_${i}`)] },
  { action: 'appleboy/scp-action', inputs: [...SSH_LOGIN, ...SSH_LOGIN.map((i) => `proxy_${i}`)] },
  // They connect over SSH before they copy anything; easingthemes/ssh-deploy checks its three first ("⚠️ [INPUTS]
  // ... is mandatory"). Not the remote path or target: empty, they copy somewhere else.
  {
    action: 'easingthemes/ssh-deploy',
    inputs: ['ssh_private_key', 'remote_host', 'remote_user', 'remote_port'],
    env: true,
  },
  {
    action: 'burnett01/rsync-deployments',
    inputs: ['remote_host', 'remote_user', 'remote_key', 'remote_key_pass', 'remote_port'],
  },
  // A publish profile is the deploy's credential: empty, they stop at once ("No credentials found. Add an
  // Azure login action before this action") before they upload anything.
  { action: 'azure/webapps-deploy', inputs: ['publish-profile'] },
  { action: 'azure/functions-action', inputs: ['publish-profile'] },
  // wrangler stops before it uploads anything when it has no API token ("In a non-interactive environment,
  // it's necessary to set a CLOUDFLARE_API_TOKEN"), and a Worker or Pages upload is all or nothing.
  { action: 'cloudflare/wrangler-action', inputs: ['apitoken', 'accountid'] },
  // dflook's Terraform actions run `terraform init` with `backend_config` first: "error configuring S3 Backend".
  ...['apply', 'plan', 'output', 'destroy'].map((verb) => ({
    action: `dflook/terraform-${verb}`,
    inputs: ['backend_config'],
  })),
];

export const FAIL_FAST_ACTIONS: FailFastAction[] = [...LOGINS, ...OTHERS];

/**
 * Actions that run a script from an environment variable before they do anything else: dflook's
 * Terraform actions run `TERRAFORM_PRE_RUN`, "commands that will be run prior to terraform init". A
 * secret that stops that script at once (`cf auth "$USER" "$PASSWORD"`) stops the whole step.
 */
export const PRE_RUN_SCRIPTS: { action: string; variable: string }[] = ['apply', 'plan', 'output', 'destroy'].map(
  (verb) => ({ action: `dflook/terraform-${verb}`, variable: 'TERRAFORM_PRE_RUN' }),
);

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

/**
 * A credential handed to a marketplace action (`firebaseServiceAccount`, `aws_secret_key`, `api-token`,
 * `publish-profile`): the action reads its required inputs and signs in before it uploads anything
 * (action-hosting-deploy: "Input required and not supplied: firebaseServiceAccount"; beanstalk-deploy:
 * "AWS Access Key not specified!"). Matched on the input's name, snake-cased.
 */
export const CREDENTIAL_INPUT = new RegExp(
  `(^|[-_])(${[
    'token|api[-_]?key|access[-_]?key([-_]id)?|secret([-_]access)?[-_]key|secret|password|passwd',
    'credentials?|service[-_]?account([-_]key)?|auth|publish[-_]?profile|private[-_]?key',
  ].join('|')})$`,
  'i',
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

/** `terraform init`, `tofu init`: they configure the backend, and sign in to it, before any plan or apply. */
export const INIT_COMMANDS: CommandPattern[] = [
  { command: 'terraform', subcommands: ['init'] },
  { command: 'tofu', subcommands: ['init'] },
];

/**
 * Terraform backends that sign in during `terraform init`, known by the `-backend-config` keys a workflow
 * passes (`bucket=`, `key=`), and the variables they read their credentials and region from. Empty, init
 * stops ("No valid credential sources found", "The region attribute … must be set") before any plan or
 * apply, as when the same keys go through dflook's `backend_config`. The first backend with a key given
 * wins: azurerm also takes `key`, gcs also `bucket`. A backend set only in the .tf files is not known here.
 */
export const INIT_BACKENDS: { backend: string; keys: string[]; variables: RegExp }[] = [
  {
    backend: 'azurerm',
    keys: ['storage_account_name', 'container_name', 'resource_group_name'],
    variables: /^ARM_(CLIENT_ID|CLIENT_SECRET|TENANT_ID|SUBSCRIPTION_ID|ACCESS_KEY|SAS_TOKEN)$/,
  },
  { backend: 'gcs', keys: ['prefix'], variables: /^GOOGLE_(CREDENTIALS|BACKEND_CREDENTIALS|APPLICATION_CREDENTIALS)$/ },
  {
    backend: 's3',
    keys: ['bucket', 'key', 'region', 'dynamodb_table'],
    variables: /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|REGION|DEFAULT_REGION)$/,
  },
];

/**
 * Commands that check a credential before they change anything: a secret read only in their words (an
 * argument, a here-string, what a pipe feeds them) stops them at once when it is empty.
 */
export const FAIL_FAST_COMMANDS: CommandPattern[] = [
  // Cloud Foundry: "Credentials were rejected" before any target is set (`cf auth`, `cf login -p`).
  { command: 'cf', subcommands: ['auth'] },
  { command: 'cf', subcommands: ['login'] },
  // `ssh-add - <<< "$KEY"`: "Error loading key \"(stdin)\": invalid format".
  { command: 'ssh-add' },
  { command: 'docker', subcommands: ['login'] },
  { command: 'podman', subcommands: ['login'] },
  { command: 'helm', subcommands: ['registry', 'login'] },
  { command: 'az', subcommands: ['login'] },
  { command: 'gcloud', subcommands: ['auth'] },
  // `ibmcloud login --apikey "$KEY"`: "Unable to authenticate" before any target is set.
  { command: 'ibmcloud', subcommands: ['login'] },
  // `supabase link --project-ref "$REF" -p "$DB_PASSWORD"`: links, and signs in to the database, before
  // any `supabase db push`.
  { command: 'supabase', subcommands: ['link'] },
  { command: 'supabase', subcommands: ['login'] },
  // `terraform init -backend-config=access_key=…`: the backend is configured before any plan or apply.
  ...INIT_COMMANDS,
  // `git push https://user:TOKEN@host/repo.git`: a push authenticates before it sends anything.
  { command: 'git', subcommands: ['push'] },
];

/**
 * Variables a platform's tool authenticates with before it changes anything, read without being named:
 * Cloudflare's and Cloud Foundry's (wrangler and `cf auth` read `CLOUDFLARE_API_TOKEN`, `CF_PASSWORD`),
 * Terraform Cloud tokens (read by `terraform init`), and the platform CLIs' tokens. Empty, the tool stops
 * with an authentication error at once. (Cloud keys in the env stay required: the same job may hand
 * them to several tools, or keep them for a later step.)
 */
const FAIL_FAST_VARIABLES = new RegExp(
  [
    '(CLOUDFLARE|CF)_\\w*(TOKEN|KEY|PASSWORD|USERNAME|USER)',
    'TF_TOKEN_\\w+|TF_API_TOKEN',
    'NETLIFY_AUTH_TOKEN|VERCEL_TOKEN|FLY_API_TOKEN|HEROKU_API_KEY|FIREBASE_TOKEN|RAILWAY_TOKEN|SURGE_TOKEN',
    // The Supabase CLI signs in with its token, and to the linked database with its password, before it pushes.
    'SUPABASE_ACCESS_TOKEN|SUPABASE_DB_PASSWORD',
    // Not a credential: azd's saved environment config, optional by design. Without it, `azd provision
    // --no-prompt` stops on the first parameter it lacks, before it provisions anything.
    'AZD_INITIAL_ENVIRONMENT_CONFIG',
  ]
    .map((p) => `^(${p})$`)
    .join('|'),
);

/**
 * A secret named for an SSH key (`SSH_PRIVATE_KEY`, `EC2_SSH_KEY`, `OMNEX_DEPLOY_KEY`, `SERVER_PEM`) or the
 * server's host key (`SSH_KNOWN_HOSTS`), in a job that runs ssh, scp or rsync: SSH verifies the host and
 * authenticates before it runs or copies anything, so an empty one stops the step at once.
 */
export const SSH_KEY_SECRET =
  /SSH_?\w*KEY|KEY_?\w*SSH|DEPLOY_?KEY|PRIVATE_?KEY|_PEM$|^PEM_|IDENTITY_?FILE|KNOWN_?HOSTS/i;

/**
 * A secret named for a kubeconfig (`KUBECONFIG`, `KUBE_CONFIG_DATA`), in a job that runs kubectl or helm:
 * the first command connects to the cluster before it changes anything ("connection to the server
 * localhost:8080 was refused"), so an empty kubeconfig stops the job before the deploy.
 */
export const KUBECONFIG_SECRET = /KUBE_?CONFIG/i;
export const CLUSTER_CLIENTS = new Set(['kubectl', 'helm', 'helmfile', 'kustomize', 'k9s', 'argocd']);

/**
 * The options by which deploy CLIs take the token they sign in with (`vercel --token=…`, `netlify deploy
 * --auth …`): they sign in before they upload anything, and refuse at once when it is empty.
 */
export const SIGN_IN_OPTIONS: Record<string, string[]> = {
  vercel: ['--token', '-t'],
  netlify: ['--auth'],
  firebase: ['--token'],
  flyctl: ['--access-token', '-t'],
  fly: ['--access-token', '-t'],
  surge: ['--token'],
  railway: ['--token'],
};

/**
 * The options by which SSH clients are told how to connect (key, port, user, jump host, config,
 * `rsync -e 'ssh -i …'`): read when the connection opens, before a command runs or a byte is copied.
 * With the destination (`user@host`, `user@host:path` up to the colon), a secret read only there stops
 * the command at once when it is empty: "Could not resolve hostname", "Permission denied (publickey)".
 */
export const SSH_CONNECTION_OPTIONS: Record<string, string[]> = {
  ssh: ['-i', '-p', '-l', '-o', '-F', '-J'],
  scp: ['-i', '-P', '-o', '-F', '-J', '-S'],
  sftp: ['-i', '-P', '-o', '-F', '-J', '-S'],
  rsync: ['-e', '--rsh', '--port', '--password-file'],
  // `sshpass -p "$PASS" ssh …`: the password of the connection it opens.
  sshpass: ['-p'],
};
export const SSH_CLIENTS = new Set(['ssh', 'scp', 'rsync', 'sftp']);
/** Tools that open SSH connections of their own before they change anything (`ansible -m wait_for_connection`). */
export const SSH_TOOLS = new Set([...SSH_CLIENTS, 'ansible', 'ansible-playbook']);
/** Actions that connect over SSH (`appleboy/ssh-action`, `webfactory/ssh-agent`, `burnett01/rsync-deployments`). */
export const SSH_ACTIONS = /\b(ssh|scp|rsync|sftp)\b/;

/** Whether a tool authenticates with variable `name` before it changes anything (FAIL_FAST_VARIABLES). */
export function authenticatesWith(name: string): boolean {
  return FAIL_FAST_VARIABLES.test(name);
}

/**
 * Actions that write the values they are given into files of the workspace, for the build or deploy after
 * them: microsoft/variable-substitution writes its step's env into the JSON, XML or YAML `files`
 * (`spring.datasource.password: ${{ secrets.RDS_PASSWORD }}` into application.yml), timheuer/base64-to-file
 * its `encodedString`. A secret given to them is kept: empty, it is deployed empty, however early the step.
 */
export const FILE_WRITING_ACTIONS = ['microsoft/variable-substitution', 'timheuer/base64-to-file'];

/**
 * Inputs that name where an action writes on the server: empty, it writes elsewhere (easingthemes/ssh-deploy
 * syncs into the user's home, an SCP target of `""` is the home folder), and with `--delete` removes what is
 * there. missing-preflight counts their secrets as destinations, as it does `rsync … host:$DIR`.
 */
export const DESTINATION_INPUTS: FailFastAction[] = [
  { action: 'easingthemes/ssh-deploy', inputs: ['target'], env: true },
  { action: 'burnett01/rsync-deployments', inputs: ['remote_path'] },
  { action: 'appleboy/scp-action', inputs: ['target'] },
  { action: 'wlixcc/sftp-deploy-action', inputs: ['remote_path'] },
  { action: 'samkirkland/ftp-deploy-action', inputs: ['server-dir'] },
];

/**
 * Inputs whose empty value makes an action skip its deploy and still succeed: amazon-ecs-deploy-task-definition
 * registers the task definition and, with no `service`, updates no service ("Service was not specified,
 * no service updated"). Empty, the run is green and nothing is deployed.
 */
export const SKIPPED_WHEN_EMPTY: FailFastAction[] = [
  { action: 'aws-actions/amazon-ecs-deploy-task-definition', inputs: ['service'] },
];

/** `my-org/login: [token]` in settings, as the table holds it. */
export function failFastOf(settings: Record<string, string[]>): FailFastAction[] {
  return Object.entries(settings).map(([action, inputs]) => ({
    action: action.toLowerCase().split('@')[0],
    inputs: inputs.map((i) => i.toLowerCase()),
  }));
}
