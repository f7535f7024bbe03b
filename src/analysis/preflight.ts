import type { Range } from '../findings.js';
import { anyComplementary, type ExprRef } from '../workflow/expressions.js';
import type { Entry, Job, ScalarValue, Step } from '../workflow/model.js';
import { deployScriptName } from './deploy.js';
import { nameSaysDeploy } from './deploy-recognisers.js';
import type { Facts } from './facts.js';
import {
  authenticatesWith,
  CLUSTER_CLIENTS,
  CREDENTIAL_INPUT,
  DESTINATION_INPUTS,
  FAIL_FAST_ACTIONS,
  FAIL_FAST_COMMANDS,
  failFastOf,
  FILE_WRITING_ACTIONS,
  FORWARDED_LOGIN_INPUTS,
  forwardedName,
  INIT_BACKENDS,
  INIT_COMMANDS,
  KUBECONFIG_SECRET,
  LOGIN_ACTION_NAME,
  LOGIN_PAIR_INPUT,
  PRE_RUN_SCRIPTS,
  SIGN_IN_OPTIONS,
  SSH_ACTIONS,
  SSH_CLIENTS,
  SSH_CONNECTION_OPTIONS,
  SSH_KEY_SECRET,
  SKIPPED_WHEN_EMPTY,
  SSH_TOOLS,
  type FailFastAction,
} from './fail-fast.js';
import { actionName, commandMatches, effectiveCommand, listedAction, literalPattern, settingsAction } from './match.js';
import { optionalCallSecrets } from './callee-secrets.js';
import { scriptChecks, scriptTests, type ScriptTests } from './preflight-shapes.js';
import { carriedByInput, commandWords, holdsVariable, inConfigPair, writtenToFile } from './carried-secrets.js';
import { CONTENT_NAME, CONTENT_VARIABLE, CREDENTIAL_FILE } from './secret-values.js';
import { CREDENTIAL_ENV } from './providers.js';
import { analyzeScript, maskExpressions, type Command, type Script, type Word } from './shell/script.js';
import { optionOf, resolveTool } from './shell/tool-options.js';
import type { StepFlow } from './taint/step-flow.js';

/**
 * What a use of a secret asks of a preflight:
 * - `required`: a step that runs on success uses it in a way that does not stop at once on "";
 * - `fails-fast`: it only feeds an input that stops the step at once when empty (a login action),
 *   before anything was deployed: that step is its own preflight;
 * - `optional`: the step runs only on failure or always, or may fail (`continue-on-error`);
 * - `handled`: the step, its `if:` or the job's tests the secret and skips the work when it is empty.
 */
export type Need = 'required' | 'fails-fast' | 'optional' | 'handled';

/** The `if:` of the step that uses a secret. */
export interface UseCondition {
  /** The expression without `${{ }}`: `inputs.environment == 'production'`. */
  text: string;
  /** Why a first step cannot evaluate it as the using step will; undefined when it can. */
  later?: string;
}

/** Where a job uses a secret. */
export interface SecretUse {
  /** The secret's name as first written (`DEPLOY_TOKEN`). */
  secret: string;
  /**
   * The step that uses it; undefined for a secret mapped into the job's `env:` that no step names
   * and no deploy step runs with (some action or tool may read it from the environment).
   */
  step?: Step;
  /** The `secrets.X` reference. */
  range: Range;
  need: Need;
  /** For `fails-fast`: what stops at once when it is empty (`` `scp` ``, `` `appleboy/ssh-action` ``). */
  failsAt?: string;
  /** The using step's `if:`, when it has one. */
  condition?: UseCondition;
  /**
   * For `required`: why an empty value would do harm, when the use shows it. `content`: the value is
   * carried into what is deployed (a file the job writes, a `KEY=value` option of a deploy tool, a
   * variable a build inlines or Terraform reads); `after-change`: a deploy step has run before this use;
   * `skips-deploy`: an input the action skips its deploy without, and succeeds (SKIPPED_WHEN_EMPTY);
   * `deploy-script`: the step runs the repository's own deploy script (`./deploy.sh`), which the workflow
   * does not show stopping on an empty value before it changes anything. Without any, the secret is a
   * credential or a name read before anything changes: empty, the deploy stops, or changes nothing.
   */
  harm?: 'content' | 'after-change' | 'skips-deploy' | 'deploy-script';
}

/**
 * A platform's sign-in token (`FLY_API_TOKEN`, `VERCEL_TOKEN`: FAIL_FAST_VARIABLES), by the secret's name or
 * the variable it is given as: a deploy script that runs the platform's CLI stops at its sign-in without it.
 */
const signInToken = (secret: string, variable: string | undefined) =>
  authenticatesWith(secret) || (variable !== undefined && authenticatesWith(variable));

/** How a step uses a secret, as Consumption.stepUses reads it. */
interface UseHow {
  /** The environment variable it is given to the step as, when it is one. */
  variable?: string;
  /** What stops at once on an empty value, when every read of it in the step does (`` `cf auth` ``). */
  failsFast?: string;
  /** It only reports: a notification channel or a monitoring service. */
  notifies?: boolean;
  /** A switch beside it in the step's env (`USE_MOCK_OIDC`) decides whether the script reads it. */
  flag?: UseCondition;
  /** The step does not name the variable; some tool of it may read it by convention. */
  unnamed?: boolean;
  /** Carried into what is deployed by how the step passes it (a `KEY=value` option, a config input). */
  carried?: boolean;
  /** An input the action skips its deploy without (SKIPPED_WHEN_EMPTY). */
  skips?: boolean;
}

/** A step that fails the job when some secrets are empty. */
export interface PreflightCheck {
  step: Step;
  /** Upper-cased names of the secrets it checks. */
  secrets: Set<string>;
  /** A test in a script, an action of settings.preflight.actions, or a login that stops on an empty input. */
  kind: 'script' | 'action' | 'fail-fast';
  /** The step wf-lint's fix writes ("Preflight: required secrets"): brought up to date, never duplicated. */
  own: boolean;
  /** In a job this one needs: it has finished before any step of this job starts. */
  upstream?: boolean;
  /** For `fail-fast`: what stops (`` `cf auth` ``, `` `appleboy/ssh-action` ``). */
  failsAt?: string;
}

export interface SecretConsumption {
  uses: SecretUse[];
  checks: PreflightCheck[];
  /**
   * Upper-cased secrets a script writes or deletes at: the destination of `rsync`, `scp`, `cp` or `mv`, or
   * what `rm` removes. Empty, they aim the command at another folder (`rsync --delete … host:` is home).
   */
  destinations: Set<string>;
}

/** The name of the step wf-lint's fix writes, and by which a later lint knows it as its own. */
export const OWN_PREFLIGHT_NAME = 'Preflight: required secrets';
/** A line of the script the fix writes: with the name, what tells its step from one written by hand. */
export const OWN_PREFLIGHT_ERROR = '::error::Required secret $name is not set';

/** Secrets every job has: never missing, never worth a check. */
const ALWAYS_SET = new Set(['GITHUB_TOKEN']);

