/**
 * A job's timeline as inline SVG: one lane per job, with a block for the typical run and one for the
 * worst case on the same time axis. Each step is a row; background steps and parallel groups overlap
 * the steps beside them. A credential session is a band over the rows from its credential step's end
 * to its expiry, a secret read a diamond on its step's row: red after the session expired. Every part
 * has its details in a `<title>`, which browsers show on hover. No script, no external resource.
 */
import { CASES, type ReadStatus, type TimelineJob } from './model.js';
import {
  CASE_TITLES,
  humanDuration,
  jobTitle,
  lateReadSentences,
  readDetail,
  sessionDetail,
  sessionLabel,
  STATUS_WORDS,
  stepDetail,
  stepLabel,
} from './wording.js';

const WIDTH = 1040;
const LABEL_WIDTH = 330;
const CHART_WIDTH = WIDTH - LABEL_WIDTH - 30;
const ROW = 18;
const BLOCK_HEADER = 26;
const AXIS = 28;
/** Tick spacings to choose from, in seconds: the first that gives at most 12 ticks. */
const TICK_STEPS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 604_800];

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

/** A number for a data attribute or a coordinate: at most one decimal. */
function num(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function title(text: string): string {
  return `<title>${escapeXml(text)}</title>`;
}

function diamond(x: number, y: number, r: number): string {
  return `M${num(x)} ${num(y - r)}L${num(x + r)} ${num(y)}L${num(x)} ${num(y + r)}L${num(x - r)} ${num(y)}Z`;
}

/** An anchor id for a job of a file: letters, digits, `-` and `_` only. */
export function jobAnchor(prefix: string, job: TimelineJob): string {
  return `${prefix}-job-${job.id.replace(/[^A-Za-z0-9_-]/g, (ch) => `_${ch.codePointAt(0)}`)}`;
}

/** `0:15`, `2:30`, `1d 6:00`: hours and minutes from the job's start, as the axis writes them. */
function axisLabel(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  return `${d > 0 ? `${d}d ` : ''}${h}:${String(m).padStart(2, '0')}`;
}

/** The SVG of one job's lane. */
export function jobSvg(job: TimelineJob): string {
  const end = Math.max(
    60,
    ...CASES.flatMap((c) => [job.length[c], ...job.sessions.map((s) => s.at[c].end), ...job.reads.map((r) => r.at[c])]),
  );
  const tick = TICK_STEPS.find((s) => end / s <= 12) ?? Math.ceil(end / 12 / 86_400) * 86_400;
  const scaleEnd = Math.ceil(end / tick) * tick;
  const x = (t: number) => LABEL_WIDTH + (t / scaleEnd) * CHART_WIDTH;
  const blockHeight = BLOCK_HEADER + job.steps.length * ROW;
  const height = CASES.length * blockHeight + AXIS;
  const parts: string[] = [];

  CASES.forEach((c, b) => {
    const top = b * blockHeight;
    const rowsTop = top + BLOCK_HEADER;
    const rowsHeight = job.steps.length * ROW;
    const heading = `${CASE_TITLES[c]}: ${humanDuration(job.length[c])}`;
    parts.push(`<g class="block" data-case="${c}">`);
    parts.push(`<text class="block-title" x="4" y="${top + 17}">${escapeXml(heading)}</text>`);
    for (let i = 1; i < job.steps.length; i += 2)
      parts.push(`<rect class="stripe" x="0" y="${rowsTop + i * ROW}" width="${WIDTH}" height="${ROW}"/>`);
    job.sessions.forEach((session, i) => {
      const span = session.at[c];
      const detail = sessionDetail(session, job.steps[session.stepIndex], c);
      const [x0, x1] = [x(span.start), x(span.end)];
      parts.push(
        `<g class="session" data-case="${c}" data-session="${i}" data-provider="${escapeXml(session.provider)}" ` +
          `data-start="${num(span.start)}" data-end="${num(span.end)}">${title(detail)}` +
          `<rect class="session-band" x="${num(x0)}" y="${rowsTop}" width="${num(x1 - x0)}" height="${rowsHeight}"/>` +
          `<line class="session-end" x1="${num(x1)}" y1="${top + 6}" x2="${num(x1)}" y2="${rowsTop + rowsHeight}"/>` +
          `<text class="session-label" x="${num(x0 + 3)}" y="${top + 17}">` +
          `${escapeXml(sessionLabel(session))}</text></g>`,
      );
    });
    job.steps.forEach((step, i) => {
      const y = rowsTop + i * ROW;
      const span = step.at[c];
      const label = stepLabel(step);
      parts.push(
        `<text class="step-label" x="4" y="${y + 13}">${escapeXml(label)}` +
          `${title(`${step.name} (line ${step.line})`)}</text>`,
      );
      const [x0, x1] = [x(span.start), x(span.end)];
      parts.push(
        `<rect class="bar ${step.mode}" data-case="${c}" data-step="${escapeXml(step.name)}" ` +
          `data-start="${num(span.start)}" data-end="${num(span.end)}" x="${num(x0)}" y="${y + 3}" ` +
          `width="${num(Math.max(2, x1 - x0))}" height="${ROW - 6}">${title(stepDetail(step, c))}</rect>`,
      );
    });
    for (const read of job.reads) {
      const y = rowsTop + read.stepIndex * ROW + ROW / 2;
      const status = read.status[c];
      parts.push(
        `<path class="read ${status}" data-case="${c}" data-step="${escapeXml(job.steps[read.stepIndex].name)}" ` +
          `data-at="${num(read.at[c])}" data-status="${status}" d="${diamond(x(read.at[c]), y, 7)}">` +
          `${title(readDetail(read, job, c))}</path>`,
      );
    }
    parts.push('</g>');
  });

  const axisTop = CASES.length * blockHeight;
  const ticks: string[] = [];
  for (let t = 0; t <= scaleEnd; t += tick) {
    const tx = num(x(t));
    ticks.push(
      `<line class="grid" x1="${tx}" y1="0" x2="${tx}" y2="${axisTop}"/>` +
        `<text class="tick" x="${tx}" y="${axisTop + 16}">${axisLabel(t)}</text>`,
    );
  }
  const label = `Timeline of job ${jobTitle(job)}`;
  return (
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" ` +
    `viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(label)}">` +
    `<g class="axis">${ticks.join('')}` +
    `<text class="axis-title" x="4" y="${axisTop + 16}">h:mm from the job's start</text>` +
    `</g>${parts.join('')}</svg>`
  );
}

/** The HTML of a job's lane: its heading, then its timeline. */
export function jobLane(job: TimelineJob, anchor: string): string {
  const heading = `<h3>Job <code>${escapeXml(jobTitle(job))}</code> <span class="where">line ${job.line}</span></h3>`;
  return `<section class="lane" id="${anchor}">${heading}${laneBody(job)}</section>`;
}

/** A job's timeline: what it calls, or the reads after their session and the SVG. */
export function laneBody(job: TimelineJob): string {
  if (job.calls) return `<p>Calls <code>${escapeXml(job.calls)}</code>: its steps are in that workflow.</p>`;
  if (job.steps.length === 0) return '<p>No steps.</p>';
  return `${lateSentences(job)}${jobSvg(job)}`;
}

function lateSentences(job: TimelineJob): string {
  const code = (text: string) => `<code>${escapeXml(text)}</code>`;
  return lateReadSentences(job, code)
    .map((sentence) => `<p class="late">${sentence}</p>`)
    .join('');
}

const LEGEND_STATUSES: ReadStatus[] = ['inside', 'outside', 'no-session'];

/** What the marks mean. */
export function legend(): string {
  const item = (mark: string, text: string) =>
    `<li><svg width="34" height="16" aria-hidden="true">${mark}</svg>${escapeXml(text)}</li>`;
  const bar = (mode: string) => `<rect class="bar ${mode}" x="1" y="3" width="32" height="10"/>`;
  return (
    '<ul class="legend">' +
    item(bar('foreground'), 'step') +
    item(bar('background'), 'background step') +
    item(bar('parallel'), 'member of a parallel group') +
    item('<rect class="session-band" x="1" y="0" width="32" height="16"/>', 'credential session, until it expires') +
    LEGEND_STATUSES.map((s) =>
      item(`<path class="read ${s}" d="${diamond(17, 8, 7)}"/>`, `secret read: ${STATUS_WORDS[s]}`),
    ).join('') +
    '</ul>'
  );
}

/** The styles of lanes and legend, for a page's `<style>`. */
export const TIMELINE_CSS = `
.lane { margin: 1.5em 0; }
.lane h3 { font-size: 1.05em; margin: 0 0 .4em; }
.where { color: #57606a; font-weight: normal; font-size: .85em; }
svg.timeline { font: 12px system-ui, sans-serif; display: block; max-width: 100%; height: auto; }
.block-title { font-weight: 600; fill: #24292f; }
.stripe { fill: #f6f8fa; }
.grid { stroke: #d0d7de; stroke-width: 1; }
.tick { fill: #57606a; text-anchor: middle; }
.axis-title { fill: #57606a; }
.step-label { fill: #24292f; }
.bar { fill: #0969da; }
.bar.background { fill: #8250df; }
.bar.parallel { fill: #1a7f37; }
.session-band { fill: #2da44e; fill-opacity: .16; stroke: #2da44e; stroke-opacity: .5; }
.session-end { stroke: #1a7f37; stroke-width: 2; stroke-dasharray: 4 3; }
.session-label { fill: #1a7f37; font-weight: 600; }
.read { stroke: #fff; stroke-width: 1.5; }
.read.inside { fill: #1a7f37; }
.read.outside { fill: #cf222e; }
.read.no-session { fill: #6e7781; }
.late { color: #cf222e; font-weight: 600; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4em 1.4em; font-size: .9em; }
.legend li { display: flex; align-items: center; gap: .4em; }
`;
