import { effectivePermissions, grantsIdToken } from '../analysis/permissions.js';
import { actionName, literalPattern, withInput } from '../analysis/match.js';
import { isOwnPreflight } from '../analysis/preflight.js';
import { AWS, AZURE, CONTAINER_REGISTRY, GCP, shortName, TERRAFORM } from '../analysis/providers.js';
import type { CredentialNames } from '../config/fix-settings.js';
import type { Fix, Range, TextEdit } from '../findings.js';
import type { Entry, Job, Step, Workflow } from '../workflow/model.js';
import { editEntries, type NewEntry } from './mapping-entries.js';
import { grantIdToken } from './oidc-missing-id-token.js';
import { separatorAfter, itemBlock } from './step-text.js';
import { styleOf } from './style.js';
import { isFlow, itemLayout, joinLines, renderItem, type YamlValue } from './yaml-text.js';

/**
 * Fixes for static cloud credentials: the login switches to GitHub OIDC federation and the job gets
 * `id-token: write`. Unsafe: the IAM role, federated credential or workload identity provider the
 * new inputs name must exist first. When a fix is not offered, the reason says why (the rule puts
 * it in the message).
 */
export type CredentialFix = { fix: Fix } | { reason: string };

/** What the fix removes: the keys, and the session token that goes with them. */
const AWS_KEY_INPUTS = [AWS.inputs.accessKeyId, AWS.inputs.secretAccessKey, AWS.inputs.sessionToken];
const AWS_KEY_ENV = [AWS.env.accessKeyId, AWS.env.secretAccessKey];
const AWS_KEY_ENV_ALL = [...AWS_KEY_ENV, AWS.env.sessionToken];
const CHECKOUT = 'actions/checkout';
/** Actions known to read AWS credentials, if at all, through the SDK chain that takes role sessions too. */
const SESSION_AWARE_ACTIONS = /^(actions|aws-actions)\//;

/** What changes in a login step's inputs: the static ones go, the OIDC ones come. */
interface InputPlan {
  remove: Entry[];
  add: NewEntry[];
  /** For the fix description: "role-to-assume: ${{ secrets.AWS_ROLE_ARN }}". */
  summary: string;
}

const ref = (name: string) => `\${{ ${name} }}`;

/**
 * The usual secret names of each login's static credential. A file's own name around one of them
 * (`STAGING_AWS_ACCESS_KEY_ID`, `AZURE_CREDENTIALS_PROD`) keeps its prefix and suffix in the new
 * names (`secrets.STAGING_AWS_ROLE_ARN`, `vars.AZURE_CLIENT_ID_PROD`): one identity per credential, as before.
 */
const USUAL_SECRET_NAMES: Record<string, string[]> = {
  [AWS.loginAction]: AWS.usualSecretNames,
  [AZURE.loginAction]: AZURE.usualSecretNames,
  [GCP.loginAction]: GCP.usualSecretNames,
};

/** `names` with the prefix and suffix the first of `secrets` puts around a usual name carried over. */
function namesAfter(names: CredentialNames, secrets: string[], usual: string[]): CredentialNames {
  for (const secret of secrets) {
    for (const name of usual) {
      const at = secret.toUpperCase().indexOf(name);
      if (at < 0) continue;
      const [prefix, suffix] = [secret.slice(0, at), secret.slice(at + name.length)];
      const affixed = (reference: string) => reference.replace(/^(secrets|vars)\.(.*)$/, `$1.${prefix}$2${suffix}`);
      return Object.fromEntries(
        Object.entries(names).map(([key, value]) => [key, key === 'awsRegion' ? value : affixed(value)]),
      ) as CredentialNames;
    }
  }
  return names;
}

/**
 * Replaces a login step's static credential inputs with their OIDC counterparts. `secrets` are the
 * secrets the inputs read, whose names the new ones follow.
 */
