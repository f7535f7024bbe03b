import { basename } from 'node:path';
import type { Facts } from '../analysis/facts.js';
import { actionName, commandMatches, effectiveCommand, hasFlag, literalPattern, withInput } from '../analysis/match.js';
import {
  AWS,
  AZURE,
  byCloud,
  CLOUDS,
  CONTAINER_REGISTRY,
  GCP,
  shortName,
  TERRAFORM,
  type Cloud,
  type StaticLogin,
} from '../analysis/providers.js';
import { identifierLike } from '../analysis/secret-values.js';
import { SCRIPT_INTERPRETERS, TASK_RUNNERS } from '../analysis/shell/commands.js';
import { isOwnPreflight } from '../analysis/preflight.js';
import { wordsOf } from '../analysis/deploy-recognisers.js';
import { templatePlaceholders } from '../analysis/deploy.js';
import { eventsReaching } from '../analysis/triggers.js';
import { optionalCallSecrets } from '../analysis/callee-secrets.js';
import type { CredentialNames } from '../config/fix-settings.js';
import type { Fix, Range, RelatedLocation, TextEdit } from '../findings.js';
import { overlaps } from '../fixers/edits.js';
import {
  ecrLoginFix,
  replaceEnvKeys,
  replaceKeyInputs,
  useArmOidc,
  type CredentialFix,
} from '../fixers/long-lived-credentials.js';
import type { ExprRef } from '../workflow/expressions.js';
import type { Entry, Job, ScalarValue, Step, Workflow } from '../workflow/model.js';
import { defineRule, type ReportInput } from './rule.js';

/** Action inputs that take a static credential. */
const STATIC_INPUTS = byCloud((c) => c.staticInputs);

/** Environment variables the providers' SDKs and CLIs read a static credential from. */
const STATIC_ENV = byCloud((c) => (c.staticEnv ? [c.staticEnv] : []));
type StaticEnvForm = (typeof STATIC_ENV)[number];
type StaticInputForm = (typeof STATIC_INPUTS)[number];

/** CLI logins with a static credential (when the step hands them a secret). */
const STATIC_LOGINS = byCloud((c) => c.staticLogins);

/** Login actions that take an OIDC identity or a static key, exactly one of them. */
const EITHER_OR_INPUTS = byCloud((c) => c.eitherOrInputs ?? []);

const code = (text: string) => `\`${text}\``;

/** `az login --service-principal`: a login as written. */
function loginText(login: StaticLogin): string {
  return [login.command, ...(login.subcommands ?? []), ...(login.flags ?? [])].join(' ');
}

const REGISTRY_LOGIN = CONTAINER_REGISTRY.loginAction;
const ARM = TERRAFORM.azurerm;

/** The static credentials each cloud's part of the description names, from the providers table. */
const STATIC_FORMS = {
  aws: [
    `${shortName(AWS.loginAction)} inputs or ${AWS.staticEnv.names.map(code).join('/')} in \`env:\``,
    `the same keys as ${REGISTRY_LOGIN}'s \`username\` / \`password\` for ECR`,
  ].join(', '),
  azure: [
    `${AZURE.loginAction} ${code(AZURE.inputs.creds)}`,
    AZURE.staticEnv.names.map(code).join('/'),
    ...AZURE.staticLogins.map((l) => code(loginText(l))),
  ].join(', '),
  gcp: [
    `${GCP.loginAction} ${code(GCP.inputs.credentialsJson)}`,
    GCP.staticEnv.names.map(code).join('/'),
    ...GCP.staticLogins.map((l) => code(loginText(l))),
  ].join(', '),
};

const DESCRIPTION =
  'A long-lived cloud credential taken from secrets where the provider offers GitHub OIDC federation: ' +
  `AWS access keys (${STATIC_FORMS.aws}), an Azure service principal secret (${STATIC_FORMS.azure}), ` +
  `a Google service account key (${STATIC_FORMS.gcp}). ` +
  'Static keys never expire: whoever reads them from a log, a compromised action or a leaked secret keeps access ' +
  'until someone rotates them. A fallback to keys behind an `if:` keeps them alive too. ' +
  'One credential used in several places is one finding, with the other places as related locations.';

const WHY =
  'It never expires: whoever reads it, from a log, a compromised action or a leaked backup, keeps access until ' +
  'someone rotates it.';

const ID_TOKEN = '`id-token: write`';

/** How a first line ends: what a finding of the rule is. */
const LONG_LIVED = 'a long-lived credential';