/** Status functions that run a step when the job has failed: such a step is not on the success path. */
const NOT_ON_SUCCESS = /\b(failure|always|cancelled)\s*\(/i;

/**
 * Steps that report on a deploy rather than do it: chat, paging and e-mail notifications, by their
 * action, their name or the secret they are given. After the deploy they cannot leave it half done.
 */
const NOTIFICATION = /slack|teams|discord|notif|mattermost|telegram|webhook|pagerduty|opsgenie|e-?mail|sendgrid/i;

/**
 * Secrets and inputs of monitoring and error reporting (`STATUSCAKE_API_TOKEN`, `SENTRY_DSN`, `DD_API_KEY`):
 * empty, the deployed service runs unmonitored (an empty DSN disables Sentry by design); the deploy
 * itself neither fails nor runs with a broken credential. Not a Sentry auth token, which uploads releases.
 */
const MONITORING = /statuscake|dsn\b|_dsn_|datadog|^dd_|new_?relic|honeycomb|rollbar|bugsnag|pagerduty|opsgenie/i;

/**
 * An AWS session token (`AWS_SESSION_TOKEN`, `aws-session-token`): empty by design beside long-lived keys,
 * and beside temporary ones configure-aws-credentials checks the keys with STS before anything runs.
 */
const SESSION_TOKEN = /(^|_)SESSION_TOKEN$/i;

/** Variables tools read by convention, beyond the login actions' own (CREDENTIAL_ENV). */
const TOOL_ENV = /^(ARM_\w+|TF_VAR_\w+|TF_TOKEN_\w+|KUBECONFIG|KUBE_CONFIG\w*)$/;

/** `github.action*` names the running step: different in a first step. */
const STEP_OWN_GITHUB = /^action/;

const secretKey = (name: string) => name.toUpperCase();

/** Whether a step is the preflight wf-lint's fix writes: its name and its loop's error line. */
export function isOwnPreflight(step: Step): boolean {
  return step.name?.text === OWN_PREFLIGHT_NAME && (step.run?.text.includes(OWN_PREFLIGHT_ERROR) ?? false);
}

/** The expression of an `if:` without `${{ }}`. */
export function conditionText(value: ScalarValue): string {
  const exprs = value.expressions;
  return (exprs.length === 1 ? exprs[0].text : value.text).trim();
}

/** `success()`, which every step's `if:` implies: no condition at all. */
const ONLY_SUCCESS = /^\(?\s*success\(\s*\)\s*\)?$/i;

/** The secrets a job consumes, where and how it uses them, and the steps that check them. */
export function secretConsumption(job: Job, facts: Facts): SecretConsumption {
  return new Consumption(job, facts).result();
}

class Consumption {
  private readonly uses: SecretUse[] = [];
  private readonly checks: PreflightCheck[] = [];
  private readonly failFast: FailFastAction[];
  private readonly deploySteps: Step[];
  private readonly jobGate: Set<string>;
  private readonly testsById = new Map<string, Set<string>>();
  private readonly named = new Map<string, boolean>();
  /**
   * Secrets some step tests, in its `if:` (`env.AZURE_CREDENTIALS != ''`) or its script (`[ -n "$X" ] && …`):
   * the workflow treats them as optional.
   */
  private readonly guarded = new Set<string>();
  /**
   * Secrets the workflow is built to run without: declared `required: false` for its callers, or a
   * fallback after a variable (`${{ vars.API_URL || secrets.API_URL }}`).
   */
  private readonly optionalByDesign: Set<string>;
  /** Some step of the job opens an SSH connection, and no deploy step runs before the first one. */
  private readonly connects: boolean;
  /** Some step of the job talks to a Kubernetes cluster (kubectl, helm), and no deploy step runs before the first. */
  private readonly reachesCluster: boolean;

  constructor(
    private readonly job: Job,
    private readonly facts: Facts,
  ) {
    this.failFast = [...FAIL_FAST_ACTIONS, ...failFastOf(facts.settings.preflight.failFast)];
    this.optionalByDesign = new Set([...optionalCallSecrets(facts.workflow), ...fallbackSecrets(job, facts)]);
    this.deploySteps = facts.deployment(job)?.steps ?? [];
    this.jobGate = gatedByNeeds(job.if, facts);
    const order = facts.order(job);
    // The first step that connects (over SSH, or to a cluster) fails at once on an empty key or kubeconfig:
    // in time only when no deploy step runs before it.
    const firstIsInTime = (connects: (s: Step) => boolean) => {
      const first = job.steps.find(connects);
      return first !== undefined && !this.deploySteps.some((d) => d !== first && order.happensBefore(d, first));
    };
    this.connects = firstIsInTime(
      (s) =>
        (facts.script(s)?.commands ?? []).some((c) => SSH_TOOLS.has(effectiveCommand(c).name)) ||
        SSH_ACTIONS.test(actionName(s) ?? ''),
    );
    this.reachesCluster = firstIsInTime((s) =>
      (facts.script(s)?.commands ?? []).some((c) => CLUSTER_CLIENTS.has(effectiveCommand(c).name)),
    );
    for (const step of job.steps) {
      const tests = stepTests(step, job, facts);
      if (step.id) this.testsById.set(step.id.text, tests);
      if (isOwnPreflight(step)) continue;
      const script = facts.script(step);
      const env = envScope([...facts.workflow.env, ...job.env], step.env);
      const checks = script ? secretsOf(scriptChecks(script), env, script) : new Set<string>();
      // A test that fails the job (a preflight) makes the secret required, not optional.
      for (const secret of tests) if (!checks.has(secret)) this.guarded.add(secret);
    }
    for (const step of job.steps) {
      const env = envScope([...facts.workflow.env, ...job.env], step.env);
      this.gatedBy(step, env).forEach((s) => this.guarded.add(s));
    }
  }

  result(): SecretConsumption {
    const { job, facts } = this;
    const preflightActions = facts.settings.preflight.actions.map(settingsAction);
    const inheritedUsed = new Set<Entry>();
    const destinations = new Set<string>();
    for (const step of job.steps) {
      const env = envScope([...facts.workflow.env, ...job.env], step.env);
      const script = facts.script(step);
      if (script) for (const secret of destinationSecrets(script, env)) destinations.add(secret);
      for (const entry of tableInputs(step, DESTINATION_INPUTS))
        resolvedRefs(entry.value, env).forEach((r) => destinations.add(refKey(r)));
      if (isOwnPreflight(step) && !step.group) {
        const checked = script ? secretsOf(scriptChecks(script), env, script) : new Set<string>();
        this.checks.push({ step, secrets: checked, kind: 'script', own: true });
        continue;
      }
      const action = actionName(step);
      if (action && listedAction(preflightActions, action)) {
        const given = [...step.with, ...step.env].flatMap((e) => secretRefs(e.value));
        this.checks.push({ step, secrets: new Set(given.map((r) => refKey(r))), kind: 'action', own: false });
        continue;
      }
      this.stepUses(step, env, inheritedUsed);
    }
    // A secret mapped into the job's env that no step reads by name: some tool may read it. The
    // workflow's env reaches every job, so there a secret no step of this job reads does not count.
    for (const entry of job.env) {
      if (inheritedUsed.has(entry)) continue;
      for (const ref of secretRefs(entry.value)) {
        const key = refKey(ref);
        const need = this.jobGate.has(key) || this.guarded.has(key) ? 'handled' : 'required';
        const content = [entry.key, String(ref.path[0])].some((n) => CONTENT_VARIABLE.test(n) || CONTENT_NAME.test(n));
        const harm = need === 'required' && content ? 'content' : undefined;
        this.uses.push({ secret: String(ref.path[0]), range: ref.range, need, harm });
      }
    }
    this.checks.push(...upstreamChecks(job, facts, this.failFast));
    return { uses: this.uses, checks: this.checks, destinations };
  }

  private stepUses(step: Step, env: Map<string, Entry>, inheritedUsed: Set<Entry>): void {
    const { job, facts } = this;
    const script = facts.script(step);
    const checked = script ? secretsOf(scriptChecks(script), env, script) : new Set<string>();
    if (checked.size > 0) this.checks.push({ step, secrets: checked, kind: 'script', own: false });
    const fast = this.failFastInputs(step);
    const skipped = tableInputs(step, SKIPPED_WHEN_EMPTY);
    const fastSecrets = new Set(fast.flatMap((e) => resolvedRefs(e.value, env)).map(refKey));
    const action = step.uses && `\`${step.uses.text.split('@')[0]}\``;
    if (fastSecrets.size > 0)
      this.checks.push({ step, secrets: fastSecrets, kind: 'fail-fast', own: false, failsAt: action });

    const handled = new Set([...stepTests(step, job, facts), ...this.gatedBy(step, env), ...this.jobGate]);
    const optional = optionalStep(step) || this.reportsAfterWork(step) || this.afterEveryDeploy(step);
    const condition = optional ? undefined : useCondition(step, job, facts);
    const order = facts.order(job);
    // Finished before every deploy step starts: a use there that keeps nothing for later either works
    // or stops the job before anything has changed.
    const all = this.deploySteps;
    const beforeEveryDeploy = all.length > 0 && all.every((d) => d !== step && order.happensBefore(step, d));
    const kept = beforeEveryDeploy ? keptSecrets(facts.flow(step)) : new Set<string>();
    if (beforeEveryDeploy && listedAction(FILE_WRITING_ACTIONS, actionName(step) ?? ''))
      [...step.env, ...step.with].flatMap((e) => secretRefs(e.value)).forEach((r) => kept.add(refKey(r)));
    // An SSH key, wherever the job keeps it, is read first by the SSH connection it opens; a kubeconfig by
    // the first command that connects to the cluster.
    const sshKey = (name: string) =>
      this.connects && SSH_KEY_SECRET.test(name)
        ? '`ssh`'
        : this.reachesCluster && KUBECONFIG_SECRET.test(name)
          ? '`kubectl`'
          : undefined;
    const stops = new Set<string>();
    const preRun = preRunFailFast(step, env);
    const written = writtenSecrets(step, facts.flow(step));
    const ownScript =
      (step.uses?.text.startsWith('./') && nameSaysDeploy(step.uses.text, true)) ||
      (script?.commands ?? []).some(
        (c) => deployScriptName(c) !== undefined || PLAYBOOKS.has(effectiveCommand(c).name),
      );
    const use = (ref: ExprRef, how: UseHow = {}) => {
      const { variable, failsFast: readFailsFast, notifies = false, flag, unnamed = false } = how;
      const { carried = false, skips = false } = how;
      const key = refKey(ref);
      if (checked.has(key)) return;
      // No deploy step runs before this use, or each stops on the same empty secret first: nothing has changed.
      let unchanged: boolean | undefined;
      const nothingChangedBefore = () => (unchanged ??= this.earlierDeploysStopOn(step, key));
      const name = String(ref.path[0]);
      // Carried into what is deployed (a build's output, a written file): empty, it is shipped empty.
      const content = carried || written.has(key) || CONTENT_NAME.test(name) || CONTENT_VARIABLE.test(name);
      // A secret that also feeds a fail-fast input of this action stops it before any other use in it.
      const feedsLogin = fastSecrets.has(key) && step.uses ? action : undefined;
      const failsAt = readFailsFast ?? preRun.get(key) ?? sshKey(name) ?? feedsLogin;
      let need: Need = 'required';
      const optionalSecret = this.optionalByDesign.has(key) || MONITORING.test(name) || SESSION_TOKEN.test(name);
      if (optional || notifies || optionalSecret) need = 'optional';
      // A secret the workflow tests before it uses it is optional by construction: a read by convention
      // does not make it required, a step that names it unguarded does.
      else if (handled.has(key) || (unnamed && this.guarded.has(key))) need = 'handled';
      else if (failsAt && nothingChangedBefore()) need = 'fails-fast';
      // (Content it names is carried on, into a build's output; a tool that may read it by convention is not seen to.)
      else if (beforeEveryDeploy && !kept.has(key) && !(content && !unnamed)) need = 'fails-fast';
      // (A use before every deploy that keeps nothing stops the job in time too, but not at once.)
      const at = need === 'fails-fast' ? failsAt : undefined;
      if (at) stops.add(at);
      const when = condition ?? flag;
      const harm =
        need !== 'required'
          ? undefined
          : skips
            ? 'skips-deploy'
            : content
              ? 'content'
              : !nothingChangedBefore()
                ? 'after-change'
                : ownScript && !signInToken(name, variable)
                  ? 'deploy-script'
                  : undefined;
      this.uses.push({ secret: name, step, range: ref.range, need, failsAt: at, condition: when, harm });
      // A script that stops at once without it stops the job: later steps need no check of their own.
      if (readFailsFast && !step.uses && need === 'fails-fast') scriptFast.add(key);
    };
    const scriptFast = new Set<string>();

    const backend = backendSignIn(script);
    const signsIn = (name: string) => backend?.variables.test(name) && !scriptNames(script, name);
    const onlyFast = (name: string) =>
      (namesOnlyIn(step, script, name, fast) ? action : undefined) ??
      authenticatesOnly(step, script, name) ??
      (signsIn(name) ? backend!.at : undefined) ??
      providerSignIn(script, name);
    // A variable an SSH action hands its server (`envs:`) is carried by the remote script.
    const remote = facts.remoteScript(step);
    const carriedIn = (name: string) =>
      CONTENT_VARIABLE.test(name) ||
      (script !== undefined && inConfigPair(script, holdsVariable(name))) ||
      (remote !== undefined &&
        (inConfigPair(remote, holdsVariable(name)) || writtenToFile(remote, holdsVariable(name), name)));
    for (const entry of step.env) {
      const flag = flagOf(step, entry.key);
      const carried = carriedIn(entry.key);
      const notifies = MONITORING.test(entry.key);
      secretRefs(entry.value).forEach((r) =>
        use(r, { variable: entry.key, failsFast: onlyFast(entry.key), notifies, flag, carried }),
      );
    }
    // An input named for a notification channel (`teams-webhook-url`) or a monitoring service only reports.
    for (const entry of step.with) {
      const reports = NOTIFICATION.test(entry.key) || MONITORING.test(entry.key);
      const failsFast = fast.includes(entry) ? action : undefined;
      const skips = skipped.includes(entry);
      secretRefs(entry.value).forEach((r) =>
        use(r, { failsFast, notifies: reports, carried: carriedByInput(entry, r), skips }),
      );
    }
    for (const ref of secretRefs(step.run)) {
      const holds = (w: Word) => w.exprs.some((e) => e.refs.some((r) => isNamedSecret(r) && refKey(r) === refKey(ref)));
      use(ref, {
        failsFast: script && readOnlyByFailFast(script, holds),
        carried: !!script && inConfigPair(script, holds),
      });
    }
    const jobLevel = new Set(job.env);
    const deploys = this.deploySteps.includes(step);
    for (const entry of [...facts.workflow.env, ...job.env]) {
      if (env.get(entry.key) !== entry) continue;
      // A deploy step may read any variable of its job's env that no step names (one a step names is that
      // step's); of the workflow's env only when the workflow has no other job.
      const scope = jobLevel.has(entry) || facts.workflow.jobs.length === 1 ? [job] : undefined;
      const implicit = deploys && scope !== undefined && !this.namedBySome(entry.key, scope);
      const named = namesVariable(step, script, entry.key);
      const reads = implicit || named || signsIn(entry.key) || readsByConvention(step, script, entry.key, deploys);
      if (!reads) continue;
      inheritedUsed.add(entry);
      const monitors = MONITORING.test(entry.key);
      const carried = carriedIn(entry.key);
      secretRefs(entry.value).forEach((r) =>
        use(r, { variable: entry.key, failsFast: onlyFast(entry.key), notifies: monitors, unnamed: !named, carried }),
      );
    }
    if (scriptFast.size > 0)
      this.checks.push({ step, secrets: scriptFast, kind: 'fail-fast', own: false, failsAt: [...stops][0] });
  }

  /**
   * A step that runs after every deploy step of the job: the deploy is complete by then, and a secret it
   * lacks cannot leave the deploy half done.
   */
  private afterEveryDeploy(step: Step): boolean {
    const order = this.facts.order(this.job);
    const all = this.deploySteps;
    return all.length > 0 && all.every((d) => d !== step && order.happensBefore(d, step));
  }

  /**
   * A notification that runs after the work: after every deploy step, or, when only `environment:`
   * says the job deploys, with nothing but other notifications and optional steps after it.
   */
  private reportsAfterWork(step: Step): boolean {
    const { job, facts } = this;
    if (!isNotification(step)) return false;
    const order = facts.order(job);
    if (this.deploySteps.length > 0) return this.deploySteps.every((d) => order.happensBefore(d, step));
    return job.steps.every((s) => !order.happensBefore(step, s) || isNotification(s) || optionalStep(s));
  }

  /** Whether some step of these jobs names a variable (`$X`, `env.X`) or reads it by convention (`op` its `OP_…`). */
  private namedBySome(name: string, jobs: Job[]): boolean {
    const key = `${jobs.length === 1 ? jobs[0].id : ''}\n${name}`;
    if (!this.named.has(key)) {
      const steps = jobs.flatMap((j) => j.steps);
      const reads = (s: Step, script = this.facts.script(s)) =>
        namesVariable(s, script, name) || readsByConvention(s, script, name, false);
      this.named.set(
        key,
        steps.some((s) => reads(s)),
      );
    }
    return this.named.get(key)!;
  }

  private failFastInputs(step: Step): Entry[] {
    return failFastInputsOf(step, this.failFast);
  }

  /**
   * Whether every deploy step before this one stops at once on the same empty secret (an SSH action
   * before an SCP action, both given the host): the first of them fails before it changes anything.
   * True when no deploy step runs before it.
   */
  private earlierDeploysStopOn(step: Step, key: string): boolean {
    const { job, facts } = this;
    const order = facts.order(job);
    return this.deploySteps
      .filter((d) => d !== step && order.happensBefore(d, step))
      .every((d) => {
        const env = envScope([...facts.workflow.env, ...job.env], d.env);
        if (this.failFastInputs(d).some((e) => resolvedRefs(e.value, env).some((r) => refKey(r) === key))) return true;
        // Its own use of the secret stops at once (`flyctl` with `FLY_API_TOKEN`): the steps run in order.
        return this.uses.some((u) => u.step === d && secretKey(u.secret) === key && u.need === 'fails-fast');
      });
  }

  /**
   * Secrets the step's `if:` tests: `env.X` for an X mapped from the secret, the outputs or outcome
   * of a step that tests it (`steps.check.outputs.present`), or of a job that does (`needs.check`).
   */
  private gatedBy(step: Step, env: Map<string, Entry>): Set<string> {
    const gated = new Set<string>();
    for (const ref of step.if?.expressions.flatMap((e) => e.refs) ?? []) {
      const name = String(ref.path[0]);
      if (ref.context === 'env') secretRefs(env.get(name)?.value).forEach((r) => gated.add(refKey(r)));
      if (ref.context === 'steps') this.testsById.get(name)?.forEach((s) => gated.add(s));
    }
    gatedByNeeds(step.if, this.facts).forEach((s) => gated.add(s));
    return gated;
  }
}

/**
 * The step's `with:` entries that stop it at once when empty: by the fail-fast table, or, for an action
 * the table does not know, the inputs by which wrappers hand a cloud login its credential.
 */
function failFastInputsOf(step: Step, table: FailFastAction[]): Entry[] {
  if (!step.uses) return [];
  const action = actionName(step);
  const row = tableRow(step, table);
  if (row) return inputEntries(step, row);
  if (action && LOGIN_ACTION_NAME.test(action)) return step.with;
  const marketplace = !step.uses.text.startsWith('./');
  return step.with.filter((e) => {
    const name = forwardedName(e.key);
    const snake = e.key.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
    return (
      FORWARDED_LOGIN_INPUTS.has(name) || LOGIN_PAIR_INPUT.test(name) || (marketplace && CREDENTIAL_INPUT.test(snake))
    );
  });
}

/** The row of a table of actions (FailFastAction) for the action a step uses, if it lists it. */
function tableRow(step: Step, table: FailFastAction[]): FailFastAction | undefined {
  const action = actionName(step);
  return action ? table.find((f) => listedAction([f.action], action)) : undefined;
}

/** A step's entries for the inputs a table lists for its action; none when it does not list it. */
function tableInputs(step: Step, table: FailFastAction[]): Entry[] {
  const row = tableRow(step, table);
  return row ? inputEntries(step, row) : [];
}

/** A step's entries for a table row's inputs: its `with:`, and its `env:` for an action that reads inputs there. */
function inputEntries(step: Step, row: FailFastAction): Entry[] {
  return [...step.with, ...(row.env ? step.env : [])].filter((e) => row.inputs.includes(e.key.toLowerCase()));
}

/** Commands whose last operand is where they write (`rsync -a dist/ host:$DIR`), and `rm`, all of whose operands go. */
const WRITING_COMMANDS = new Set(['rsync', 'scp', 'cp', 'mv']);

/** Upper-cased secrets in where a script's commands write or delete (SecretConsumption.destinations). */
function destinationSecrets(script: Script, env: Map<string, Entry>): Set<string> {
  const found = new Set<string>();
  for (const command of script.commands) {
    const { name, args } = effectiveCommand(command);
    const operands = args.filter((a) => !a.text.startsWith('-'));
    const targets = name === 'rm' ? operands : WRITING_COMMANDS.has(name) ? operands.slice(-1) : [];
    for (const word of targets) {
      const refs = word.exprs.flatMap((e) => e.refs);
      for (const ref of refs.filter(isNamedSecret)) found.add(refKey(ref));
      // `$DIR`, and `${{ env.DIR }}`, for a DIR the step's env maps from a secret.
      const names = [
        ...word.vars.map((v) => v.name),
        ...refs.filter((r) => r.context === 'env').map((r) => String(r.path[0])),
      ];
      for (const name of names) secretRefs(env.get(name)?.value).forEach((r) => found.add(refKey(r)));
    }
  }
  return found;
}

/** Secrets (upper-cased) an expression backs with a variable (`vars.X || secrets.X`) or a literal (`|| 'a'`). */
function fallbackSecrets(job: Job, facts: Facts): Set<string> {
  const values = [...facts.workflow.env, ...job.env, ...job.steps.flatMap((s) => [...s.env, ...s.with])].map(
    (e) => e.value,
  );
  const found = new Set<string>();
  for (const e of [...values, ...job.steps.map((s) => s.run)].flatMap((v) => v?.expressions ?? [])) {
    if (!e.text.includes('||')) continue;
    if (e.refs.some((r) => r.context === 'vars')) e.refs.filter(isNamedSecret).forEach((r) => found.add(refKey(r)));
    // `secrets.REGION || 'us-central1'`: never empty.
    for (const m of e.text.matchAll(/\bsecrets\.([\w-]+)\s*\|\|\s*('[^']+'|\d)/gi)) found.add(secretKey(m[1]));
  }
  return found;
}

/** Secrets that jobs named by `needs.J` in an `if:` test for emptiness. */
function gatedByNeeds(condition: ScalarValue | undefined, facts: Facts): Set<string> {
  const gated = new Set<string>();
  for (const ref of condition?.expressions.flatMap((e) => e.refs) ?? []) {
    if (ref.context !== 'needs') continue;
    const other = facts.workflow.jobs.find((j) => j.id === ref.path[0]);
    for (const step of other?.steps ?? []) stepTests(step, other!, facts).forEach((s) => gated.add(s));
  }
  return gated;
}

/**
 * Checks of the jobs this one needs, directly or not, in the same environment or none: they have
 * finished before this job starts. Their logins count by the fail-fast `table`, as this job's do.
 */
function upstreamChecks(job: Job, facts: Facts, table: FailFastAction[]): PreflightCheck[] {
  const seen = new Set<Job>([job]);
  const queue = [job];
  const found: PreflightCheck[] = [];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const need of current.needs) {
      const other = facts.workflow.jobs.find((j) => j.id === need.text);
      if (!other || seen.has(other)) continue;
      seen.add(other);
      queue.push(other);
      // Its secrets are this job's in the same environment, or when it has none: it read the repository's
      // secret, which an environment can only override with another (GitHub keeps no empty secret).
      // wf-lint's own preflights are per job.
      const theirs = other.environment?.name?.text ?? '';
      if (theirs !== '' && theirs !== (job.environment?.name?.text ?? '')) continue;
      for (const step of other.steps) {
        if (step.if || optionalStep(step) || isOwnPreflight(step)) continue;
        const env = envScope([...facts.workflow.env, ...other.env], step.env);
        const script = facts.script(step);
        const checked = script ? secretsOf(scriptChecks(script), env, script) : new Set<string>();
        if (checked.size > 0) found.push({ step, secrets: checked, kind: 'script', own: false, upstream: true });
        // A login that stops that job at once on an empty secret (a registry login) checks it too.
        const fast = failFastInputsOf(step, table).flatMap((e) => resolvedRefs(e.value, env));
        const failsAt = `\`${step.uses?.text.split('@')[0]}\` in job '${other.id}'`;
        if (fast.length > 0)
          found.push({
            step,
            secrets: new Set(fast.map(refKey)),
            kind: 'fail-fast',
            own: false,
            upstream: true,
            failsAt,
          });
      }
    }
  }
  return found;
}

/** Upper-cased secrets a step tests for emptiness, in its script or in an expression. */
function stepTests(step: Step, job: Job, facts: Facts): Set<string> {
  const env = envScope([...facts.workflow.env, ...job.env], step.env);
  const tested = new Set<string>();
  // A remote script (an SSH action's) that tests a secret skips its work on the server without it.
  for (const script of [facts.script(step), facts.remoteScript(step)])
    if (script) secretsOf(scriptTests(script), env, script).forEach((s) => tested.add(s));
  const scalars = [step.run, ...step.env.map((e) => e.value), ...step.with.map((e) => e.value)];
  // `if [ -n "${{ secrets.ENV }}" ]; then …` in text no parser reads as a script (a heredoc fed to ssh).
  for (const m of scalars.flatMap((v) => [...(v?.text ?? '').matchAll(PRESENT_TEST)])) tested.add(secretKey(m[1]));
  for (const expr of scalars.flatMap((s) => s?.expressions ?? [])) {
    for (const ref of expr.refs.filter(isNamedSecret)) {
      const name = literalPattern(String(ref.path[0]));
      const compared = new RegExp(
        `(!=|==|!|&&|\\|\\|)\\s*secrets\\.${name}\\b|\\bsecrets\\.${name}\\s*(!=|==|&&|\\|\\|)`,
        'i',
      );
      if (compared.test(expr.text)) tested.add(refKey(ref));
    }
  }
  return tested;
}

/** A test that a secret written into a script is set: `[ -n "${{ secrets.X }}" ]`, `[[ -n … ]]`, `test -n …`. */
const PRESENT_TEST = /(?:\[\[?|\btest)\s+-n\s+["']?\$\{\{\s*secrets\.([\w-]+)\s*\}\}/gi;

/** A switch in a step's env: `USE_MOCK_OIDC`, `ENABLE_SSO`, `SSO_ENABLED`; the group is what it switches on. */
const FLAG = /^(?:(?:USE|ENABLE|WITH)_(\w+)|(\w+)_ENABLED)$/;

/**
 * The switch beside a secret's variable in the step's env, set by an expression (`USE_MOCK_OIDC:
 * ${{ inputs.useMockOidc }}` beside `MOCK_OIDC_CLIENT_ID`): the step's script reads the secret only when
 * it is on, which no first step can tell.
 */
function flagOf(step: Step, variable: string): UseCondition | undefined {
  for (const entry of step.env) {
    const m = FLAG.exec(entry.key);
    const on = m?.[1] ?? m?.[2];
    if (!on || !variable.startsWith(`${on}_`) || (entry.value?.expressions.length ?? 0) === 0) continue;
    return { text: `env.${entry.key}`, later: `the step's script decides, by \`${entry.key}: ${entry.value!.text}\`` };
  }
  return undefined;
}

/** A notification by its action or name, or by its secrets when they all are a channel's (and it does not deploy). */
function isNotification(step: Step): boolean {
  const said = [step.uses?.text ?? '', step.name?.text ?? ''];
  if (said.some((t) => /deploy/i.test(t))) return false;
  const secrets = [...step.with, ...step.env].flatMap((e) => secretRefs(e.value)).map((r) => String(r.path[0]));
  return said.some((t) => NOTIFICATION.test(t)) || (secrets.length > 0 && secrets.every((t) => NOTIFICATION.test(t)));
}

/**
 * Upper-cased secrets a step writes into files other than credential files (CREDENTIAL_FILE): an env
 * file, an app's config, a values file. An action that writes files (FILE_WRITING_ACTIONS) writes all it
 * is given, unless one of its inputs names a credential file.
 */
function writtenSecrets(step: Step, flow: StepFlow | undefined): Set<string> {
  const toFiles = (flow?.fileWrites ?? []).filter((w) => !CREDENTIAL_FILE.test(w.path));
  const written = chainSecrets(toFiles.flatMap((w) => w.taint.chain));
  const entries = [...step.env, ...step.with];
  if (
    listedAction(FILE_WRITING_ACTIONS, actionName(step) ?? '') &&
    !step.with.some((e) => CREDENTIAL_FILE.test(e.value?.text ?? ''))
  )
    entries.flatMap((e) => secretRefs(e.value)).forEach((r) => written.add(refKey(r)));
  return written;
}

/** Runners of the repository's own deploy program, as a deploy script is: an Ansible playbook. */
const PLAYBOOKS = new Set(['ansible-playbook']);

/** Upper-cased secrets a step keeps for later steps: written to a file, `$GITHUB_ENV` or `$GITHUB_OUTPUT`. */
function keptSecrets(flow: StepFlow): Set<string> {
  const chains = [
    ...flow.fileWrites.map((w) => w.taint.chain),
    ...flow.envWrites.flatMap((w) => [w.valueTaint?.chain ?? [], w.taint?.chain ?? []]),
  ];
  return chainSecrets(chains.flat());
}

/** Upper-cased secrets a taint chain comes from (its `secrets.X` links). */
function chainSecrets(links: string[]): Set<string> {
  const found = new Set<string>();
  for (const link of links) {
    const m = /^secrets\.([\w-]+)/i.exec(link);
    if (m) found.add(secretKey(m[1]));
  }
  return found;
}

/** A step off the success path (`if: failure()`, `always()`, `cancelled()`) or allowed to fail. */
function optionalStep(step: Step): boolean {
  if (step.if && NOT_ON_SUCCESS.test(step.if.text)) return true;
  const continues = step.continueOnError?.text.trim();
  return continues !== undefined && continues !== '' && continues !== 'false';
}

/** The step's `if:`, and why a first step could not evaluate it the same way, if it could not. */
function useCondition(step: Step, job: Job, facts: Facts): UseCondition | undefined {
  if (!step.if || step.if.text.trim() === '') return undefined;
  const text = conditionText(step.if);
  if (ONLY_SUCCESS.test(text)) return undefined;
  if (step.if.expressions.length !== 1) return { text, later: 'it is not one expression' };
  const refs = step.if.expressions[0].refs;
  const stepRef = refs.find((r) => r.context === 'steps');
  if (stepRef) return { text, later: `it reads \`steps.${String(stepRef.path[0])}\`, which earlier steps set` };
  if (refs.some((r) => r.context === 'job')) return { text, later: "it reads the job's state" };
  if (refs.some((r) => r.context === 'github' && STEP_OWN_GITHUB.test(String(r.path[0]))))
    return { text, later: 'it reads the running step' };
  if (/\bhashFiles\s*\(/i.test(text)) return { text, later: 'it reads files earlier steps may write' };
  const envRef = refs.find((r) => r.context === 'env');
  if (envRef && setsEnvBefore(step, job, facts))
    return { text, later: `it reads \`env.${String(envRef.path[0])}\`, which earlier steps may set` };
  return { text };
}

/** A step before this one that may set environment variables: an action, or a script writing GITHUB_ENV. */
function setsEnvBefore(step: Step, job: Job, facts: Facts): boolean {
  const order = facts.order(job);
  return job.steps.some(
    (s) => s !== step && order.happensBefore(s, step) && (s.uses !== undefined || /GITHUB_ENV/.test(s.run?.text ?? '')),
  );
}

/** The env entries a step sees: workflow, then job, then its own, later ones winning. */
function envScope(inherited: Entry[], own: Entry[]): Map<string, Entry> {
  return new Map([...inherited, ...own].map((e) => [e.key, e]));
}

const isNamedSecret = (r: ExprRef) => r.context === 'secrets' && typeof r.path[0] === 'string';
const refKey = (r: ExprRef) => secretKey(String(r.path[0]));

/** Named `secrets.X` references in a value, without the secrets every job has. */
function secretRefs(value: ScalarValue | undefined): ExprRef[] {
  return (value?.expressions ?? []).flatMap((e) =>
    e.refs.filter((r) => isNamedSecret(r) && !ALWAYS_SET.has(refKey(r))),
  );
}

/** `secrets.X` in a value, directly or through `env.Y` of the step's scope. */
function resolvedRefs(value: ScalarValue | undefined, env: Map<string, Entry>): ExprRef[] {
  const refs = (value?.expressions ?? []).flatMap((e) => e.refs);
  return [
    ...secretRefs(value),
    ...refs.filter((r) => r.context === 'env').flatMap((r) => secretRefs(env.get(String(r.path[0]))?.value)),
  ];
}

/** Upper-cased secrets behind the names a script tests, through the step's env, and those it tests directly. */
function secretsOf(tests: ScriptTests, env: Map<string, Entry>, script: Script): Set<string> {
  const secrets = new Set<string>();
  for (const name of tests.names) for (const ref of secretRefs(env.get(name)?.value)) secrets.add(refKey(ref));
  for (const ref of tests.refs) if (isNamedSecret(ref)) secrets.add(refKey(ref));
  // `DIR="${{ secrets.APP_DIR }}"; if [ -z "$DIR" ]; then DIR=/srv/app; fi`: the test is of the secret.
  for (const { name, value } of script.assignments) {
    if (!tests.names.has(name) || !value) continue;
    for (const ref of value.exprs.flatMap((e) => e.refs)) if (isNamedSecret(ref)) secrets.add(refKey(ref));
    for (const v of value.vars) for (const ref of secretRefs(env.get(v.name)?.value)) secrets.add(refKey(ref));
  }
  return secrets;
}

/** Whether a step names an environment variable: `$NAME` in its script or `env.NAME` in an expression. */
function namesVariable(step: Step, script: Script | undefined, name: string): boolean {
  const scalars = [step.run, ...step.with.map((e) => e.value), ...step.env.map((e) => e.value), step.if];
  return scriptNames(script, name) || scalars.some((s) => namesInExpressions(s, name));
}

/**
 * Whether the step reads variable `name` only through fail-fast inputs (`password: ${{ env.X }}`):
 * an action's step env reaches its process, so a variable of the step's own env counts as read there too.
 */
function namesOnlyIn(step: Step, script: Script | undefined, name: string, fast: Entry[]): boolean {
  if (fast.length === 0 || !fast.some((e) => namesInExpressions(e.value, name))) return false;
  const others = [step.run, ...step.with.filter((e) => !fast.includes(e)).map((e) => e.value)];
  return !scriptNames(script, name) && !others.some((s) => namesInExpressions(s, name));
}

/**
 * Whether a step reads variable `name` only to authenticate: its script names it only in fail-fast
 * commands (`cf auth "$CF_USER" "$CF_PASS"`), or does not name it and its tool authenticates with it
 * (authenticatesWith: wrangler and `CLOUDFLARE_API_TOKEN`).
 */
function authenticatesOnly(step: Step, script: Script | undefined, name: string): string | undefined {
  if (script && scriptNames(script, name))
    return readOnlyByFailFast(script, (w) => w.vars.some((v) => v.name === name));
  if (!authenticatesWith(name) || namesInExpressions(step.run, name)) return undefined;
  const tool = script?.commands[0] ? effectiveCommand(script.commands[0]).name : step.uses?.text.split('@')[0];
  return `\`${tool ?? step.label}\``;
}

/**
 * The first command that stops at once when a value is empty, if every command of a script that reads
 * it (`holds` tells the words that hold it) is a fail-fast command (FAIL_FAST_COMMANDS), pipes into one
 * (`echo "$KEY" | ssh-add -`) or connects with it (connectsWith), and no assignment copies it.
 */
function readOnlyByFailFast(script: Script, holds: (w: Word) => boolean): string | undefined {
  let first: string | undefined;
  for (const command of script.commands) {
    if (!commandWords(command).some(holds)) continue;
    const fails = [command, command.pipeTo].find((c) => c && FAIL_FAST_COMMANDS.some((p) => commandMatches(c, p)));
    if (!fails && !connectsWith(command, holds) && !signsInWith(command, holds)) return undefined;
    first ??= commandText(fails ?? command);
  }
  return first && !script.assignments.some((a) => a.value && holds(a.value)) ? first : undefined;
}

/**
 * Secrets (upper-cased) that stop the script an action runs before anything else (PRE_RUN_SCRIPTS), and
 * the command that stops: every use of them in the step comes after it.
 */
function preRunFailFast(step: Step, env: Map<string, Entry>): Map<string, string> {
  const found = new Map<string, string>();
  const action = actionName(step);
  const row = action && PRE_RUN_SCRIPTS.find((p) => p.action === action);
  const value = row ? env.get(row.variable)?.value : undefined;
  const script = value && analyzeScript({ ...step, uses: undefined, run: value, shell: 'bash' });
  for (const ref of script ? secretRefs(value) : []) {
    const holds = (w: Word) => w.exprs.some((e) => e.refs.some((r) => isNamedSecret(r) && refKey(r) === refKey(ref)));
    const at = readOnlyByFailFast(script!, holds);
    if (at) found.set(refKey(ref), at);
  }
  return found;
}

/**
 * The credential variables the first `terraform init` of a script signs in to its backend with, by the
 * `-backend-config` keys it passes (INIT_BACKENDS), and the command, as a message names it.
 */
function backendSignIn(script: Script | undefined): { variables: RegExp; at: string } | undefined {
  const init = script?.commands.find((c) => INIT_COMMANDS.some((p) => commandMatches(c, p)));
  if (!init) return undefined;
  const { args } = effectiveCommand(init);
  const keys = args.flatMap((word, i) => {
    const option = /^--?backend-config(?:=(.*))?$/.exec(word.text);
    const value = option ? (option[1] ?? args[i + 1]?.text ?? '') : '';
    const key = /^["']?(\w+)\s*=/.exec(value);
    return key ? [key[1].toLowerCase()] : [];
  });
  const backend = INIT_BACKENDS.find((b) => b.keys.some((k) => keys.includes(k)));
  return backend && { variables: backend.variables, at: commandText(init) };
}

/** `` `cf auth` ``, `` `scp` ``: a command's name, and its subcommand when it has one. */
function commandText(command: Command): string {
  const { name, args } = effectiveCommand(command);
  const sub = args[0] && /^[a-z][\w-]*$/.test(args[0].text) && !SSH_CLIENTS.has(name) ? ` ${args[0].text}` : '';
  return `\`${name}${sub}\``;
}

/**
 * Whether an SSH client reads the value in how it connects (SSH_CONNECTION_OPTIONS): an option's value,
 * ssh's destination (its first positional word), or the `user@host` of an scp, rsync or sftp `host:path`.
 * It connects before it runs or copies anything, so its other words (the remote command, a heredoc) are
 * read only once the connection is open.
 */
function connectsWith(command: Command, holds: (w: Word) => boolean): boolean {
  const { name, args } = effectiveCommand(command);
  if (!Object.hasOwn(SSH_CONNECTION_OPTIONS, name)) return false;
  const tool = resolveTool(name, args);
  let positional = 0;
  return args.some((word, i) => {
    const option = optionOf(tool, args, i);
    if (option !== undefined) return SSH_CONNECTION_OPTIONS[name].includes(option) && holds(word);
    if (word.text.startsWith('-')) return false;
    positional++;
    if (name === 'ssh') return positional === 1 && holds(word);
    const host = remoteHost(word);
    return host !== undefined && holds(host);
  });
}

/** Whether a deploy CLI is given the value as the token it signs in with (SIGN_IN_OPTIONS: `vercel --token=…`). */
function signsInWith(command: Command, holds: (w: Word) => boolean): boolean {
  const { name, args } = effectiveCommand(command);
  if (!Object.hasOwn(SIGN_IN_OPTIONS, name)) return false;
  const tool = resolveTool(name, args);
  return args.some((word, i) => {
    const option = optionOf(tool, args, i);
    return option !== undefined && SIGN_IN_OPTIONS[name].includes(option) && holds(word);
  });
}

/** Terraform's own runners: each configures its providers, and signs in, before it plans or applies anything. */
const TERRAFORM_RUNNERS = new Set(['terraform', 'tofu', 'terragrunt']);
/** The variables the azurerm, google and aws providers (and their backends) sign in with. */
const PROVIDER_VARIABLES = new RegExp(INIT_BACKENDS.map((b) => b.variables.source).join('|'));

/**
 * The runner that signs in with a cloud credential variable the script does not name, when Terraform is
 * the script's only program: an empty `ARM_CLIENT_SECRET` or `AWS_SECRET_ACCESS_KEY` stops the provider's
 * configuration ("No valid credential sources found") before any change is planned or applied.
 */
function providerSignIn(script: Script | undefined, name: string): string | undefined {
  if (!script || !PROVIDER_VARIABLES.test(name) || scriptNames(script, name)) return undefined;
  const programs = script.commands.map((c) => effectiveCommand(c).name);
  const runner = programs.find((p) => TERRAFORM_RUNNERS.has(p));
  if (!runner || programs.some((p) => !TERRAFORM_RUNNERS.has(p) && !SHELL_BUILTINS.has(p))) return undefined;
  return `\`${runner}\``;
}

/** Commands that run nothing of their own: they cannot use a credential before Terraform does. */
const SHELL_BUILTINS = new Set(['cd', 'echo', 'printf', 'export', 'set', 'pwd', 'ls', 'cat', 'true', ':', 'test', '[']);

/** The `user@host` part of an scp or rsync `user@host:path` word, as a word of its own; undefined for a local path. */
function remoteHost(word: Word): Word | undefined {
  const shifted = word.exprs.map((e) => ({
    ...e,
    valueStart: e.valueStart - word.start,
    valueEnd: e.valueEnd - word.start,
  }));
  const colon = /^[^/:]+:/.exec(maskExpressions(word.text, shifted));
  if (!colon) return undefined;
  const end = word.start + colon[0].length - 1;
  return {
    ...word,
    end,
    exprs: word.exprs.filter((e) => e.valueEnd <= end),
    vars: word.vars.filter((v) => v.start < end),
  };
}

function scriptNames(script: Script | undefined, name: string): boolean {
  return script ? new RegExp(`\\$(?:\\{!?|env:)?${literalPattern(name)}\\b`, 'i').test(script.value.text) : false;
}

function namesInExpressions(value: ScalarValue | undefined, name: string): boolean {
  return (value?.expressions ?? []).some((e) => e.refs.some((r) => r.context === 'env' && r.path[0] === name));
}

/**
 * A variable the step's tools read without naming it: a credential variable (`AWS_ACCESS_KEY_ID`,
 * `ARM_CLIENT_SECRET`, `TF_VAR_x`) in a deploy step or an action, or one whose first word names the
 * step's program or action (`NETLIFY_AUTH_TOKEN` for `netlify deploy`, `FLY_API_TOKEN` for `flyctl`).
 */
function readsByConvention(step: Step, script: Script | undefined, name: string, deploys: boolean): boolean {
  if (TF_VAR.test(name) && script && ignoresTfVars(script)) return false;
  if ((CREDENTIAL_ENV.test(name) || TOOL_ENV.test(name)) && (deploys || step.uses !== undefined)) return true;
  const tools = [
    ...(script?.commands.map((c) => effectiveCommand(c).name.toLowerCase()) ?? []),
    ...(step.uses
      ? step.uses.text
          .toLowerCase()
          .split('@')[0]
          .split(/[/_.-]/)
      : []),
  ];
  const word = name.split('_')[0].toLowerCase();
  return word.length >= 2 && tools.some((t) => t === word || t.startsWith(word));
}

const TF_VAR = /^TF_VAR_/i;
/** Terraform subcommands that read no input variables. */
const NO_VARIABLES = new Set(['init', 'output', 'show', 'fmt', 'validate', 'version', 'workspace', 'providers']);

/**
 * Whether a script's Terraform ignores `TF_VAR_*`: it runs `terraform` or `tofu`, and only to apply a
 * saved plan (`terraform apply tfplan`), whose variables are fixed in the plan, or subcommands that read
 * no variables (`init`, `output`).
 */
function ignoresTfVars(script: Script): boolean {
  const runs = script.commands.map(effectiveCommand).filter((c) => c.name === 'terraform' || c.name === 'tofu');
  return (
    runs.length > 0 &&
    runs.every((c) => {
      const at = c.args.findIndex((a) => !a.text.startsWith('-'));
      if (at >= 0 && NO_VARIABLES.has(c.args[at].text)) return true;
      const rest = c.args.slice(at + 1);
      const savedPlan =
        rest.some((a) => !a.text.startsWith('-')) && !rest.some((a) => /^--?var(-file)?\b/.test(a.text));
      return at >= 0 && c.args[at].text === 'apply' && savedPlan;
    })
  );
}

/** A secret the job's preflight should check, or leave out (and why). */
export interface PlannedSecret {
  secret: string;
  /** Needed only when this holds (an expression a first step can evaluate); undefined: on every run. */
  condition?: string;
  /** Why no first step can check it: its uses all sit under an `if:` that only later steps can evaluate. */
  leftOut?: UseCondition;
}

/** What a job's preflight lacks: the uses no check covers, and what its preflight should check. */
export interface PreflightNeeds {
  /** The first use of each secret that no check covers, and where some check runs too late. */
  unchecked: SecretUse[];
  early: { use: SecretUse; check: PreflightCheck }[];
  /** The checks other than wf-lint's own, for messages. */
  checks: PreflightCheck[];
  /** What wf-lint's preflight should check, in order of first use. */
  plan: PlannedSecret[];
  /** The steps wf-lint's fix wrote before, and what they check (secret to condition, '' for every run). */
  own: Step[];
  ownPlan: Map<string, string>;
  /** wf-lint's preflight exists and checks something else than the plan. */
  stale: boolean;
  /** Secrets left out because what reads them first stops at once when they are empty, and where. */
  failFast: { secret: string; at: string }[];
}

/** What the job needs checked that no check other than wf-lint's own covers (Facts.preflightNeeds keeps it). */
export function preflightNeeds(job: Job, facts: Facts): PreflightNeeds {
  const { uses, checks } = facts.secretConsumption(job);
  const order = facts.order(job);
  const others = checks.filter((c) => !c.own);
  const covering = others.filter((c) => c.kind !== 'fail-fast' || (!c.step.if && !optionalStep(c.step)));
  const unchecked = new Map<string, SecretUse>();
  const early = new Map<string, { use: SecretUse; check: PreflightCheck }>();
  const uncovered: SecretUse[] = [];
  const fast = new Map<string, { secret: string; at: string }>();
  for (const use of uses) {
    const key = secretKey(use.secret);
    if (use.failsAt && !fast.has(key)) fast.set(key, { secret: use.secret, at: use.failsAt });
    if (use.need !== 'required') continue;
    const checking = covering.filter((c) => c.secrets.has(key));
    const before = (c: PreflightCheck) =>
      c.upstream || !use.step || (c.step !== use.step && order.happensBefore(c.step, use.step));
    const stopping = checking.find(before);
    if (stopping?.failsAt && !fast.has(key)) fast.set(key, { secret: use.secret, at: stopping.failsAt });
    if (stopping) continue;
    uncovered.push(use);
    const late = checking.find((c) => c.kind !== 'fail-fast' && !c.upstream);
    if (unchecked.has(key) || early.has(key)) continue;
    if (late) early.set(key, { use, check: late });
    else unchecked.set(key, use);
  }
  const own = checks.filter((c) => c.own);
  const ownPlan = ownChecks(own);
  const plan = planOf(uncovered);
  const stale = own.length > 0 && !samePlan(plan, ownPlan);
  const firstUses = [...unchecked.values()];
  return {
    unchecked: firstUses,
    early: [...early.values()],
    checks: others,
    plan,
    own: own.map((c) => c.step),
    ownPlan,
    stale,
    failFast: [...fast.entries()].filter(([k]) => !plan.some((p) => secretKey(p.secret) === k)).map(([, f]) => f),
  };
}

/** Per secret: every run when one use has no condition, else the conditions of its uses joined with `||`. */
function planOf(uses: SecretUse[]): PlannedSecret[] {
  const bySecret = new Map<string, SecretUse[]>();
  for (const use of uses) {
    const key = secretKey(use.secret);
    if (!bySecret.has(key)) bySecret.set(key, []);
    bySecret.get(key)!.push(use);
  }
  return [...bySecret.values()].map((all) => {
    const secret = all[0].secret;
    if (all.some((u) => !u.condition)) return { secret };
    const shared = [...new Set(all.filter((u) => !u.condition!.later).map((u) => u.condition!.text))];
    if (shared.length === 0) return { secret, leftOut: all[0].condition };
    // Uses under opposite conditions (`inputs.whatIf` and `!inputs.whatIf`): one of them runs every time.
    if (anyComplementary(shared)) return { secret };
    return { secret, condition: shared.length === 1 ? shared[0] : shared.map((c) => `(${c})`).join(' || ') };
  });
}

/** What wf-lint's own preflight steps check: each secret of their env under their `if:`. */
function ownChecks(own: PreflightCheck[]): Map<string, string> {
  const plan = new Map<string, string>();
  for (const check of own) {
    const condition = check.step.if ? conditionText(check.step.if) : '';
    const mapped = check.step.env.flatMap((e) => secretRefs(e.value)).map(refKey);
    // A mapping its loop does not check (or the other way round) makes the step stale: mark it so.
    const consistent = mapped.length === check.secrets.size && mapped.every((s) => check.secrets.has(s));
    for (const secret of mapped) plan.set(secret, consistent ? condition : '\u0000');
  }
  return plan;
}

function samePlan(plan: PlannedSecret[], own: Map<string, string>): boolean {
  const wanted = plan.filter((p) => !p.leftOut);
  return wanted.length === own.size && wanted.every((p) => own.get(secretKey(p.secret)) === (p.condition ?? ''));
}
