/**
 * Timelines as a person sees them: the built CLI's HTML page and Mermaid charts, opened in a real
 * headless Chromium (Debian's chromium, driven by playwright-core; .ci/run installs it), with the
 * mermaid package from node_modules inlined into the page. Screenshots go to test-output/.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumMissing,
  ganttDifferences,
  launchChromium,
  mermaidBlocks,
  mermaidPage,
  readGantts,
  renderDiagram,
} from '../../scripts/browser.mjs';
import { ROOT, runCli } from '../cli/run-cli.js';

const SEED = 'test/fixtures/seed/robust-solution.yml';
const CONCURRENT = 'test/fixtures/timeline/concurrent-azure.yml';
const READ_STEP = 'Load ALL SSM Parameters Early';
const OUTPUT = join(ROOT, 'test-output');
const RED = 'rgb(207, 34, 46)';
const GREEN = 'rgb(26, 127, 55)';
/** The page's window, as far as these tests use it (they are type-checked without the DOM's types). */
interface Styles {
  getComputedStyle(element: unknown): { fill: string };
}

/** An element's fill as drawn. */
function fill(locator: Locator): Promise<string> {
  return locator.evaluate((element) => (globalThis as unknown as Styles).getComputedStyle(element).fill);
}

const missing = chromiumMissing();
if (missing) console.warn(`Skipping the timeline tests in a browser: ${missing}.`);