export function replaceKeyInputs(
  workflow: Workflow,
  job: Job,
  step: Step,
  configured: CredentialNames,
  secrets: string[],
): CredentialFix {
  const action = actionName(step) ?? '';
  const plan = inputPlan(step, namesAfter(configured, secrets, USUAL_SECRET_NAMES[action] ?? []));
  if (typeof plan === 'string') return { reason: plan };
  const withEntry = step.entries.find((e) => e.key === 'with');
  if (!withEntry) return { reason: 'the step has no `with:` to edit' };
  const inputEdits = editEntries(
    workflow.file,
    styleOf(workflow),
    { parent: step.node, owner: withEntry, entries: step.with },
    plan.remove,
    plan.add,
  );
  if (!inputEdits) return { reason: UNEDITABLE('with') };
  const grant = idTokenGrant(workflow, job);
  if ('reason' in grant) return grant;
  const envEdits = unusedStepEnv(workflow, step, plan.remove);
  const replacement = `${plan.summary}${grant.note} ${TRUST_FIRST}`;
  return {
    fix: {
      kind: 'unsafe',
      description: `${where(job, step)}: replace ${keyList(plan.remove)} with ${replacement}`,
      edits: [...inputEdits, ...envEdits, ...grant.edits],
    },
  };
}

function inputPlan(step: Step, names: CredentialNames): InputPlan | string {
  const input = (key: string) => step.with.find((e) => e.key.toLowerCase() === key);
  const present = (keys: string[]) => keys.flatMap((k) => input(k) ?? []);
  const missing = (entries: NewEntry[]) => entries.filter(([key]) => !input(key));
  switch (actionName(step)) {
    case AWS.loginAction: {
      const { chaining, tokenFile, role: roleInput } = AWS.inputs;
      if (withInput(step, chaining)?.text.trim() === 'true' || input(tokenFile))
        return 'the step chains roles or reads a web identity token file, which OIDC does not replace one for one';
      const role = withInput(step, roleInput);
      // Without keys the action cannot look up the account of a bare role name: OIDC needs the ARN.
      if (role && !role.text.includes('${{') && !role.text.trim().startsWith('arn:'))
        return `\`${roleInput}\` is a role name, which only works with keys; write its full ARN`;
      const add = missing([[roleInput, ref(names.awsRoleToAssume)]]);
      return { remove: present(AWS_KEY_INPUTS), add, summary: describe(add, `the existing \`${roleInput}\``) };
    }
    case AZURE.loginAction: {
      const { authType, clientId, tenantId, subscriptionId, allowNoSubscriptions } = AZURE.inputs;
      if (withInput(step, authType)) return `\`${authType}\` is set: choose the federated login by hand`;
      const creds = input(AZURE.inputs.creds)!;
      // An inline JSON `creds` already names the ids: keep them where they are.
      const field = (name: string) =>
        new RegExp(`"${name}"\\s*:\\s*"(\\$\\{\\{[^}]*\\}\\})"`).exec(creds.value?.text ?? '')?.[1];
      const noSubscription = withInput(step, allowNoSubscriptions)?.text.trim() === 'true';
      const add = missing([
        [clientId, field('clientId') ?? ref(names.azureClientId)],
        [tenantId, field('tenantId') ?? ref(names.azureTenantId)],
        ...(noSubscription
          ? []
          : [[subscriptionId, field('subscriptionId') ?? ref(names.azureSubscriptionId)] as NewEntry]),
      ]);
      return {
        remove: [creds],
        add: input(clientId) ? [] : add,
        summary: describe(input(clientId) ? [] : add, `the existing \`${clientId}\``),
      };
    }
    case GCP.loginAction: {
      const { workloadIdentityProvider, serviceAccount, credentialsJson } = GCP.inputs;
      const add = input(workloadIdentityProvider)
        ? []
        : missing([
            [workloadIdentityProvider, ref(names.gcpWorkloadIdentityProvider)],
            [serviceAccount, ref(names.gcpServiceAccount)],
          ]);
      return {
        remove: [input(credentialsJson)!],
        add,
        summary: describe(add, `the existing \`${workloadIdentityProvider}\``),
      };
    }
    default:
      return GCP_SETUP_KEY_REASON;
  }
}

/** Why setup-gcloud's key input gets no fix: the login takes its place, in a step of its own. */
const GCP_SETUP_KEY_REASON =
  `${shortName(GCP.setupAction)} has no OIDC input: ` +
  `authenticate with ${GCP.loginAction} and \`${GCP.inputs.workloadIdentityProvider}\` in a step before it, ` +
  `and drop \`${GCP.inputs.setupKey}\``;

const keyList = (entries: { key: string }[]) => entries.map((e) => `\`${e.key}\``).join(', ');

