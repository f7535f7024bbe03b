import { isMap, isScalar, isSeq } from 'yaml';
import type { Settings } from '../config/settings.js';
import type { Range } from '../findings.js';
import type { Entry, Job, Step, Workflow } from '../workflow/model.js';
import type { CalledWorkflow } from './called-workflows.js';
import {
  CALL_APPLY_INPUT,
  CALL_ENVIRONMENT_INPUT,
  commandPatternOf,
  DEPLOY_ACTIONS,
  DEPLOY_COMMANDS,
  environmentDeploys,
  environmentSaysDeploy,
  ARTEFACT_PATH_WORDS,
  GIT_HOSTS,
  jobNameSaysDeploy,
  readOnlyJobWords,
  BARE_TEST_WORDS,
  jobNameSaysRelease,
  LOCAL_CLUSTER_ACTIONS,
  LOCAL_CLUSTER_COMMANDS,
  metadataSaysDeploy,
  nameSaysDeploy,
  NEEDS_ENVIRONMENT,
  OPAQUE_ACTION_RUNTIME,
  PUBLISH_ACTIONS,
  PUBLISH_COMMANDS,
  SSH_NO_SESSION,
  SSH_PROBES,
  SSH_VALUE_FLAGS,
  TASK_RUNNERS,
  nameSaysMigrate,
  actionNameSays,
  TEARDOWN_COMMANDS,
  TOOL_RUNNERS,
  VERSIONED_TARGET_WORDS,
  wordsOf,
  type DeployAction,
  type DeployCommand,
  type DeployKind,
} from './deploy-recognisers.js';
import type { Facts } from './facts.js';
import type { LocalAction } from './local-actions.js';
import { eventsReaching } from './triggers.js';
import {
  actionName,
  basename,
  commandMatches,
  effectiveCommand,
  hasFlag,
  listedAction,
  matchSubcommands,
  settingsAction,
  withInput,
} from './match.js';
import { REPORT_COMMANDS, SCRIPT_INTERPRETERS } from './shell/commands.js';
import type { Command, Word } from './shell/script.js';

/**
 * What says a job deploys: a deploy command or action among its steps; only its `environment:` and a
 * name that says deploy (weak evidence); or a local reusable workflow it calls.
 */
export type DeployBasis = 'step' | 'environment' | 'call';

/** Why a job counts as deploying. */
export interface Deployment {
  /**
   * For messages: "it sets `environment: production` and runs `helm upgrade` (line 42)", "it uses
   * `azure/webapps-deploy` (line 20)", "it sets `environment: production` and its name says deploy".
   */
  reason: string;
  /** The reason without its position, for messages about another file: "it runs `helm upgrade`". */
  evidence: string;
  /** Where the evidence is: the deploy command, the `uses:` value, else the environment value. */
  range: Range;
  /** The steps that deploy; empty when only `environment:` says so. */
  steps: Step[];
  basis: DeployBasis;
  /**
   * Only names say so: `environment:` and a job name, or scripts named for deploying (`./script/deploy.sh`)
   * in a job whose environment names no deploy target. Enough to serialise runs, not to ask for more.
   */
  weak: boolean;
  /** What the first deploy step changes, when a table says. */
  kind?: DeployKind;
  /**
   * Every deploy step is an atomic deployment that switches a pointer (Pages, Vercel, Netlify, Firebase
   * Hosting): overlapping runs cannot leave it half old, half new, but the older can finish last.
   */
  atomic?: boolean;
  /** Every deploy step publishes by pushing a branch (DeployAction.branchPush). */
  branchPush?: boolean;
  /** For a reusable-workflow call to a local workflow: that workflow. */
  callee?: CalledWorkflow;
}

interface Recognisers {
  commands: DeployCommand[];
  actions: DeployAction[];
}

/** The environment a job names, trimmed; '' for none. */
export const environmentKey = (job: Job): string => job.environment?.name?.text.trim() ?? '';

/**
 * Jobs that miss the same setting and name the same environment (or none: `key` says which) are one
 * cause: one finding, with the others as related locations.
 */
export function byEnvironment<T>(items: T[], key: (item: T) => string): T[][] {
  const clusters = new Map<string, T[]>();
  for (const item of items) clusters.set(key(item), [...(clusters.get(key(item)) ?? []), item]);
  return [...clusters.values()];
}

