// A small model of GitHub's concurrency groups, to prove the missing-concurrency fix against it.
//
// GitHub's rules, as documented ("Control the concurrency of workflows and jobs"):
// - a group (a string, evaluated per run, or per job instance for a job-level group) holds at most one
//   running and one pending holder: a whole run for a workflow-level group, one job instance for a
//   job-level group;
// - a holder that enters a group whose running slot is taken waits as the pending one; a pending holder
//   already there is cancelled ("a newer pending job cancels the older pending one");
// - with `cancel-in-progress: true` the entering holder cancels the running one (and any pending one);
// - workflow-level and job-level groups share one namespace: a job entering a group its own run holds
//   would wait for itself, which GitHub detects as a deadlock and cancels;
// - each matrix leg is a job instance, its group evaluated with its own `matrix` and `strategy`;
// - a job becomes ready when every job it `needs` has succeeded; jobs ready at the same moment enter
//   their groups in the order they are written, legs in matrix order (GitHub gives no order: any order
//   leads to the same cancellations when no two of them share a group);
// - a job whose needs was cancelled, or a job cancelled with its run, does not run.
// Job `if:` conditions, and those of the steps that deploy, are evaluated where they read only what a
// run's start fixes (the event, the ref, inputs, the results of needed jobs); a condition that reads
// anything else (outputs, variables, secrets) counts as true, the worst case. sharedGroupPairs reads
// no condition at all. A deploy from a pull-request run goes to that pull request's own preview (unless
// the job is marked `preview: false`: it deploys one shared target from every pull request), and
// one from a `workflow_run` that may follow any branch's run to that branch's.
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { Job, Workflow } from '../../src/workflow/model.js';
import { TARGET_INPUT } from '../../src/analysis/deploy-recognisers.js';
import type { Facts } from '../../src/analysis/facts.js';
import { choosesTargetByRef, deploysPerPullRequest } from '../../src/fixers/missing-concurrency.js';

export interface GroupSpec {
  /** The group as written: text with `${{ }}` expressions. */
  group: string;
  /** `cancel-in-progress` as written (`true`, `false`, an expression); absent means false. */
  cancelInProgress?: string;
}

/** One leg of a matrix: its `matrix` values. A job without a matrix has one leg, undefined. */
export type Leg = Record<string, unknown> | undefined;

export interface SimJob {
  id: string;
  needs: string[];
  concurrency?: GroupSpec;
  legs: Leg[];
  maxParallel?: number;
  /** The environment name as written, part of what a deploy targets. */
  environment?: string;
  /** The job's `if:`, as written. */
  if?: string;
  deploys: boolean;
  /** The `if:` of each step that deploys (undefined: none); the job deploys when one of them holds. */
  deployIfs?: (string | undefined)[];
  /** False when a pull request's run deploys the same shared target as any other run, not a preview of its own. */
  preview?: boolean;
  /** True when the job chooses its target by the run's ref (main to prod, develop to staging). */
  byRef?: boolean;
  /** The names of the job's `outputs:`. */
  outputs?: string[];
}

/** wf-lint's view of which jobs of a workflow deploy, and how they choose their target (DeploysOf). */
export function deploysByFacts(facts: Facts): DeploysOf {
  return (job) => {
    const deployment = facts.deployment(job);
    return {
      deploys: deployment !== undefined,
      stepIfs: (deployment?.steps ?? []).map((s) => s.if?.text),
      preview: deploysPerPullRequest(facts.workflow, job),
      byRef: choosesTargetByRef(facts.workflow, job),
    };
  };
}

/** Which jobs deploy, and the `if:` of the steps that do (empty when the job as a whole deploys). */
export type DeploysOf = (job: Job) => {
  deploys: boolean;
  stepIfs: (string | undefined)[];
  preview?: boolean;
  byRef?: boolean;
};

export interface SimWorkflow {
  /** `github.workflow`: the workflow's name, else its path. */
  name: string;
  concurrency?: GroupSpec;
  jobs: SimJob[];
  /** The events that start it, for the runs scenarios() makes. */
  events: string[];
  /** `workflow_dispatch` inputs: name and the values a run may give it. */
  inputs: Map<string, string[]>;
  /** The refs a push may start a run for. */
  pushRefs: string[];
  /** A `workflow_run` trigger with no `branches:` filter: a run may follow any branch's, a pull request's too. */
  workflowRunAnyBranch?: boolean;
  /** `github.repository`: the upstream one a condition names (`github.repository == 'org/repo'`), if any. */
  repository?: string;
}