// Naming the place keeps the descriptions of the same fix in two jobs apart: the fix engine tells fixes apart by them.
const where = (job: Job, step?: Step) => `job '${job.id}'${step ? `, step '${step.label}'` : ''}`;

function describe(add: NewEntry[], existing: string): string {
  return add.length > 0 ? add.map(([k, v]) => `\`${k}: ${v}\``).join(', ') : existing;
}

const UNEDITABLE = (key: string) =>
  `its \`${key}:\` is a flow mapping over several lines, or shares its text through a YAML anchor`;

/**
 * Entries of the step's own env that only fed the removed inputs (`aws-access-key-id: ${{ env.KEY }}`).
 * Entries of the job's or the workflow's env stay: other steps may read them (their own finding says so).
 */
function unusedStepEnv(workflow: Workflow, step: Step, removed: Entry[]): TextEdit[] {
  const envEntry = step.entries.find((e) => e.key === 'env');
  if (!envEntry) return [];
  const viaEnv = new Set(
    removed.flatMap((e) =>
      (e.value?.expressions ?? []).flatMap((x) =>
        x.refs.filter((r) => r.context === 'env').map((r) => String(r.path[0])),
      ),
    ),
  );
  const unused = step.env.filter(
    (e) =>
      viaEnv.has(e.key) &&
      mentions(workflow.file.text, step.range.start.offset, step.range.end.offset, [e.key], [...removed, e]) ===
        undefined,
  );
  if (unused.length === 0) return [];
  return (
    editEntries(
      workflow.file,
      styleOf(workflow),
      { parent: step.node, owner: envEntry, entries: step.env },
      unused,
      [],
    ) ?? []
  );
}

/** A credential step the env fixes insert, per cloud: the action, its inputs, and the env it replaces. */
interface StepPlan {
  action: string;
  /** The action's reference when the file has none to copy. */
  actionRef: string;
  /** The variables that hold the static credential (removed), and those a script must not read by name. */
  keyEnv: string[];
  usualSecretNames: string[];
  /** Actions known to read the credential, if at all, the way the new step provides it. */
  sessionAware: RegExp;
  /** The login writes a credentials file into the workspace: it goes after the job's checkout. */
  afterCheckout?: boolean;
  /** The new step's name and inputs, from the configured names; a string says why there is none. */
  inputs(names: CredentialNames, env: Entry[]): [string, YamlValue][] | string;
}

const STEP_PLANS: Record<'aws' | 'gcp', StepPlan> = {
  aws: {
    action: AWS.loginAction,
    actionRef: AWS.loginActionRef,
    keyEnv: AWS_KEY_ENV,
    usualSecretNames: AWS.usualSecretNames,
    sessionAware: SESSION_AWARE_ACTIONS,
    inputs(names, env) {
      const region = regionOf(env, names);
      if (!region) return NO_REGION;
      return [
        [AWS.inputs.role, { raw: ref(names.awsRoleToAssume) }],
        [AWS.inputs.region, { raw: region }],
      ];
    },
  },
  gcp: {
    action: GCP.loginAction,
    actionRef: GCP.loginActionRef,
    keyEnv: GCP.staticEnv.names,
    usualSecretNames: GCP.usualSecretNames,
    sessionAware: /^(actions|google-github-actions)\//,
    // The Google login's README: "you must run actions/checkout before this action".
    afterCheckout: true,
    inputs: (names) => [
      [GCP.inputs.workloadIdentityProvider, { raw: ref(names.gcpWorkloadIdentityProvider) }],
      [GCP.inputs.serviceAccount, { raw: ref(names.gcpServiceAccount) }],
    ],
  },
};

const MISSES_SESSION = 'which would miss the new session';
const TRUST_FIRST = '(the OIDC trust must be set up first)';

const NO_REGION =
  'no AWS region is known: set `AWS_REGION` in the env or `settings.fix.longLivedCredentials.awsRegion`';

/**
 * Replaces a static credential in a job's or a step's `env:` (AWS keys, a Google key for Terraform)
 * with a login step (configure-aws-credentials with `role-to-assume`, the Google login action
 * with workload identity) inserted before the step, or first in the job, and removes the
 * credential. Only where that is unambiguous: a `run:` step or a job of `run:` steps and GitHub's or
 * the cloud's own actions, no other mention of the credential's variables (a script passing them on
 * would miss the session), a known region for AWS.
 */
