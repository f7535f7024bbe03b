import { describe, expect, it } from 'vitest';
import { describeRules } from '../../src/rules/docs.js';
import { rules } from '../../src/rules/registry.js';

describe('describeRules', () => {
  it("gives each rule its page from rules-docs/ as SARIF's help", () => {
    const [syntaxError] = describeRules([rules[0].meta]);
    expect(syntaxError.helpMarkdown).toMatch(/^# syntax-error\n/);
    expect(syntaxError.helpUri).toBe('https://github.com/wf-lint/wf-lint/blob/main/rules-docs/syntax-error.md');
  });

  it('fails on a rule without a page instead of making one up', () => {
    expect(() => describeRules([{ ...rules[0].meta, id: 'no-such-rule' }])).toThrow(
      /rules-docs\/no-such-rule\.md is missing/,
    );
  });
});
