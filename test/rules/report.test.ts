import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import type { FixKind } from '../../src/findings.js';
import { lintBytes } from '../../src/lint.js';
import { defineRule } from '../../src/rules/rule.js';

/** A rule that reports the workflow's first job with a fix of the given kind. */
function ruleFixing(kind: FixKind, fixable: FixKind[]) {
  return defineRule({
    meta: {
      id: 'test-rule',
      summary: '',
      description: '',
      level: 'warning',
      securitySeverity: 1,
      precision: 'high',
      tags: [],
      fixable,
    },
    check({ workflow, report }) {
      const [job] = workflow.jobs;
      report({ at: job.keyRange, message: 'Job.', fix: { kind, description: 'nothing', edits: [] } });
    },
  });
}

function lintWith(rule: ReturnType<typeof ruleFixing>) {
  const internalErrors: string[] = [];
  const result = lintBytes(
    'w.yml',
    Buffer.from('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n'),
    {
      config: parseConfig('', 'default', [rule.meta]),
      rules: [rule],
      onInternalError: (ruleId, _path, error) => internalErrors.push(`${ruleId}: ${(error as Error).message}`),
    },
  );
  return { findings: result.findings, internalErrors };
}

describe('report()', () => {
  it('takes a fix of a kind the rule declares in meta.fixable', () => {
    const { findings, internalErrors } = lintWith(ruleFixing('unsafe', ['safe', 'unsafe']));
    expect(internalErrors).toEqual([]);
    expect(findings.map((f) => f.fix?.kind)).toEqual(['unsafe']);
  });

  it('throws on a fix of another kind, which the CLI reports as an internal error', () => {
    expect(lintWith(ruleFixing('unsafe', ['safe']))).toEqual({
      findings: [],
      internalErrors: ['test-rule: it returned a fix of kind unsafe, but its meta.fixable is [safe]'],
    });
    expect(lintWith(ruleFixing('safe', [])).internalErrors).toEqual([
      'test-rule: it returned a fix of kind safe, but its meta.fixable is []',
    ]);
  });
});