export function replaceEnvKeys(
  workflow: Workflow,
  job: Job,
  step: Step | undefined,
  configured: CredentialNames,
  secrets: string[],
  cloud: 'aws' | 'gcp' = 'aws',
): CredentialFix {
  const plan = STEP_PLANS[cloud];
  const file = workflow.file;
  const names = namesAfter(configured, secrets, plan.usualSecretNames);
  const scope = step ?? job;
  const envEntry = scope.entries.find((e) => e.key === 'env');
  const env = scope.env;
  const keys = env.filter((e) => plan.keyEnv.includes(e.key) || (cloud === 'aws' && e.key === AWS.env.sessionToken));
  if (!envEntry || keys.length === 0) return { reason: 'the keys come from an anchor' };
  const blocker = step ? stepBlocker(step) : jobBlocker(workflow, job, plan);
  if (blocker) return { reason: blocker };
  const keyEnv = cloud === 'aws' ? AWS_KEY_ENV_ALL : plan.keyEnv;
  // wf-lint's own preflight names the keys only to check them: missing-preflight rewrites it afterwards.
  const own = job.steps.filter(isOwnPreflight).map((s) => s.range);
  const named = mentions(file.text, scope.range.start.offset, scope.range.end.offset, keyEnv, keys, own);
  if (named)
    return {
      reason: `\`${named}\` is read by name elsewhere in the ${step ? 'step' : 'job'}, ${MISSES_SESSION}`,
    };
  const inputs = plan.inputs(names, [...(step?.env ?? []), ...job.env, ...workflow.env]);
  if (typeof inputs === 'string') return { reason: inputs };
  const envEdits = editEntries(
    file,
    styleOf(workflow),
    { parent: scope.node, owner: envEntry, entries: env },
    keys,
    [],
  );
  if (!envEdits) return { reason: UNEDITABLE('env') };
  const grant = idTokenGrant(workflow, job);
  if ('reason' in grant) return grant;
  const first = inputs[0];
  const summary = `${first[0]}: ${(first[1] as { raw: string }).raw}`;
  return {
    fix: {
      kind: 'unsafe',
      description:
        `${where(job, step)}: replace ${keys.map((k) => k.key).join(', ')} with a ${shortName(plan.action)} step ` +
        `(${summary}) ${step ? 'before the step' : 'first in the job'}${grant.note} ${TRUST_FIRST}`,
      edits: [credentialStep(workflow, job, step, plan, inputs), ...envEdits, ...grant.edits],
    },
  };
}

/**
 * Replaces Terraform's `ARM_CLIENT_SECRET` with `ARM_USE_OIDC: true`: the azurerm provider then
 * signs in with the job's GitHub OIDC token, as the client (`ARM_CLIENT_ID`) of `ARM_TENANT_ID`,
 * both of which must be set beside it. Not when a script reads the secret's variable by name.
 */
export function useArmOidc(workflow: Workflow, job: Job, step: Step | undefined, secret: Entry): CredentialFix {
  const arm = TERRAFORM.azurerm;
  const scope = step ?? job;
  const envEntry = scope.entries.find((e) => e.key === 'env');
  if (!envEntry) return { reason: 'the secret comes from an anchor' };
  const visible = [...workflow.env, ...job.env, ...(step?.env ?? [])];
  const missing = [arm.idEnv.clientId, arm.idEnv.tenantId].filter((n) => !visible.some((e) => e.key === n));
  if (missing.length > 0)
    return { reason: `${missing.map((n) => `\`${n}\``).join(' and ')} is not set beside it: add it, then switch` };
  // Other `env:` entries of the secret are places of their own (the same finding's): only reads count.
  const entries = [...job.env, ...job.steps.flatMap((s) => s.env)].filter((e) => e.key === arm.secretEnv);
  const named = mentions(workflow.file.text, job.range.start.offset, job.range.end.offset, [arm.secretEnv], entries);
  if (named) return { reason: `\`${named}\` is read by name elsewhere in the job, which OIDC does not set` };
  const add: NewEntry[] = visible.some((e) => e.key === arm.oidcEnv) ? [] : [[arm.oidcEnv, 'true']];
  const edits = editEntries(
    workflow.file,
    styleOf(workflow),
    { parent: scope.node, owner: envEntry, entries: scope.env },
    [secret],
    add,
  );
  if (!edits) return { reason: UNEDITABLE('env') };
  const grant = idTokenGrant(workflow, job);
  if ('reason' in grant) return grant;
  return {
    fix: {
      kind: 'unsafe',
      description:
        `${where(job, step)}: replace \`${arm.secretEnv}\` with \`${arm.oidcEnv}: true\`${grant.note} ` +
        '(the app registration needs a federated credential for this repository first)',
      edits: [...edits, ...grant.edits],
    },
  };
}

