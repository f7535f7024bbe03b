import type { Facts } from '../analysis/facts.js';
import { actionName, commandMatches, effectiveCommand, hasFlag } from '../analysis/match.js';
import { isOwnPreflight } from '../analysis/preflight.js';
import { AWS, AZURE, byCloud, CLOUDS, GCP, shortName, type StaticLogin } from '../analysis/providers.js';
import type { CredentialNames } from '../config/fix-settings.js';
import { replaceEnvKeys, replaceKeyInputs, type CredentialFix } from '../fixers/long-lived-credentials.js';
import type { ExprRef } from '../workflow/expressions.js';
import type { Entry, Job, ScalarValue, Step, Workflow } from '../workflow/model.js';
import { defineRule, type ReportInput } from './rule.js';

/** Action inputs that take a static credential. */
const STATIC_INPUTS = byCloud((c) => c.staticInputs);

/** Environment variables the providers' SDKs and CLIs read a static credential from. */
const STATIC_ENV = byCloud((c) => (c.staticEnv ? [c.staticEnv] : []));

/** CLI logins with a static credential (when the step hands them a secret). */
const STATIC_LOGINS = byCloud((c) => c.staticLogins);

const code = (text: string) => `\`${text}\``;

/** `az login --service-principal`: a login as written. */
function loginText(login: StaticLogin): string {
  return [login.command, ...(login.subcommands ?? []), ...(login.flags ?? [])].join(' ');
}

/** The static credentials each cloud's part of the description names, from the providers table. */
const STATIC_FORMS = {
  aws: `${shortName(AWS.loginAction)} inputs or ${AWS.staticEnv.names.map(code).join('/')} in \`env:\``,
  azure: [
    `${AZURE.loginAction} ${code(AZURE.inputs.creds)}`,
    AZURE.staticEnv.names.map(code).join('/'),
    ...AZURE.staticLogins.map((l) => code(loginText(l))),
  ].join(', '),
  gcp: [
    `${GCP.loginAction} ${code(GCP.inputs.credentialsJson)}`,
    ...GCP.staticLogins.map((l) => code(loginText(l))),
  ].join(', '),
};

/**
 * S3-compatible stores (Cloudflare R2, DigitalOcean Spaces, MinIO, Backblaze B2, ...) take keys in
 * the AWS variables but offer no GitHub OIDC federation: keys there are not a finding.
 */
const S3_COMPATIBLE_SECRET =
  /(^|_)(R2|CLOUDFLARE|DO|DIGITALOCEAN|SPACES|MINIO|B2|BACKBLAZE|WASABI|LINODE|SCALEWAY|SCW|OVH|HETZNER|TIGRIS|STORJ|HMAC)(_|$)/i;
const ENDPOINT_OVERRIDE = /ENDPOINT/i;

export const longLivedCredentials = defineRule({
  meta: {
    id: 'long-lived-credentials',
    summary: 'Static cloud credential where OIDC federation is available',
    description:
      'A long-lived cloud credential taken from secrets where the provider offers GitHub OIDC federation: ' +
      `AWS access keys (${STATIC_FORMS.aws}), an Azure service principal secret (${STATIC_FORMS.azure}), a Google service account key (${STATIC_FORMS.gcp}). ` +
      'Static keys never expire: whoever reads them from a log, a compromised action or a leaked secret keeps access until someone rotates them. A fallback to keys behind an `if:` keeps them alive too.',
    level: 'error',
    securitySeverity: 7.5,
    precision: 'high',
    tags: ['security', 'credentials', 'oidc'],
    fixable: ['unsafe'],
  },
  check({ workflow, facts, settings, report }) {
    const names = settings.fix.longLivedCredentials;
    reportEnv({ workflow, names, report }, workflow.env, allScripts(workflow.jobs, facts), 'the workflow');
    for (const job of workflow.jobs) {
      reportEnv({ workflow, names, report, job }, job.env, allScripts([job], facts), `job '${job.id}'`);
      for (const step of job.steps) {
        // wf-lint's own preflight only checks that secrets are set; missing-preflight keeps it up to date.
        if (isOwnPreflight(step)) continue;
        const script = facts.script(step)?.value.text ?? '';
        reportEnv({ workflow, names, report, job, step, facts }, step.env, script, `step '${step.label}'`);
        reportInputs(step, job, facts, names, report);
        reportLogins(step, job, facts, report);
      }
    }
  },
});

/** Where an `env:` is: the workflow's (no job), a job's (no step) or a step's. */
interface EnvOwner {
  workflow: Workflow;
  names: CredentialNames;
  report: (r: ReportInput) => void;
  job?: Job;
  step?: Step;
  facts?: Facts;
}