/**
 * Whether a job deploys, and why (Facts.deployment keeps the answer). `inputs` holds what a caller
 * passes (`with:`, else the input's default) when the job is reached through a call. An environment
 * that names a deploy target is weak evidence: it counts beside a deploy step, or in a job whose name
 * says deploy and that does not only publish artefacts or post markers; many jobs set it only to
 * reach its secrets.
 */
export function findDeployment(job: Job, facts: Facts, inputs?: Map<string, string>): Deployment | undefined {
  // A job named for testing or checking (`e2e`, `smoke-test`, `terraform-plan`) deploys at most the thing under test;
  // a bare "test" (`publish-test`) only unless a listed deploy action or command says otherwise.
  const name = job.name?.text ?? '';
  const readOnly = readOnlyJobWords(job.id, name);
  const bareTest = readOnly.length > 0 && readOnly.every((w) => BARE_TEST_WORDS.has(w));
  if (readOnly.length > 0 && !bareTest) return undefined;
  // A starter workflow committed as it came: its target is a placeholder, and no run can deploy.
  if (templatePlaceholders(facts.workflow, job).length > 0) return undefined;
  // A job no event reaches (`if: false`, or it needs one) never deploys.
  if (eventsReaching(facts.workflow, job).size === 0) return undefined;
  const environment = job.environment?.name;
  const targeted = environment !== undefined && environmentNames(job, inputs).some(environmentDeploys);
  const setsEnvironment = targeted ? `it sets \`environment: ${shorten(environment.text)}\`` : undefined;
  const steps = deploySteps(job, facts, targeted);
  // Code copied to a host in a test job (`rsync` to a CI machine, then `go test` there) runs the tests there.
  if (bareTest && steps.every((s) => s.byName || s.kind === 'server')) return undefined;
  // A throwaway environment, or a new version of an artefact: no run shares what the job deploys.
  if (steps.length > 0 && (steps.some((s) => s.versioned) || tornDownInRun(job, facts))) return undefined;
  // A release job whose only evidence is a script's name publishes what it released.
  if (steps.length > 0 && !targeted && steps.every((s) => s.byName) && jobNameSaysRelease(job.id, name))
    return undefined;
  if (steps.length > 0) {
    const [first] = steps;
    const evidence = setsEnvironment ? `${setsEnvironment} and ${first.evidence}` : `it ${first.evidence}`;
    return {
      reason: `${evidence} (line ${first.range.start.line})`,
      evidence,
      range: first.range,
      steps: steps.map((s) => s.step),
      basis: 'step',
      weak: !targeted && steps.every((s) => s.byName),
      ...(first.kind ? { kind: first.kind } : {}),
      ...(steps.every((s) => s.atomic) ? { atomic: true } : {}),
      ...(steps.every((s) => s.branchPush) ? { branchPush: true } : {}),
    };
  }
  const saysDeploy = jobNameSaysDeploy(job.id, name) || environmentSaysDeploy(environment?.text ?? '');
  if (setsEnvironment && saysDeploy && !buildOnly(job, facts) && !onlyReports(job, facts)) {
    const evidence = `${setsEnvironment} and its name says deploy`;
    return { reason: evidence, evidence, range: environment!.range, steps: [], basis: 'environment', weak: true };
  }
  return job.uses ? callDeployment(job, facts) : undefined;
}

/** A job that publishes an artefact or posts a deployment marker (PUBLISH_ACTIONS, PUBLISH_COMMANDS). */
function buildOnly(job: Job, facts: Facts): boolean {
  return job.steps.some((step) => {
    const action = actionName(step);
    if (action && listedAction(PUBLISH_ACTIONS, action)) return true;
    return (facts.script(step)?.commands ?? []).some((c) =>
      [c, ...toolRunnerTargets(c)].some((x) => PUBLISH_COMMANDS.some((p) => publishes(x, p))),
    );
  });
}

function publishes(command: Command, pattern: DeployCommand): boolean {
  if (!commandMatches(command, pattern)) return false;
  return !pattern.argument || effectiveCommand(command).args.some((a) => pattern.argument!.test(a.text));
}