/** What starts a run: the values of its `github` and `inputs` contexts. */
export interface RunSpec {
  event: string;
  ref: string;
  pullRequest?: number;
  inputs?: Record<string, string>;
  /** For `workflow_run`: the branch the finished run was for. */
  workflowRunBranch?: string;
  /** For `workflow_run`: the repository of that branch, a fork's for a pull request from one. */
  workflowRunRepository?: string;
  /** `github.run_id`, distinct per run; simulate() numbers its runs. */
  runId?: number;
}

/** The contexts an expression in a group may read. */
const CONTEXTS = [
  'github',
  'inputs',
  'vars',
  'matrix',
  'strategy',
  'needs',
  'env',
  'secrets',
  'steps',
  'runner',
  'job',
];

// ---------------------------------------------------------------------------------------------------
// From a workflow file to the model.

/** The simulator's view of a parsed workflow; `deploys` says which jobs deploy (wf-lint's facts). */
export function simWorkflowOf(workflow: Workflow, deploys: DeploysOf): SimWorkflow {
  const concurrencyOf = (c: Workflow['concurrency']): GroupSpec | undefined =>
    c?.group ? { group: c.group.text, cancelInProgress: c.cancelInProgress?.text } : undefined;
  const ids = new Set(workflow.jobs.map((j) => j.id));
  return {
    name: workflow.name?.text ?? workflow.file.path,
    concurrency: concurrencyOf(workflow.concurrency),
    events: [...new Set(workflow.triggers.map((t) => t.event))],
    inputs: dispatchInputs(workflow),
    pushRefs: pushRefs(workflow),
    ...((r) => (r ? { repository: r[1] } : {}))(/github\.repository\s*==\s*'([^']+)'/.exec(workflow.file.text)),
    workflowRunAnyBranch: (() => {
      const trigger = workflow.doc.getIn(['on', 'workflow_run'], true);
      return workflow.triggers.some((t) => t.event === 'workflow_run') && (!isMap(trigger) || !trigger.has('branches'));
    })(),
    jobs: workflow.jobs.map((job) => {
      const strategy = job.strategy?.valueNode;
      const maxParallel = isMap(strategy) ? strategy.get('max-parallel') : undefined;
      const deploying = deploys(job);
      return {
        id: job.id,
        needs: job.needs.map((n) => n.text).filter((n) => ids.has(n)),
        concurrency: concurrencyOf(job.concurrency),
        legs: legsOf(isMap(strategy) ? strategy.get('matrix', true) : undefined),
        ...(typeof maxParallel === 'number' ? { maxParallel } : {}),
        ...(job.environment?.name ? { environment: job.environment.name.text } : {}),
        ...(job.if ? { if: job.if.text } : {}),
        deploys: deploying.deploys,
        ...(deploying.stepIfs.length > 0 ? { deployIfs: deploying.stepIfs } : {}),
        ...(deploying.preview === false ? { preview: false } : {}),
        ...(deploying.byRef ? { byRef: true } : {}),
        ...(job.outputs.length > 0 ? { outputs: job.outputs.map((o) => o.key) } : {}),
      };
    }),
  };
}

/**
 * A branch and a tag a push may start a run for: the first plain name of `branches:` and `tags:`, a
 * made-up one for a pattern; with neither filter, any branch or tag.
 */
function pushRefs(workflow: Workflow): string[] {
  const push = workflow.doc.getIn(['on', 'push'], true);
  if (!isMap(push)) return ['refs/heads/main', 'refs/heads/feature', 'refs/tags/v1.0.0'];
  const names = (key: string) => {
    const value = push.get(key, true);
    const items = isSeq(value) ? value.items : value === undefined ? [] : [value];
    return items.flatMap((i) => (isScalar(i) ? [String(i.value)] : []));
  };
  const refs: string[] = [];
  const branches = names('branches');
  const tags = names('tags');
  if (branches.length > 0) refs.push(...branches.slice(0, 2).map((b) => `refs/heads/${b.replace(/\*+/g, 'x')}`));
  if (tags.length > 0) refs.push(`refs/tags/${tags[0].replace(/\*+/g, '1')}`);
  if (branches.length === 0 && tags.length === 0)
    refs.push('refs/heads/main', 'refs/heads/feature', 'refs/tags/v1.0.0');
  return refs;
}

function dispatchInputs(workflow: Workflow): Map<string, string[]> {
  const inputs = new Map<string, string[]>();
  for (const event of ['workflow_dispatch', 'workflow_call']) {
    const declared = workflow.doc.getIn(['on', event, 'inputs'], true);
    if (!isMap(declared)) continue;
    for (const pair of declared.items) {
      if (!isScalar(pair.key) || !isMap(pair.value)) continue;
      const options = pair.value.get('options', true);
      const fallback = pair.value.get('default');
      const values = isSeq(options) ? options.items.flatMap((o) => (isScalar(o) ? [String(o.value)] : [])) : [];
      if (fallback !== undefined && fallback !== null && !values.includes(String(fallback)))
        values.unshift(String(fallback));
      inputs.set(String(pair.key.value), values.length > 0 ? values : ['', 'other']);
    }
  }
  return inputs;
}

