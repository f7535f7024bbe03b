import { describe, it, expect } from 'vitest';
import type { FileResult, Range } from '../../src/findings.js';
import { jsonReporter, type JsonReport } from '../../src/report/json.js';
import type { ReportContext } from '../../src/report/types.js';

/** A one-line range of `length` columns starting at `offset`. */
function range(line: number, column: number, length: number, offset: number): Range {
  return {
    start: { line, column, offset },
    end: { line, column: column + length, offset: offset + length },
  };
}

const context: ReportContext = {
  root: '/repo',
  toolVersion: '1.2.3',
  informationUri: 'https://example.test',
  rules: [],
  color: false,
};

const results: FileResult[] = [
  {
    path: '.github/workflows/ci.yml',
    findings: [
      {
        ruleId: 'secret-echo',
        level: 'error',
        message: 'Secret printed to the log',
        detail: 'Secret printed to the log: $KEY <- secrets.KEY. Masking does not cover derived values.',
        range: range(12, 7, 20, 210),
        related: [{ message: 'Secret read here.', range: range(4, 9, 12, 40) }],
      },
      {
        ruleId: 'unpinned-action',
        level: 'warning',
        message: 'Action pinned to a branch.',
        range: range(3, 10, 15, 25),
        fix: { kind: 'unsafe' },
      },
    ],
  },
  { path: '.github/workflows/clean.yml', findings: [] },
];

describe('jsonReporter', () => {
  it('writes the documented schema (a detail for every finding, its message when it has none), pretty-printed', () => {
    const expected: JsonReport = {
      version: 1,
      tool: { name: 'wf-lint', version: '1.2.3' },
      files: [
        {
          file: '.github/workflows/ci.yml',
          findings: [
            {
              rule: 'secret-echo',
              level: 'error',
              message: 'Secret printed to the log',
              detail: 'Secret printed to the log: $KEY <- secrets.KEY. Masking does not cover derived values.',
              start: { line: 12, column: 7 },
              end: { line: 12, column: 27 },
              fixAvailable: false,
              fixKind: null,
              related: [{ message: 'Secret read here.', start: { line: 4, column: 9 }, end: { line: 4, column: 21 } }],
            },
            {
              rule: 'unpinned-action',
              level: 'warning',
              message: 'Action pinned to a branch.',
              detail: 'Action pinned to a branch.',
              start: { line: 3, column: 10 },
              end: { line: 3, column: 25 },
              fixAvailable: true,
              fixKind: 'unsafe',
              related: [],
            },
          ],
        },
        { file: '.github/workflows/clean.yml', findings: [] },
      ],
      summary: { files: 2, errors: 1, warnings: 1, notes: 0, fixable: 1, fixableSafe: 0, fixableUnsafe: 1 },
    };
    expect(jsonReporter(results, context)).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('still writes a document when nothing was linted', () => {
    expect(JSON.parse(jsonReporter([], context))).toEqual({
      version: 1,
      tool: { name: 'wf-lint', version: '1.2.3' },
      files: [],
      summary: { files: 0, errors: 0, warnings: 0, notes: 0, fixable: 0, fixableSafe: 0, fixableUnsafe: 0 },
    });
  });
});
