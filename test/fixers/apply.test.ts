import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import type { Fix } from '../../src/findings.js';
import { fixText } from '../../src/fixers/apply.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';

const WORKFLOW = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';

/** A rule that reports `make` on every pass, with the fix `fixOf` computes from the text. */
function ruleWithFix(fixOf: (text: string) => Fix): Rule {
  return defineRule({
    meta: {
      id: 'test-rule',
      summary: 'test',
      description: 'test',
      level: 'warning',
      securitySeverity: 1,
      precision: 'high',
      tags: [],
      fixable: ['safe'],
    },
    check({ workflow, report }) {
      const at = workflow.file.text.indexOf('make');
      if (at < 0) return;
      report({ at: workflow.file.range(at, at + 4), message: 'make', fix: fixOf(workflow.file.text) });
    },
  });
}

function fix(rule: Rule, text = WORKFLOW) {
  const lint = {
    config: parseConfig('', '/repo/.wf-lint.yml', [rule.meta]),
    rules: [rule],
    onInternalError(_rule: string, _path: string, error: unknown): never {
      throw error;
    },
  };
  return fixText('ci.yml', text, { lint, unsafe: false });
}

describe('fixText', () => {
  it('no longer offers a fix it left out because the file would break', () => {
    // `jobs: 3` is a file GitHub refuses.
    const breaking = ruleWithFix((text) => ({
      kind: 'safe',
      description: 'break it',
      edits: [{ start: text.indexOf('\n  build'), end: text.length, text: ' 3\n' }],
    }));
    const outcome = fix(breaking);
    expect(outcome.changed).toBe(false);
    expect(outcome.discarded).toMatch(/^1 fix not applied, the file would no longer be a valid workflow/);
    expect(outcome.result.findings.map((f) => [f.ruleId, f.fix])).toEqual([['test-rule', undefined]]);
  });

  it('no longer offers a fix that it applied and that did not resolve the finding', () => {
    const appending = ruleWithFix((text) => ({
      kind: 'safe',
      description: 'comment',
      edits: [{ start: text.length, end: text.length, text: '# checked\n' }],
    }));
    const outcome = fix(appending);
    expect(outcome.text).toBe(`${WORKFLOW}# checked\n`);
    expect(outcome.result.findings.map((f) => [f.ruleId, f.fix])).toEqual([['test-rule', undefined]]);
  });

  it('gives the findings left at the positions of the fixed text, and of the original', () => {
    // The fix inserts two lines above `make`.
    const inserting = ruleWithFix((text) => ({
      kind: 'safe',
      description: 'insert',
      edits: [
        {
          start: text.indexOf('      - run'),
          end: text.indexOf('      - run'),
          text: '      - run: a\n      - run: b\n',
        },
      ],
    }));
    const outcome = fix(inserting);
    const [after] = outcome.result.findings;
    const [before] = outcome.resultBefore().findings;
    expect([after.range.start.line, after.range.start.column]).toEqual([8, 14]);
    expect([before.range.start.line, before.range.start.column, before.range.end.column]).toEqual([6, 14, 18]);
    expect(before.fingerprint).toBeDefined();
  });
});
