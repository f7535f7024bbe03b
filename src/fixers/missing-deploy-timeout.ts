import type { Fix } from '../findings.js';
import type { Job, Workflow } from '../workflow/model.js';
import { styleOf } from './style.js';
import { insertEntries, isFlow } from './yaml-text.js';

/** The timeout the fix sets: twice the worst case, rounded up to 5 minutes, never under 15. */
export interface SuggestedTimeout {
  minutes: number;
  /** The worst-case estimate it comes from, in whole minutes. */
  worstMinutes: number;
}

const MARGIN = 2;
const STEP_MINUTES = 5;
const FLOOR_MINUTES = 15;
/** GitHub's own limit on a job: a suggestion at or above it bounds nothing. */
export const GITHUB_JOB_LIMIT_MINUTES = 360;

/**
 * Twice the job's worst-case duration, rounded up to a multiple of 5 minutes, and at least 15: the
 * durations model's worst case is a slow but ordinary run, and a deploy that takes twice that long is
 * hung, not slow. The floor leaves room for a queue at the cloud's end that no estimate sees.
 */
export function suggestTimeout(worstSeconds: number): SuggestedTimeout {
  const worstMinutes = Math.ceil(worstSeconds / 60);
  const minutes = Math.max(FLOOR_MINUTES, Math.ceil((worstMinutes * MARGIN) / STEP_MINUTES) * STEP_MINUTES);
  return { minutes, worstMinutes };
}

/** Where the number comes from, as the fix's YAML comment and description say it. */
export function timeoutOrigin({ worstMinutes }: SuggestedTimeout): string {
  return `twice the ${worstMinutes}-minute worst-case estimate of its steps, rounded up`;
}

/** Adds `timeout-minutes: N` with a comment saying where N comes from, after `runs-on:` (else before `steps:`). */
export function addJobTimeout(workflow: Workflow, job: Job, timeout: SuggestedTimeout): Fix | undefined {
  if (timeout.minutes >= GITHUB_JOB_LIMIT_MINUTES) return undefined;
  if (isFlow(workflow.file, job.node.range?.[0] ?? 0)) return undefined;
  const entry = (key: string) => job.entries.find((e) => e.key === key);
  const after = entry('runs-on') ?? entry('environment');
  const before = entry('steps') ?? job.entries[0];
  const at = after ? { after } : before ? { before } : undefined;
  if (!at) return undefined;
  const origin = timeoutOrigin(timeout);
  const value = { raw: `${timeout.minutes} # wf-lint: ${origin}` };
  return {
    kind: 'safe',
    description: `add timeout-minutes: ${timeout.minutes} to job '${job.id}' (${origin})`,
    edits: [insertEntries(workflow.file, styleOf(workflow), at, [['timeout-minutes', value]])],
  };
}
