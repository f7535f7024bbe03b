// A headless Chromium for what people see: the timeline tests (test/timeline/browser.test.ts) and
// scripts/check-timelines.mjs render wf-lint's HTML and parse and draw its Mermaid charts in it.
// Debian's `chromium` package (.ci/run installs it), driven by playwright-core; the mermaid package
// is read from node_modules into the page. No page may reach the network: every request is refused.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.WF_LINT_CHROMIUM || '/usr/bin/chromium';

// The machine's network is closed: without these, Chromium's own background connections (updates,
// sync, field trials, QUIC probes) stall or fail its start.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why no browser can run here, or undefined when one can. */
export function chromiumMissing() {
  return existsSync(CHROMIUM)
    ? undefined
    : `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set WF_LINT_CHROMIUM)`;
}

/** Starts Chromium with a fresh profile; `close()` stops it and removes the profile. */
export async function launchChromium() {
  const profile = mkdtempSync(join(tmpdir(), 'wf-lint-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
  });
  /** Requests the pages tried to make beyond the file they were opened from: each is refused. */
  const requests = [];
  await context.route(
    (url) => url.protocol !== 'file:',
    (route) => {
      requests.push(route.request().url());
      return route.abort();
    },
  );
  return {
    context,
    requests,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const require = createRequire(import.meta.url);

/** The mermaid package's browser build, to inline into a page. */
export function mermaidSource() {
  return readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
}

/** A blank page with mermaid loaded and initialised (no drawing on load). */
export async function mermaidPage(context) {
  const page = await context.newPage();
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ content: mermaidSource() });
  await page.evaluate(() => globalThis.mermaid.initialize({ startOnLoad: false }));
  return page;
}

/**
 * Parses Gantt charts in the page with mermaid's parser (mermaid.parse), and reads what it understood:
 * the title and each task, with its name as drawn (entities decoded), its times in seconds from
 * 2000-01-01 00:00 (where wf-lint's charts start) and whether it is a milestone and critical.
 * An error message instead for a chart that does not parse.
 */
export function readGantts(page, diagrams) {
  return page.evaluate(async (texts) => {
    const { mermaid } = globalThis;
    // Mermaid keeps `#58;` entities as placeholders until it draws: decode them the same way.
    const decode = (s) =>
      s.replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_, n) => String.fromCodePoint(Number(n))).trim();
    const epoch = new Date(2000, 0, 1).getTime();
    const results = [];
    for (const text of texts) {
      try {
        await mermaid.parse(text);
        const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
        const tasks = diagram.db.getTasks().map((t) => ({
          name: decode(t.task),
          start: (t.startTime.getTime() - epoch) / 1000,
          end: (t.endTime.getTime() - epoch) / 1000,
          milestone: Boolean(t.milestone),
          crit: Boolean(t.crit),
          section: decode(t.section),
        }));
        results.push({ title: decode(diagram.db.getDiagramTitle()), tasks });
      } catch (error) {
        results.push({ error: String(error?.message ?? error) });
      }
    }
    return results;
  }, diagrams);
}

/** Draws a diagram into a new element of the page, with this id; resolves to the SVG's markup. */
export function renderDiagram(page, id, text) {
  return page.evaluate(
    async ({ id, text }) => {
      const { svg } = await globalThis.mermaid.render(`${id}-svg`, text);
      const holder = globalThis.document.createElement('div');
      holder.id = id;
      holder.innerHTML = svg;
      globalThis.document.body.append(holder);
      return svg;
    },
    { id, text },
  );
}

/**
 * The Mermaid charts of `wf-lint timeline` Markdown, with the file (`## path`) and the job (`### Job
 * id`) each is under.
 */
export function mermaidBlocks(markdown) {
  const blocks = [];
  let file = '';
  let job = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('## ')) file = line.slice(3).replace(/^`+ ?| ?`+$/g, '');
    else if (line.startsWith('### ')) job = line.slice(4);
    else if (line === '```mermaid') {
      const end = lines.indexOf('```', i + 1);
      blocks.push({ file, job, text: lines.slice(i + 1, end).join('\n') });
      i = end;
    }
  }
  return blocks;
}

/**
 * What a wf-lint Gantt chart says, read from its text: the title and each task line's name (its
 * `#58;` entities decoded) and tags, to compare with what mermaid's parser understood.
 */
export function writtenGantt(text) {
  const decode = (s) => s.replace(/#(\d+);/g, (_, n) => String.fromCodePoint(Number(n))).trim();
  const tasks = [];
  let title = '';
  let section = '';
  for (const line of text.split('\n').slice(1)) {
    const statement = /^ {4}(title|section|dateFormat|axisFormat|todayMarker) (.*)$/.exec(line);
    if (statement?.[1] === 'title') title = decode(statement[2]);
    else if (statement?.[1] === 'section') section = decode(statement[2]);
    else if (!statement) {
      // Names have their `:` escaped: the first one starts the task's data.
      const colon = line.indexOf(':');
      const tags = line
        .slice(colon + 1)
        .split(',')
        .map((t) => t.trim());
      tasks.push({
        name: decode(line.slice(0, colon)),
        milestone: tags.includes('milestone'),
        crit: tags.includes('crit'),
        section,
      });
    }
  }
  return { title, tasks };
}

/** How what mermaid understood of a chart differs from what it says; an empty list when it does not. */
export function ganttDifferences(text, read) {
  if ('error' in read) return [`does not parse: ${read.error}`];
  const written = writtenGantt(text);
  const problems = [];
  if (read.title !== written.title) problems.push(`title "${read.title}", not "${written.title}"`);
  if (read.tasks.length !== written.tasks.length)
    problems.push(`${read.tasks.length} tasks, not ${written.tasks.length}`);
  written.tasks.forEach((task, i) => {
    const got = read.tasks[i];
    if (!got) return;
    for (const key of ['name', 'milestone', 'crit', 'section'])
      if (got[key] !== task[key])
        problems.push(`task ${i + 1}: ${key} ${JSON.stringify(got[key])}, not ${JSON.stringify(task[key])}`);
  });
  return problems;
}