/**
 * The registry login action logging in to ECR with AWS keys: the keys leave its inputs and a
 * configure-aws-credentials step with `role-to-assume` goes before it; given only `registry:`, the
 * login action gets its ECR token with the role session. `region` is the registry's.
 */
export function ecrLoginFix(
  workflow: Workflow,
  job: Job,
  step: Step,
  configured: CredentialNames,
  secrets: string[],
  region: string | undefined,
): CredentialFix {
  const names = namesAfter(configured, secrets, AWS.usualSecretNames);
  const { username, password } = CONTAINER_REGISTRY.loginInputs;
  const blocker = stepBlocker(step, true);
  if (blocker) return { reason: blocker };
  const before = job.steps.slice(0, job.steps.indexOf(step));
  if (before.some((s) => actionName(s) === AWS.loginAction))
    return { reason: `an earlier step runs ${shortName(AWS.loginAction)}: decide by hand which identity logs in` };
  const withEntry = step.entries.find((e) => e.key === 'with');
  const keys = step.with.filter((e) => [username, password].includes(e.key.toLowerCase()));
  if (!withEntry) return { reason: 'the step has no `with:` to edit' };
  const known = region ?? regionOf([...step.env, ...job.env, ...workflow.env], names);
  if (!known) return { reason: NO_REGION };
  const inputEdits = editEntries(
    workflow.file,
    styleOf(workflow),
    { parent: step.node, owner: withEntry, entries: step.with },
    keys,
    [],
  );
  if (!inputEdits) return { reason: UNEDITABLE('with') };
  const grant = idTokenGrant(workflow, job);
  if ('reason' in grant) return grant;
  const role = ref(names.awsRoleToAssume);
  const inputs: [string, YamlValue][] = [
    [AWS.inputs.role, { raw: role }],
    [AWS.inputs.region, { raw: known }],
  ];
  return {
    fix: {
      kind: 'unsafe',
      description:
        `${where(job, step)}: log in to ECR with a ${shortName(AWS.loginAction)} step (${AWS.inputs.role}: ${role}) ` +
        `before it instead of ${keys.map((k) => `\`${k.key}\``).join(', ')}${grant.note} ` +
        TRUST_FIRST,
      edits: [credentialStep(workflow, job, step, STEP_PLANS.aws, inputs), ...inputEdits, ...grant.edits],
    },
  };
}

function stepBlocker(step: Step, action = false): string | undefined {
  if (!step.run && !action) return 'the keys go to an action, which may not take a role session: replace them by hand';
  if (step.group) return 'the step is in a `parallel:` group, where a credential step cannot go right before it';
  if (step.if && step.if.range.start.line !== step.if.range.end.line) return "the step's `if:` spans several lines";
  return undefined;
}

function jobBlocker(workflow: Workflow, job: Job, plan: StepPlan): string | undefined {
  const steps = job.entries.find((e) => e.key === 'steps')?.valueNode?.range;
  if (!steps || job.items.length === 0 || isFlow(workflow.file, steps[0]))
    return 'the job has no block `steps:` to put a credential step in';
  if (plan.afterCheckout && actionName(job.steps.at(-1)!) === CHECKOUT)
    return 'the job ends with its checkout: there is no step to authenticate';
  if (job.steps.some((s) => actionName(s) === plan.action))
    return `the job already runs ${shortName(plan.action)}: remove the keys from its env once nothing reads them`;
  const other = job.steps.find(
    (s) =>
      s.uses && !plan.sessionAware.test(s.uses.text.trim()) && !TERRAFORM.setupActions.includes(actionName(s) ?? ''),
  );
  if (other) return `step '${other.label}' (\`${other.uses!.text.trim()}\`) may read the keys itself`;
  return undefined;
}

/**
 * The first of `names` that the text in [start, end) mentions outside the `skip` entries: in a
 * script, an expression, an input. Text, not the script analysis: any shell, python included, counts.
 */
function mentions(
  text: string,
  start: number,
  end: number,
  names: string[],
  skip: Entry[],
  skipRanges: Range[] = [],
): string | undefined {
  const pattern = new RegExp(`\\b(${names.map(literalPattern).join('|')})\\b`, 'g');
  for (const m of text.slice(start, end).matchAll(pattern)) {
    const at = start + m.index;
    const within = (r: Range) => at >= r.start.offset && at < r.end.offset;
    if (!skip.some((e) => at >= e.keyRange.start.offset && at < e.range.end.offset) && !skipRanges.some(within))
      return m[1];
  }
  return undefined;
}

/** The region as written in the nearest env (`us-west-1`, `${{ vars.REGION }}`), else the configured one. */
function regionOf(env: Entry[], names: CredentialNames): string | undefined {
  const entry = AWS.env.region
    .map((name) => env.find((e) => e.key === name && e.value && e.value.text.trim() !== ''))
    .find(Boolean);
  const value = entry?.value;
  if (value && value.range.start.line === value.range.end.line)
    return value.file.text.slice(value.range.start.offset, value.range.end.offset);
  const configured = names.awsRegion;
  return configured && /^(secrets|vars)\./.test(configured) ? ref(configured) : configured;
}

/** A login step before `step` (with its `if:`), or first in the job. */
function credentialStep(
  workflow: Workflow,
  job: Job,
  step: Step | undefined,
  plan: StepPlan,
  inputs: [string, YamlValue][],
): TextEdit {
  const file = workflow.file;
  const style = styleOf(workflow);
  const target = step ?? firstTarget(job, plan);
  const { dashColumn, contentOffset } = itemLayout(file, target);
  const condition = step?.if && file.text.slice(step.if.range.start.offset, step.if.range.end.offset);
  const entries: [string, YamlValue][] = [
    ['name', plan === STEP_PLANS.aws ? 'Configure AWS credentials' : 'Authenticate to Google Cloud'],
    ...(condition ? [['if', { raw: condition }] as [string, YamlValue]] : []),
    ['uses', { raw: actionOf(workflow, plan) }],
    ['with', inputs],
  ];
  const index = job.items.indexOf(target);
  // Keep the file's habit of blank lines between steps, as seen next to the target.
  const gap = separatorAfter(file, job, job.items[index - 1] ?? target);
  const at = itemBlock(file, job, target).start;
  return { start: at, end: at, text: joinLines(renderItem(entries, dashColumn, contentOffset, style), style) + gap };
}

/**
 * Where a job-level credential step goes: first, or right after the job's last checkout when the
 * login writes its credentials into the workspace, which a later checkout would clean away.
 */
function firstTarget(job: Job, plan: StepPlan): Job['items'][number] {
  const checkout = plan.afterCheckout ? job.steps.findLastIndex((s) => actionName(s) === CHECKOUT) : -1;
  return checkout >= 0 ? job.items[job.items.indexOf(job.steps[checkout]) + 1] : job.items[0];
}

/** The file's own reference to the login action, with its pin comment (`@<sha> # v6.2.3`), else the current major. */
function actionOf(workflow: Workflow, plan: StepPlan): string {
  const uses = workflow.jobs.flatMap((j) => j.steps).find((s) => actionName(s) === plan.action)?.uses;
  if (!uses) return plan.actionRef;
  const { line, column } = uses.range.start;
  return workflow.file
    .lineText(line)
    .slice(column - 1)
    .trim();
}

/**
 * The edits that give the job `id-token: write`, shared with oidc-missing-id-token. None when it has
 * it; none either in a reusable workflow that sets no permissions, whose callers decide (and must grant it).
 */
function idTokenGrant(workflow: Workflow, job: Job): { edits: TextEdit[]; note: string } | { reason: string } {
  const granted = effectivePermissions(job, workflow);
  if (grantsIdToken(granted)) return { edits: [], note: '' };
  if (granted.source === 'default' && workflow.triggers.some((t) => t.event === 'workflow_call'))
    return { edits: [], note: '; the callers must grant `id-token: write`' };
  const grant = grantIdToken(workflow, job);
  if (!grant)
    return {
      reason: `the ${granted.source}'s \`permissions:\` cannot take \`id-token: write\` as text: add it by hand`,
    };
  return { edits: grant.edits, note: `, and ${grant.description}` };
}