/**
 * The legs of a matrix, as GitHub expands it: the product of the keys' values, less `exclude`, then
 * each `include` entry added to the legs it does not contradict, else as a leg of its own. A value
 * computed at run time (`${{ fromJSON(...) }}`) gives two legs with distinct unknown values.
 */
export function legsOf(matrix: YamlNode | null | undefined): Leg[] {
  if (matrix === undefined || matrix === null) return [undefined];
  if (!isMap(matrix)) return [{ '?': 'leg 0' }, { '?': 'leg 1' }];
  let legs: Record<string, unknown>[] = [{}];
  const base = new Set<string>();
  let include: unknown[] = [];
  let exclude: unknown[] = [];
  for (const pair of matrix.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = (pair.value as YamlNode | null)?.toJSON?.() ?? (isScalar(pair.value) ? pair.value.value : null);
    if (key === 'include') include = Array.isArray(value) ? value : [];
    else if (key === 'exclude') exclude = Array.isArray(value) ? value : [];
    else {
      base.add(key);
      const values = Array.isArray(value) ? value : [`${key}?0`, `${key}?1`];
      legs = legs.flatMap((leg) => values.map((v) => ({ ...leg, [key]: v })));
    }
  }
  if (base.size === 0) legs = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const objects = (list: unknown[]) =>
    list.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null);
  for (const entry of objects(exclude))
    legs = legs.filter((leg) => !Object.entries(entry).every(([k, v]) => same(leg[k], v)));
  const original = legs.map((leg) => ({ ...leg }));
  for (const entry of objects(include)) {
    const fits = original
      .map((leg, i) => ({ leg, i }))
      .filter(({ leg }) => Object.entries(entry).every(([k, v]) => !base.has(k) || same(leg[k], v)));
    if (fits.length === 0) legs.push({ ...entry });
    else for (const { i } of fits) Object.assign(legs[i], entry);
  }
  return legs.length > 0 ? legs : [undefined];
}

// ---------------------------------------------------------------------------------------------------
// Evaluating groups.

interface Scope {
  run: RunSpec;
  workflow: SimWorkflow;
  job?: SimJob;
  leg?: Leg;
  legIndex?: number;
}

function contextsOf({ run, workflow, job, leg, legIndex }: Scope): data.Dictionary {
  const pr = run.pullRequest;
  const github = {
    workflow: workflow.name,
    event_name: run.event,
    ref: run.ref,
    ref_name: run.ref.replace(/^refs\/(heads|tags)\//, ''),
    head_ref: pr ? `feature-${pr}` : '',
    repository_owner: 'owner',
    base_ref: pr ? 'main' : '',
    repository: workflow.repository ?? 'owner/repo',
    run_id: String(run.runId ?? 'RUN_ID'),
    run_number: 'RUN_NUMBER',
    sha: 'SHA',
    job: job?.id ?? '',
    event: pr
      ? { number: pr, action: 'synchronize', pull_request: { number: pr, head: { ref: `feature-${pr}` } } }
      : {
          inputs: run.inputs,
          ref: run.ref,
          ...(run.event === 'schedule' ? { schedule: '0 5 * * *' } : {}),
          ...(run.event === 'release' ? { action: 'published' } : {}),
          workflow_run: {
            head_branch: run.workflowRunBranch ?? '',
            head_repository: { full_name: run.workflowRunRepository ?? workflow.repository ?? 'owner/repo' },
          },
        },
  };
  // A job's outputs come from its steps, which the model does not run: each is taken to follow the run's
  // target inputs (a dispatch's `environment`), else its ref or pull request, as a computed environment does.
  const byRun = runTarget(run) || `${run.ref}|${run.pullRequest ?? ''}`;
  const outputsOf = (id: string) =>
    Object.fromEntries((workflow.jobs.find((j) => j.id === id)?.outputs ?? []).map((o) => [o, `${o}(${byRun})`]));
  const needs = Object.fromEntries((job?.needs ?? []).map((n) => [n, { result: 'success', outputs: outputsOf(n) }]));
  const values: Record<string, unknown> = { github, inputs: run.inputs ?? {}, vars: {}, needs, env: {} };
  if (job) {
    values.matrix = leg ?? {};
    values.strategy = { 'job-index': legIndex ?? 0, 'job-total': job.legs.length, 'fail-fast': true };
  }
  return JSON.parse(JSON.stringify(values), data.reviver) as data.Dictionary;
}

/** A group's text with its expressions evaluated; an expression GitHub could not evaluate stays as written. */
export function evaluate(template: string, scope: Scope): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (whole, expression: string) => {
    const value = evaluateExpression(expression, scope);
    return value === undefined ? whole : value.coerceString();
  });
}

