import { isScalar, isSeq } from 'yaml';
import type { Job, Step, Workflow } from '../workflow/model.js';
import { shortestGapMinutes } from './schedule.js';
import type { Facts } from './facts.js';

/**
 * Events that only a person starts. Two runs of a deploy started this way overlap only when two people
 * start them at once. Every other event is automatic (`push`, `schedule`, `release`, `workflow_run`,
 * `repository_dispatch`, `pull_request*`, …); `workflow_call` is as manual as the jobs that call it.
 */
export const MANUAL_TRIGGERS = new Set(['workflow_dispatch']);

/** Functions in an `if:` that let a job run after a job it needs was skipped or failed. */
const STATUS_FUNCTION = /\b(always|failure|cancelled)\s*\(/;

/**
 * The events that can start a run in which a job runs: the workflow's triggers, less those its `if:`
 * rules out (`github.event_name == 'workflow_dispatch'` or `!= 'push'`, joined by `&&` only), and
 * less those that skip a job it needs (unless its `if:` runs it after a skipped job too: a status function
 * such as `always()`, with no conjunct `needs.X.result == 'success'` that requires X to have run). Inside a
 * called workflow `github.event_name` is the caller's event, so `workflow_call` is never ruled out.
 */
export function eventsReaching(
  workflow: Workflow,
  job: Job,
  known = new Map<Job, Set<string>>(),
  callerEvents?: Set<string>,
): Set<string> {
  const done = known.get(job);
  if (done) return done;
  // In a called workflow read for one caller, `github.event_name` is one of the caller's events.
  const triggers =
    callerEvents ?? new Set(workflow.triggers.filter((t) => !templateOnlyPush(workflow, t.event)).map((t) => t.event));
  // A `needs` cycle (which GitHub refuses) rules nothing out.
  known.set(job, triggers);
  let events = triggers;
  const condition = job.if?.text ?? '';
  // `if: false` (a job switched off): GitHub never runs it, nor what needs it without a status function.
  // Nor a job whose `if:` wants one branch, after a job that runs only on another.
  if (unwrap(condition) === 'false' || branchesOf(workflow, job)?.size === 0) {
    known.set(job, new Set());
    return new Set();
  }
  // After `always()` a job runs whatever its needs did, unless a conjunct requires that one of them ran.
  const required = STATUS_FUNCTION.test(condition) ? ranNeeds(condition) : undefined;
  for (const need of job.needs) {
    const needed = workflow.jobs.find((j) => j.id === need.text.trim());
    if (needed && (!required || required.has(needed.id)))
      events = intersect(events, eventsReaching(workflow, needed, known, callerEvents));
  }
  // Only a plain conjunction is read: `||` and negated groups (`!(… == 'push')`) rule nothing out.
  if (!condition.includes('||') && !/!\s*\(/.test(condition)) {
    const only = [...condition.matchAll(/github\.event_name\s*==\s*'([\w-]+)'/g)].map((m) => m[1]);
    const not = [...condition.matchAll(/github\.event_name\s*!=\s*'([\w-]+)'/g)].map((m) => m[1]);
    const allowed = (e: string) => callerDecides(e, callerEvents) || (only.every((o) => o === e) && !not.includes(e));
    events = new Set([...events].filter(allowed));
  } else {
    // A top-level conjunct that is an `||` of event tests (`inputs.x && (… == 'push' || … == 'workflow_dispatch')`).
    const conjuncts = topLevelParts(condition, '&&');
    // None when `||` joins the whole condition at the top: then it is the one conjunct.
    for (const conjunct of conjuncts.length > 0 ? conjuncts : [condition]) {
      const named = topLevelParts(conjunct, '||').length > 1 ? alternatives(conjunct, EVENT_TEST) : undefined;
      if (!named) continue;
      events = new Set([...events].filter((e) => named.has(e) || callerDecides(e, callerEvents)));
    }
  }
  known.set(job, events);
  return events;
}

/** `github.ref == 'refs/heads/main'`, `github.ref_name == 'main'`: a test that wants one branch. */
const BRANCH_TEST = /^github\.(?:ref\s*==\s*'refs\/heads\/([^']+)'|ref_name\s*==\s*'([^']+)')$/;

/** `github.event_name == 'push'`: a test that wants one event. */
const EVENT_TEST = /^github\.event_name\s*==\s*'([\w-]+)'$/;

/**
 * The values a conjunct allows when it is one `test`, or `||` of them (`ref == 'main' || ref == 'master'`):
 * each test's first capture that matched; undefined when some alternative is no such test.
 */
function alternatives(conjunct: string, test: RegExp): Set<string> | undefined {
  const tests = topLevelParts(conjunct, '||').map((t) => test.exec(unwrap(t)));
  return tests.every((m) => m !== null)
    ? new Set(tests.map((m) => m!.slice(1).find((v) => v !== undefined)!))
    : undefined;
}

/** Inside a called workflow read on its own, `github.event_name` is the caller's: `workflow_call` is not ruled out. */
const callerDecides = (event: string, callerEvents: Set<string> | undefined) =>
  event === 'workflow_call' && !callerEvents;

/**
 * The branches a job's runs are limited to by its `if:` (top-level conjuncts of a plain conjunction) and
 * by the jobs it needs (which must have run, without a status function); undefined for any branch, an
 * empty set for none: it wants one branch and a job it needs runs only on others.
 */
function branchesOf(workflow: Workflow, job: Job, visiting = new Set<Job>()): Set<string> | undefined {
  if (visiting.has(job)) return undefined;
  const condition = job.if?.text ?? '';
  let branches: Set<string> | undefined;
  const limit = (allowed: Set<string> | undefined) => {
    if (allowed) branches = branches ? new Set([...branches].filter((b) => allowed.has(b))) : allowed;
  };
  for (const conjunct of topLevelParts(condition, '&&')) limit(alternatives(conjunct, BRANCH_TEST));
  const required = STATUS_FUNCTION.test(condition) ? ranNeeds(condition) : undefined;
  for (const need of job.needs) {
    const needed = workflow.jobs.find((j) => j.id === need.text.trim());
    if (needed && (!required || required.has(needed.id)))
      limit(branchesOf(workflow, needed, new Set([...visiting, job])));
  }
  return branches;
}

/**
 * Whether runs that deploy can overlap only when a person starts one: every event that reaches the job's
 * deploy steps (their `if:` read as in deployEvents) is manual, or a schedule whose firings are further
 * apart than a run can last (a scheduled run never meets another one). A `workflow_call` brings no
 * automatic run when the repository's workflows that call this one are known and each calling job is
 * reached by such events only, or none calls it (a caller in another repository owns its own concurrency,
 * as a local caller does).
 */
export function overlapsOnlyByHand(facts: Facts, job: Job, deploySteps: Step[] = [], visiting = new Set<string>()) {
  const events = calleeDeployEvents(facts, job, deployEvents(facts.workflow, job, deploySteps));
  // No event reaches it (its `if:` wants a dispatch, a job it needs runs only on push): it never deploys.
  if (events.size === 0) return true;
  return [...events].every((event): boolean => {
    if (MANUAL_TRIGGERS.has(event)) return true;
    if (event === 'schedule') return scheduleOutlastsRuns(facts.workflow, job);
    if (event !== 'workflow_call') return false;
    const path = facts.workflow.file.path;
    const callers = visiting.has(path) ? undefined : facts.callers();
    // No local caller: a caller in another repository owns its own concurrency, as a local one does.
    if (!callers) return false;
    const inner = new Set([...visiting, path]);
    // Two workflows' schedules can fire together, however far apart each one's firings are.
    const scheduled = callers.filter(({ called, job: caller }) =>
      eventsReaching(called.workflow, caller).has('schedule'),
    );
    if (new Set(scheduled.map(({ called }) => called.workflow.file.path)).size > 1) return false;
    return callers.every(({ called, job: caller }) => overlapsOnlyByHand(called.facts, caller, [], inner));
  });
}

/**
 * For a call of a local workflow: the caller's events under which some deploying job of the called
 * workflow runs, its `if:` (and its needs') read with the caller's event (`github.event_name == 'push'`
 * in the called job, a caller started only by pull requests: never). Other jobs keep `events`.
 */
function calleeDeployEvents(facts: Facts, job: Job, events: Set<string>, depth = 0): Set<string> {
  // Calls nest a few levels at most; a cycle (which GitHub refuses) stops here.
  const callee = job.uses && depth < MAX_CALL_DEPTH ? facts.calledWorkflow(job) : undefined;
  if (!callee) return events;
  const reached = new Set<string>();
  for (const inner of callee.workflow.jobs) {
    const deployment = callee.facts.deployment(inner);
    if (!deployment) continue;
    const under = deployEvents(callee.workflow, inner, deployment.steps, events);
    calleeDeployEvents(callee.facts, inner, under, depth + 1).forEach((e) => reached.add(e));
  }
  return reached;
}

/** GitHub's limit on nested reusable workflows (a caller and up to nine levels of called ones). */
const MAX_CALL_DEPTH = 10;

/**
 * The events under which a job runs one of its deploy steps: those reaching the job, less those every
 * deploy step's `if:` rules out. A step's `if:` limits the events when each of its `||` alternatives
 * requires `github.event_name == '…'` (`schedule || (workflow_dispatch && inputs.mode == 'apply')`).
 */
function deployEvents(workflow: Workflow, job: Job, deploySteps: Step[], callerEvents?: Set<string>): Set<string> {
  const events = eventsReaching(workflow, job, new Map(), callerEvents);
  if (deploySteps.length === 0) return events;
  const allowed = new Set<string>();
  for (const step of deploySteps) {
    const only = step.if ? eventsRequired(step.if.text) : undefined;
    if (!only) return events;
    for (const e of only) allowed.add(e);
  }
  return new Set([...events].filter((e) => allowed.has(e) || callerDecides(e, callerEvents)));
}

/** The events a condition allows when every `||` alternative requires one, else undefined (any event). */
function eventsRequired(condition: string): string[] | undefined {
  const events: string[] = [];
  for (const alternative of topLevelParts(condition, '||')) {
    const required = topLevelParts(alternative, '&&')
      .map((c) => EVENT_TEST.exec(c.trim())?.[1])
      .find((e) => e !== undefined);
    if (!required) return undefined;
    events.push(required);
  }
  return events;
}

/** Default `timeout-minutes` of a job: GitHub cancels it after six hours. */
const JOB_TIMEOUT = 360;

/**
 * Whether the workflow's schedule fires further apart than a run can last up to this job: the longest
 * chain of its `needs`, each job at its `timeout-minutes` (six hours unless a number says otherwise).
 */
function scheduleOutlastsRuns(workflow: Workflow, job: Job): boolean {
  const crons = workflow.triggers.find((t) => t.event === 'schedule')?.crons ?? [];
  const gap = shortestGapMinutes(crons.map((c) => c.text));
  return gap !== undefined && gap >= longestRun(workflow, job, new Set());
}

function longestRun(workflow: Workflow, job: Job, visiting: Set<Job>): number {
  if (visiting.has(job)) return Infinity;
  const timeout = Number(job.timeoutMinutes?.text);
  const own = Number.isFinite(timeout) && timeout > 0 ? timeout : JOB_TIMEOUT;
  const inner = new Set([...visiting, job]);
  const needed = job.needs.flatMap((n) => workflow.jobs.filter((j) => j.id === n.text.trim()));
  return own + Math.max(0, ...needed.map((j) => longestRun(workflow, j, inner)));
}

/**
 * The needed jobs a condition requires to have run: top-level conjuncts such as
 * `needs.X.result == 'success'` or `needs.X.result != 'skipped'` (a skipped job's result is `skipped`).
 */
function ranNeeds(condition: string): Set<string> {
  const ran = new Set<string>();
  for (const conjunct of topLevelParts(condition, '&&')) {
    const m = RAN.exec(conjunct.trim());
    if (m) ran.add(m[1]);
  }
  return ran;
}

const RAN = /^needs\.([\w-]+)\.result\s*(?:==\s*'(?:success|failure|cancelled)'|!=\s*'skipped')$/;

/**
 * The parts of an `if:` (or of one parenthesised part of it) joined by `op` outside parentheses. For `&&`,
 * none when `||` joins them at the top.
 */
function topLevelParts(condition: string, op: '&&' | '||'): string[] {
  const text = unwrap(condition);
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") i = text.indexOf("'", i + 1) < 0 ? text.length : text.indexOf("'", i + 1);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && op === '&&' && text.startsWith('||', i)) return [];
    else if (depth === 0 && text.startsWith(op, i)) {
      parts.push(text.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  return [...parts, text.slice(start)];
}

/** The condition without `${{ }}` and without parentheses around the whole of it. */
function unwrap(condition: string): string {
  let text = condition
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
    .trim();
  while (text.startsWith('(') && closingParen(text) === text.length - 1) text = text.slice(1, -1).trim();
  return text;
}

/** The index of the parenthesis that closes the one at 0 (quotes skipped). */
function closingParen(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") i = text.indexOf("'", i + 1) < 0 ? text.length : text.indexOf("'", i + 1);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a].filter((x) => b.has(x)));
}

/**
 * `on: push: branches: [$default-branch]`: the placeholder of a workflow template, which GitHub fills in
 * only when it copies the template into a repository. In a workflow as it stands it names no branch, so
 * no push starts it (CruGlobal's organisation `.github` repository keeps such files beside its reusable
 * workflows).
 */
function templateOnlyPush(workflow: Workflow, event: string): boolean {
  if (event !== 'push') return false;
  const branches = workflow.doc.getIn(['on', 'push', 'branches']);
  const names = isSeq(branches) ? branches.items.map((i) => (isScalar(i) ? String(i.value) : '')) : [];
  return names.length > 0 && names.every((n) => n === '$default-branch');
}