/**
 * Whether the job, or a job of the same run that needs it, tears down what it deploys (TEARDOWN_COMMANDS)
 * in a step that runs whatever the run was started with: a per-run test environment. A teardown under
 * a condition on the event or the inputs (a pull request closed, `inputs.action == 'destroy'`) is another
 * use of the workflow, not this run's cleanup.
 */
function tornDownInRun(job: Job, facts: Facts): boolean {
  const run = new Set<Job>([job]);
  for (let grown = true; grown;) {
    grown = false;
    for (const other of facts.workflow.jobs) {
      if (run.has(other) || !other.needs.some((n) => [...run].some((j) => j.id === n.text))) continue;
      run.add(other);
      grown = true;
    }
  }
  const unconditional = (text: string | undefined) => !text || !/\b(inputs|github\.event)\b/.test(text);
  // The deploying job's own `if:` holds whenever it deploys: its teardown steps run in the same runs.
  return [...run].some(
    (j) =>
      (j === job || unconditional(j.if?.text)) &&
      j.steps.some(
        (step) =>
          unconditional(step.if?.text) &&
          (facts.script(step)?.commands ?? []).some((c) =>
            [c, ...toolRunnerTargets(c)].some((x) => TEARDOWN_COMMANDS.some((p) => commandMatches(x, p))),
          ),
      ),
  );
}

/** A job that names an environment only to report on it: it prints and sets its exit status, nothing else. */
function onlyReports(job: Job, facts: Facts): boolean {
  return (
    job.steps.length > 0 &&
    job.steps.every((s) => {
      const script = facts.script(s);
      return (
        script !== undefined &&
        script.kind !== 'unsupported' &&
        script.commands.every((c) => REPORT_COMMANDS.has(effectiveCommand(c).name) || c.name.startsWith('${{'))
      );
    })
  );
}

/**
 * The names a job's environment can take: its value; for `${{ matrix.KEY }}` the values the matrix
 * gives KEY (an include entry without it runs with no environment); for `${{ inputs.KEY }}` in a
 * called workflow, what the caller passes.
 */
function environmentNames(job: Job, inputs?: Map<string, string>): string[] {
  const name = job.environment?.name;
  if (!name || name.text.trim() === '') return [];
  const refs = name.isExpression ? name.expressions[0].refs : [];
  const [ref] = refs;
  const key = refs.length === 1 && ref.path.length === 1 ? ref.path[0] : null;
  if (key && ref.context === 'matrix') return matrixValues(job, key) ?? [name.text];
  const passed = key && ref.context === 'inputs' ? inputs?.get(key) : undefined;
  return passed !== undefined ? [passed] : [name.text];
}

/** Literal values of a matrix key, or undefined when the matrix is computed. */
function matrixValues(job: Job, key: string): string[] | undefined {
  const strategy = job.strategy?.valueNode;
  const matrix = isMap(strategy) ? strategy.get('matrix', true) : undefined;
  if (!isMap(matrix)) return undefined;
  const direct = matrix.get(key, true);
  if (direct !== undefined && !isSeq(direct)) return undefined;
  const include = matrix.get('include', true);
  const values = [
    ...(direct?.items ?? []),
    ...(isSeq(include) ? include.items.map((i) => (isMap(i) ? i.get(key, true) : undefined)) : []),
  ];
  if (values.some((v) => v !== undefined && !isScalar(v))) return undefined;
  return values.flatMap((v) => (isScalar(v) && String(v.value).trim() !== '' ? [String(v.value)] : []));
}

interface DeployStep {
  step: Step;
  /** "runs `helm upgrade`", "uses `azure/webapps-deploy`". */
  evidence: string;
  range: Range;
  kind?: DeployKind;
  /** The step's script is only named for deploying. */
  byName?: boolean;
  /** It deploys a stack named for a versioned artefact (VERSIONED_TARGET_WORDS). */
  versioned?: boolean;
  /** An atomic deployment that switches a pointer (DeployAction.atomic). */
  atomic?: boolean;
  branchPush?: boolean;
}

/**
 * The steps of a job that deploy, each with its first piece of evidence. A database migration or an
 * upload to a bucket counts only when the job's environment names a deploy target (`targeted`).
 */
