import { lintBytes } from '../../src/lint.js';
import type { Rule } from '../../src/rules/rule.js';
import type { LintedExample } from '../../scripts/docs/rule-page.js';
import { expectationsOf, findingText, fixtureConfig } from '../rules/harness.js';

/**
 * A linted example's `# expect:` lines and the findings it gets, side by side, as rules-docs/TEMPLATE.md
 * describes: the findings of the page's rule and of every rule an `# expect:` line names, linted as
 * `wf-lint --report-unused-disable-directives` does.
 */
export function exampleFindings(example: LintedExample, pageRule: string, rules: readonly Rule[]) {
  const expected = expectationsOf(example.text);
  const shown = new Set([pageRule, ...expected.map((e) => e.rule)]);
  const result = lintBytes('example.yml', Buffer.from(example.text), {
    config: fixtureConfig(example.text),
    rules,
    reportUnusedDirectives: true,
    onInternalError: (rule, _path, error) => {
      throw new Error(`rule ${rule} failed: ${String(error)}`);
    },
  });
  const actual = result.findings
    .filter((f) => shown.has(f.ruleId))
    .map((f) => ({
      rule: f.ruleId,
      level: f.level,
      line: f.range.start.line,
      column: f.range.start.column,
      message: findingText(f),
    }));
  return { expected, actual };
}
