import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/workflow/load.js';
import type { ParallelGroup } from '../../src/workflow/model.js';

const load = (name: string) =>
  loadWorkflow(name, readFileSync(new URL(`../fixtures/concurrent-corpus/${name}`, import.meta.url), 'utf8'));
const groupsOf = (name: string, job: string) => {
  const loaded = load(name);
  expect(loaded.diagnostics).toEqual([]);
  const j = loaded.workflow!.jobs.find((x) => x.id === job)!;
  return { job: j, groups: j.items.filter((i): i is ParallelGroup => i.kind === 'parallel') };
};
const where = (s: { label: string; range: { start: { line: number; column: number } } }) => [
  s.label,
  s.range.start.line,
  s.range.start.column,
];

describe('parallel groups in real workflows', () => {
  it('vuejs/core test.yml: members of each group are steps of the job, at their exact positions', () => {
    const { job, groups } = groupsOf('vuejs-core-test.yml', 'lint-and-test-dts');
    expect(groups).toHaveLength(1);
    expect(groups[0].steps.map(where)).toEqual([
      ['Run eslint', 119, 13],
      ['Run prettier', 122, 13],
    ]);
    expect(groups[0].steps.every((s) => job.steps.includes(s) && s.group === groups[0])).toBe(true);
    const windows = groupsOf('vuejs-core-test.yml', 'unit-test-windows').groups[0];
    expect(windows.steps.map(where)).toEqual([
      ['Run compiler unit tests', 54, 13],
      ['Run ssr unit tests', 57, 13],
    ]);
  });

  it('appwrite ci.yml: a group member keeps its uses, with: and if:', () => {
    const { groups } = groupsOf('appwrite-ci.yml', 'checks');
    const cache = groups[0].steps[1];
    expect(where(cache)).toEqual(['Cache PHPStan result cache', 129, 13]);
    expect(cache.uses?.text).toMatch(/^actions\/cache@/);
    expect(cache.with.find((w) => w.key === 'path')?.value?.text).toBe('.phpstan-cache');
    expect(cache.if?.expressions[0].refs.map((r) => r.path.join('.'))).toEqual(['install.outcome']);
    expect(groups[1].steps.map(where)).toEqual([
      ['Audit dependencies', 139, 13],
      ['Run Linter', 145, 13],
      ['Check Docker Compose formatting', 149, 13],
      ['Run Rector', 153, 13],
      ['Run PHPStan', 157, 13],
      ['Generate specs', 161, 13],
    ]);
  });
});