function reportEnv(where: EnvOwner, env: Entry[], scripts: string, owner: string): void {
  const { report, step } = where;
  for (const form of STATIC_ENV) {
    const keys = env.filter((e) => form.names.includes(e.key) && secretRefs(e.value).length > 0);
    if (keys.length === 0) continue;
    if (form.cloud === 'aws' && s3Compatible(env, keys, scripts)) continue;
    const [first] = keys;
    const fix = form.cloud === 'aws' ? awsEnvFix(where, keys, form.names) : undefined;
    report({
      at: first.keyRange,
      message: `\`${first.key}\` in the env of ${owner} is ${form.what} from ${refList(keys)}, a long-lived credential${fallbackNote(step, form.names)}. ${WHY} Use ${CLOUDS[form.cloud].oidcReplacement} instead.${noFixNote(fix)}`,
      ...(fix && 'fix' in fix ? { fix: fix.fix } : {}),
    });
  }
}

function reportInputs(
  step: Step,
  job: Job,
  facts: Facts,
  names: CredentialNames,
  report: (r: ReportInput) => void,
): void {
  const action = actionName(step);
  const form = STATIC_INPUTS.find((f) => f.action === action);
  if (!form) return;
  const env = scopeEnv(step, job, facts);
  const keys = step.with.filter(
    (e) => form.inputs.includes(e.key.toLowerCase()) && credentialSources(e.value, env).length > 0,
  );
  if (keys.length === 0) return;
  const [first] = keys;
  const keyNames = CLOUDS[form.cloud].staticEnv?.names ?? [];
  const sources = keys.flatMap((k) => credentialSources(k.value, env));
  const fix = testsKeys(step, job, facts, keyNames, sources)
    ? FALLBACK
    : replaceKeyInputs(facts.workflow, job, step, names, secretNames(sources));
  report({
    at: first.keyRange,
    message: `\`${first.key}\` gives ${form.action} ${form.what} from ${refList(keys, env)}, a long-lived credential${fallbackNote(step, keyNames)}. ${WHY} Use ${CLOUDS[form.cloud].oidcReplacement} instead.${noFixNote(fix)}`,
    ...('fix' in fix ? { fix: fix.fix } : {}),
  });
}

/** The fix for AWS keys in an env (a credential step takes their place), or why there is none. */
function awsEnvFix({ workflow, names, job, step, facts }: EnvOwner, keys: Entry[], keyNames: string[]): CredentialFix {
  if (!job) return { reason: "the workflow's env reaches every job: give each job that needs AWS a credential step" };
  const sources = keys.flatMap((k) => secretRefs(k.value));
  if (step && facts && testsKeys(step, job, facts, keyNames, sources)) return FALLBACK;
  return replaceEnvKeys(workflow, job, step, names, secretNames(sources));
}

const FALLBACK: CredentialFix = {
  reason: 'the step runs only when a secret is set, a fallback next to another path: decide by hand which path stays',
};

/** Why `--fix` leaves a finding alone, as a closing sentence of its message. */
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

function reportLogins(step: Step, job: Job, facts: Facts, report: (r: ReportInput) => void): void {
  const script = facts.script(step);
  if (!script) return;
  const env = scopeEnv(step, job, facts);
  // The secret reaches the login through its arguments, or through a file the step writes from its env.
  const stepSecrets = [
    ...step.env.flatMap((e) => secretRefs(e.value)),
    ...script.exprs.flatMap((e) => e.refs.filter(isSecret)),
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
    report({
      at: command.range,
      message: `\`${loginText(form)}\` logs in with ${form.what} from ${secretList(sources)}, a long-lived credential. ${WHY} Use ${CLOUDS[form.cloud].oidcReplacement} instead.`,
    });
  }
}

const WHY =
  'It never expires: whoever reads it, from a log, a compromised action or a leaked backup, keeps access until someone rotates it.';

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

function allScripts(jobs: Job[], facts: Facts): string {
  return jobs.flatMap((j) => j.steps.map((s) => facts.script(s)?.value.text ?? '')).join('\n');
}

/**
 * A step that uses static keys only when they are present (`if: env.AWS_ACCESS_KEY_ID != ''`): the
 * "fall back to access keys" pattern, which keeps the keys alive next to an OIDC path.
 */
function fallbackNote(step: Step | undefined, names: string[]): string {
  const condition = step?.if;
  const testsKeys = condition?.expressions.some((e) =>
    e.refs.some((r) => (r.context === 'env' && names.includes(String(r.path[0]))) || isSecret(r)),
  );
  return testsKeys
    ? ` (even as a fallback behind \`if: ${condition!.text.trim()}\`: while the keys are kept for it they stay valid, and can leak)`
    : '';
}
