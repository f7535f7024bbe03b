import { isMap, isScalar, isSeq } from 'yaml';
import type { Fix, TextEdit } from '../findings.js';
import { CALL_ENVIRONMENT_INPUT, TARGET_INPUT } from '../analysis/deploy-recognisers.js';
import { literalPattern } from '../analysis/match.js';
import type { Job, ScalarValue, Workflow } from '../workflow/model.js';
import { styleOf } from './style.js';
import { insertEntries, isFlow, joinLines, lineStart, renderEntries, withCommentsAbove } from './yaml-text.js';

/**
 * Where a concurrency group goes, chosen from the workflow's shape, so that the group does what the
 * rule promises under GitHub's rules (one running and one pending holder per group; a newer pending
 * one cancels the older pending one; matrix legs are jobs of their own):
 *
 * - `pipeline`: every run deploys (no pull-request or reusable-workflow trigger, `push` filtered by
 *   branch or tag, no deploying job that a run's event or inputs can skip) and every job leads to or
 *   follows a deploy. One workflow-level group serialises whole runs; a pending run is only ever
 *   replaced by a newer one.
 * - `per-job`: a job-level group on each deploying job, distinct per job and per matrix leg, so that no
 *   two jobs of one run that can be ready together share one (the third would cancel the second); keyed
 *   by pull request when the job deploys a preview per pull request, so that previews of different pull
 *   requests never wait for or cancel each other.
 *
 * Either is keyed by the deploy target when a run chooses it (an `environment:` expression, the environment
 * a call passes, an input such as `inputs.environment`): deploys to different targets never cancel each other.
 */
export type ConcurrencyShape = 'pipeline' | 'per-job';

export interface ConcurrencyPlan {
  shape: ConcurrencyShape;
  /** The group the fix gives a job: the workflow's group for every job of a pipeline. */
  groupOf(job: Job): string;
  /** What the job's group is keyed by beyond the workflow and job: the run's deploy target, the pull request. */
  keysOf(job: Job): GroupKeys;
  /** One fix that covers these jobs. */
  fixFor(jobs: Job[]): Fix | undefined;
}

export interface GroupKeys {
  /** The expression that names the deploy target, when a run chooses it. */
  target?: string;
  pullRequest: boolean;
  /** Keyed by pull request or ref because some runs reach the job without deploying. */
  byRun?: boolean;
}

/** What the plan needs to know beyond the workflow: which jobs deploy, and the groups of called workflows. */
export interface PlanContext {
  deploying: Job[];
  /** The `concurrency` groups (as written) of the local workflows the workflow's jobs call. */
  calleeGroups: string[];
  /**
   * Deploying jobs that some runs reach without deploying: the deploy steps' `if:` reads the event or
   * the ref (a pull request only plans), or a called workflow decides. Such runs must not share a group
   * with the runs that deploy, or a newer one would cancel a pending deploy. Each maps to the `if:` of
   * its deploy steps (none for a call: the called workflow decides).
   */
  conditional: Map<Job, (string | undefined)[]>;
}

/** Contexts GitHub allows in `concurrency` at the workflow level, and at the job level. */
const WORKFLOW_CONTEXTS = new Set(['github', 'inputs', 'vars']);
const JOB_CONTEXTS = new Set([...WORKFLOW_CONTEXTS, 'needs', 'strategy', 'matrix']);

/** Triggers whose runs do not all deploy, or whose group a caller shares (`github.workflow` is the caller's). */
const NOT_A_PIPELINE = /^(pull_request.*|merge_group|workflow_call)$/;

/** Contexts in an `if:` that differ from run to run: a job gated by them does not deploy in every run. */
const RUN_CONTEXTS = new Set(['github', 'inputs', 'vars', 'env']);

export const PULL_REQUEST_KEY = 'pr-${{ github.event.pull_request.number }}';
/** One key per pull request, else per ref: runs of different pull requests and branches never share a group. */
const RUN_KEY = '${{ github.event.pull_request.number || github.ref }}';
const WORKFLOW_KEY = '${{ github.workflow }}';
const LEG_INDEX = '${{ strategy.job-index }}';
/** The branch a `workflow_run` follows, with its repository: a fork's `main` is not the repository's own. */
const WORKFLOW_RUN_BRANCH =
  '${{ github.event.workflow_run.head_repository.full_name }}-${{ github.event.workflow_run.head_branch }}';