/** What replaces an `env:` credential: the cloud's OIDC login, or Terraform's own OIDC settings. */
const REMEDY = {
  cloud: (cloud: Cloud) => `Use ${CLOUDS[cloud].oidcReplacement} instead.`,
  azurerm:
    "Terraform's azurerm provider signs in with GitHub OIDC instead: set " +
    `\`${ARM.oidcEnv}: true\` beside ${Object.values(ARM.idEnv).map(code).join(', ')} (a federated credential ` +
    `on the app registration), grant ${ID_TOKEN} and drop \`${ARM.secretEnv}\`.`,
  armUnused:
    `No step of the job runs Terraform, the tool that reads \`${ARM.secretEnv}\`: unless a local action does, ` +
    `delete the unused \`${ARM.secretEnv}\`; a tool that needs Azure signs in with ${AZURE.loginAction} ` +
    'and GitHub OIDC.',
  armIndirect:
    'No step runs Terraform itself, but the job may through make, a script or a local action: if it does, ' +
    'switch its azurerm provider to OIDC rather than deleting the secret.',
  keysBesideRole: (role: string, who = 'The step') =>
    `${who} already assumes \`${role}\`: drop the keys and let GitHub OIDC make the first hop (trust GitHub's ` +
    `OIDC provider in that role's trust policy, drop any external id, and grant ${ID_TOKEN}).`,
  awsTerraform:
    `Use ${AWS.oidcReplacement} instead, in a step before terraform: ` +
    "Terraform's aws provider reads the role session it exports.",
  gcpEnv: (key: string, terraform: boolean) =>
    `Use ${GCP.oidcReplacement} instead, in a step before ${terraform ? 'terraform' : 'the tools that read it'}, ` +
    `and drop \`${key}\`: ${terraform ? "Terraform's google provider reads" : 'Google client libraries read'} ` +
    'the credentials file it exports.',
  ecr:
    `Use ${AWS.oidcReplacement}, then ${AWS.registryLoginAction} ` +
    `(or ${REGISTRY_LOGIN} with only \`registry:\`, which then logs in with the role session).`,
};

/**
 * S3-compatible stores (Cloudflare R2, DigitalOcean Spaces, MinIO, Backblaze B2, ...) take keys in
 * the AWS variables but offer no GitHub OIDC federation: keys there are not a finding.
 */
const S3_COMPATIBLE_SECRET = new RegExp(
  '(^|_)(R2|CLOUDFLARE|DO|DIGITALOCEAN|SPACES|MINIO|B2|BACKBLAZE|WASABI|LINODE|SCALEWAY|SCW|OVH|HETZNER|' +
    'TIGRIS|STORJ|HMAC)(_|$)',
  'i',
);
const ENDPOINT_OVERRIDE = /ENDPOINT/i;
/**
 * Platforms that issue S3 keys of their own and offer the tenant no OIDC federation: cloud.gov brokers
 * S3 buckets as services whose keys come from `cf create-service-key`. A workflow that targets it
 * (`cf api api.fr.cloud.gov`, `cloud-gov/cg-cli-tools`) holds such keys, not an AWS account's.
 */
const KEY_ISSUING_PLATFORM = /\bcloud\.gov\b|\bcloud-gov\//i;
/** Secret names of an AWS access key pair: `AWS_ACCESS_KEY_ID`, `ECR_SECRET_ACCESS_KEY`. */
const AWS_KEY_NAME = /ACCESS_KEY_ID|SECRET_ACCESS_KEY/i;
/** A name that says ECR: `ECR_REGISTRY`, `login-ecr`. */
const ECR_NAME = /(^|[_-])ECR([_-]|$)/i;

/** One place a credential is used, before places of the same credential are reported as one finding. */
interface Occurrence {
  cloud: Cloud;
  /** The secrets it comes from. */
  sources: ExprRef[];
  at: Range;
  /** The first line of the finding. */
  short: string;
  /** The finding's explanation, before what grouping adds. */
  message: string;
  /** For a related location: "`creds` of the login action in job 'deploy'". */
  where: string;
  fix?: CredentialFix;
}

export const longLivedCredentials = defineRule({
  meta: {
    id: 'long-lived-credentials',
    summary: 'Static cloud credential where OIDC federation is available',
    description: DESCRIPTION,
    level: 'error',
    securitySeverity: 7.5,
    precision: 'high',
    tags: ['security', 'credentials', 'oidc'],
    fixable: ['unsafe'],
  },
  check({ workflow, facts, settings, report }) {
    const names = settings.fix.longLivedCredentials;
    const found: Occurrence[] = [];
    const scope = { workflow, facts, names, found, optionalSecrets: optionalCallSecrets(workflow) };
    envOccurrences(scope, workflow.env, workflow.jobs, 'the workflow');
    for (const job of workflow.jobs) {
      // A job named for the static path (`az-login-test-non-oidc`) tests it on purpose: OIDC would defeat it.
      if (NOT_OIDC.test(wordsOf(`${job.id} ${job.name?.text ?? ''}`).join(' '))) continue;
      // A job no event reaches (`if: false`, or it needs one) never uses the keys.
      if (eventsReaching(workflow, job).size === 0) continue;
      // A starter workflow committed as it came, whose login cannot work (`AWS_REGION: MY_AWS_REGION`), never
      // ran: its keys were most likely never stored. One with the region filled in may well have.
      if (templatePlaceholders(workflow, job).some((e) => LOGIN_SETTING.test(e.key))) continue;
      envOccurrences({ ...scope, job }, job.env, [job], `job '${job.id}'`);
      for (const step of job.steps) {
        // wf-lint's own preflight only checks that secrets are set; missing-preflight keeps it up to date.
        if (isOwnPreflight(step)) continue;
        const before = found.length;
        envOccurrences({ ...scope, job, step }, step.env, [job], `step '${step.label}'`);
        inputOccurrences(step, job, scope);
        registryLoginOccurrences(step, job, scope);
        loginOccurrences(step, job, scope);
        localActionOccurrences(step, job, scope);
        // A comment in the step that speaks of OIDC documents why the step does without it.
        if (commentsOnOidc(workflow.file.text, step.range)) found.splice(before);
        const kept = found.splice(before).filter((o) => !eitherOrLogin(step, job, o, facts));
        found.push(...kept);
      }
    }
    reportGrouped(found, scope, report);
  },
});

