/** The words both renderers use for the parts of a timeline. */
import { humanDuration } from '../rules/wording.js';
import type { Case, ReadStatus, TimelineJob, TimelineRead, TimelineSession, TimelineStep } from './model.js';

export { humanDuration };

export const CASE_TITLES: Record<Case, string> = { typical: 'Typical run', worst: 'Worst case' };

export const STATUS_WORDS: Record<ReadStatus, string> = {
  inside: 'inside the session',
  outside: 'after the session expired',
  'no-session': 'no earlier credential step of its provider',
};

/** Names longer than this are cut, with an ellipsis: a Gantt row or a lane label stays one short line. */
export const MAX_NAME = 48;

export function truncate(text: string, max = MAX_NAME): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

export function jobTitle(job: TimelineJob): string {
  return job.name && job.name !== job.id ? `${job.id} (${job.name})` : job.id;
}

/** `Build (long step, background)`: a step's row label, with how it runs beside the others. */
export function stepLabel(step: TimelineStep): string {
  const how = step.mode === 'background' ? ', background' : step.mode === 'parallel' ? `, parallel ${step.group}` : '';
  return `${truncate(step.name)} (${step.duration.basis}${how})`;
}

/** `AWS session, 1 h`. */
export function sessionLabel(session: TimelineSession): string {
  return `${session.provider} session, ${humanDuration(session.lifetime)}`;
}

/** What a step took in one case, for hover details: `~15 min (long step)` / `up to 45 min (long step)`. */
export function stepDetail(step: TimelineStep, c: Case): string {
  const span = step.at[c];
  const took = humanDuration(span.end - span.start);
  const estimate = `${c === 'typical' ? '~' : 'up to '}${took} (${step.duration.basis})`;
  return `${step.name}: ${estimate}, starts at ${clock(span.start)}`;
}

export function sessionDetail(session: TimelineSession, issuer: TimelineStep, c: Case): string {
  const span = session.at[c];
  return (
    `${session.provider} credentials from '${issuer.name}' (${session.how}): they last ` +
    `${humanDuration(session.lifetime)} (${session.lifetimeReason}), from ${clock(span.start)} to ${clock(span.end)}`
  );
}

export function readDetail(read: TimelineRead, job: TimelineJob, c: Case): string {
  const step = job.steps[read.stepIndex];
  const session = read.session === undefined ? undefined : job.sessions[read.session];
  const since = session ? `, ${humanDuration(read.at[c] - session.at[c].start)} after the credentials` : '';
  return `${read.label} in '${step.name}' at ${clock(read.at[c])}${since}: ${STATUS_WORDS[read.status[c]]}`;
}

/** `1:05:30`, `12:00`: a time from the job's start. */
export function clock(seconds: number): string {
  const s = Math.round(seconds);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(sec).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/**
 * A sentence for each read after its session expired (typically, or only in the worst case), with
 * `code` formatting the read and the step names for the page it goes into.
 */
export function lateReadSentences(job: TimelineJob, code: (text: string) => string): string[] {
  return job.reads
    .filter((r) => r.status.worst === 'outside')
    .map((r) => {
      const c: Case = r.status.typical === 'outside' ? 'typical' : 'worst';
      const step = truncate(job.steps[r.stepIndex].name);
      const when = c === 'typical' ? 'typically' : 'in the worst case';
      const expired = `after the ${r.provider} session expired, ${when}`;
      return `${code(r.label)} in ${code(step)} starts at ${clock(r.at[c])}, ${expired}.`;
    });
}