/**
 * The key that keeps runs which reach a job without deploying out of the deploying runs' group: when
 * every deploy step's `if:` can be read by a job-level group, `deploy` for a run that deploys and the
 * run's own id for one that does not (it then waits for nobody and cancels nothing); else one key per
 * pull request or ref.
 */
function runKey(conditions: (string | undefined)[]): string {
  const bare = conditions.map((c) =>
    c
      ?.trim()
      .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
      .trim(),
  );
  const readable = (c: string | undefined): c is string =>
    c !== undefined && c !== '' && !STATUS.test(c) && onlyContexts(`\${{ ${c} }}`, JOB_CONTEXTS);
  if (bare.length === 0 || !bare.every(readable)) return RUN_KEY;
  const deploys = bare.length === 1 ? `(${bare[0]})` : `(${bare.map((c) => `(${c})`).join(' || ')})`;
  return `\${{ ${deploys} && 'deploy' || github.run_id }}`;
}

/** Status functions, which a group's expression cannot call. */
const STATUS = /\b(success|failure|always|cancelled)\s*\(/;

/** A `workflow_run` trigger without a `branches:` filter: the run may follow a pull request's run. */
function runsForAnyBranch(workflow: Workflow): boolean {
  if (!workflow.triggers.some((t) => t.event === 'workflow_run')) return false;
  const trigger = workflow.doc.getIn(['on', 'workflow_run'], true);
  return !isMap(trigger) || !trigger.has('branches');
}

/** Plans the groups for the deploying jobs of a workflow with no workflow-level `concurrency:`. */
export function planConcurrency(workflow: Workflow, context: PlanContext): ConcurrencyPlan {
  if (isPipeline(workflow, context)) return workflowPlan(workflow, context);
  const perPullRequest = workflow.triggers.some((t) => t.event.startsWith('pull_request'));
  const { groups, keys } = jobGroups(workflow, context, perPullRequest);
  return {
    shape: 'per-job',
    groupOf: (job) => groups.get(job) ?? '',
    keysOf: (job) => keys.get(job) ?? { pullRequest: false },
    fixFor: (jobs) => jobLevelFix(workflow, jobs, groups),
  };
}

function isPipeline(workflow: Workflow, { deploying, calleeGroups, conditional }: PlanContext): boolean {
  if (workflow.triggers.some((t) => NOT_A_PIPELINE.test(t.event))) return false;
  if (workflow.triggers.some((t) => t.event === 'push') && !pushIsFiltered(workflow)) return false;
  if (workflow.jobs.some((j) => j.concurrency) || calleeGroups.length > 0) return false;
  if (deploying.some((j) => (j.if && dependsOnRun(j.if)) || conditional.has(j))) return false;
  // Runs that choose their target (an environment from a needed job's output, or different ones per job)
  // must not share one group: a newer run for dev would cancel a pending one for prod.
  const targets = deploying.map((j) => targetOf(workflow, j, JOB_CONTEXTS));
  const atTop = deploying.map((j) => targetOf(workflow, j, WORKFLOW_CONTEXTS));
  if (targets.some((t, i) => t !== atTop[i]) || new Set(atTop).size > 1) return false;
  const related = relatedJobs(workflow, deploying);
  return workflow.jobs.every((j) => related.has(j));
}

/** `on: push` limited to branches or tags: every run is a push to something that deploys. */
function pushIsFiltered(workflow: Workflow): boolean {
  const push = workflow.doc.getIn(['on', 'push'], true);
  if (!isMap(push)) return false;
  return ['branches', 'tags'].some((key) => {
    const value = push.get(key, true);
    return isSeq(value) ? value.items.length > 0 : isScalar(value) && String(value.value ?? '') !== '';
  });
}

/** Whether a condition reads something that differs between runs (the event, the ref, inputs). */
export function dependsOnRun(condition: ScalarValue): boolean {
  return condition.expressions.some((e) => e.refs.some((r) => RUN_CONTEXTS.has(r.context)));
}

/** The deploying jobs, the jobs they need (directly or not) and the jobs that need them. */
function relatedJobs(workflow: Workflow, deploying: Job[]): Set<Job> {
  const before = ancestors(workflow);
  const related = new Set<Job>(deploying);
  for (const job of workflow.jobs) {
    const up = before.get(job)!;
    if (deploying.some((d) => up.has(d) || before.get(d)!.has(job))) related.add(job);
  }
  return related;
}

/** The jobs each job waits for, directly or not. */
function ancestors(workflow: Workflow): Map<Job, Set<Job>> {
  const byId = new Map(workflow.jobs.map((j) => [j.id, j]));
  const found = new Map<Job, Set<Job>>();
  const visit = (job: Job, path: Set<Job>): Set<Job> => {
    const known = found.get(job);
    if (known) return known;
    const up = new Set<Job>();
    for (const need of job.needs) {
      const dep = byId.get(need.text);
      if (!dep || path.has(dep)) continue;
      up.add(dep);
      for (const a of visit(dep, new Set([...path, dep]))) up.add(a);
    }
    found.set(job, up);
    return up;
  };
  for (const job of workflow.jobs) visit(job, new Set([job]));
  return found;
}

/**
 * One workflow-level group: keyed by the deploy target when every deploying job reads the same one, and
 * by the branch that started the run for a `workflow_run` trigger with no `branches:` filter
 * (the finished workflow may run on pull requests: previews of different branches never cancel each other).
 */
function workflowPlan(workflow: Workflow, { deploying }: PlanContext): ConcurrencyPlan {
  const targets = new Set(deploying.map((j) => targetOf(workflow, j, WORKFLOW_CONTEXTS) ?? ''));
  const [target] = targets.size === 1 && [...targets][0] ? targets : [undefined];
  const parts = [`deploy-${WORKFLOW_KEY}`, ...(target ? [target] : [])];
  if (runsForAnyBranch(workflow)) parts.push(WORKFLOW_RUN_BRANCH);
  const group = parts.join('-');
  return {
    shape: 'pipeline',
    groupOf: () => group,
    keysOf: () => ({ target, pullRequest: false }),
    fixFor: () => workflowLevelFix(workflow, group),
  };
}

/**
 * A group per deploying job: `deploy-<workflow>-<job>`, with the deploy target when a run chooses it
 * (runs deploy to different places), the pull request for a job that deploys a preview per pull request
 * (the branch for a `workflow_run` that may follow any branch's run), and the matrix values of each leg.
 * Job ids are unique in a workflow, so no two jobs of a run share a group. A job that deploys one shared
 * target from pull requests (`terraform apply` to a dev workspace) gets no pull-request key: its runs
 * must wait for each other whichever pull request started them.
 */
function jobGroups(workflow: Workflow, context: PlanContext, perPullRequest: boolean) {
  const { deploying, calleeGroups, conditional } = context;
  const taken = new Set([
    ...calleeGroups,
    ...workflow.jobs.flatMap((j) => (j.concurrency?.group ? [j.concurrency.group.text] : [])),
  ]);
  const groups = new Map<Job, string>();
  const keys = new Map<Job, GroupKeys>();
  for (const job of deploying) {
    const target = targetOf(workflow, job, JOB_CONTEXTS);
    const parts = [`deploy-${WORKFLOW_KEY}-${job.id}`];
    if (target) parts.push(target);
    const pullRequest =
      perPullRequest &&
      !excludesPullRequests(job) &&
      deploysPerPullRequest(workflow, job) &&
      !mentionsPullRequest(target ?? '');
    if (pullRequest) parts.push(PULL_REQUEST_KEY);
    const conditions = conditional.get(job);
    const byRun = !pullRequest && conditions !== undefined && !mentionsPullRequest(target ?? '');
    if (byRun) parts.push(runKey(conditions));
    keys.set(job, { target, pullRequest, byRun });
    const anyBranch = runsForAnyBranch(workflow) && !(target ?? '').includes('workflow_run');
    if (anyBranch) parts.push(WORKFLOW_RUN_BRANCH);
    parts.push(...legKeys(job, parts.join('-')));
    let group = parts.join('-');
    for (let n = 2; taken.has(group); n++) group = `${parts.join('-')}-${n}`;
    taken.add(group);
    groups.set(job, group);
  }
  return { groups, keys };
}

/**
 * The expression by which a run chooses where the job deploys, when the group may read it: an
 * `environment:` expression, the environment a call passes, else an input named for a target
 * (`inputs.environment`, `inputs.deployment_prefix`) that the job reads, directly or through a
 * workflow-level `env:` entry set from it.
 */
function targetOf(workflow: Workflow, job: Job, allowed: Set<string>): string | undefined {
  const passed = job.with.find((e) => CALL_ENVIRONMENT_INPUT.test(e.key))?.value?.text.trim();
  const written = [job.environment?.name?.text.trim(), passed].find((t) => t && !isLiteral(t));
  if (written) return onlyContexts(written, allowed) ? written : undefined;
  // An input the job's `if:` reads only chooses whether the job runs, not where it deploys.
  const text = job.if ? jobText(workflow, job).replace(job.if.text, '') : jobText(workflow, job);
  const throughEnv = workflow.env.filter((e) =>
    new RegExp(`(?:\\benv\\.|\\$\\{?)${literalPattern(e.key)}\\b`).test(text),
  );
  const read = [text, ...throughEnv.map((e) => e.value?.text ?? '')].join('\n');
  const input = [...read.matchAll(/\binputs\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]).find((n) => TARGET_INPUT.test(n));
  if (input) return `\${{ inputs.${input} }}`;
  return choosesTargetByRef(workflow, job) ? REF_KEY : undefined;
}

const REF_KEY = '${{ github.ref }}';

/** A comparison of the ref with a branch or tag: `github.ref_name == 'a'`. */
const REF_COMPARISON = new RegExp(
  [
    String.raw`(?:github\.ref(?:_name)?|GITHUB_REF(?:_NAME)?)\}?["']?\s*` +
      String.raw`(?:==|!=|=~?)\s*["']?(?:refs/(?:heads|tags)/)?[\w./*-]+`,
    String.raw`case\s+["']?\$\{?GITHUB_REF`,
  ].join('|'),
);

/**
 * Whether a job chooses where it deploys by the ref, outside any `if:` (a script that deploys main to prod
 * and develop to staging, `github.ref == 'refs/heads/main' && 'prod' || 'staging'` in its env): runs of
 * different refs deploy different targets, so the group is keyed by the ref, or a push to develop would
 * cancel a pending deploy to prod. An `if:` on the ref decides whether a step deploys, not where.
 */
export function choosesTargetByRef(workflow: Workflow, job: Job): boolean {
  const text = jobText(workflow, job)
    .split('\n')
    .filter((line) => !/^\s*(?:-\s*)?if:/.test(line))
    .join('\n');
  return REF_COMPARISON.test(text);
}

/** Whether a job names the pull request it deploys for, itself or through a needed job's output: a preview. */
export const deploysPerPullRequest = (workflow: Workflow, job: Job) => namesPullRequest(readText(workflow, job));

/** The job's text and that of the jobs whose outputs it reads (a workspace name built from the PR number). */
function readText(workflow: Workflow, job: Job): string {
  const own = jobText(workflow, job);
  const read = new Set([...own.matchAll(/\bneeds\.([\w-]+)\.outputs\b/g)].map((m) => m[1]));
  const needed = workflow.jobs.filter((j) => read.has(j.id) && job.needs.some((n) => n.text === j.id));
  return [own, ...needed.map((j) => jobText(workflow, j))].join('\n');
}

function jobText(workflow: Workflow, job: Job): string {
  const [start, , end] = job.node.range ?? [0, 0, 0];
  return workflow.file.text.slice(start, end);
}

const isLiteral = (text: string) => !text.includes('${{');

/** Whether every `${{ }}` of a text reads only the given contexts. */
function onlyContexts(text: string, allowed: Set<string>): boolean {
  const contexts = [...text.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].flatMap((m) =>
    [...m[1].matchAll(/(?<![\w.'"-])([A-Za-z_][\w-]*)\s*(?:\.|\[)/g)].map((c) => c[1].toLowerCase()),
  );
  return contexts.every((c) => allowed.has(c));
}

/**
 * A job whose `if:` only lets non-pull-request runs through (`github.event_name == 'push'`,
 * `github.ref == 'refs/heads/main'`, with no `||`): its group needs no pull-request key.
 */
function excludesPullRequests(job: Job): boolean {
  const condition = job.if?.text ?? '';
  if (condition.includes('||')) return false;
  return ONLY_PUSHES.some((p) => p.test(condition));
}

const ONLY_PUSHES = [
  /github\.event_name\s*==\s*'(push|workflow_dispatch|schedule|release|workflow_run|repository_dispatch)'/,
  /github\.event_name\s*!=\s*'pull_request(_target)?'/,
  /github\.ref\s*==\s*'refs\/(heads|tags)\//,
  /startsWith\(\s*github\.ref\s*,\s*'refs\/tags\//,
];

/** A key that already tells pull requests apart. */
function mentionsPullRequest(text: string): boolean {
  return /github\.(event\.(number|pull_request)|head_ref|ref\b)/.test(text);
}

/**
 * A job that names what it deploys for its pull request (`pr-${{ github.event.number }}`, `$PR_NUMBER`,
 * `jq .pull_request.number`): a preview.
 */
function namesPullRequest(text: string): boolean {
  return /github\.(event\.number|head_ref)\b|\bpull_request\.(number|head\.ref)\b|\bpr[-_]?number\b/i.test(text);
}

/**
 * What tells a job's matrix legs apart: each matrix key the group does not already read, when the
 * matrix is written out with plain values; else the leg's index. Nothing for a job without a matrix,
 * or one that runs its legs one at a time (`max-parallel: 1`).
 */
function legKeys(job: Job, group: string): string[] {
  const strategy = job.strategy?.valueNode;
  if (!isMap(strategy)) return [];
  const matrix = strategy.get('matrix', true);
  const maxParallel = strategy.get('max-parallel');
  if (matrix === undefined || matrix === null || maxParallel === 1) return [];
  if (!isMap(matrix)) return [LEG_INDEX];
  const keys: string[] = [];
  let plain = true;
  const add = (key: string, values: unknown[]) => {
    if (values.some((v) => !isScalar(v))) plain = false;
    if (!keys.includes(key)) keys.push(key);
  };
  for (const pair of matrix.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value;
    if (key === 'exclude') continue;
    if (key === 'include') {
      if (!isSeq(value)) plain = false;
      else
        for (const entry of value.items) {
          if (!isMap(entry)) plain = false;
          else for (const p of entry.items) add(isScalar(p.key) ? String(p.key.value) : '', [p.value]);
        }
    } else if (isSeq(value)) add(key, value.items);
    else plain = false;
  }
  if (!plain || keys.some((k) => !/^[A-Za-z_][\w-]*$/.test(k))) return [LEG_INDEX];
  const read = (k: string) => new RegExp(`matrix\\.${k.replace(/-/g, '\\-')}\\b`).test(group);
  return keys.filter((k) => !read(k)).map((k) => `\${{ matrix.${k} }}`);
}

/** `concurrency:` before `jobs:` (and the comment lines that belong to it), without cancelling. */
function workflowLevelFix(workflow: Workflow, group: string): Fix | undefined {
  const jobs = workflow.entries.find((e) => e.key === 'jobs');
  if (!jobs || jobs.keyRange.start.column !== 1) return undefined;
  const style = styleOf(workflow);
  const file = workflow.file;
  const at = withCommentsAbove(file, jobs.keyRange.start.offset);
  const previous = file.position(at).line - 1;
  const blankBefore = previous >= 1 && file.lineText(previous).trim() === '';
  const lines = renderEntries([['concurrency', entriesFor(group)]], 0, style);
  const text = joinLines(blankBefore ? [...lines, ''] : lines, style);
  const edit: TextEdit = { start: lineStart(file, at), end: lineStart(file, at), text };
  const description = `add workflow-level concurrency group ${group}, cancel-in-progress false`;
  return { kind: 'safe', description, edits: [edit] };
}

/**
 * A job-level `concurrency:` on each job. It goes after `environment:`, else after `runs-on:` or
 * `uses:`, else before `steps:`.
 */
function jobLevelFix(workflow: Workflow, jobs: Job[], groups: Map<Job, string>): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const job of jobs) {
    const group = groups.get(job);
    const start = job.node.range?.[0] ?? 0;
    if (!group || isFlow(workflow.file, start)) return undefined;
    const entry = (key: string) => job.entries.find((e) => e.key === key);
    const after = entry('environment') ?? entry('runs-on') ?? entry('uses');
    const before = entry('steps') ?? job.entries[0];
    const at = after ? { after } : before ? { before } : undefined;
    if (!at) return undefined;
    edits.push(insertEntries(workflow.file, styleOf(workflow), at, [['concurrency', entriesFor(group)]]));
  }
  const [first] = jobs;
  const description =
    jobs.length === 1
      ? `add concurrency group ${groups.get(first)} to job '${first.id}', cancel-in-progress false`
      : `add a concurrency group of its own to each of ${jobs.length} jobs, cancel-in-progress false`;
  return edits.length > 0 ? { kind: 'safe', description, edits } : undefined;
}

function entriesFor(group: string): [string, { raw: string } | string][] {
  return [
    ['group', group],
    ['cancel-in-progress', { raw: 'false' }],
  ];
}
