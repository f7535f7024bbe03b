import type { CommandPattern } from './match.js';

/**
 * What wf-lint knows about each cloud, registry and secret backend, one record each, the way
 * actionlint's popular_actions.go and zizmor's data/ keep theirs: login actions and their inputs,
 * static keys, CLI logins, session lifetimes, the fix's default names and the words messages use.
 * Analysis, rules and fixers read these records; none of them names a login action itself.
 * Action names and input names are lower-case, as actionName and withInput compare them.
 */

/** The clouds and secret backends whose credentials and secret reads wf-lint follows. */
export type Provider = 'aws' | 'azure' | 'gcp' | 'vault';

/** A CLI login with GitHub's OIDC token. */
export interface FederationCommand extends CommandPattern {
  /** For messages: "az login --federated-token". */
  how: string;
}

/** Where a static (long-lived) credential goes, and how messages call it. */
export interface StaticCredential {
  /** For messages: "an AWS access key". */
  what: string;
}

/** A login action's inputs that take a static credential. */
export interface StaticInputs extends StaticCredential {
  action: string;
  inputs: string[];
}

/** Environment variables the provider's SDKs and CLIs read a static credential from. */
export interface StaticEnv extends StaticCredential {
  names: string[];
}

/** A login action's mutually exclusive inputs: an OIDC identity, or a static key. */
export interface EitherOrInputs {
  action: string;
  oidc: string[];
  static: string[];
}

/** A CLI login with a static credential. */
export interface StaticLogin extends StaticCredential, CommandPattern {
  /** A flag that turns the same command into an OIDC login. */
  federatedFlag?: string;
}

export interface ProviderRecord {
  /** For messages: "AWS credentials". */
  displayName: string;
  /** Commands that print a fresh credential: their output is a secret GitHub does not know to mask. */
  tokenCommands?: CommandPattern[];
  /** Variables its login actions set (a RegExp source): never a secret's hiding place. */
  credentialEnv?: string;
}

/** A cloud that offers GitHub OIDC federation in place of static credentials. */
export interface CloudRecord extends ProviderRecord {
  /** What to use instead of a static credential, named in every long-lived-credentials message. */
  oidcReplacement: string;
  federationCommands: FederationCommand[];
  staticInputs: StaticInputs[];
  staticEnv?: StaticEnv;
  staticLogins: StaticLogin[];
  /**
   * Login actions that take either an OIDC identity or a static key, and require exactly one: given
   * both, a working setup leaves the static one empty.
   */
  eitherOrInputs?: EitherOrInputs[];
  /** The usual secret names of the static credential, whose prefix and suffix the fix carries over. */
  usualSecretNames: string[];
}

/** `configure-aws-credentials` for `aws-actions/configure-aws-credentials`: how messages name an action. */
export function shortName(action: string): string {
  return action.slice(action.indexOf('/') + 1);
}

const ID_TOKEN = '`id-token: write`';

/** How a finding names the OIDC login that replaces a static key: a cloud's `oidcReplacement`. */
function oidcLogin(action: string, inputs: string, federation: string): string {
  return `${action} with ${inputs} (${federation}) and ${ID_TOKEN}`;
}

const AWS_LOGIN = 'aws-actions/configure-aws-credentials';
const AWS_INPUTS = {
  role: 'role-to-assume',
  duration: 'role-duration-seconds',
  chaining: 'role-chaining',
  tokenFile: 'web-identity-token-file',
  accessKeyId: 'aws-access-key-id',
  secretAccessKey: 'aws-secret-access-key',
  sessionToken: 'aws-session-token',
  region: 'aws-region',
};
const AWS_ENV = {
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  sessionToken: 'AWS_SESSION_TOKEN',
  region: ['AWS_REGION', 'AWS_DEFAULT_REGION'],
};
const AWS_KEY_ENV = [AWS_ENV.accessKeyId, AWS_ENV.secretAccessKey];
const AWS_KEY = 'an AWS access key';

/**
 * Terraform's providers read credentials from the environment: a client secret or a key file's
 * content (reported), and the OIDC settings that replace them. The aws provider takes the role
 * session configure-aws-credentials exports; azurerm signs in with GitHub's token itself.
 * Sources: the azurerm provider's "Authenticating using a Service Principal with OpenID Connect"
 * guide, the google provider's `credentials` argument.
 */
