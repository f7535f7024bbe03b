#!/usr/bin/env node
// Usage: node scripts/check-timelines.mjs CORPUS_DIR [--render N]
//
// Runs `wf-lint timeline` (the built CLI, dist/) over a directory of workflows and checks its Markdown
// in headless Chromium (scripts/browser.mjs): every Mermaid chart parses with mermaid's own parser, which
// reads each of its tasks as written (no name taken for a statement or cut short), and is within
// Mermaid's maxTextSize, and N of them (the largest first, default 40) also render. Prints
// the figures and exits 1 when one chart fails. `npm run build` first.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  chromiumMissing,
  ganttDifferences,
  launchChromium,
  mermaidBlocks,
  mermaidPage,
  readGantts,
  renderDiagram,
} from './browser.mjs';

/** Mermaid's default maxTextSize (src/timeline/mermaid.ts splits charts below it). */
const MAX_TEXT_SIZE = 50_000;
/** Charts parsed per call into the page: large enough that the round trips do not count. */
const BATCH = 400;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { render: { type: 'string', default: '40' } },
});
if (positionals.length !== 1) {
  process.stderr.write('Usage: node scripts/check-timelines.mjs CORPUS_DIR [--render N]\n');
  process.exit(2);
}
const missing = chromiumMissing();
if (missing) {
  process.stderr.write(`check-timelines: ${missing}\n`);
  process.exit(2);
}

const started = Date.now();
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = spawnSync(process.execPath, [cli, 'timeline', positionals[0]], {
  encoding: 'utf8',
  maxBuffer: 1 << 30,
});
if (run.error) throw run.error;
const markdown = run.stdout;
const noTimeline = run.stderr.split('\n').filter((line) => line.startsWith('wf-lint: '));
if (run.status !== 0 && noTimeline.length === 0) {
  process.stderr.write(run.stderr);
  process.exit(2);
}
const timelineSeconds = (Date.now() - started) / 1000;

const blocks = mermaidBlocks(markdown);
const files = markdown.split('\n').filter((l) => l.startsWith('## ')).length;
const jobs = markdown.split('\n').filter((l) => l.startsWith('### ')).length;
const filesCharted = new Set(blocks.map((b) => b.file)).size;
const jobsCharted = new Set(blocks.map((b) => `${b.file}\0${b.job}`)).size;
const split = blocks.filter((b) => /\(part \d+ of \d+\)$/m.test(b.text.split('\n')[1]));
const oversize = blocks.filter((b) => b.text.length > MAX_TEXT_SIZE);
const largest = Math.max(0, ...blocks.map((b) => b.text.length));

const browser = await launchChromium();
const failures = [];
try {
  const page = await mermaidPage(browser.context);
  const parseStarted = Date.now();
  for (let i = 0; i < blocks.length; i += BATCH) {
    const batch = blocks.slice(i, i + BATCH);
    const read = await readGantts(
      page,
      batch.map((b) => b.text),
    );
    read.forEach((result, j) => {
      const problems = ganttDifferences(batch[j].text, result);
      if (problems.length > 0) failures.push({ ...batch[j], error: `parse: ${problems.join('; ')}` });
    });
  }
  const parseSeconds = (Date.now() - parseStarted) / 1000;
  const sample = [...blocks].sort((a, b) => b.text.length - a.text.length).slice(0, Number(values.render));
  const renderStarted = Date.now();
  for (const [i, block] of sample.entries()) {
    try {
      await renderDiagram(page, `chart-${i}`, block.text);
    } catch (error) {
      failures.push({ ...block, error: `render: ${error.message.split('\n')[0]}` });
    }
  }
  const renderSeconds = (Date.now() - renderStarted) / 1000;
  const failed = (kind) => failures.filter((f) => f.error.startsWith(kind)).length;
  const report = [
    `files: ${files} with a timeline, ${noTimeline.length} without (not a workflow or unreadable)`,
    `jobs: ${jobs}, ${jobsCharted} charted (the others call a reusable workflow or have no steps)`,
    `files with at least one chart: ${filesCharted}`,
    `charts: ${blocks.length} (${split.length} parts of split jobs), largest ${largest} characters`,
    `over maxTextSize (${MAX_TEXT_SIZE}): ${oversize.length}`,
    `parsed by mermaid as written (title, every task's name, milestone and crit): ` +
      `${blocks.length - failed('parse')} of ${blocks.length} in ${parseSeconds.toFixed(1)} s`,
    `rendered (the ${sample.length} largest): ${sample.length - failed('render')} in ${renderSeconds.toFixed(1)} s`,
    `wf-lint timeline took ${timelineSeconds.toFixed(1)} s; ` +
      `network requests from the page: ${browser.requests.length}`,
  ];
  process.stdout.write(`${report.join('\n')}\n`);
  for (const line of noTimeline) process.stdout.write(`  no timeline: ${line.slice('wf-lint: '.length)}\n`);
} finally {
  await browser.close();
}
for (const b of oversize) failures.push({ ...b, error: `${b.text.length} characters, over ${MAX_TEXT_SIZE}` });
for (const f of failures.slice(0, 20)) process.stdout.write(`FAIL ${f.file} ${f.job}: ${f.error}\n`);
process.exit(failures.length > 0 || browser.requests.length > 0 ? 1 : 0);
