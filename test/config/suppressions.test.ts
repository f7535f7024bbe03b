import { describe, expect, it } from 'vitest';
import { applySuppressions, parseDirectives, type Directive } from '../../src/config/suppressions.js';
import type { Finding, Range } from '../../src/findings.js';

const KNOWN_RULE_IDS = new Set(['late-secret-read', 'unpinned-action', 'deploy-without-environment']);

/** A finding of `ruleId` starting at the beginning of `line` (columns do not matter to suppression). */
function finding(ruleId: string, line: number): Finding {
  const at = { line, column: 1, offset: 0 };
  return { ruleId, level: 'warning', message: `${ruleId} on line ${line}`, range: { start: at, end: at } };
}

function suppress(text: string, findings: Finding[], reportUnused = false) {
  return applySuppressions(findings, parseDirectives(text), { knownRuleIds: KNOWN_RULE_IDS, reportUnused });
}

/** The text a range covers. */
function textAt(text: string, range: Range): string {
  return text.slice(range.start.offset, range.end.offset);
}

describe('parseDirectives', () => {
  it('reads kind, rule ids, reason and positions', () => {
    const text = [
      'jobs:',
      '  build:',
      '    # wf-lint-disable-next-line late-secret-read, unpinned-action -- token is short-lived',
      '    steps: []',
    ].join('\n');
    const [directive] = parseDirectives(text);
    expect(directive).toMatchObject({
      kind: 'disable-next-line',
      rules: ['late-secret-read', 'unpinned-action'],
      line: 3,
      reason: 'token is short-lived',
    });
    expect(directive.range.start).toEqual({ line: 3, column: 5, offset: 19 });
    expect(textAt(text, directive.range)).toBe(
      '# wf-lint-disable-next-line late-secret-read, unpinned-action -- token is short-lived',
    );
    expect(directive.ruleRanges.map((range) => textAt(text, range))).toEqual(['late-secret-read', 'unpinned-action']);
    expect(directive.ruleRanges[1].start).toEqual({ line: 3, column: 51, offset: 65 });
  });

  it('reads trailing comments, directives without rules, and shell comments in run scripts', () => {
    const text = [
      '    - uses: actions/checkout@v4 # wf-lint-disable-line unpinned-action',
      '    - run: |',
      '        curl "$URL" #wf-lint-disable-line',
      '        # wf-lint-disable',
    ].join('\n');
    expect(parseDirectives(text).map(({ kind, rules, line }) => ({ kind, rules, line }))).toEqual([
      { kind: 'disable-line', rules: ['unpinned-action'], line: 1 },
      { kind: 'disable-line', rules: [], line: 3 },
      { kind: 'disable-file', rules: [], line: 4 },
    ]);
  });

  it('ignores a # that does not start a comment, and look-alike keywords', () => {
    const text = [
      'url: https://example.com/#wf-lint-disable-line',
      'name: a#b # wf-lint-disable-lines',
      'run: echo "#wf-lint-disable"',
    ].join('\n');
    expect(parseDirectives(text)).toEqual([]);
  });

  it('takes a file-level directive only on a line of its own', () => {
    expect(parseDirectives('name: ci # wf-lint-disable late-secret-read\n')).toEqual([]);
    expect(parseDirectives('  # wf-lint-disable late-secret-read\n')).toMatchObject([
      { kind: 'disable-file', line: 1 },
    ]);
  });

  it('keeps CR out of rule ids and reasons, and counts CRLF offsets', () => {
    const text =
      'on: push\r\n# wf-lint-disable-next-line late-secret-read\r\njobs: {} # wf-lint-disable-line -- why not\r\n';
    const [nextLine, sameLine] = parseDirectives(text);
    expect(nextLine.rules).toEqual(['late-secret-read']);
    expect(nextLine.range.start).toEqual({ line: 2, column: 1, offset: 10 });
    expect(textAt(text, nextLine.ruleRanges[0])).toBe('late-secret-read');
    expect(sameLine).toMatchObject({ rules: [], line: 3, reason: 'why not' });
    expect(textAt(text, sameLine.range)).toBe('# wf-lint-disable-line -- why not');
  });
});