function evaluateExpression(expression: string, scope: Scope): data.ExpressionData | undefined {
  try {
    const { tokens } = new Lexer(expression).lex();
    const parsed = new Parser(tokens, CONTEXTS, []).parse();
    return new Evaluator(parsed, contextsOf(scope)).evaluate();
  } catch {
    return undefined;
  }
}

function cancels(spec: GroupSpec, scope: Scope): boolean {
  const text = spec.cancelInProgress?.trim() ?? '';
  if (!text.includes('${{')) return text.toLowerCase() === 'true';
  return evaluate(text, scope).trim().toLowerCase() === 'true';
}

/** Status functions as a run that has gone well so far sees them. */
const STATUS = [
  [/\bsuccess\(\s*\)/g, 'true'],
  [/\balways\(\s*\)/g, 'true'],
  [/\bfailure\(\s*\)/g, 'false'],
  [/\bcancelled\(\s*\)/g, 'false'],
] as const;

/** The `github` fields a simulated run sets; a condition on any other (`github.repository`) is undecided. */
const KNOWN_GITHUB =
  /^(event_name|ref|ref_name|head_ref|base_ref|workflow|event\.(number|ref|schedule|action|inputs\b.*|pull_request\.number|workflow_run\.head_(branch|repository\.full_name)))$/;

/** Contexts a condition may read and still be decided when the run starts (`needs` for results only). */
const DECIDABLE = new Set(['github', 'inputs', 'needs', 'matrix', 'strategy']);

/**
 * Whether an `if:` holds in a scope, where the needed jobs succeeded. Undecidable conditions (ones
 * that read outputs, variables, secrets, steps, or that fail to evaluate) hold: the worst case.
 */
