/**
 * `--format html`: a self-contained page with the findings per file, and the timeline of each job
 * that has findings or credential sessions, opened from the findings in it.
 */
import type { FileResult, ReportedFinding } from '../findings.js';
import { ESTIMATES_NOTE, htmlPage } from '../timeline/html.js';
import { jobAt, type Timeline, type TimelineJob } from '../timeline/model.js';
import { escapeXml, jobAnchor, laneBody, legend } from '../timeline/svg.js';
import { jobTitle } from '../timeline/wording.js';
import { fixableHint, countFixable } from './fixable.js';
import { summarize } from './json.js';
import type { ReportContext } from './types.js';

const HEADINGS = ['at', 'level', 'message', 'rule', 'timeline'];

const REPORT_CSS = `
table.findings { border-collapse: collapse; width: 100%; }
.findings td, .findings th { text-align: left; vertical-align: top; padding: .3em .6em; border-top: 1px solid #d0d7de; }
.findings .pos { white-space: nowrap; font: 12px ui-monospace, monospace; }
.level-error .level { color: #cf222e; font-weight: 600; }
.level-warning .level { color: #9a6700; font-weight: 600; }
.level-note .level { color: #0969da; }
details.lane > summary { cursor: pointer; font-weight: 600; margin: .5em 0; }
`;

/** Opens a job's timeline when a link to it is followed (and when the page is opened at one). */
const OPEN_TARGET = [
  'function openTarget() {',
  '  var el = document.getElementById(decodeURIComponent(location.hash.slice(1)));',
  "  if (el && el.tagName === 'DETAILS') { el.open = true; el.scrollIntoView(); }",
  '}',
  "addEventListener('hashchange', openTarget);",
  'openTarget();',
].join('\n');

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function jobOf(finding: ReportedFinding, timeline: Timeline | undefined): TimelineJob | undefined {
  return timeline && jobAt(timeline, finding.range.start.offset);
}

function fileSection(result: FileResult, n: number, timeline: Timeline | undefined, context: ReportContext): string {
  const prefix = `f${n}`;
  const withFindings = new Set(result.findings.map((f) => jobOf(f, timeline)));
  // Jobs with findings or credential sessions get a timeline; jobs without steps have none to show.
  const shown = (timeline?.jobs ?? []).filter(
    (j) => (withFindings.has(j) || j.sessions.length > 0) && j.steps.length > 0,
  );
  const rows = result.findings.map((f) => {
    const job = jobOf(f, timeline);
    const docs = context.rules.find((r) => r.id === f.ruleId)?.helpUri;
    const rule = docs ? `<a href="${escapeXml(docs)}">${escapeXml(f.ruleId)}</a>` : escapeXml(f.ruleId);
    const link =
      job && shown.includes(job)
        ? `<a class="open-timeline" href="#${jobAnchor(prefix, job)}">job ${escapeXml(job.id)}</a>`
        : '';
    return (
      `<tr class="level-${f.level}"><td class="pos">${f.range.start.line}:${f.range.start.column}</td>` +
      `<td class="level">${f.level}</td><td>${escapeXml(f.message)}</td><td>${rule}</td>` +
      `<td>${link}</td></tr>`
    );
  });
  const table =
    rows.length > 0
      ? `<table class="findings"><thead><tr>${HEADINGS.map((h) => `<th>${h}</th>`).join('')}</tr></thead>` +
        `<tbody>${rows.join('')}</tbody></table>`
      : '<p>No problems.</p>';
  const lanes = shown.map(
    (job) =>
      `<details class="lane" id="${jobAnchor(prefix, job)}"><summary>Timeline of job ` +
      `<code>${escapeXml(jobTitle(job))}</code></summary>${laneBody(job)}</details>`,
  );
  const heading = `<h2><code>${escapeXml(result.path)}</code></h2>`;
  return `<section class="file" id="${prefix}">${heading}${table}${lanes.join('')}</section>`;
}

export function htmlReporter(results: FileResult[], context: ReportContext, timelines: Map<string, Timeline>): string {
  const s = summarize(results);
  const counts = [
    plural(s.files, 'file'),
    plural(s.errors, 'error'),
    plural(s.warnings, 'warning'),
    plural(s.notes, 'note'),
  ];
  const fixable = fixableHint(countFixable(results));
  const body = [
    '<h1>wf-lint report</h1>',
    `<p>${counts.join(', ')}${fixable ? `; ${escapeXml(fixable)}` : ''}. ` +
      `wf-lint ${escapeXml(context.toolVersion)}.</p>`,
    `<p class="note">${ESTIMATES_NOTE}</p>`,
    legend(),
    ...results.map((r, i) => fileSection(r, i + 1, timelines.get(r.path), context)),
  ];
  return htmlPage('wf-lint report', body.join('\n'), { css: REPORT_CSS, script: OPEN_TARGET });
}
