import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/registry.js';
import { expectationsOf, findingText, FIXTURES, fixtureFiles, lintFixture } from './harness.js';

for (const rule of rules) {
  const id = rule.meta.id;
  describe(id, () => {
    it('has positive and negative fixtures', () => {
      expect(existsSync(join(FIXTURES, id)), `test/fixtures/${id}/ is missing`).toBe(true);
      const files = fixtureFiles(id);
      expect(files.some((f) => f.endsWith('.ok.yml'))).toBe(true);
      expect(files.some((f) => !f.endsWith('.ok.yml'))).toBe(true);
    });

    if (!existsSync(join(FIXTURES, id))) return;
    for (const file of fixtureFiles(id)) {
      it(`${file}`, () => {
        const { text, findings } = lintFixture(join(FIXTURES, id, file), id);
        const expected = expectationsOf(text).filter((e) => e.rule === id);
        if (file.endsWith('.ok.yml')) expect(expected).toEqual([]);
        else expect(expected.length, 'a positive fixture lists its findings with # expect:').toBeGreaterThan(0);
        const actual = findings.map((f) => ({
          rule: f.ruleId,
          level: f.level,
          line: f.range.start.line,
          column: f.range.start.column,
          message: findingText(f),
        }));
        expect(actual.map(({ message: _m, ...rest }) => rest)).toEqual(
          expected.map(({ fragment: _f, ...rest }) => rest),
        );
        expected.forEach((e, i) => {
          if (e.fragment) expect(actual[i].message).toContain(e.fragment);
        });
      });
    }
  });
}