function deploySteps(job: Job, facts: Facts, targeted: boolean): DeployStep[] {
  const recognisers = recognisersFor(facts.settings);
  const onLocalCluster = createsLocalCluster(job, facts);
  const counts = (p: { kind?: DeployKind; kubernetes?: boolean }) =>
    (!p.kubernetes || !onLocalCluster) && (!p.kind || !NEEDS_ENVIRONMENT.has(p.kind) || targeted);
  const found: DeployStep[] = [];
  for (const step of job.steps) {
    const action = actionName(step);
    const uses = step.uses;
    const listed = action ? recognisers.actions.find((a) => actionDeploys(step, action, a) && counts(a)) : undefined;
    if (uses && listed) {
      found.push({ step, evidence: `uses \`${action}\``, range: uses.range, ...traitsOf(listed) });
      continue;
    }
    const metadata = uses ? facts.localAction(step) : undefined;
    if (uses && metadata && OPAQUE_ACTION_RUNTIME.test(metadata.using) && metadataSaysDeploy(metadata)) {
      const says = `"${shorten(metadata.name || metadata.description)}"`;
      const evidence = `uses the local action \`${uses.text}\`, whose action.yml says ${says}`;
      found.push({ step, evidence, range: uses.range });
      continue;
    }
    // An action of the table that its inputs make a preview or a setup (`channelId: pr-1`) is no deploy by name.
    const tabled = action !== undefined && recognisers.actions.some((a) => listedAction([a.action], action));
    const named = uses && !uses.text.startsWith('./') && action && !tabled ? actionNameSays(action) : undefined;
    if (uses && named) {
      const says = named === 'deploy' ? 'whose name says it deploys' : 'which runs commands on a server';
      const kind = named === 'server' ? { kind: 'server' as const } : {};
      found.push({ step, evidence: `uses \`${action}\`, ${says}`, range: uses.range, byName: true, ...kind });
      continue;
    }
    // Only its path says so, as a script's name does. Not in a workflow named for testing: an action
    // repository's test workflow runs the action under test with fake inputs and checks that it fails
    // (`test-oblt-cli-deploy-my-kibana.yml` and `./oblt-cli/deploy-my-kibana`).
    const local = uses && uses.text.startsWith('./') ? uses.text.replace(/\/+$/, '') : undefined;
    if (uses && local && nameSaysDeploy(local, true) && !testsActions(facts.workflow) && !onlyBuilds(metadata)) {
      found.push({ step, evidence: `uses the local action \`${uses.text}\``, range: uses.range, byName: true });
      continue;
    }
    for (const command of facts.script(step)?.commands ?? []) {
      const pattern = deployPattern(command, recognisers, counts);
      const migrates = !pattern && targeted ? migrationTaskName(command) : undefined;
      const label = pattern ? labelOf(pattern) : (deployScriptName(command) ?? migrates);
      if (label) {
        const byName = pattern ? {} : migrates === label ? { kind: 'migration' as const } : { byName: true };
        const versioned =
          pattern?.kind === 'infrastructure' && namesVersionedTarget(command) ? { versioned: true } : {};
        const evidence = `runs \`${label}\``;
        const extra = { ...traitsOf(pattern), ...byName, ...versioned };
        found.push({ step, evidence, range: command.range, ...extra });
        break;
      }
    }
  }
  return found;
}

/**
 * The values of a starter workflow that were never filled in, in the workflow's or the job's `env:` or a
 * step's `with:`: `MY_ECR_REPOSITORY`, `YOUR_PROJECT_ID`, `your-app-name`, `<cluster-name>`.
 */
export function templatePlaceholders(workflow: Workflow, job: Job): Entry[] {
  const entries = [...workflow.env, ...job.env, ...job.steps.flatMap((s) => s.with)];
  return entries.filter((e) => TEMPLATE_PLACEHOLDER.test(e.value?.text.trim() ?? ''));
}
const TEMPLATE_PLACEHOLDER = /^(MY|YOUR)_[A-Z0-9_]+$|^your-[a-z0-9-]+$|^<[\w .-]+>$/;

/** A workflow whose file or `name:` starts with "test" (`test-deploy.yml`, `name: test-deploy-my-kibana`). */
function testsActions(workflow: Workflow): boolean {
  const named = [basename(workflow.file.path), workflow.name?.text ?? ''];
  return named.some((n) => /^tests?([-_. ]|$)/i.test(n.trim()));
}

