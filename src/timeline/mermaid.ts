/**
 * A timeline as Markdown with Mermaid Gantt charts, one per job (GitHub renders ```mermaid blocks in
 * pull-request comments and job summaries): a section for the typical run and one for the worst case,
 * each with the credential sessions as bars, the steps, and each secret read as a milestone, red
 * (`crit`) when it falls after its session expired.
 */
import { CASES, type Case, type ReadStatus, type Timeline, type TimelineJob } from './model.js';
import {
  CASE_TITLES,
  humanDuration,
  jobTitle,
  lateReadSentences,
  sessionLabel,
  stepLabel,
  truncate,
} from './wording.js';

/** Mermaid's default `maxTextSize`: longer diagram text is refused. A job's chart is split below it. */
export const MAX_DIAGRAM_SIZE = 50_000;

/**
 * Words that the Gantt lexer reads as a statement when a line starts with them (in its rule order,
 * before a task's text), and `%` (a comment) and `"`: a task name that starts so gets its first
 * character as an entity.
 */
const STATEMENT_WORDS = [
  'acc',
  'axisformat',
  'call',
  'click',
  'dateformat',
  'excludes',
  'gantt',
  'href',
  'includes',
  'inclusiveenddates',
  'section',
  'tickinterval',
  'title',
  'todaymarker',
  'topaxis',
  'weekday',
  'weekend',
];
const STATEMENT_START = new RegExp(`^(?:${STATEMENT_WORDS.join('|')}|\\d{4}-\\d\\d-\\d\\d|[%"])`, 'i');

/** `:` ends a task's name, `;` and `#` its data; Mermaid turns `#58;` back into `:` when it draws. */
function entity(ch: string): string {
  return `#${ch.codePointAt(0)};`;
}

export function escapeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[:;#]/g, entity);
}

export function escapeTaskName(text: string): string {
  const escaped = escapeText(text) || '(unnamed)';
  return STATEMENT_START.test(escaped) ? entity(escaped[0]) + escaped.slice(1) : escaped;
}

/**
 * Times are dates from 2000-01-01 00:00:00: Mermaid reads them, and draws the axis, in the viewer's
 * time zone, so the axis starts at 00:00 wherever it is shown.
 */
const EPOCH = Date.UTC(2000, 0, 1);
const DATE_FORMAT = 'YYYY-MM-DD HH:mm:ss';

function date(seconds: number): string {
  return new Date(EPOCH + Math.round(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

function task(name: string, start: number, end: number, tags: string[] = []): string {
  const seconds = Math.max(0, Math.round(end) - Math.round(start));
  return `    ${escapeTaskName(name)} :${[...tags, date(start), `${seconds}s`].join(', ')}`;
}

const READ_TAGS: Record<ReadStatus, string[]> = { inside: ['done'], outside: ['crit'], 'no-session': [] };
const READ_WORDS: Record<ReadStatus, string> = { inside: 'in session', outside: 'expired', 'no-session': 'no session' };

/** A section's rows: the sessions first, then each step followed by its reads. */
function sectionRows(job: TimelineJob, c: Case): { sticky: string[]; rows: string[] } {
  const sticky = job.sessions.map((s) => task(sessionLabel(s), s.at[c].start, s.at[c].end, ['active']));
  const rows = job.steps.flatMap((step) => [
    task(stepLabel(step), step.at[c].start, step.at[c].end),
    ...job.reads
      .filter((r) => r.stepIndex === step.index)
      .map((r) => {
        const name = `${truncate(r.label)} (${READ_WORDS[r.status[c]]})`;
        return task(name, r.at[c], r.at[c], ['milestone', ...READ_TAGS[r.status[c]]]);
      }),
  ]);
  return { sticky, rows };
}

/**
 * One job's Gantt chart, split into parts each under MAX_DIAGRAM_SIZE characters when it is longer:
 * each part repeats the header, and the sessions of the section it continues.
 */
export function jobDiagrams(job: TimelineJob): string[] {
  const longest = Math.max(job.length.worst, ...job.sessions.map((s) => s.at.worst.end));
  const header = (part: string) => [
    'gantt',
    `    title ${escapeText(`${jobTitle(job)}: typical run and worst case${part}`)}`,
    `    dateFormat ${DATE_FORMAT}`,
    // Past a day, the axis says which day: the dates start on the 1st.
    `    axisFormat ${longest >= 86_400 ? 'day %-d, %H:%M' : '%H:%M'}`,
    '    todayMarker off',
  ];
  const size = (lines: string[]) => lines.reduce((n, l) => n + l.length + 1, 0);
  const budget = MAX_DIAGRAM_SIZE - size(header(' (part 999 of 999)'));
  const parts: string[][] = [];
  let current: string[] = [];
  let used = 0;
  for (const c of CASES) {
    const { sticky, rows } = sectionRows(job, c);
    const opening = [`    section ${escapeText(CASE_TITLES[c])}`, ...sticky];
    rows.forEach((row, i) => {
      const lines = i === 0 ? [...opening, row] : [row];
      if (current.length > 0 && used + size(lines) > budget) {
        parts.push(current);
        // A part that continues a section opens it again, with its sessions.
        current = i === 0 ? [] : [...opening];
        used = size(current);
      }
      current.push(...lines);
      used += size(lines);
    });
  }
  parts.push(current);
  return parts.map((lines, i) =>
    [...header(parts.length > 1 ? ` (part ${i + 1} of ${parts.length})` : ''), ...lines].join('\n'),
  );
}

function codeSpan(text: string): string {
  const ticks = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((t) => t.length)) + 1);
  return `${ticks}${/^`|`$/.test(text) ? ` ${text} ` : text}${ticks}`;
}

/** The Markdown of a job: its heading, then its charts (or why it has none). */
export function jobMarkdown(job: TimelineJob): string {
  const heading = `### Job ${codeSpan(job.id)}${job.name && job.name !== job.id ? ` (${codeSpan(job.name)})` : ''}`;
  if (job.calls) return `${heading}\n\nCalls ${codeSpan(job.calls)}: its steps are in that workflow.\n`;
  if (job.steps.length === 0) return `${heading}\n\nNo steps.\n`;
  const summary = [
    `A typical run takes ${humanDuration(job.length.typical)}, the worst case ` +
      `${humanDuration(job.length.worst)} (wf-lint's estimates).`,
    ...lateReadSentences(job, codeSpan).map((sentence) => `**${sentence}**`),
  ];
  const charts = jobDiagrams(job).map((d) => '```mermaid\n' + d + '\n```\n');
  return [heading, '', summary.join('\n'), '', ...charts].join('\n');
}

/** The Markdown of workflows' timelines: a heading per file, then each job. */
export function timelineMarkdown(timelines: Timeline[]): string {
  return timelines
    .map((t) => `## ${codeSpan(t.path)}\n\n${t.jobs.length > 0 ? t.jobs.map(jobMarkdown).join('\n') : 'No jobs.\n'}`)
    .join('\n');
}