export const TERRAFORM = {
  displayName: 'Terraform',
  /** Commands that run Terraform's providers. */
  commands: ['terraform', 'terragrunt', 'tofu'],
  /** Actions that install Terraform and read no credential themselves. */
  setupActions: ['hashicorp/setup-terraform', 'opentofu/setup-opentofu'],
  azurerm: {
    secretEnv: 'ARM_CLIENT_SECRET',
    oidcEnv: 'ARM_USE_OIDC',
    idEnv: { clientId: 'ARM_CLIENT_ID', tenantId: 'ARM_TENANT_ID', subscriptionId: 'ARM_SUBSCRIPTION_ID' },
  },
  /** The google provider reads a service account key's JSON from the first of these it finds. */
  google: { keyEnv: ['GOOGLE_CREDENTIALS', 'GOOGLE_CLOUD_KEYFILE_JSON', 'GCLOUD_KEYFILE_JSON'] },
};

/**
 * Amazon ECR registry hosts, which docker/login-action logs in to with AWS access keys as
 * `username` / `password` (or with the role session of an earlier credential step, given neither).
 */
const ECR = {
  /** `123456789012.dkr.ecr.eu-west-1.amazonaws.com`: the region is the first group. */
  privateHost: /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/,
  publicHost: 'public.ecr.aws',
  /** ECR Public's token service is in us-east-1 only. */
  publicRegion: 'us-east-1',
};

export const AWS = {
  displayName: 'AWS',
  cli: 'aws',
  loginAction: AWS_LOGIN,
  /** The action's current major, for a step the fix inserts into a file that has none to copy. */
  loginActionRef: `${AWS_LOGIN}@v6`,
  registryLoginAction: 'aws-actions/amazon-ecr-login',
  ecr: ECR,
  inputs: AWS_INPUTS,
  env: AWS_ENV,
  /** The characters the login action accepts in a region. */
  regionPattern: /^[a-z0-9-]+$/,
  /**
   * The action's role-duration-seconds default, 1 hour (STS AssumeRoleWithWebIdentity). Source:
   * https://github.com/aws-actions/configure-aws-credentials#assuming-a-role
   */
  sessionLifetime: 3600,
  oidcReplacement: oidcLogin(AWS_LOGIN, `\`${AWS_INPUTS.role}\``, 'GitHub OIDC federation'),
  federationCommands: [
    {
      command: 'aws',
      subcommands: ['sts', 'assume-role-with-web-identity'],
      how: 'aws sts assume-role-with-web-identity',
    },
  ],
  staticInputs: [{ what: AWS_KEY, action: AWS_LOGIN, inputs: [AWS_INPUTS.accessKeyId, AWS_INPUTS.secretAccessKey] }],
  staticEnv: { what: AWS_KEY, names: AWS_KEY_ENV },
  staticLogins: [],
  usualSecretNames: AWS_KEY_ENV,
  // A role ARN names an account, so it is kept in secrets; the other clouds' ids are not secret.
  fixDefaults: { roleToAssume: 'secrets.AWS_ROLE_ARN' },
  tokenCommands: [
    { command: 'aws', subcommands: ['ecr', 'get-login-password'] },
    { command: 'aws', subcommands: ['ecr-public', 'get-login-password'] },
    { command: 'aws', subcommands: ['codeartifact', 'get-authorization-token'] },
    { command: 'aws', subcommands: ['sts', 'get-session-token'] },
  ],
  credentialEnv: 'AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|REGION|DEFAULT_REGION|ACCOUNT_ID)',
};

const AZURE_LOGIN = 'azure/login';
const AZURE_INPUTS = {
  clientId: 'client-id',
  tenantId: 'tenant-id',
  subscriptionId: 'subscription-id',
  allowNoSubscriptions: 'allow-no-subscriptions',
  authType: 'auth-type',
  creds: 'creds',
};
const AZURE_SECRET = 'a service principal secret';

