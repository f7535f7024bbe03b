/**
 * Self-contained HTML pages: inline styles and SVG, no network (the Content-Security-Policy forbids
 * every request), so a page can be opened from a CI artefact or an e-mail as it is.
 */
import type { Timeline } from './model.js';
import { escapeXml, jobAnchor, jobLane, legend, TIMELINE_CSS } from './svg.js';

const PAGE_CSS = `
body { font: 14px/1.45 system-ui, sans-serif; color: #24292f; margin: 1.5em 2em; }
code { font: 12px ui-monospace, monospace; background: #f6f8fa; padding: .1em .3em; border-radius: 4px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; }
.note { color: #57606a; max-width: 60em; }
`;

/** A whole page, with more styles and inline code to run, if any (the CSP allows no other script). */
export function htmlPage(title: string, body: string, { css = '', script = '' } = {}): string {
  const scripts = script ? "'unsafe-inline'" : "'none'";
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; ` +
      `script-src ${scripts}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeXml(title)}</title>`,
    `<style>${PAGE_CSS}${TIMELINE_CSS}${css}</style>`,
    '</head>',
    '<body>',
    body,
    ...(script ? [`<script>${script}</script>`] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export const ESTIMATES_NOTE =
  'Durations come from measured runs (<code>wf-lint calibrate</code>) where there are any, else from ' +
  'wf-lint’s estimates (duration hints, <code>settings.durations</code>, <code>timeout-minutes</code>, step ' +
  'classes). Hover over a bar, a band or a marker for its details.';

/** `wf-lint timeline --format html`: a lane per job of each workflow. */
export function timelinePage(timelines: Timeline[]): string {
  const files = timelines.map((t, f) => {
    const lanes = t.jobs.map((job) => jobLane(job, jobAnchor(`f${f + 1}`, job))).join('\n');
    return `<section class="file"><h2><code>${escapeXml(t.path)}</code></h2>\n${lanes || '<p>No jobs.</p>'}</section>`;
  });
  const title = timelines.length === 1 ? `Timeline of ${timelines[0].path}` : 'wf-lint timelines';
  const body = [`<h1>${escapeXml(title)}</h1>`, `<p class="note">${ESTIMATES_NOTE}</p>`, legend(), ...files];
  return htmlPage(title, body.join('\n'));
}