/** `cdk deploy … "LayerV3Stack-python3.12"`: a positional argument names a versioned artefact. */
function namesVersionedTarget(command: Command): boolean {
  const words = [command, ...toolRunnerTargets(command)].flatMap((c) =>
    effectiveCommand(c)
      .args.filter((a) => !a.text.startsWith('-'))
      .flatMap((a) => wordsOf(a.text)),
  );
  return words.some((w) => VERSIONED_TARGET_WORDS.has(w));
}

/** What a table row says of the deploy: its kind, and whether it is atomic or a branch push. */
function traitsOf(p: DeployCommand | DeployAction | undefined) {
  const kind = p?.kind ?? (p?.kubernetes ? 'cluster' : undefined);
  return {
    ...(kind ? { kind } : {}),
    ...(p?.atomic ? { atomic: true } : {}),
    ...(p?.branchPush ? { branchPush: true } : {}),
  };
}

/** Whether a `uses:` step is the listed action, with the input that makes it deploy. */
function actionDeploys(step: Step, action: string, listed: DeployAction): boolean {
  if (!listedAction([listed.action], action)) return false;
  if (!listed.input) return true;
  const value = withInput(step, listed.input.name)?.text ?? listed.input.default;
  return value !== undefined && listed.input.matches.test(value.trim());
}

/** The table entry a command deploys by, seen through tool runners (`yarn cdk deploy`); undefined when none. */
function deployPattern(
  command: Command,
  recognisers: Recognisers,
  counts: (p: DeployCommand) => boolean,
): DeployCommand | undefined {
  for (const candidate of [command, ...toolRunnerTargets(command)]) {
    const pattern = recognisers.commands.find((p) => counts(p) && deploys(candidate, p));
    if (pattern) return pattern;
  }
  return undefined;
}

/** How messages name a pattern: its label, else `command subcommands flags`. */
function labelOf(pattern: DeployCommand): string {
  return pattern.label ?? [pattern.command, ...(pattern.subcommands ?? []), ...(pattern.flags ?? [])].join(' ');
}

function deploys(command: Command, pattern: DeployCommand): boolean {
  if (!commandMatches(command, pattern)) return false;
  const { args } = effectiveCommand(command);
  if (pattern.rehearsalFlags?.some((f) => hasFlag(args, f))) return false;
  if (pattern.remote === 'command') return runsOnServer(command, args);
  if (pattern.remote === 'destination') return copiesToServer(args);
  const positional = args
    .slice(matchSubcommands(args, pattern.subcommands ?? []))
    .filter((a) => !a.text.startsWith('-'));
  if (pattern.argument && !positional.some((a) => pattern.argument!.test(a.text))) return false;
  if (!pattern.destination) return true;
  const destination = positional.slice(1).find((a) => pattern.destination!.test(a.text));
  return destination !== undefined && !publishesArtefacts(positional[0]?.text ?? '', destination.text);
}

/**
 * A bucket sync or copy whose source folder or destination path names artefacts (`artifacts`,
 * `packages-files`, `s3://bucket/releases/`): it publishes versioned files, it does not deploy a site.
 */
function publishesArtefacts(source: string, destination: string): boolean {
  const folder = plain(source).replace(/\/+$/, '');
  const words = [
    ...folder.slice(folder.lastIndexOf('/') + 1).split(/[^A-Za-z0-9]+/),
    ...plain(destination)
      .replace(/^\w+:\/\/[^/]*/, '')
      .split(/[^A-Za-z0-9]+/),
  ];
  return words.some((w) => ARTEFACT_PATH_WORDS.has(w.toLowerCase()));
}