/**
 * Keys that come with a session token from secrets (`AWS_SESSION_TOKEN`, `aws-session-token`): a temporary
 * session someone pasted in, such as an AWS Academy lab's, which expires within hours. It is not the
 * long-lived access key the rule is about, and such accounts often cannot create an OIDC provider.
 */
function sessionKeys(env: Entry[], optional: Set<string>): boolean {
  const token = env.find((e) => e.key === AWS.env.sessionToken);
  // A token a caller may leave out (`required: false`) leaves the keys long-lived IAM user keys.
  return secretRefs(token?.value).some((r) => !optional.has(String(r.path[0]).toUpperCase()));
}

/** What a cloud login needs besides the key: a region, a location, a project. */
const LOGIN_SETTING = /REGION|LOCATION|PROJECT/i;

/** A step of AWS's login action that assumes a role: keys in the env around it only make the first hop. */
function assumesRole(steps: Step[]): boolean {
  return steps.some((s) => actionName(s) === AWS.loginAction && withInput(s, AWS.inputs.role) !== undefined);
}

/** Words of a workflow's or job's name that say it tests: `azure-login-canary.yml`, `e2e tests`. */
const TEST_WORDS = /\b(canary|tests?|testing|e2e|integration)\b/;

/** Words of a job's name that say it does without OIDC on purpose: `non-oidc`, `no oidc`, `without oidc`. */
const NOT_OIDC = /\b(non|no|without) oidc\b/;