export function holds(condition: string | undefined, scope: Scope): boolean {
  if (condition === undefined || condition.trim() === '') return true;
  let text = condition.trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(text);
  if (wrapped) text = wrapped[1];
  if (text.includes('${{')) return true;
  const contexts = [...text.matchAll(/(?<![\w.'"-])([A-Za-z_][\w-]*)\s*(?:\.|\[)/g)].map((m) => m[1].toLowerCase());
  if (contexts.some((c) => !DECIDABLE.has(c)) || /needs\.[\w-]+\.outputs|needs\.\*/.test(text)) return true;
  const githubFields = [...text.matchAll(/\bgithub\.([\w.-]+)/g)].map((m) => m[1]);
  // `github.repository` is known when the workflow names its upstream repository.
  const known = (f: string) => KNOWN_GITHUB.test(f) || (f === 'repository' && scope.workflow.repository !== undefined);
  if (githubFields.some((f) => !known(f))) return true;
  for (const [pattern, value] of STATUS) text = text.replace(pattern, value);
  const value = evaluateExpression(text, scope);
  if (value === undefined) return true;
  const primitive = value.coerceString();
  return primitive !== '' && primitive !== 'false' && primitive !== '0' && value.kind !== data.Kind.Null;
}

// ---------------------------------------------------------------------------------------------------
// Static: job instances of one run that share a job-level group and can be ready together.

export interface SharedGroupPair {
  group: string;
  a: string;
  b: string;
}

/** `job` or `job (matrix values)`: how reports name an instance. */
function instanceName(job: SimJob, leg: Leg): string {
  return leg ? `${job.id} ${JSON.stringify(leg)}` : job.id;
}

/** Jobs each job waits for, directly or not. */
function ancestors(workflow: SimWorkflow): Map<string, Set<string>> {
  const byId = new Map(workflow.jobs.map((j) => [j.id, j]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string, path: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const found = new Set<string>();
    for (const need of byId.get(id)?.needs ?? []) {
      if (path.has(need)) continue;
      found.add(need);
      for (const a of visit(need, new Set([...path, need]))) found.add(a);
    }
    memo.set(id, found);
    return found;
  };
  for (const job of workflow.jobs) visit(job.id, new Set([job.id]));
  return memo;
}

/**
 * Pairs of job instances of one run (started by `run`) that share a job-level group while neither
 * needs the other, directly or not, so that both can be in the group at once; and instances whose
 * job-level group is the run's own workflow-level group (a deadlock), paired with the workflow.
 */
export function sharedGroupPairs(workflow: SimWorkflow, run: RunSpec): SharedGroupPair[] {
  const before = ancestors(workflow);
  const instances = workflow.jobs.flatMap((job) =>
    job.concurrency
      ? job.legs.map((leg, legIndex) => ({
          job,
          name: instanceName(job, leg),
          group: evaluate(job.concurrency!.group, { run, workflow, job, leg, legIndex }),
          sequential: job.maxParallel === 1,
        }))
      : [],
  );
  const pairs: SharedGroupPair[] = [];
  const runGroup = workflow.concurrency ? evaluate(workflow.concurrency.group, { run, workflow }) : undefined;
  instances.forEach((x, i) => {
    if (x.group === runGroup) pairs.push({ group: x.group, a: '(workflow)', b: x.name });
    for (const y of instances.slice(i + 1)) {
      if (x.group !== y.group) continue;
      if (x.job === y.job ? x.sequential : before.get(x.job.id)!.has(y.job.id) || before.get(y.job.id)!.has(x.job.id))
        continue;
      pairs.push({ group: x.group, a: x.name, b: y.name });
    }
  });
  return pairs;
}

// ---------------------------------------------------------------------------------------------------
// Dynamic: runs that overlap in time.

export interface Cancellation {
  time: number;
  /** What was cancelled: `run 1` or `run 1: job {"leg"}`. */
  victim: string;
  by: string;
  /** The victim and the holder that cancelled it belong to the same run. */
  sameRun: boolean;
  /** The two runs were started for different deploy targets (`inputs.environment: dev` and `prod`). */
  crossTarget: boolean;
  /**
   * A pending holder that would deploy was cancelled by one of another run (another event, ref or pull
   * request) that does not deploy what the victim would: a plan-only pull-request run cancelling a waiting
   * apply from main, or one pull request's preview cancelling another's.
   */
  lostDeploy: boolean;
  deadlock: boolean;
}

export interface OverlappingDeploy {
  target: string;
  first: string;
  second: string;
  at: number;
}

export interface SimResult {
  cancellations: Cancellation[];
  overlappingDeploys: OverlappingDeploy[];
  /** Job instances that ran to the end, per run. */
  completed: string[][];
}

export interface SimOptions {
  /** How long a job instance runs; 1 by default. */
  duration?: (job: SimJob, legIndex: number) => number;
}

interface Run {
  index: number;
  spec: RunSpec;
  state: 'waiting' | 'running' | 'done' | 'cancelled';
  jobs: Map<string, JobState>;
}

interface JobState {
  job: SimJob;
  state: 'blocked' | 'started' | 'succeeded' | 'failed' | 'skipped';
  instances: Instance[];
}

interface Instance {
  run: Run;
  job: SimJob;
  leg: Leg;
  legIndex: number;
  state: 'idle' | 'pending' | 'running' | 'done' | 'cancelled';
  group?: string;
  started?: number;
  target: string;
}

type Holder = { kind: 'run'; run: Run } | { kind: 'job'; instance: Instance };

interface Slot {
  running?: Holder;
  pending?: Holder;
}

/** Simulates runs of one workflow started at the given times, to the end. */
export function simulate(workflow: SimWorkflow, starts: { at: number; run: RunSpec }[], options: SimOptions = {}) {
  const duration = options.duration ?? (() => 1);
  const slots = new Map<string, Slot>();
  const result: SimResult = { cancellations: [], overlappingDeploys: [], completed: [] };
  const deploys: { target: string; run: Run; name: string; from: number; to: number }[] = [];
  const events: { at: number; seq: number; act: () => void }[] = [];
  let seq = 0;
  let now = 0;
  const at = (time: number, act: () => void) => events.push({ at: time, seq: seq++, act });
  const runs: Run[] = [];

  const runOf = (h: Holder) => (h.kind === 'run' ? h.run : h.instance.run);
  const nameOf = (h: Holder) =>
    h.kind === 'run'
      ? `run ${h.run.index}`
      : `run ${h.instance.run.index}: ${instanceName(h.instance.job, h.instance.leg)}`;
  const scopeOf = (i: Instance): Scope => ({ run: i.run.spec, workflow, job: i.job, leg: i.leg, legIndex: i.legIndex });

  function cancel(victim: Holder, by: Holder, deadlock = false) {
    result.cancellations.push({
      time: now,
      victim: nameOf(victim),
      by: nameOf(by),
      sameRun: runOf(victim) === runOf(by),
      crossTarget: crossTarget(runOf(victim).spec, runOf(by).spec),
      lostDeploy: runOf(victim) !== runOf(by) && lostDeploy(victim, by),
      deadlock,
    });
    if (victim.kind === 'run') cancelRun(victim.run);
    else stopInstance(victim.instance, 'cancelled');
  }

  /** Runs for different targets: different target inputs, or different refs where a job deploys by the ref. */
  function crossTarget(a: RunSpec, b: RunSpec): boolean {
    return runTarget(a) !== runTarget(b) || (workflow.jobs.some((j) => j.byRef) && a.ref !== b.ref);
  }

  /** What a holder would deploy in its run: the targets of its instances whose job and deploy steps run. */
  function targetsOf(holder: Holder): Set<string> {
    const instances =
      holder.kind === 'job' ? [holder.instance] : [...holder.run.jobs.values()].flatMap((j) => j.instances);
    return new Set(instances.filter((i) => holds(i.job.if, scopeOf(i)) && deploysIn(i)).map((i) => i.target));
  }

  /** The victim would deploy something the holder that cancelled it does not deploy in its place. */
  function lostDeploy(victim: Holder, by: Holder): boolean {
    const replaced = targetsOf(by);
    return [...targetsOf(victim)].some((t) => !replaced.has(t));
  }

  function cancelRun(run: Run) {
    if (run.state === 'done' || run.state === 'cancelled') return;
    const wasWaiting = run.state === 'waiting';
    run.state = 'cancelled';
    for (const job of run.jobs.values())
      for (const i of job.instances) if (i.state === 'pending' || i.state === 'running') stopInstance(i, 'cancelled');
    if (!wasWaiting && workflow.concurrency) release(evaluate(workflow.concurrency.group, { run: run.spec, workflow }));
  }

  /** Frees a group's running slot and starts its pending holder. */
  function release(group: string) {
    const slot = slots.get(group);
    if (!slot) return;
    slot.running = slot.pending;
    slot.pending = undefined;
    if (slot.running) begin(slot.running);
  }

  function leave(group: string, holder: Holder) {
    const slot = slots.get(group);
    if (!slot) return;
    if (slot.pending && same(slot.pending, holder)) slot.pending = undefined;
    else if (slot.running && same(slot.running, holder)) release(group);
  }

  const same = (a: Holder, b: Holder) =>
    a.kind === 'run' ? b.kind === 'run' && a.run === b.run : b.kind === 'job' && a.instance === b.instance;

  /** A holder enters a group: runs, waits as the pending one, or cancels per cancel-in-progress. */
  function enter(group: string, holder: Holder, cancelInProgress: boolean) {
    const slot = slots.get(group) ?? {};
    slots.set(group, slot);
    if (slot.running && holder.kind === 'job' && runOf(slot.running) === runOf(holder) && slot.running.kind === 'run') {
      cancel(holder, slot.running, true);
      return;
    }
    if (!slot.running) {
      slot.running = holder;
      begin(holder);
      return;
    }
    if (slot.pending) {
      const old = slot.pending;
      slot.pending = undefined;
      cancel(old, holder);
    }
    if (cancelInProgress) {
      const old = slot.running;
      cancel(old, holder);
      // Cancelling released the slot (and may have started nothing, as nothing was pending).
      if (!slot.running) {
        slot.running = holder;
        begin(holder);
        return;
      }
    }
    if (holder.kind === 'job') holder.instance.state = 'pending';
    slot.pending = holder;
  }

  function begin(holder: Holder) {
    if (holder.kind === 'run') startJobs(holder.run);
    else run(holder.instance);
  }

  function startRun(run: Run) {
    if (!workflow.concurrency) return startJobs(run);
    const scope = { run: run.spec, workflow };
    enter(evaluate(workflow.concurrency.group, scope), { kind: 'run', run }, cancels(workflow.concurrency, scope));
  }

  function startJobs(run: Run) {
    run.state = 'running';
    advance(run);
  }

  /**
   * Starts the jobs whose needs have succeeded and whose `if:` holds, skips the others (a job after a
   * failed or skipped one runs only when its condition calls a status function), ends the run when
   * every job is settled.
   */
  function advance(run: Run) {
    if (run.state !== 'running') return;
    let changed = true;
    while (changed) {
      changed = false;
      for (const state of run.jobs.values()) {
        if (state.state !== 'blocked') continue;
        const needs = state.job.needs.map((n) => run.jobs.get(n)!.state);
        if (needs.some((s) => s === 'blocked' || s === 'started')) continue;
        const scope = { run: run.spec, workflow, job: state.job };
        const blocked =
          needs.some((s) => s !== 'succeeded') && !/\b(always|failure|cancelled)\(/.test(state.job.if ?? '');
        changed = true;
        if (blocked || !holds(state.job.if, scope)) state.state = needs.includes('failed') ? 'failed' : 'skipped';
        else {
          state.state = 'started';
          launchLegs(state);
        }
      }
    }
    const settled = (s: JobState) => s.state === 'succeeded' || s.state === 'failed' || s.state === 'skipped';
    if ([...run.jobs.values()].every(settled)) finishRun(run);
  }

  function launchLegs(state: JobState) {
    const limit = state.job.maxParallel ?? Infinity;
    const active = state.instances.filter((i) => i.state === 'pending' || i.state === 'running').length;
    const idle = state.instances.filter((i) => i.state === 'idle');
    for (const instance of idle.slice(0, Math.max(0, limit - active))) ready(instance);
  }

  function ready(instance: Instance) {
    instance.state = 'pending';
    const spec = instance.job.concurrency;
    if (!spec) return run(instance);
    const scope = scopeOf(instance);
    instance.group = evaluate(spec.group, scope);
    enter(instance.group, { kind: 'job', instance }, cancels(spec, scope));
  }

  function run(instance: Instance) {
    if (instance.run.state !== 'running') return;
    instance.state = 'running';
    instance.started = now;
    at(now + duration(instance.job, instance.legIndex), () => {
      if (instance.state === 'running') stopInstance(instance, 'done');
    });
  }

  function stopInstance(instance: Instance, state: 'done' | 'cancelled') {
    const wasRunning = instance.state === 'running';
    const holder: Holder = { kind: 'job', instance };
    if (instance.group !== undefined && (instance.state === 'pending' || wasRunning)) {
      instance.state = state;
      leave(instance.group, holder);
    }
    instance.state = state;
    if (wasRunning && deploysIn(instance))
      deploys.push({
        target: instance.target,
        run: instance.run,
        name: `run ${instance.run.index}: ${instanceName(instance.job, instance.leg)}`,
        from: instance.started!,
        to: now,
      });
    const job = instance.run.jobs.get(instance.job.id)!;
    if (state === 'cancelled') job.state = 'failed';
    else if (job.instances.every((i) => i.state === 'done')) job.state = 'succeeded';
    else if (job.state === 'started') launchLegs(job);
    advance(instance.run);
  }

  /** Whether an instance deploys in its run: a step that deploys has a condition that holds. */
  function deploysIn(instance: Instance): boolean {
    const { deploys, deployIfs } = instance.job;
    return deploys && (deployIfs === undefined || deployIfs.some((c) => holds(c, scopeOf(instance))));
  }

  function finishRun(run: Run) {
    if (run.state !== 'running') return;
    run.state = 'done';
    result.completed[run.index] = [...run.jobs.values()].flatMap((s) =>
      s.instances.filter((i) => i.state === 'done').map((i) => instanceName(i.job, i.leg)),
    );
    if (workflow.concurrency)
      leave(evaluate(workflow.concurrency.group, { run: run.spec, workflow }), { kind: 'run', run });
  }

  starts.forEach(({ at: time, run: started }, index) => {
    const spec = { ...started, runId: index + 1 };
    const run: Run = { index: index + 1, spec, state: 'waiting', jobs: new Map() };
    for (const job of workflow.jobs) {
      const instances = job.legs.map((leg, legIndex): Instance => {
        const instance: Instance = { run, job, leg, legIndex, state: 'idle', target: '' };
        const environment = job.environment ? evaluate(job.environment, scopeOf(instance)) : '';
        const branch =
          workflow.workflowRunAnyBranch && spec.workflowRunBranch
            ? `|${spec.workflowRunRepository ?? ''}:${spec.workflowRunBranch}`
            : '';
        const preview = spec.pullRequest && job.preview !== false ? `|pr${spec.pullRequest}` : branch;
        const ref = job.byRef ? `|${spec.ref}` : '';
        instance.target = `${job.id}|${JSON.stringify(leg ?? null)}|${environment}${preview}${ref}|${runTarget(spec)}`;
        return instance;
      });
      run.jobs.set(job.id, { job, state: 'blocked', instances });
    }
    runs.push(run);
    at(time, () => startRun(run));
  });

  while (events.length > 0) {
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = events.shift()!;
    now = next.at;
    next.act();
  }

  for (const [i, a] of deploys.entries())
    for (const b of deploys.slice(i + 1))
      if (a.target === b.target && a.run !== b.run && a.from < b.to && b.from < a.to)
        result.overlappingDeploys.push({
          target: a.target,
          first: a.name,
          second: b.name,
          at: Math.max(a.from, b.from),
        });
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Scenarios: the runs a workflow's triggers can start, overlapping in every way that matters.

/** Runs a workflow's events can start: two pushes to main, two pull requests, dispatches with each input value. */
export function runSpecs(workflow: SimWorkflow): RunSpec[] {
  const specs: RunSpec[] = [];
  const inputs = [...workflow.inputs.entries()];
  const dispatches = (event: string) => {
    const variants = Math.max(1, ...inputs.map(([, v]) => v.length));
    for (let k = 0; k < variants; k++)
      specs.push({
        event,
        ref: 'refs/heads/main',
        inputs: Object.fromEntries(inputs.map(([n, v]) => [n, v[k % v.length]])),
      });
  };
  for (const event of workflow.events) {
    if (event.startsWith('pull_request')) {
      for (const pr of [1, 2])
        specs.push({
          event,
          ref: event === 'pull_request_target' ? 'refs/heads/main' : `refs/pull/${pr}/merge`,
          pullRequest: pr,
        });
    } else if (event === 'workflow_dispatch' || event === 'workflow_call') dispatches(event);
    else if (event === 'push') specs.push(...workflow.pushRefs.map((ref) => ({ event, ref })));
    else if (event === 'workflow_run') {
      const branches = workflow.workflowRunAnyBranch ? ['main', 'feature-1', 'feature-2'] : ['main'];
      specs.push(...branches.map((b) => ({ event, ref: 'refs/heads/main', workflowRunBranch: b })));
      // A pull request from a fork's `main`: the same branch name as the repository's own.
      if (workflow.workflowRunAnyBranch)
        specs.push({ event, ref: 'refs/heads/main', workflowRunBranch: 'main', workflowRunRepository: 'fork/repo' });
    } else specs.push({ event, ref: 'refs/heads/main' });
  }
  return specs.length > 0 ? specs : [{ event: 'push', ref: 'refs/heads/main' }];
}

/** The deploy target a run was started for: the values of its inputs named for a target. */
function runTarget(spec: RunSpec): string {
  return Object.entries(spec.inputs ?? {})
    .filter(([name]) => TARGET_INPUT.test(name))
    .map(([name, value]) => `${name}=${value}`)
    .join(',');
}

export interface Violation {
  kind: 'same-run cancellation' | 'overlapping deploy' | 'cross-target cancellation' | 'lost deploy';
  detail: string;
}

/**
 * Every way two or three runs of the workflow can overlap, within reason: each pair of run specs (and
 * the same spec three times, and two of one spec followed by one of another), the later runs starting at each half step of the first run's length,
 * with all jobs taking one unit, then with uneven durations. Returns what broke the four promises: no
 * job of a run is cancelled by its own run, no two runs deploy the same target at once, and no run
 * started for one deploy target cancels a pending run for another.
 */
export function checkConcurrency(workflow: SimWorkflow, specs: RunSpec[] = runSpecs(workflow)): Violation[] {
  const violations = new Map<string, Violation>();
  const depth = longestPath(workflow);
  const durations = [() => 1, (job: SimJob, leg: number) => 1 + ((workflow.jobs.indexOf(job) * 7 + leg * 3) % 5) / 2];
  const offsets: number[] = [];
  for (let t = 0; t <= depth * 3; t += 0.5) offsets.push(t);
  const scenarios: { at: number; run: RunSpec }[][] = [];
  for (const a of specs) {
    for (const b of specs)
      for (const t of offsets)
        scenarios.push([
          { at: 0, run: a },
          { at: t, run: b },
        ]);
    for (const t of offsets.slice(0, 6)) scenarios.push([0, t, 2 * t].map((time) => ({ at: time, run: a })));
    // One run deploying, a second waiting, and a run of another event or pull request arriving.
    for (const b of specs.filter((b) => b !== a))
      for (const t of offsets.slice(1, 6)) scenarios.push([a, a, b].map((run, i) => ({ at: (i * t) / 2, run })));
  }
  for (const duration of durations) {
    for (const starts of scenarios) {
      const result = simulate(workflow, starts, { duration });
      for (const c of result.cancellations.filter((c) => c.sameRun)) {
        const detail = `${c.victim} cancelled by ${c.by}${c.deadlock ? ' (deadlock)' : ''}`;
        const key = detail.replace(/run \d+/g, 'run');
        violations.set(key, { kind: 'same-run cancellation', detail });
      }
      for (const c of result.cancellations.filter((c) => c.crossTarget && !c.sameRun)) {
        const detail = `${c.victim} cancelled by ${c.by}, a run for another target`;
        violations.set(detail.replace(/run \d+/g, 'run'), { kind: 'cross-target cancellation', detail });
      }
      for (const c of result.cancellations.filter((c) => c.lostDeploy && !c.crossTarget)) {
        const detail = `${c.victim} cancelled while waiting to deploy by ${c.by}, which does not deploy it`;
        violations.set(detail.replace(/run \d+/g, 'run'), { kind: 'lost deploy', detail });
      }
      for (const o of result.overlappingDeploys) {
        const detail = `${o.first} and ${o.second} deploy ${o.target} at once (t=${o.at})`;
        violations.set(`overlap ${o.target}`, { kind: 'overlapping deploy', detail });
      }
    }
  }
  return [...violations.values()];
}

/** The number of jobs on the longest `needs` chain, at least 1. */
function longestPath(workflow: SimWorkflow): number {
  const before = ancestors(workflow);
  return Math.max(1, ...workflow.jobs.map((j) => before.get(j.id)!.size + 1));
}
