import { describe, it, expect } from 'vitest';
import type { FileResult, Finding, Range } from '../../src/findings.js';
import { githubReporter } from '../../src/report/github.js';
import type { ReportContext } from '../../src/report/types.js';

function range(line: number, column: number, endLine: number, endColumn: number): Range {
  return { start: { line, column, offset: 0 }, end: { line: endLine, column: endColumn, offset: 0 } };
}

const context: ReportContext = {
  root: '/repo',
  toolVersion: '1.2.3',
  informationUri: 'https://example.test',
  rules: [],
  color: false,
};

function finding(level: Finding['level'], message: string): Finding {
  return { ruleId: 'secret-echo', level, message, range: range(12, 7, 13, 2) };
}

describe('githubReporter', () => {
  it('writes one workflow command per finding, notes as notices', () => {
    const results: FileResult[] = [
      {
        path: '.github/workflows/ci.yml',
        findings: [finding('error', 'Secret printed.'), finding('note', 'FYI.')],
      },
      { path: '.github/workflows/clean.yml', findings: [] },
      { path: 'deploy.yml', findings: [finding('warning', 'Unpinned.')] },
    ];
    expect(githubReporter(results, context)).toBe(
      [
        '::error file=.github/workflows/ci.yml,line=12,col=7,endLine=13,endColumn=2,title=secret-echo::Secret printed.',
        '::notice file=.github/workflows/ci.yml,line=12,col=7,endLine=13,endColumn=2,title=secret-echo::FYI.',
        '::warning file=deploy.yml,line=12,col=7,endLine=13,endColumn=2,title=secret-echo::Unpinned.',
        '',
      ].join('\n'),
    );
  });

  it('escapes the message and, more strictly, property values', () => {
    const results: FileResult[] = [
      {
        path: 'odd,name:50%.yml',
        findings: [{ ...finding('error', '100% sure: a, b\r\nnext line\nlast'), ruleId: 'rule:x,y' }],
      },
    ];
    expect(githubReporter(results, context)).toBe(
      '::error file=odd%2Cname%3A50%25.yml,line=12,col=7,endLine=13,endColumn=2,title=rule%3Ax%2Cy' +
        '::100%25 sure: a, b%0D%0Anext line%0Alast\n',
    );
  });

  it('heads an annotation with the rule and the first line, above the explanation', () => {
    const detailed = {
      ...finding('error', 'Secret printed'),
      detail: 'Secret printed: $KEY <- secrets.KEY.\nMask it.',
    };
    expect(githubReporter([{ path: 'ci.yml', findings: [detailed] }], context)).toBe(
      '::error file=ci.yml,line=12,col=7,endLine=13,endColumn=2,title=secret-echo%3A Secret printed' +
        '::Secret printed: $KEY <- secrets.KEY.%0AMask it.\n',
    );
  });

  it('writes nothing when there are no findings', () => {
    expect(githubReporter([{ path: 'a.yml', findings: [] }], context)).toBe('');
  });
});