/** Whether a comment line inside the range mentions OIDC ("use access keys instead of GitHub OIDC because …"). */
function commentsOnOidc(text: string, range: Range): boolean {
  const lines = text.split(/\r?\n/).slice(range.start.line - 1, range.end.line);
  return lines.some((l) => /^\s*#.*\bOIDC\b/i.test(l));
}

/** What the collecting functions share, and where an `env:` is: the workflow's (no job), a job's or a step's. */
interface Scope {
  workflow: Workflow;
  facts: Facts;
  names: CredentialNames;
  found: Occurrence[];
  /** The secrets the workflow declares `required: false` for its callers (optionalCallSecrets). */
  optionalSecrets: Set<string>;
  job?: Job;
  step?: Step;
}

function envOccurrences(scope: Scope, env: Entry[], jobs: Job[], owner: string): void {
  const { facts, step } = scope;
  const steps = step ? [step] : jobs.flatMap((j) => j.steps);
  for (const form of STATIC_ENV) {
    const all = env.filter((e) => form.names.includes(e.key) && secretRefs(e.value).length > 0);
    if (all.length === 0) continue;
    // A step's key id alone (`AWS_ACCESS_KEY_ID` as its `if:` switch) is an identifier: the key pair, where
    // the step's login takes it, is the finding. In a job's or the workflow's env it reaches every step.
    if (step && all.every((e) => identifierLike(e.key, facts.settings.identifierSecrets))) continue;
    if (form.cloud === 'aws' && s3Compatible(env, all, allScripts(steps, facts))) continue;
    if (form.cloud === 'aws' && KEY_ISSUING_PLATFORM.test(facts.workflow.file.text)) continue;
    if (form.cloud === 'aws' && sessionKeys(env, scope.optionalSecrets)) continue;
    for (const keys of byCredential(all, facts.settings.identifierSecrets))
      envOccurrence(scope, form, keys, steps, owner);
  }
}

/**
 * The keys of one env, one list per credential: two different secrets (`AZURE_CLIENT_SECRET` and
 * `ARM_CLIENT_SECRET`) are two credentials; the identifiers beside them (a key id) go with the first.
 */
function byCredential(keys: Entry[], identifiers: RegExp): Entry[][] {
  const secrets = keys.filter((k) => !identifierLike(k.key, identifiers));
  if (secrets.length <= 1) return [keys];
  const others = keys.filter((k) => !secrets.includes(k));
  return secrets.map((k, i) => (i === 0 ? [k, ...others] : [k]));
}

function envOccurrence(scope: Scope, form: StaticEnvForm, keys: Entry[], steps: Step[], owner: string): void {
  const { facts, step, job } = scope;
  const [first] = keys;
  const use = terraformUse(steps, facts);
  const terraform = use === 'runs' || use === 'installs';
  const arm = keys.find((k) => k.key === ARM.secretEnv);
  const fix = arm && !terraform ? (use ? ARM_INDIRECT : ARM_UNUSED) : envFix(scope, form.cloud, keys, form.names, arm);
  const remedy = arm
    ? terraform
      ? REMEDY.azurerm
      : use
        ? `${REMEDY.armIndirect} ${REMEDY.azurerm}`
        : REMEDY.armUnused
    : form.cloud === 'gcp'
      ? REMEDY.gcpEnv(first.key, terraform)
      : form.cloud === 'aws' && assumesRole(steps)
        ? REMEDY.keysBesideRole(AWS.inputs.role, `${shortName(AWS.loginAction)}, which reads these keys,`)
        : form.cloud === 'aws' && terraform
          ? REMEDY.awsTerraform
          : REMEDY.cloud(form.cloud);
  const beside = job !== undefined && oidcLogins(job, form.cloud, facts).length > 0;
  scope.found.push({
    cloud: form.cloud,
    sources: keys.flatMap((k) => secretRefs(k.value)),
    at: first.keyRange,
    short: `\`${first.key}\` in \`env:\` is ${form.what}, ${LONG_LIVED}`,
    message:
      `\`${first.key}\` in the env of ${owner} is ${form.what} from ${refList(keys)}, a long-lived credential` +
      `${fallbackNote(step, form.names, beside)}. ${WHY} ${remedy}`,
    where: `\`${first.key}\` in the env of ${job && step ? `job '${job.id}', ${owner}` : owner}`,
    fix,
  });
}

function inputOccurrences(step: Step, job: Job, scope: Scope): void {
  const { facts, names } = scope;
  const action = actionName(step);
  const form = STATIC_INPUTS.find((f) => f.action === action);
  if (!form || (form.cloud === 'aws' && KEY_ISSUING_PLATFORM.test(facts.workflow.file.text))) return;
  const env = scopeEnv(step, job, facts);
  const keys = step.with.filter(
    (e) => form.inputs.includes(e.key.toLowerCase()) && credentialSources(e.value, env).length > 0,
  );
  if (keys.length === 0 || testsBothLogins(step, job, form, scope) || givesOidcInstead(step, keys)) return;
  const token = step.with.find((e) => e.key.toLowerCase() === AWS.inputs.sessionToken);
  const optional = scope.optionalSecrets;
  const tokens = token
    ? credentialSources(token.value, env).filter((r) => !optional.has(String(r.path[0]).toUpperCase()))
    : [];
  if (form.cloud === 'aws' && tokens.length > 0) return;
  const [first] = keys;
  const role = form.cloud === 'aws' ? withInput(step, AWS.inputs.role) : undefined;
  const remedy = role ? REMEDY.keysBesideRole(AWS.inputs.role) : REMEDY.cloud(form.cloud);
  const keyNames = CLOUDS[form.cloud].staticEnv?.names ?? [];
  const sources = keys.flatMap((k) => credentialSources(k.value, env));
  const fix = testsKeys(step, job, facts, keyNames, sources)
    ? guardedFix(job, form.cloud, facts)
    : replaceKeyInputs(facts.workflow, job, step, names, secretNames(sources));
  scope.found.push({
    cloud: form.cloud,
    sources,
    at: first.keyRange,
    short: `\`${first.key}\` gives ${form.action} ${form.what}, ${LONG_LIVED}`,
    message:
      `\`${first.key}\` gives ${form.action} ${form.what} from ${refList(keys, env)}, a long-lived credential` +
      `${fallbackNote(step, keyNames, oidcLogins(job, form.cloud, facts).length > 0)}. ${WHY} ${remedy}`,
    where: `\`${first.key}\` of ${form.action} in job '${job.id}', step '${step.label}'`,
    fix,
  });
}

/**
 * A secret handed to a local composite action (`uses: ./.github/actions/db-actions`) that the action
 * passes on to a static login input (the Azure login's `creds:`) or a static credential variable
 * (`ARM_CLIENT_SECRET` for Terraform): reported at the caller's `with:` entry, with the chain.
 */
function localActionOccurrences(step: Step, job: Job, scope: Scope): void {
  const local = scope.facts.localAction(step);
  if (!local) return;
  const env = scopeEnv(step, job, scope.facts);
  const terraform = local.steps.some((s) => TERRAFORM.commands.some((c) => new RegExp(`\\b${c}\\b`).test(s.run ?? '')));
  for (const entry of step.with) {
    const sources = credentialSources(entry.value, env);
    if (
      sources.length === 0 ||
      sources.every((r) => identifierLike(String(r.path[0]), scope.facts.settings.identifierSecrets))
    )
      continue;
    const input = new RegExp(
      `\\binputs(\\.${literalPattern(entry.key)}\\b|\\[\\s*'${literalPattern(entry.key)}'\\s*\\])`,
      'i',
    );
    for (const target of local.steps) {
      const form = STATIC_INPUTS.find((f) => f.action === target.action);
      const login = form && target.with.find(([k, v]) => form.inputs.includes(k.toLowerCase()) && input.test(v));
      const envForm = STATIC_ENV.find((f) => target.env.some(([k, v]) => f.names.includes(k) && input.test(v)));
      const variable = envForm && target.env.find(([k, v]) => envForm.names.includes(k) && input.test(v))![0];
      if (!login && !variable) continue;
      const cloud = form && login ? form.cloud : envForm!.cloud;
      const what = form && login ? form.what : envForm!.what;
      const reaches = login ? `\`${login[0]}\` of ${form!.action}` : `\`${variable}\` in its env`;
      const remedy = variable === ARM.secretEnv && terraform ? REMEDY.azurerm : REMEDY.cloud(cloud);
      const chain = `\`${entry.key}\` of the local action \`${local.uses}\` (its step '${target.label}': ${reaches})`;
      scope.found.push({
        cloud,
        sources,
        at: entry.keyRange,
        short: `\`${entry.key}\` gives the local action \`${local.uses}\` ${what}, ${LONG_LIVED}`,
        message: `${refList([entry], env)} reaches ${chain}: ${what}, a long-lived credential. ${WHY} ${remedy}`,
        where: `${chain} in job '${job.id}'`,
        fix: IN_LOCAL_ACTION,
      });
      break;
    }
  }
}

/**
 * A test or canary (by the workflow's file or name, or the job's) that runs the same login action in
 * every run both with a static credential and, in a step named for OIDC, without one: it tests both
 * paths on purpose (a login action's own canary), and OIDC cannot replace the static one. A login with
 * keys behind an `if:` is a fallback, a second login with no name to say so may chain from the first
 * (`role-to-assume` on the keys' session), and a build that logs in with OIDC to one account and with
 * keys to another uses the keys for real: all stay findings.
 */
function testsBothLogins(step: Step, job: Job, form: StaticInputForm, scope: Scope): boolean {
  const { workflow, facts } = scope;
  const names = [basename(workflow.file.path), workflow.name?.text, job.id, job.name?.text].join(' ');
  if (step.if || !TEST_WORDS.test(wordsOf(names).join(' '))) return false;
  const env = scopeEnv(step, job, facts);
  return job.steps.some(
    (s) =>
      !s.if &&
      /\boidc\b/i.test(s.label) &&
      actionName(s) === form.action &&
      !s.with.some((e) => form.inputs.includes(e.key.toLowerCase()) && credentialSources(e.value, env).length > 0),
  );
}

/**
 * A login action given a static key and, in the same step, the OIDC identity it takes instead
 * (Google's auth action given a key's JSON beside a workload identity provider): the action
 * requires exactly one, so a working setup leaves the key empty.
 */
function givesOidcInstead(step: Step, keys: Entry[]): boolean {
  const action = actionName(step);
  return EITHER_OR_INPUTS.some(
    (pair) =>
      pair.action === action &&
      keys.every((k) => pair.static.includes(k.key.toLowerCase())) &&
      pair.oidc.some((input) => (withInput(step, input)?.text.trim() ?? '') !== ''),
  );
}

/**
 * An either/or login: the step runs only when its key is set, and another step of the job logs in to
 * the same cloud with OIDC only when its identity is set (azd's template: a federated login under
 * `if: env.AZURE_CLIENT_ID != ''`, a client-secret login under `if: env.AZURE_CREDENTIALS != ''`).
 * Which one a repository configured the file does not show, so the key may well not exist.
 */
function eitherOrLogin(step: Step, job: Job, o: Occurrence, facts: Facts): boolean {
  const logins = oidcLogins(job, o.cloud, facts).filter((s) => s !== step);
  // The OIDC login runs when the static secret is empty (`if: env.AZ_CLIENT_SECRET == ''`): the secret is
  // an opt-in alternative, and without it the job already uses OIDC.
  if (logins.some((s) => testsEmpty(s.if, o.sources, scopeEnv(s, job, facts)))) return true;
  if (!testsKeys(step, job, facts, CLOUDS[o.cloud].staticEnv?.names ?? [], o.sources)) return false;
  return logins.some((s) => (s.if?.expressions ?? []).some((e) => e.refs.some((r) => SETTINGS.has(r.context))));
}

/** Whether a condition compares one of the secrets (or an env variable holding one) with `''`. */
function testsEmpty(condition: ScalarValue | undefined, sources: ExprRef[], env: Map<string, ExprRef[]>): boolean {
  if (!condition) return false;
  const secrets = new Set(sources.map((r) => String(r.path[0]).toUpperCase()));
  const holders = [...env].filter(([, refs]) => refs.some((r) => secrets.has(String(r.path[0]).toUpperCase())));
  const names = [
    ...[...secrets].map((s) => `secrets\\.${literalPattern(s)}`),
    ...holders.map(([k]) => `env\\.${literalPattern(k)}`),
  ];
  if (names.length === 0) return false;
  const compared = `(?:${names.join('|')})\\s*==\\s*''|''\\s*==\\s*(?:${names.join('|')})`;
  return new RegExp(compared, 'i').test(condition.text);
}

/** Contexts that say what a repository has set up. */
const SETTINGS = new Set(['vars', 'secrets', 'env']);

/** The steps of a job that log in to a cloud with OIDC: a login action or command, azd's federated login. */
function oidcLogins(job: Job, cloud: Cloud, facts: Facts): Step[] {
  const issued = facts
    .credentials(job)
    .filter((c) => c.provider === cloud)
    .map((c) => c.step);
  const federated = job.steps.filter((s) =>
    (facts.script(s)?.commands ?? []).some((command) =>
      STATIC_LOGINS.some(
        (f) =>
          f.cloud === cloud &&
          f.federatedFlag !== undefined &&
          commandMatches(command, { command: f.command, subcommands: f.subcommands, flags: [f.federatedFlag] }),
      ),
    ),
  );
  return [...issued, ...federated];
}

/**
 * The registry login action given AWS access keys as `username` / `password` to log in to Amazon ECR: the
 * registry is an ECR host (or `ecr: true`), or an expression and the secrets are named as AWS keys.
 */
function registryLoginOccurrences(step: Step, job: Job, scope: Scope): void {
  if (actionName(step) !== REGISTRY_LOGIN) return;
  const { facts, names, workflow } = scope;
  const inputs = CONTAINER_REGISTRY.loginInputs;
  const env = scopeEnv(step, job, facts);
  const keys = step.with.filter(
    (e) =>
      [inputs.username, inputs.password].includes(e.key.toLowerCase()) && credentialSources(e.value, env).length > 0,
  );
  if (keys.length === 0) return;
  const sources = keys.flatMap((k) => credentialSources(k.value, env));
  const registry = withInput(step, inputs.registry);
  const host = registry?.text.trim() ?? '';
  const region = ecrRegion(host);
  const dynamic = host.includes('${{');
  // `${{ secrets.ECR_REGISTRY }}`, `${{ steps.login-ecr.outputs.registry }}`
  const ecrNamed = (registry?.expressions ?? []).some((e) =>
    e.refs.some((r) => r.path.some((p) => typeof p === 'string' && ECR_NAME.test(p))),
  );
  const awsNamed = secretNames(sources).some((n) => AWS_KEY_NAME.test(n) && !S3_COMPATIBLE_SECRET.test(n));
  const ecr =
    region !== undefined || withInput(step, inputs.ecr)?.text.trim() === 'true' || (dynamic && (awsNamed || ecrNamed));
  if (!ecr) return;
  const fix = testsKeys(step, job, facts, AWS.staticEnv.names, sources)
    ? guardedFix(job, 'aws', facts)
    : ecrLoginFix(workflow, job, step, names, secretNames(sources), region);
  scope.found.push({
    cloud: 'aws',
    sources,
    at: keys[0].keyRange,
    short: `${REGISTRY_LOGIN} logs in to Amazon ECR with ${AWS.staticInputs[0].what}, ${LONG_LIVED}`,
    message:
      `\`${keys.map((k) => k.key).join('` and `')}\` give ${REGISTRY_LOGIN} ${AWS.staticInputs[0].what} from ` +
      `${refList(keys, env)} to log in to Amazon ECR, a long-lived credential` +
      `${fallbackNote(step, [], oidcLogins(job, 'aws', facts).length > 0)}. ` +
      `${WHY} ${REMEDY.ecr}`,
    where: `\`${keys[0].key}\` of ${REGISTRY_LOGIN} in job '${job.id}', step '${step.label}'`,
    fix,
  });
}

/** The region of an ECR registry host, when the host is one. */
function ecrRegion(host: string): string | undefined {
  if (host === AWS.ecr.publicHost) return AWS.ecr.publicRegion;
  return AWS.ecr.privateHost.exec(host.replace(/^https?:\/\//, '').replace(/\/.*$/, ''))?.[1];
}

function loginOccurrences(step: Step, job: Job, scope: Scope): void {
  const { facts } = scope;
  const script = facts.script(step);
  if (!script) return;
  const env = scopeEnv(step, job, facts);
  // The secret reaches the login through its arguments, or through a file the step writes from its env.
  const text = script.value.text;
  const reads = (name: string) => new RegExp(`\\$\\{?${literalPattern(name)}\\b`).test(text);
  const stepSecrets = [
    ...step.env.flatMap((e) => secretRefs(e.value)),
    ...script.exprs.flatMap((e) => e.refs.filter(isSecret)),
    // The job's or workflow's env, when the script reads it: `info="$AZURE_CREDENTIALS"`.
    ...[...env].filter(([name]) => !step.env.some((e) => e.key === name) && reads(name)).flatMap(([, refs]) => refs),
  ];
  for (const command of script.commands) {
    const form = STATIC_LOGINS.find(
      (f) =>
        commandMatches(command, f) && !(f.federatedFlag && hasFlag(effectiveCommand(command).args, f.federatedFlag)),
    );
    if (!form) continue;
    const fromArgs = command.args.flatMap((a) => [
      ...a.vars.flatMap((v) => env.get(v.name) ?? []),
      ...a.exprs.flatMap((e) => e.refs.filter(isSecret)),
    ]);
    const sources = fromArgs.length > 0 ? fromArgs : stepSecrets;
    if (sources.length === 0) continue;
    scope.found.push({
      cloud: form.cloud,
      sources,
      at: command.range,
      short: `\`${loginText(form)}\` logs in with ${form.what}, ${LONG_LIVED}`,
      message:
        `\`${loginText(form)}\` logs in with ${form.what} from ${secretList(sources)}, a long-lived credential. ` +
        `${WHY} ${REMEDY.cloud(form.cloud)}`,
      where: `\`${loginText(form)}\` in job '${job.id}', step '${step.label}'`,
    });
  }
}

/**
 * One finding per credential: the places that use the same secrets (of one cloud) become the first
 * place's related locations, and their fixes one fix (those whose edits do not meet; a later pass
 * takes the rest).
 */
function reportGrouped(found: Occurrence[], scope: Scope, report: (r: ReportInput) => void): void {
  const identifiers = scope.facts.settings.identifierSecrets;
  const groups = new Map<string, Occurrence[]>();
  for (const o of found) {
    const key = `${o.cloud}\0${credentialKey(o.sources, identifiers)}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  for (const [first, ...rest] of groups.values()) {
    const fix = mergedFix([first, ...rest]);
    const related: RelatedLocation[] = rest.map((o) => ({ range: o.at, message: `The same credential: ${o.where}.` }));
    const also = rest.length > 0 ? ` The same credential is used in ${places(rest.length)} (related locations).` : '';
    const others = otherUses([first, ...rest], scope, identifiers);
    report({
      at: first.at,
      message: first.short,
      detail: `${first.message}${also}${others}${fix ? partialFixNote([first, ...rest]) : noFixNote(first.fix)}`,
      ...(related.length > 0 ? { related } : {}),
      ...(fix ? { fix } : {}),
    });
  }
}

/**
 * Steps outside a credential's places that get the same secret (dapr's test-infra setup script): they must
 * move off it before the secret can be deleted. As a sentence of the message, or nothing.
 */
function otherUses(group: Occurrence[], { workflow, facts }: Scope, identifiers: RegExp): string {
  const names = new Set(credentialKey(group[0].sources, identifiers).split(','));
  const inside = (r: Range, step: Step) =>
    r.start.offset >= step.range.start.offset && r.end.offset <= step.range.end.offset;
  const steps = workflow.jobs.flatMap((job) =>
    job.steps
      .filter((step) => !isOwnPreflight(step) && !group.some((o) => inside(o.at, step)))
      .filter((step) =>
        [
          ...[...step.env, ...step.with].flatMap((e) => secretRefs(e.value)),
          ...(facts.script(step)?.exprs ?? []).flatMap((e) => e.refs.filter(isSecret)),
        ].some((r) => names.has(String(r.path[0]).toUpperCase())),
      )
      .map((step) => `step '${step.label}' of job '${job.id}' (line ${step.range.start.line})`),
  );
  if (steps.length === 0) return '';
  const listed = steps.length > 3 ? [...steps.slice(0, 3), `${steps.length - 3} more`] : steps;
  return (
    ` The same secret also reaches ${listed.join(', ')}: move ${steps.length === 1 ? 'that use' : 'those uses'} ` +
    'off it too before deleting it.'
  );
}

const places = (n: number) => (n === 1 ? '1 more place' : `${n} more places`);

/** The secrets that make a credential what it is: those not named for identifiers (a key id, a client id). */
function credentialKey(sources: ExprRef[], identifiers: RegExp): string {
  const all = [...new Set(secretNames(sources).map((n) => n.toUpperCase()))].sort();
  const secret = all.filter((n) => !identifierLike(n, identifiers));
  return (secret.length > 0 ? secret : all).join(',');
}

/** The fixes of one credential's places as one fix: each place's edits, unless they meet edits already taken. */
function mergedFix(group: Occurrence[]): Fix | undefined {
  const fixes = group.flatMap((o) => (o.fix && 'fix' in o.fix ? [o.fix.fix] : []));
  if (fixes.length <= 1) return fixes[0];
  const edits: TextEdit[] = [];
  const descriptions: string[] = [];
  for (const fix of fixes) {
    // The same grant of `id-token: write` to one job, computed for two of its steps, is made once.
    const fresh = fix.edits.filter(
      (e) => !edits.some((x) => x.start === e.start && x.end === e.end && x.text === e.text),
    );
    if (overlaps(edits, fresh)) continue;
    edits.push(...fresh);
    descriptions.push(fix.description);
  }
  return { kind: fixes[0].kind, description: descriptions.join('; '), edits };
}

/** The fix for a credential in an env: Terraform's OIDC settings, a credential step, or why there is none. */
function envFix(scope: Scope, cloud: Cloud, keys: Entry[], keyNames: string[], arm?: Entry): CredentialFix | undefined {
  const { workflow, names, job, step, facts } = scope;
  if (cloud === 'azure' && !arm) return undefined;
  if (!job) return { reason: "the workflow's env reaches every job: give each job that needs it its own credentials" };
  if (arm) return useArmOidc(workflow, job, step, arm);
  const sources = keys.flatMap((k) => secretRefs(k.value));
  if (step && testsKeys(step, job, facts, keyNames, sources)) return guardedFix(job, cloud, facts);
  return replaceEnvKeys(workflow, job, step, names, secretNames(sources), cloud === 'gcp' ? 'gcp' : 'aws');
}

const ARM_UNUSED: CredentialFix = {
  reason: `no step runs Terraform: delete \`${ARM.secretEnv}\` by hand once no local action reads it`,
};

const ARM_INDIRECT: CredentialFix = {
  reason: `Terraform runs, if at all, through make, a script or a local action: find what reads \`${ARM.secretEnv}\``,
};

const IN_LOCAL_ACTION: CredentialFix = {
  reason: 'the credential is used in a local action: change the action, then what the workflow passes it',
};

const FALLBACK: CredentialFix = {
  reason: 'the step runs only when a secret is set, a fallback next to another path: decide by hand which path stays',
};

const GUARDED: CredentialFix = {
  reason: "the step's `if:` tests the keys (it skips runs without secrets): change the condition with the login",
};

/** Why a step that runs only when its keys are set gets no fix: a fallback beside an OIDC login, or a guard. */
function guardedFix(job: Job, cloud: Cloud, facts: Facts): CredentialFix {
  return oidcLogins(job, cloud, facts).length > 0 ? FALLBACK : GUARDED;
}

/** Why `--fix` leaves a finding alone, as a closing sentence of its message. */
/**
 * When the fix changes only some of a credential's places: which it leaves, and why, so that no one takes
 * the fixed workflow for one that no longer uses the key.
 */
function partialFixNote(group: Occurrence[]): string {
  const left = group.filter((o) => o.fix && 'reason' in o.fix);
  if (left.length === 0) return '';
  const why = left.map((o) => `${o.where} (${(o.fix as { reason: string }).reason})`).join('; ');
  return ` The fix changes the other places only: none for ${why}, which still uses the key until changed by hand.`;
}

function noFixNote(fix: CredentialFix | undefined): string {
  return fix && 'reason' in fix ? ` No automatic fix: ${fix.reason}.` : '';
}

/**
 * A step whose `if:` tests the credential: one of its variable `names`, or one of its secrets
 * directly or through an env var set from one. It runs only when the keys are there.
 */
function testsKeys(step: Step, job: Job, facts: Facts, names: string[], secrets: ExprRef[]): boolean {
  const env = scopeEnv(step, job, facts);
  const ours = new Set(secrets.map((r) => String(r.path[0])));
  const isOurs = (r: ExprRef) => isSecret(r) && ours.has(String(r.path[0]));
  return (step.if?.expressions ?? []).some((e) =>
    e.refs.some(
      (r) =>
        isOurs(r) ||
        (r.context === 'env' && (names.includes(String(r.path[0])) || (env.get(String(r.path[0])) ?? []).some(isOurs))),
    ),
  );
}

/** Env names visible to a step mapped to the secrets their values reference. */
function scopeEnv(step: Step, job: Job, facts: Facts): Map<string, ExprRef[]> {
  return new Map([...facts.workflow.env, ...job.env, ...step.env].map((e) => [e.key, secretRefs(e.value)]));
}

const isSecret = (r: ExprRef) => r.context === 'secrets' && r.path[0] !== 'GITHUB_TOKEN';

function secretRefs(value: ScalarValue | undefined): ExprRef[] {
  return (value?.expressions ?? []).flatMap((e) => e.refs.filter(isSecret));
}

/** Secrets behind a value, directly (`secrets.X`) or through an env var set from one (`env.X`). */
function credentialSources(value: ScalarValue | undefined, env: Map<string, ExprRef[]>): ExprRef[] {
  return (value?.expressions ?? []).flatMap((e) =>
    e.refs.flatMap((r) =>
      isSecret(r) ? [r] : r.context === 'env' && typeof r.path[0] === 'string' ? (env.get(r.path[0]) ?? []) : [],
    ),
  );
}

function refList(keys: Entry[], env = new Map<string, ExprRef[]>()): string {
  return secretList(keys.flatMap((k) => credentialSources(k.value, env)));
}

function secretNames(refs: ExprRef[]): string[] {
  return refs.map((r) => String(r.path[0]));
}

function secretList(refs: ExprRef[]): string {
  return [...new Set(refs.map((r) => `secrets.${r.path.join('.')}`))].join(', ');
}

function s3Compatible(env: Entry[], keys: Entry[], scripts: string): boolean {
  const secretNames = keys.flatMap((k) => secretRefs(k.value).map((r) => String(r.path[0])));
  return (
    secretNames.some((n) => S3_COMPATIBLE_SECRET.test(n)) ||
    env.some((e) => ENDPOINT_OVERRIDE.test(e.key)) ||
    scripts.includes('--endpoint-url')
  );
}

function allScripts(steps: Step[], facts: Facts): string {
  return steps.map((s) => facts.script(s)?.value.text ?? '').join('\n');
}

/**
 * How the steps get to Terraform (terraform, terragrunt, tofu), which reads the credential from its env:
 * a step runs it; one installs it or is named for it ("Terraform Plan Prod" running `make plan-prod`);
 * or one may, through a task runner, a script or a local action.
 */
function terraformUse(steps: Step[], facts: Facts): 'runs' | 'installs' | 'maybe' | undefined {
  const commands = steps.flatMap((s) => (facts.script(s)?.commands ?? []).map((c) => effectiveCommand(c).name));
  if (commands.some((name) => TERRAFORM.commands.includes(name))) return 'runs';
  const named = new RegExp(`\\b(${TERRAFORM.commands.join('|')})\\b`, 'i');
  const installs = steps.some(
    (s) => TERRAFORM.setupActions.includes(actionName(s) ?? '') || named.test(s.name?.text ?? ''),
  );
  if (installs) return 'installs';
  const indirect =
    commands.some((name) => TASK_RUNNERS.has(name) || SCRIPT_INTERPRETERS.has(name) || /\.(sh|bash|ps1)$/.test(name)) ||
    steps.some((s) => s.uses?.text.trim().startsWith('./'));
  return indirect ? 'maybe' : undefined;
}

/**
 * A step that uses static keys only when they are present (`if: env.AWS_ACCESS_KEY_ID != ''`): the
 * "fall back to access keys" pattern, which keeps the keys alive next to an OIDC path.
 */
function fallbackNote(step: Step | undefined, names: string[], oidcBeside: boolean): string {
  const condition = step?.if;
  const testsKeys = condition?.expressions.some((e) =>
    e.refs.some((r) => (r.context === 'env' && names.includes(String(r.path[0]))) || isSecret(r)),
  );
  if (!testsKeys) return '';
  return oidcBeside
    ? ` (even as a fallback behind \`if: ${condition!.text.trim()}\`: while the keys are kept for it they stay ` +
        'valid, and can leak)'
    : ` (\`if: ${condition!.text.trim()}\` only skips the step when the keys are absent; no other login is there)`;
}
