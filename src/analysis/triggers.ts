import type { Job, Workflow } from '../workflow/model.js';
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
export function eventsReaching(workflow: Workflow, job: Job, known = new Map<Job, Set<string>>()): Set<string> {
  const done = known.get(job);
  if (done) return done;
  const triggers = new Set(workflow.triggers.map((t) => t.event));
  // A `needs` cycle (which GitHub refuses) rules nothing out.
  known.set(job, triggers);
  let events = triggers;
  const condition = job.if?.text ?? '';
  // After `always()` a job runs whatever its needs did, unless a conjunct requires that one of them ran.
  const required = STATUS_FUNCTION.test(condition) ? ranNeeds(condition) : undefined;
  for (const need of job.needs) {
    const needed = workflow.jobs.find((j) => j.id === need.text.trim());
    if (needed && (!required || required.has(needed.id)))
      events = intersect(events, eventsReaching(workflow, needed, known));
  }
  // Only a plain conjunction is read: `||` and negated groups (`!(… == 'push')`) rule nothing out.
  if (!condition.includes('||') && !/!\s*\(/.test(condition)) {
    const only = [...condition.matchAll(/github\.event_name\s*==\s*'([\w-]+)'/g)].map((m) => m[1]);
    const not = [...condition.matchAll(/github\.event_name\s*!=\s*'([\w-]+)'/g)].map((m) => m[1]);
    const allowed = (e: string) => e === 'workflow_call' || (only.every((o) => o === e) && !not.includes(e));
    events = new Set([...events].filter(allowed));
  }
  known.set(job, events);
  return events;
}

/**
 * Whether only people start the runs in which a job runs: every event that reaches it is manual, and
 * a `workflow_call` brings no automatic run when the repository's workflows that call this one are known
 * and each calling job is reached by manual events only, or none calls it (a caller in another
 * repository owns its own concurrency, as a local caller does).
 */
export function startedByHandOnly(facts: Facts, job: Job, visiting = new Set<string>()): boolean {
  const events = eventsReaching(facts.workflow, job);
  if (events.size === 0) return false;
  return [...events].every((event) => {
    if (MANUAL_TRIGGERS.has(event)) return true;
    if (event !== 'workflow_call') return false;
    const path = facts.workflow.file.path;
    const callers = visiting.has(path) ? undefined : facts.callers();
    // No local caller: a caller in another repository owns its own concurrency, as a local one does.
    if (!callers) return false;
    const inner = new Set([...visiting, path]);
    return callers.every(({ called, job: caller }) => startedByHandOnly(called.facts, caller, inner));
  });
}

/**
 * The needed jobs a condition requires to have run: top-level conjuncts such as
 * `needs.X.result == 'success'` or `needs.X.result != 'skipped'` (a skipped job's result is `skipped`).
 */
function ranNeeds(condition: string): Set<string> {
  const ran = new Set<string>();
  for (const conjunct of topLevelConjuncts(condition)) {
    const m = RAN.exec(conjunct.trim());
    if (m) ran.add(m[1]);
  }
  return ran;
}

const RAN = /^needs\.([\w-]+)\.result\s*(?:==\s*'(?:success|failure|cancelled)'|!=\s*'skipped')$/;

/** The parts of an `if:` joined by `&&` outside parentheses; none when `||` joins them at the top. */
function topLevelConjuncts(condition: string): string[] {
  const text = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") i = text.indexOf("'", i + 1) < 0 ? text.length : text.indexOf("'", i + 1);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && text.startsWith('||', i)) return [];
    else if (depth === 0 && text.startsWith('&&', i)) {
      parts.push(text.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  return [...parts, text.slice(start)];
}

function intersect(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a].filter((x) => b.has(x)));
}
