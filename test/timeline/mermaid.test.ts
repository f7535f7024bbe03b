import { describe, expect, it } from 'vitest';
import {
  escapeTaskName,
  escapeText,
  jobDiagrams,
  MAX_DIAGRAM_SIZE,
  timelineMarkdown,
} from '../../src/timeline/mermaid.js';
import type { TimelineJob, TimelineStep } from '../../src/timeline/model.js';
import { mermaidBlocks, writtenGantt } from '../../scripts/browser.mjs';
import { CONCURRENT, SEED, timelineOf } from './load.js';

describe('Mermaid Gantt text', () => {
  it('escapes the characters that end a task name or its data as entities Mermaid decodes', () => {
    expect(escapeText('a: b; c # d')).toBe('a#58; b#59; c #35; d');
    expect(escapeText('  two\tlines\nof text ')).toBe('two lines of text');
  });

  it('escapes the first character of a name that the lexer would read as a statement', () => {
    for (const name of ['title x', 'section y', 'Click here', 'dateFormat', 'todayMarker off', 'weekday monday'])
      expect(escapeTaskName(name)).toBe(`#${name.codePointAt(0)};${name.slice(1)}`);
    expect(escapeTaskName('2024-01-01 release')).toBe('#50;024-01-01 release');
    expect(escapeTaskName('%% not a comment')).toBe('#37;% not a comment');
    expect(escapeTaskName('Build the titles')).toBe('Build the titles');
    expect(escapeTaskName('   ')).toBe('(unnamed)');
  });

  it('writes a chart per job, with a typical and a worst-case section, the session and a red read', () => {
    const [chart] = jobDiagrams(timelineOf(SEED).jobs[0]);
    const { title, tasks } = writtenGantt(chart);
    expect(title).toBe('deploy: typical run and worst case');
    expect(chart).toContain('    section Typical run\n    AWS session, 1 h :active, 2000-01-01 00:00:30, 3600s\n');
    expect(chart).toContain('    section Worst case\n    AWS session, 1 h :active, 2000-01-01 00:02:00, 3600s\n');
    const reads = tasks.filter((t) => t.milestone);
    expect(reads).toEqual([
      expect.objectContaining({ section: 'Typical run', crit: false }),
      expect.objectContaining({ section: 'Worst case', crit: true }),
    ]);
    expect(chart).toContain(
      '    aws ssm get-parameters --with-decryption (expired) :milestone, crit, 2000-01-01 02:17:00, 0s',
    );
  });

  it('writes Markdown with a heading per file and job, a sentence per late read, and a job that calls another', () => {
    const markdown = timelineMarkdown([timelineOf(CONCURRENT)]);
    expect(markdown).toMatch(
      /^## `.*test\/fixtures\/timeline\/concurrent-azure\.yml`\n\n### Job `e2e` \(`End-to-end: #1; all`\)/,
    );
    expect(markdown).toContain(
      '**`az keyvault secret show` in `title: read the database password; #2` starts at 16:45, after the Azure session expired, typically.**',
    );
    expect(markdown).toContain(
      '### Job `deploy`\n\nCalls `./.github/workflows/deploy.yml`: its steps are in that workflow.\n',
    );
    expect(mermaidBlocks(markdown).map((b) => b.job)).toEqual(['Job `e2e` (`End-to-end: #1; all`)']);
  });

  it('truncates long step names', () => {
    const job = timelineOf(SEED).jobs[0];
    const long = { ...job, steps: [{ ...job.steps[0], name: 'x'.repeat(300) }] };
    const [chart] = jobDiagrams(long);
    expect(chart).toContain(`    ${'x'.repeat(47)}… (short step) :`);
  });

  it('splits a job too large for one chart into parts under Mermaid’s maxTextSize, each with its section and sessions', () => {
    const job = timelineOf(SEED).jobs[0];
    const template = job.steps[2];
    const steps: TimelineStep[] = Array.from({ length: 1500 }, (_, i) => ({
      ...template,
      index: i,
      name: `Step number ${i} with a name long enough to fill the row`,
      at: { typical: { start: i * 60, end: i * 60 + 60 }, worst: { start: i * 120, end: i * 120 + 120 } },
    }));
    const big: TimelineJob = { ...job, steps, reads: [], length: { typical: 90_000, worst: 180_000 } };
    const charts = jobDiagrams(big);
    expect(charts.length).toBeGreaterThan(2);
    const rows = charts.flatMap((c) => writtenGantt(c).tasks.filter((t) => t.name.startsWith('Step number')));
    expect(rows).toHaveLength(2 * steps.length);
    charts.forEach((chart, i) => {
      expect(chart.length).toBeLessThanOrEqual(MAX_DIAGRAM_SIZE);
      expect(writtenGantt(chart).title).toBe(`deploy: typical run and worst case (part ${i + 1} of ${charts.length})`);
      expect(chart).toMatch(/\n {4}section (Typical run|Worst case)\n {4}AWS session, 1 h :active, /);
      // Past a day, the axis names the day.
      expect(chart).toContain('    axisFormat day %-d, %H:%M\n');
    });
    expect(charts.at(-1)).toContain('Step number 1499 ');
  });
});
