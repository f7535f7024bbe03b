import { describe, it, expect } from 'vitest';
import type { FileResult, Finding, Range } from '../../src/findings.js';
import { stylishReporter } from '../../src/report/stylish.js';
import type { ReportContext } from '../../src/report/types.js';

/** A one-line range of `length` columns; offsets are not shown by this reporter. */
function range(line: number, column: number, length = 1): Range {
  return { start: { line, column, offset: 0 }, end: { line, column: column + length, offset: length } };
}

function context(color: boolean, layout: Pick<ReportContext, 'columns' | 'verbose'> = {}): ReportContext {
  return { root: '/repo', toolVersion: '1.2.3', informationUri: 'https://example.test', rules: [], color, ...layout };
}

const secretEcho: Finding = {
  ruleId: 'secret-echo',
  level: 'error',
  message: 'Secret printed to the log.',
  detail: 'Secret printed to the log: $KEY <- secrets.KEY. Masking does not cover transformed values.',
  range: range(12, 7, 20),
};
const unpinnedAction: Finding = {
  ruleId: 'unpinned-action',
  level: 'warning',
  message: 'Action pinned to a branch.',
  range: range(3, 10, 15),
  fix: { kind: 'unsafe', description: 'Pin to a commit', edits: [] },
};
const broadPermissions: Finding = {
  ruleId: 'broad-permissions',
  level: 'note',
  message: 'Workflow has write-all permissions.',
  range: range(3, 2),
};

const results: FileResult[] = [
  { path: '.github/workflows/ci.yml', findings: [secretEcho, unpinnedAction, broadPermissions] },
  { path: '.github/workflows/clean.yml', findings: [] },
  { path: '.github/workflows/deploy.yml', findings: [{ ...secretEcho, range: range(1, 1) }] },
];

describe('stylishReporter', () => {
  it('groups findings by file, sorted by position and aligned, then counts them', () => {
    expect(stylishReporter(results, context(false))).toBe(
      [
        '.github/workflows/ci.yml',
        '  3:2   note     Workflow has write-all permissions.  broad-permissions',
        '  3:10  warning  Action pinned to a branch.  unpinned-action',
        '  12:7  error    Secret printed to the log.  secret-echo',
        '',
        '.github/workflows/deploy.yml',
        '  1:1  error  Secret printed to the log.  secret-echo',
        '',
        '✖ 4 problems (2 errors, 1 warning, 1 note)',
        '  1 fixable with --fix --unsafe-fixes',
        '',
      ].join('\n'),
    );
  });

  it('counts safe fixes as fixable with --fix and unsafe ones as needing --unsafe-fixes', () => {
    const safe: Finding = { ...secretEcho, fix: { kind: 'safe', description: 'Mask it', edits: [] } };
    const footer = (findings: Finding[]) => {
      const lines = stylishReporter([{ path: 'a.yml', findings }], context(false))
        .trimEnd()
        .split('\n');
      return lines.slice(lines.findIndex((line) => line.startsWith('✖')) + 1);
    };
    expect(footer([safe, safe, unpinnedAction])).toEqual(['  2 fixable with --fix, 1 more with --fix --unsafe-fixes']);
    expect(footer([safe])).toEqual(['  1 fixable with --fix']);
    expect(footer([secretEcho])).toEqual([]);
  });

  it('colours levels, positions, the path and the summary when asked', () => {
    const one: FileResult[] = [{ path: 'a.yml', findings: [unpinnedAction] }];
    expect(stylishReporter(one, context(true))).toBe(
      [
        '\u001b[4ma.yml\u001b[24m',
        '  \u001b[2m3:10\u001b[22m  \u001b[33mwarning\u001b[39m  Action pinned to a branch.  \u001b[2munpinned-action\u001b[22m',
        '',
        '\u001b[33m\u001b[1m✖ 1 problem (0 errors, 1 warning, 0 notes)\u001b[22m\u001b[39m',
        '\u001b[33m\u001b[1m  1 fixable with --fix --unsafe-fixes\u001b[22m\u001b[39m',
        '',
      ].join('\n'),
    );
  });

  describe('at the terminal width', () => {
    const long: Finding = {
      ruleId: 'secret-in-cli-args',
      level: 'error',
      message: '`$DEPLOY_TOKEN` reaches `curl` as `-H` (secret on the command line)',
      detail: 'Secret passed as a command-line argument to `curl` as `-H`: $DEPLOY_TOKEN <- secrets.DEPLOY_TOKEN.',
      range: range(12, 7),
    };
    const render = (findings: Finding[], layout: Pick<ReportContext, 'columns' | 'verbose'>) =>
      stylishReporter([{ path: 'a.yml', findings }], context(false, layout)).split('\n');

    it('wraps the first line under the message column, the rule id whole after its last word', () => {
      expect(render([long], { columns: 64 }).slice(1, 4)).toEqual([
        '  12:7  error  `$DEPLOY_TOKEN` reaches `curl` as `-H` (secret on',
        '               the command line)  secret-in-cli-args',
        '',
      ]);
    });

    it('moves the rule id to a line of its own rather than split it', () => {
      expect(render([long], { columns: 83 }).slice(1, 4)).toEqual([
        '  12:7  error  `$DEPLOY_TOKEN` reaches `curl` as `-H` (secret on the command line)',
        '               secret-in-cli-args',
        '',
      ]);
    });

    it('cuts a word only when it is wider than the message column', () => {
      const url: Finding = { ...long, message: `See https://example.test/${'x'.repeat(40)}` };
      expect(render([url], { columns: 50 }).slice(1, 5)).toEqual([
        '  12:7  error  See',
        `               https://example.test/${'x'.repeat(14)}`,
        `               ${'x'.repeat(26)}`,
        '               secret-in-cli-args',
      ]);
    });

    it('adds the explanation below the first line with --verbose, in the message column', () => {
      expect(render([long, unpinnedAction], { columns: 80, verbose: true }).slice(0, 9)).toEqual([
        'a.yml',
        '  3:10  warning  Action pinned to a branch.  unpinned-action',
        '',
        '  12:7  error    `$DEPLOY_TOKEN` reaches `curl` as `-H` (secret on the command',
        '                 line)  secret-in-cli-args',
        '                 Secret passed as a command-line argument to `curl` as `-H`:',
        '                 $DEPLOY_TOKEN <- secrets.DEPLOY_TOKEN.',
        '',
        '✖ 2 problems (1 error, 1 warning, 0 notes)',
      ]);
    });

    it('defaults to 100 columns, a line of exactly that width included', () => {
      const short: Finding = { ...long, message: '`$SIGN_TOKEN` reaches `curl` as `-H` (secret on the command line)' };
      expect(render([short], {})[1]).toBe(
        '  12:7  error  `$SIGN_TOKEN` reaches `curl` as `-H` (secret on the command line)  secret-in-cli-args',
      );
      expect(render([short], { columns: 99 }).slice(1, 3)).toEqual([
        '  12:7  error  `$SIGN_TOKEN` reaches `curl` as `-H` (secret on the command line)',
        '               secret-in-cli-args',
      ]);
    });
  });

  it('uses no escape codes without colour', () => {
    expect(stylishReporter(results, context(false))).not.toContain('\u001b');
  });

  it('prints nothing when there are no findings', () => {
    expect(stylishReporter([], context(true))).toBe('');
    expect(stylishReporter([{ path: 'a.yml', findings: [] }], context(true))).toBe('');
  });
});