/** Runs `wf-lint timeline` on a fixture and returns what it wrote. */
function timeline(file: string, ...args: string[]): string {
  const r = runCli(['timeline', ...args, file]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

/** The page's box of the first element a selector matches. */
async function box(page: Page, selector: string) {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not drawn`);
  return { ...found, right: found.x + found.width, middle: found.x + found.width / 2, bottom: found.y + found.height };
}

describe.skipIf(missing)('timelines in headless Chromium', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(OUTPUT, { recursive: true });
  }, 60_000);
  afterAll(() => browser?.close());

  it('draws the seed workflow: the AWS session band ends 60 minutes after the credentials, the SSM read after it in red', async () => {
    const page = await browser.context.newPage();
    await page.setContent(timeline(SEED, '--format', 'html'));
    // The axis: pixels per second from the ticks at 0:00 and 1:00.
    const ticks = page.locator('svg.timeline .tick');
    const tick = async (label: string) => (await ticks.filter({ hasText: new RegExp(`^${label}$`) }).boundingBox())!;
    const [zero, hour] = [await tick('0:00'), await tick('1:00')];
    const perSecond = (hour.x - zero.x) / 3600;
    const at = (seconds: number) => zero.x + zero.width / 2 + seconds * perSecond;

    for (const [c, start] of [
      ['typical', 30],
      ['worst', 120],
    ] as const) {
      const band = await box(page, `g.session[data-case="${c}"] rect.session-band`);
      // The band starts when the credential step ends and lasts the session's 60 minutes.
      expect(Math.abs(band.x - at(start))).toBeLessThan(1);
      expect(Math.abs(band.right - at(start + 3600))).toBeLessThan(1);
      expect(await page.locator(`g.session[data-case="${c}"] text`).textContent()).toBe('AWS session, 1 h');
    }
    const typicalEnd = await box(page, 'g.session[data-case="typical"] rect.session-band');
    expect(Math.abs(typicalEnd.right - at(3630))).toBeLessThan(1);

    // Typically the read is inside the band, green; in the worst case after it, red, on its step's row.
    const read = (c: string) => page.locator(`path.read[data-case="${c}"]`);
    expect(await fill(read('typical'))).toBe(GREEN);
    expect(await fill(read('worst'))).toBe(RED);
    expect(await read('worst').getAttribute('data-status')).toBe('outside');
    const marker = await box(page, 'path.read[data-case="worst"]');
    const band = await box(page, 'g.session[data-case="worst"] rect.session-band');
    const row = await box(page, `rect.bar[data-case="worst"][data-step="${READ_STEP}"]`);
    expect(marker.middle).toBeGreaterThan(band.right + 100);
    expect(Math.abs(marker.middle - row.x)).toBeLessThan(1);
    expect(Math.abs(marker.y + marker.height / 2 - (row.y + row.height / 2))).toBeLessThan(1);
    expect(await read('worst').locator('title').textContent()).toBe(
      `aws ssm get-parameters --with-decryption in '${READ_STEP}' at 2:17:00, 2 h 15 min after the credentials: ` +
        'after the session expired',
    );

    // A bar per step and case, each where its start is; the legend; the sentence above the lane.
    const bars = page.locator('rect.bar[data-case]');
    expect(await bars.count()).toBe(2 * 8);
    for (const bar of await bars.all()) {
      const start = Number(await bar.getAttribute('data-start'));
      expect(Math.abs((await bar.boundingBox())!.x - at(start))).toBeLessThan(1);
    }
    expect(await page.locator('.legend li').allTextContents()).toContain('secret read: after the session expired');
    expect(await page.locator('p.late').textContent()).toBe(
      `aws ssm get-parameters --with-decryption in ${READ_STEP} starts at 2:17:00, after the AWS session expired, ` +
        'in the worst case.',
    );
    await page.screenshot({ path: join(OUTPUT, 'timeline-seed.png'), fullPage: true });
    expect(browser.requests).toEqual([]);
    await page.close();
  });

  it('parses and renders the Mermaid chart of the same job: the session bar, then the read after it, red', async () => {
    const page = await mermaidPage(browser.context);
    const [chart] = mermaidBlocks(timeline(SEED));
    const [read] = await readGantts(page, [chart.text]);
    expect(ganttDifferences(chart.text, read)).toEqual([]);
    if ('error' in read) throw new Error(read.error);
    const worst = read.tasks.filter((t) => t.section === 'Worst case');
    const session = worst.find((t) => t.name === 'AWS session, 1 h')!;
    const ssm = worst.find((t) => t.milestone)!;
    expect([session.start, session.end]).toEqual([120, 3720]);
    expect([ssm.start, ssm.crit]).toEqual([120 + 135 * 60, true]);

    // Drawn: the worst case is Mermaid's second section (classes end in 1); its milestone is red.
    await renderDiagram(page, 'seed', chart.text);
    const bar = await box(page, '#seed rect.task.active1');
    const diamond = await box(page, '#seed rect.milestone.crit1');
    expect(diamond.middle).toBeGreaterThan(bar.right + 100);
    const [r, g, b] = (await fill(page.locator('#seed rect.milestone.crit1'))).match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(2 * Math.max(g, b));
    expect(await page.locator('#seed text.taskText, #seed text[class*="taskTextOutside"]').allTextContents()).toContain(
      'aws ssm get-parameters --with-decryption (expired) ',
    );
    await page.locator('#seed').screenshot({ path: join(OUTPUT, 'timeline-seed-mermaid.png') });
    expect(browser.requests).toEqual([]);
    await page.close();
  });

  it('reads step names with `:`, `;`, `#` and a leading statement word as written, and draws them so', async () => {
    const page = await mermaidPage(browser.context);
    const [chart] = mermaidBlocks(timeline(CONCURRENT));
    const [read] = await readGantts(page, [chart.text]);
    expect(ganttDifferences(chart.text, read)).toEqual([]);
    await renderDiagram(page, 'names', chart.text);
    const texts = await page.locator('#names text').allTextContents();
    expect(texts).toContain('title: read the database password; #2 (short step) ');
    expect(texts).toContain('e2e (End-to-end: #1; all): typical run and worst case');
    await page.close();
  });

  it('opens a job’s timeline from its finding in the HTML report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-lint-report-'));
    const r = runCli(['--format', 'html', '--output', join(dir, 'report.html'), SEED]);
    expect(r.code).toBe(1);
    const page = await browser.context.newPage();
    await page.goto(`file://${join(dir, 'report.html')}`);
    const details = page.locator('details.lane');
    expect(await details.count()).toBe(1);
    expect(await details.getAttribute('open')).toBeNull();
    const row = page.locator('tr', { hasText: 'late-secret-read' });
    await row.locator('a.open-timeline').click();
    expect(await details.getAttribute('open')).toBe('');
    expect(await page.locator('details.lane svg.timeline').isVisible()).toBe(true);
    expect(await page.locator('details.lane path.read.outside').count()).toBe(1);
    await page.screenshot({ path: join(OUTPUT, 'report-seed.png'), fullPage: true });
    expect(browser.requests).toEqual([]);
    await page.close();
  });
});
