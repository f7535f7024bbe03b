import type { Job, Trigger, Workflow } from '../workflow/model.js';

/**
 * Events through which code or input from a fork reaches a job. `pull_request_target` runs with the
 * base repository's runners and secrets for any fork's pull request, whatever the visibility; the
 * others do so in a public repository (anyone can fork it, open a pull request, comment, or have
 * their pull request's run trigger a `workflow_run`).
 */
export const FORK_EVENTS: Record<string, 'always' | 'public'> = {
  pull_request_target: 'always',
  pull_request: 'public',
  pull_request_review: 'public',
  pull_request_review_comment: 'public',
  issue_comment: 'public',
  workflow_run: 'public',
};

/** The events that start this workflow and can carry a fork's code or input. */
export function forkTriggers(workflow: Workflow): Trigger[] {
  return workflow.triggers.filter((t) => Object.hasOwn(FORK_EVENTS, t.event));
}

/** A repository's own name on either side, or a quoted `owner/repo`. */
const SAME_REPO = String.raw`(github\.repository|'[\w.-]+/[\w.-]+')`;

/**
 * Conjuncts of a job's `if:` that keep every fork out. A comparison of the head repository's full name
 * with the repository is false for any event without a pull request (or workflow run) in its payload,
 * so it keeps out comments and everything else too.
 */
const EXCLUDES_ALL = [
  String.raw`github\.event\.pull_request\.head\.repo\.full_name\s*==\s*${SAME_REPO}`,
  String.raw`${SAME_REPO}\s*==\s*github\.event\.pull_request\.head\.repo\.full_name`,
  String.raw`github\.event\.workflow_run\.head_repository\.full_name\s*==\s*${SAME_REPO}`,
  String.raw`${SAME_REPO}\s*==\s*github\.event\.workflow_run\.head_repository\.full_name`,
].map((p) => new RegExp(`^\\(*\\s*${p}\\s*\\)*$`));

/**
 * Conjuncts that keep out forked pull requests only: on an event without a pull request the fork flag
 * is null, and GitHub's `null == false` is true, so an `issue_comment` or `workflow_run` still runs.
 */
const EXCLUDES_PULL_REQUESTS = [
  String.raw`github\.event\.pull_request\.head\.repo\.fork\s*(==\s*false|!=\s*true)`,
  String.raw`!\s*github\.event\.pull_request\.head\.repo\.fork`,
].map((p) => new RegExp(`^\\(*\\s*${p}\\s*\\)*$`));

const EVENT_IS = /^\(*\s*github\.event_name\s*==\s*'([\w-]+)'\s*\)*$/;
const EVENT_IS_NOT = /^\(*\s*github\.event_name\s*!=\s*'([\w-]+)'\s*\)*$/;

/**
 * The fork-reachable triggers that can start this job, after its `if:`. The condition is read as
 * top-level `||` alternatives of `&&` conditions (parentheses around one are looked into); a trigger
 * reaches the job when some alternative lets it through. An `&&` condition keeps it out when it is a
 * fork guard (see above), `github.event_name == 'push'` (only that event) or
 * `github.event_name != 'pull_request'` (not that one). So
 * `github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository`
 * keeps forks out.
 */
export function triggersReachingJob(job: Job, triggers: Trigger[]): Trigger[] {
  const condition = job.if?.text.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1') ?? '';
  return reaching(condition, triggers);
}

function reaching(condition: string, triggers: Trigger[]): Trigger[] {
  const alternatives = topLevel(condition, '||');
  if (alternatives.length > 1) {
    const through = new Set(alternatives.flatMap((a) => reaching(a, triggers)));
    return triggers.filter((t) => through.has(t));
  }
  const conjuncts = topLevel(condition, '&&');
  if (conjuncts.length === 1 && /^\(.*\)$/s.test(conjuncts[0]) && balanced(conjuncts[0].slice(1, -1)))
    return reaching(conjuncts[0].slice(1, -1), triggers);
  let left = triggers;
  for (const c of conjuncts) {
    if (EXCLUDES_ALL.some((p) => p.test(c))) return [];
    if (EXCLUDES_PULL_REQUESTS.some((p) => p.test(c))) left = left.filter((t) => !isPullRequest(t.event));
    const only = EVENT_IS.exec(c)?.[1];
    if (only) left = left.filter((t) => t.event === only);
    const not = EVENT_IS_NOT.exec(c)?.[1];
    if (not) left = left.filter((t) => t.event !== not);
  }
  return left;
}

function isPullRequest(event: string): boolean {
  return event.startsWith('pull_request');
}

/** The operands of a condition at the top level of `op` (outside parentheses and quotes). */
function topLevel(condition: string, op: '&&' | '||'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < condition.length; i++) {
    const ch = condition[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && condition.startsWith(op, i)) {
      parts.push(condition.slice(from, i).trim());
      from = i + 2;
      i++;
    }
  }
  parts.push(condition.slice(from).trim());
  return parts.filter((p) => p !== '');
}

/** Whether parentheses pair up in a text (outside quotes): `(a) && (b)` stripped of its ends does not. */
function balanced(text: string): boolean {
  let depth = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