export const AZURE = {
  displayName: 'Azure',
  cli: 'az',
  loginAction: AZURE_LOGIN,
  /** Composite actions that wrap the login action with OIDC, and the input that carries the client id. */
  oidcWrappers: { 'bitwarden/gh-actions/azure-login': 'client_id' } as Record<string, string>,
  inputs: AZURE_INPUTS,
  /** The `auth-type` of a managed identity, which needs no GitHub OIDC token. */
  managedIdentity: 'IDENTITY',
  /**
   * The login exchanges GitHub's OIDC token, which Entra ID accepts as a client assertion for only
   * ~10 minutes; new token requests after that fail with AADSTS700024 (Microsoft recommends
   * fetching tokens at the start of the job). Source: AADSTS700024 in
   * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
   */
  sessionLifetime: 600,
  sessionLimit: "Entra ID's window for new token requests (AADSTS700024)",
  oidcReplacement: oidcLogin(
    AZURE_LOGIN,
    `\`${AZURE_INPUTS.clientId}\`, \`${AZURE_INPUTS.tenantId}\` and \`${AZURE_INPUTS.subscriptionId}\``,
    'a federated credential',
  ),
  federationCommands: [
    { command: 'az', subcommands: ['login'], flags: ['--federated-token'], how: 'az login --federated-token' },
  ],
  staticInputs: [{ what: AZURE_SECRET, action: AZURE_LOGIN, inputs: [AZURE_INPUTS.creds] }],
  staticEnv: {
    what: 'a service principal client secret',
    names: ['AZURE_CLIENT_SECRET', TERRAFORM.azurerm.secretEnv],
  },
  staticLogins: [
    {
      what: AZURE_SECRET,
      command: 'az',
      subcommands: ['login'],
      flags: ['--service-principal'],
      federatedFlag: '--federated-token',
    },
    // Azure Developer CLI: `azd auth login --client-id … --client-secret …`.
    {
      what: AZURE_SECRET,
      command: 'azd',
      subcommands: ['auth', 'login'],
      flags: ['--client-secret'],
      federatedFlag: '--federated-credential-provider',
    },
  ],
  usualSecretNames: ['AZURE_CREDENTIALS', 'AZURE_CREDS'],
  fixDefaults: {
    clientId: 'vars.AZURE_CLIENT_ID',
    tenantId: 'vars.AZURE_TENANT_ID',
    subscriptionId: 'vars.AZURE_SUBSCRIPTION_ID',
  },
  tokenCommands: [
    { command: 'az', subcommands: ['account', 'get-access-token'] },
    { command: 'az', subcommands: ['acr', 'login'], flags: ['--expose-token'] },
  ],
  credentialEnv: 'AZURE_\\w+',
};

const GCP_LOGIN = 'google-github-actions/auth';
const GCP_SETUP = 'google-github-actions/setup-gcloud';
const GCP_INPUTS = {
  workloadIdentityProvider: 'workload_identity_provider',
  serviceAccount: 'service_account',
  tokenLifetime: 'access_token_lifetime',
  credentialsJson: 'credentials_json',
  setupKey: 'service_account_key',
};
const GCP_KEY = 'a service account key';

export const GCP = {
  displayName: 'Google Cloud',
  cli: 'gcloud',
  loginAction: GCP_LOGIN,
  /** The action's current major, for a step the fix inserts into a file that has none to copy. */
  loginActionRef: `${GCP_LOGIN}@v3`,
  /** Installs the SDK; older versions also took a service account key. */
  setupAction: GCP_SETUP,
  inputs: GCP_INPUTS,
  /**
   * An impersonated service account's access_token_lifetime default, 1 hour ("3600s"). Source:
   * https://github.com/google-github-actions/auth#inputs
   */
  sessionLifetime: 3600,
  /**
   * Direct Workload Identity Federation, without a service account: the federated token the login
   * action gets is short-lived (~5 minutes of use for new requests).
   */
  directSessionLifetime: 300,
  oidcReplacement: oidcLogin(GCP_LOGIN, `\`${GCP_INPUTS.workloadIdentityProvider}\``, 'Workload Identity Federation'),
  federationCommands: [
    { command: 'gcloud', subcommands: ['auth', 'login'], flags: ['--cred-file'], how: 'gcloud auth login --cred-file' },
  ],
  staticInputs: [
    { what: GCP_KEY, action: GCP_LOGIN, inputs: [GCP_INPUTS.credentialsJson] },
    { what: GCP_KEY, action: GCP_SETUP, inputs: [GCP_INPUTS.setupKey] },
  ],
  staticEnv: { what: GCP_KEY, names: TERRAFORM.google.keyEnv },
  staticLogins: [{ what: GCP_KEY, command: 'gcloud', subcommands: ['auth', 'activate-service-account'] }],
  // "exactly one of workload_identity_provider or credentials_json" (google-github-actions/auth#inputs)
  eitherOrInputs: [
    {
      action: GCP_LOGIN,
      oidc: [GCP_INPUTS.workloadIdentityProvider],
      static: [GCP_INPUTS.credentialsJson],
    },
  ],
  usualSecretNames: ['GCP_CREDENTIALS', 'GCP_SA_KEY', 'GCP_SERVICE_ACCOUNT_KEY', 'GOOGLE_CREDENTIALS'],
  fixDefaults: {
    workloadIdentityProvider: 'vars.GCP_WORKLOAD_IDENTITY_PROVIDER',
    serviceAccount: 'vars.GCP_SERVICE_ACCOUNT',
  },
  tokenCommands: [
    { command: 'gcloud', subcommands: ['auth', 'print-access-token'] },
    { command: 'gcloud', subcommands: ['auth', 'print-identity-token'] },
  ],
  credentialEnv:
    'GOOGLE_(APPLICATION_CREDENTIALS|GHA_CREDS_PATH|CLOUD_PROJECT)|CLOUDSDK_\\w+|GCLOUD_PROJECT|GCP_PROJECT',
};

