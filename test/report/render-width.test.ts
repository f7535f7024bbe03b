import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FileResult } from '../../src/findings.js';
import { lintFiles } from '../../src/lint.js';
import { columnsOf, stylishReporter } from '../../src/report/stylish.js';
import { DEFAULT_LINT } from '../lint-options.js';
import { FIXTURES } from '../rules/harness.js';

/** The terminal the report is rendered for, and the longest first line a finding may have. */
const COLUMNS = 100;
const FIRST_LINE_LIMIT = 120;

/** Every workflow of test/fixtures (fixed ones, bad input and configs too): hundreds of findings of every rule. */
const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => ({ abs: join(FIXTURES, f), path: f }));
// Linted once the shell parser is loaded (test/setup-shell.ts, before each file's tests).
let results: FileResult[] = [];
let findings: FileResult['findings'] = [];
beforeAll(() => {
  results = lintFiles(files, { ...DEFAULT_LINT, reportUnusedDirectives: true }).results;
  findings = results.flatMap((r) => r.findings);
}, 120_000);

/** One file's report at COLUMNS, as blocks of lines: a finding's first line and the lines that continue it. */
function findingBlocks(result: FileResult): string[][] {
  const context = { root: '/', toolVersion: '0', informationUri: '', rules: [], color: false, columns: COLUMNS };
  const lines = stylishReporter([result], context).split('\n');
  const blocks: string[][] = [];
  for (const line of lines.slice(1, lines.indexOf(''))) {
    if (/^ {2}\d+:\d+ /.test(line)) blocks.push([line]);
    else blocks.at(-1)!.push(line);
  }
  return blocks;
}

describe(`the stylish report of every fixture at ${COLUMNS} columns`, () => {
  it('has findings of every rule to render', () => {
    expect(findings.length).toBeGreaterThan(400);
    expect(new Set(findings.map((f) => f.ruleId)).size).toBeGreaterThanOrEqual(12);
  });

  it(`gives every finding a first line of at most ${FIRST_LINE_LIMIT} characters`, () => {
    const long = findings.filter((f) => f.message.length > FIRST_LINE_LIMIT).map((f) => f.message);
    expect(long).toEqual([]);
  });

  it('shows no line of a finding wider than the terminal, and each rule id whole after its message', () => {
    const problems: string[] = [];
    for (const result of results.filter((r) => r.findings.length > 0)) {
      const blocks = findingBlocks(result);
      const sorted = [...result.findings].sort(
        (a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column,
      );
      expect(blocks).toHaveLength(sorted.length);
      blocks.forEach((block, i) => {
        const wide = block.filter((line) => columnsOf(line) > COLUMNS);
        if (wide.length > 0) problems.push(`${result.path}: ${wide.join(' / ')}`);
        if (!new RegExp(`(^| {2})${sorted[i].ruleId}$`).test(block.at(-1)!.trim()))
          problems.push(`${result.path}: no whole rule id at the end of ${block.join(' / ')}`);
      });
    }
    expect(problems).toEqual([]);
  });
});