describe('applySuppressions', () => {
  it('suppresses the named rule on the next line only', () => {
    const text = '# wf-lint-disable-next-line late-secret-read\nsteps: []\nmore: []\n';
    const findings = [finding('late-secret-read', 2), finding('unpinned-action', 2), finding('late-secret-read', 3)];
    const result = suppress(text, findings);
    expect(result.findings).toEqual(findings.slice(1));
    expect(result.problems).toEqual([]);
  });

  it('suppresses on the directive line itself with disable-line', () => {
    const text = 'a: 1\nuses: x@main # wf-lint-disable-line unpinned-action\n';
    expect(suppress(text, [finding('unpinned-action', 1), finding('unpinned-action', 2)]).findings).toEqual([
      finding('unpinned-action', 1),
    ]);
  });

  it('suppresses throughout the file with a file-level directive', () => {
    const text = 'a: 1\n# wf-lint-disable deploy-without-environment\n';
    const findings = [
      finding('deploy-without-environment', 1),
      finding('deploy-without-environment', 9),
      finding('late-secret-read', 9),
    ];
    const result = suppress(text, findings);
    expect(result.findings).toEqual([finding('late-secret-read', 9)]);
  });

  it('suppresses every rule when the directive names none', () => {
    const text = '# wf-lint-disable-next-line -- generated file\nsteps: []\n';
    expect(suppress(text, [finding('late-secret-read', 2), finding('some-future-rule', 2)]).findings).toEqual([]);
  });

  it('does not read the reason as rule ids', () => {
    const text = '# wf-lint-disable-next-line unpinned-action -- late-secret-read is fine too\nsteps: []\n';
    const result = suppress(text, [finding('late-secret-read', 2), finding('unpinned-action', 2)]);
    expect(result.findings).toEqual([finding('late-secret-read', 2)]);
    expect(result.problems).toEqual([]);
  });

  it('reports unknown rule ids at the id, and does not widen the directive to all rules', () => {
    const text = 'steps: [] # wf-lint-disable-line late-secret-reed\n';
    const result = suppress(text, [finding('late-secret-read', 1)]);
    expect(result.findings).toEqual([finding('late-secret-read', 1)]);
    expect(result.problems).toEqual([
      {
        ruleId: 'invalid-directive',
        level: 'error',
        message: 'Unknown rule "late-secret-reed" in wf-lint-disable-line directive. Did you mean "late-secret-read"?',
        range: {
          start: { line: 1, column: 34, offset: 33 },
          end: { line: 1, column: 50, offset: 49 },
        },
      },
    ]);
  });

  it('reports unused directives and unused rule ids only when asked', () => {
    const text = [
      '# wf-lint-disable-next-line late-secret-read, unpinned-action',
      'steps: []',
      'jobs: {} # wf-lint-disable-line',
      '# wf-lint-disable deploy-without-environment',
    ].join('\n');
    const findings = [finding('unpinned-action', 2)];
    expect(suppress(text, findings).problems).toEqual([]);

    const problems = suppress(text, findings, true).problems;
    expect(problems.map(({ ruleId, level, message }) => ({ ruleId, level, message }))).toEqual([
      {
        ruleId: 'unused-directive',
        level: 'warning',
        message:
          'Unused wf-lint-disable-next-line directive (no problems were reported for late-secret-read on line 2).',
      },
      {
        ruleId: 'unused-directive',
        level: 'warning',
        message: 'Unused wf-lint-disable-line directive (no problems were reported on line 3).',
      },
      {
        ruleId: 'unused-directive',
        level: 'warning',
        message:
          'Unused wf-lint-disable directive (no problems were reported for deploy-without-environment in this file).',
      },
    ]);
    expect(problems.map((problem) => textAt(text, problem.range))).toEqual([
      'late-secret-read',
      '# wf-lint-disable-line',
      'deploy-without-environment',
    ]);
  });

  it('counts every directive that covers a finding as used', () => {
    const text = '# wf-lint-disable late-secret-read\n# wf-lint-disable-next-line late-secret-read\nsteps: []\n';
    expect(suppress(text, [finding('late-secret-read', 3)], true)).toEqual({ findings: [], problems: [] });
  });

  it('never suppresses findings about directives', () => {
    const directives: Directive[] = parseDirectives('# wf-lint-disable\n');
    const result = applySuppressions([finding('unused-directive', 1), finding('invalid-directive', 1)], directives, {
      knownRuleIds: KNOWN_RULE_IDS,
      reportUnused: true,
    });
    expect(result.findings.map((kept) => kept.ruleId)).toEqual(['unused-directive', 'invalid-directive']);
    expect(result.problems.map((problem) => problem.ruleId)).toEqual(['unused-directive']);
  });
});