/** `${{ secrets.HOST }}` as one word, so that a host written as an expression reads as a host. */
const plain = (text: string) => text.replace(/\$\{\{[^}]*\}\}/g, 'host').replace(/^["']|["']$/g, '');

/**
 * `ssh [options] [user@]host command…`, or the host alone with a script on stdin (a heredoc): a
 * command run on a server. Not a tunnel (`-N`), a query (`-V`, `-G`), a probe (`ssh host exit`) or git
 * over SSH (`ssh -T git@github.com`).
 */
function runsOnServer(command: Command, args: Word[]): boolean {
  if (SSH_NO_SESSION.some((f) => hasFlag(args, f))) return false;
  let i = 0;
  while (i < args.length && args[i].text.startsWith('-')) i += SSH_VALUE_FLAGS.has(args[i].text) ? 2 : 1;
  const host = args[i];
  if (!host || GIT_HOSTS.test(plain(host.text))) return false;
  const remote = args.slice(i + 1);
  if (remote.length === 0) return command.stdin === 'heredoc' || command.stdin === 'herestring';
  return !SSH_PROBES.test(remote[0].text);
}

/** `scp`/`rsync` whose last path is remote: `[user@]host:path` (a host of two characters or more, not a git forge). */
function copiesToServer(args: Word[]): boolean {
  const last = args.filter((a) => !a.text.startsWith('-')).at(-1);
  if (!last) return false;
  const target = plain(last.text);
  return /^([^\s/@]+@)?[^\s/:@]{2,}:/.test(target) && !GIT_HOSTS.test(target);
}

/** `yarn cdk deploy` runs `cdk deploy`: the command as the tool runner runs it. */
function toolRunnerTargets(command: Command): Command[] {
  const { name, args } = effectiveCommand(command);
  return TOOL_RUNNERS.flatMap((runner) => {
    if (runner.command !== name) return [];
    const at = matchSubcommands(args, runner.subcommands ?? []);
    const tool = at >= 0 ? args[at] : undefined;
    return tool && !tool.text.startsWith('-')
      ? [{ ...command, name: tool.text, nameWord: tool, args: args.slice(at + 1), prefixAssignments: [] }]
      : [];
  });
}

/** A script or task whose name says deploy, as run: `./deploy.sh`, `make deploy`, `bash ci/deploy.sh`. */
export function deployScriptName(command: Command): string | undefined {
  const { name, args } = effectiveCommand(command);
  const original = command.nameWord?.text ?? command.name;
  if (nameSaysDeploy(name) && (/\.\w+$/.test(name) || original.includes('/')))
    return basename(original) === name ? original : name;
  // Not `bash -n` (it only checks the syntax), nor a command string (`-c`) or a module (`-m`).
  if (SCRIPT_INTERPRETERS.has(name) && !['-c', '-m', '-n'].some((flag) => hasFlag(args, flag))) {
    const file = operands(args)[0]?.text;
    return file && nameSaysDeploy(file) ? `${name} ${file}` : undefined;
  }
  return runnerTask(name, args, (task) => nameSaysDeploy(task));
}

/** `pnpm db:migrate:prod`, `make migrate`: a task runner's first task, named for a database migration. */
function migrationTaskName(command: Command): string | undefined {
  const { name, args } = effectiveCommand(command);
  return runnerTask(name, args, nameSaysMigrate, true);
}

/**
 * A task runner's task whose name `says` so, as the runner and task read (`make deploy`, `npm run
 * deploy:web`): among every argument of a runner that takes several (make), else the first, or the first
 * only (`firstOnly`); never one of the runner's own commands (`pnpm deploy`).
 */
function runnerTask(name: string, args: Word[], says: (task: string) => boolean, firstOnly = false) {
  for (const runner of TASK_RUNNERS) {
    if (runner.command !== name) continue;
    const at = matchSubcommands(args, runner.subcommands ?? []);
    if (at < 0) continue;
    const tasks = operands(args.slice(at));
    const asked = runner.everyArgument && !firstOnly ? tasks : tasks.slice(0, 1);
    const task = asked.find((t) => !runner.builtins?.includes(t.text) && says(t.text));
    if (task) return [name, ...(runner.subcommands ?? []), task.text].join(' ');
  }
  return undefined;
}

/** The words that are neither options nor `NAME=value` assignments. */
const operands = (words: Word[]) => words.filter((a) => !a.text.startsWith('-') && !/^\w+=/.test(a.text));

/**
 * A composite action whose steps wf-lint can read, all marketplace actions of which none deploys by the
 * table or by its name (checkout, a registry login, docker/build-push-action): whatever its path says
 * (`./.github/actions/deploy-docker`), it builds and pushes, and deploys nothing. One with a script may.
 */
function onlyBuilds(metadata: LocalAction | undefined): boolean {
  if (metadata?.using !== 'composite' || metadata.steps.length === 0) return false;
  return metadata.steps.every(
    (s) =>
      s.run === undefined &&
      s.action !== undefined &&
      !DEPLOY_ACTIONS.some((a) => listedAction([a.action], s.action!)) &&
      !actionNameSays(s.action),
  );
}

function createsLocalCluster(job: Job, facts: Facts): boolean {
  return job.steps.some((step) => {
    const action = actionName(step);
    if (action && listedAction(LOCAL_CLUSTER_ACTIONS, action)) return true;
    return (facts.script(step)?.commands ?? []).some((c) => LOCAL_CLUSTER_COMMANDS.some((p) => commandMatches(c, p)));
  });
}

/**
 * A `jobs.<id>.uses` call deploys when the called local workflow has a deploying job (a workflow in
 * another repository cannot be read).
 */
function callDeployment(job: Job, facts: Facts): Deployment | undefined {
  const callee = facts.calledWorkflow(job);
  if (!callee) return facts.calleeMissing(job) ? unreadCallDeployment(job) : undefined;
  const inputs = callInputs(job, callee.workflow);
  const [found] = callee.mapJobs((j) => {
    const deployment = findDeployment(j, callee.facts, inputs);
    return deployment ? [{ job: j, deployment }] : [];
  });
  if (!found) return undefined;
  const evidence = `it calls \`${job.uses!.text}\`, whose job '${found.job.id}' deploys: ${found.deployment.evidence}`;
  const { weak, atomic, branchPush } = found.deployment;
  const range = job.uses!.range;
  const traits = { ...(atomic ? { atomic } : {}), ...(branchPush ? { branchPush } : {}) };
  return { reason: evidence, evidence, range, steps: [], basis: 'call', weak, callee, ...traits };
}

/**
 * A call to a local workflow that cannot be read, by the caller's own words: a job named for deploying
 * (`core-vpc-deployment-plan-apply`) that passes secrets and either a literal deploy environment
 * (`environment: production`) or `apply: true`. Weak evidence, as a name is.
 */
function unreadCallDeployment(job: Job): Deployment | undefined {
  const passesSecrets = job.secretsInherit || job.secrets.length > 0;
  if (!passesSecrets || !jobNameSaysDeploy(job.id, job.name?.text ?? '')) return undefined;
  const literal = (e: { value?: { text: string } }) => e.value !== undefined && !e.value.text.includes('${{');
  const target = job.with.find(
    (e) => CALL_ENVIRONMENT_INPUT.test(e.key) && literal(e) && environmentDeploys(e.value!.text),
  );
  const applies = job.with.find((e) => CALL_APPLY_INPUT.test(e.key) && /^true$/i.test(e.value?.text.trim() ?? ''));
  const input = target ?? applies;
  if (!input) return undefined;
  const evidence =
    `it calls \`${job.uses!.text}\`, which cannot be read, with \`${input.key}: ${input.value!.text.trim()}\`` +
    ' and its name says deploy';
  return { reason: evidence, evidence, range: job.uses!.range, steps: [], basis: 'call', weak: true };
}

/** The inputs a call passes as literals (`with:`), else the called workflow's defaults. Expressions stay unknown. */
function callInputs(job: Job, callee: Workflow): Map<string, string> {
  const inputs = new Map<string, string>();
  const declared = callee.doc.getIn(['on', 'workflow_call', 'inputs']);
  if (isMap(declared)) {
    for (const pair of declared.items) {
      const defaultValue = isMap(pair.value) ? pair.value.get('default', true) : undefined;
      if (isScalar(pair.key) && isScalar(defaultValue)) inputs.set(String(pair.key.value), String(defaultValue.value));
    }
  }
  for (const entry of job.with) {
    if (entry.value && !entry.value.text.includes('${{')) inputs.set(entry.key, entry.value.text);
    else inputs.delete(entry.key);
  }
  return inputs;
}

/** The deploying jobs of a called workflow. */
export function deployingJobs(callee: CalledWorkflow): Job[] {
  return callee.mapJobs((j) => (callee.facts.deployment(j) ? [j] : []));
}

/** The built-in tables plus `settings.deploy.commands` / `settings.deploy.actions`. */
function recognisersFor({ deploy }: Settings): Recognisers {
  return {
    commands: [...DEPLOY_COMMANDS, ...deploy.commands.flatMap((c) => commandPatternOf(c) ?? [])],
    actions: [...DEPLOY_ACTIONS, ...deploy.actions.map((a) => ({ action: settingsAction(a) }))],
  };
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}