export const VAULT = {
  displayName: 'Vault',
  cli: 'vault',
  /** Logs in and reads secrets in one step. */
  loginAction: 'hashicorp/vault-action',
  /** `method: jwt` logs in with GitHub's OIDC token, unless the step signs its own (`jwtPrivateKey`). */
  inputs: { method: 'method', privateKey: 'jwtprivatekey' },
  oidcMethod: 'jwt',
};

export const CONTAINER_REGISTRY = {
  displayName: 'container registry',
  loginAction: 'docker/login-action',
  /** The login action's inputs: `ecr: true` marks an ECR registry the host does not show. */
  loginInputs: { registry: 'registry', username: 'username', password: 'password', ecr: 'ecr' },
  /** CLI logins that read the password from stdin with `--password-stdin`. */
  passwordStdinLogins: [
    { command: 'docker', subcommands: ['login'] },
    { command: 'podman', subcommands: ['login'] },
    { command: 'nerdctl', subcommands: ['login'] },
    { command: 'helm', subcommands: ['registry', 'login'] },
    { command: 'oras', subcommands: ['login'] },
    { command: 'skopeo', subcommands: ['login'] },
    { command: 'crane', subcommands: ['auth', 'login'] },
  ],
};

export const GITHUB = {
  displayName: 'GitHub',
  tokenCommands: [{ command: 'gh', subcommands: ['auth', 'token'] }],
  /** The runner's own variables (`ACTIONS_ID_TOKEN_REQUEST_URL`, …). */
  credentialEnv: 'ACTIONS_\\w+',
};

export const PROVIDERS: Record<Provider, ProviderRecord & { cli: string }> = {
  aws: AWS,
  azure: AZURE,
  gcp: GCP,
  vault: VAULT,
};

/** The clouds whose static credentials long-lived-credentials reports. */
export type Cloud = 'aws' | 'azure' | 'gcp';
export const CLOUDS: Record<Cloud, CloudRecord> = { aws: AWS, azure: AZURE, gcp: GCP };

/** Items of every cloud's record, each with its cloud: `byCloud((c) => c.staticLogins)`. */
export function byCloud<T>(items: (cloud: CloudRecord) => T[]): (T & { cloud: Cloud })[] {
  return (Object.entries(CLOUDS) as [Cloud, CloudRecord][]).flatMap(([cloud, record]) =>
    items(record).map((item) => ({ ...item, cloud })),
  );
}

const ALL: ProviderRecord[] = [AWS, AZURE, GCP, VAULT, CONTAINER_REGISTRY, GITHUB];

/** Commands that print a fresh credential, of every provider. */
export const TOKEN_COMMANDS: CommandPattern[] = ALL.flatMap((p) => p.tokenCommands ?? []);

/** Variables the login actions and the runner set for credentials. */
export const CREDENTIAL_ENV = new RegExp(`^(${ALL.flatMap((p) => p.credentialEnv ?? []).join('|')})$`);
