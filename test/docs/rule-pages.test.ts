import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directiveMetas } from '../../src/rules/directives.js';
import { rules } from '../../src/rules/registry.js';
import {
  HEADER_LINE,
  lintedExamples,
  rulePageHeader,
  sectionProblems,
  templateSections,
} from '../../scripts/docs/rule-page.js';
import { expectationsOf } from '../rules/harness.js';
import { exampleFindings } from './examples.js';

/**
 * Every rule's page follows rules-docs/TEMPLATE.md, as typescript-eslint's docs.test.mts and ESLint's
 * checkRuleFiles check theirs: it exists, its header is the one its metadata makes, its sections come
 * in the template's order, and its linted examples get exactly the findings they list.
 */
const DOCS = new URL('../../rules-docs/', import.meta.url).pathname;
const TEMPLATE = templateSections(readFileSync(join(DOCS, 'TEMPLATE.md'), 'utf8'));
const metas = [...rules.map((r) => r.meta), ...directiveMetas];

describe('rules-docs/', () => {
  it('holds a page for each rule and no other, besides TEMPLATE.md', () => {
    const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md') && f !== 'TEMPLATE.md');
    expect(pages.sort()).toEqual(metas.map((m) => `${m.id}.md`).sort());
  });

  for (const meta of metas) {
    const path = join(DOCS, `${meta.id}.md`);
    describe(`${meta.id}.md`, () => {
      const page = existsSync(path) ? readFileSync(path, 'utf8') : '';

      it('exists', () =>
        expect(existsSync(path), `rules-docs/${meta.id}.md is missing: start it from rules-docs/TEMPLATE.md`).toBe(
          true,
        ));

      it("starts with the title and the header made from the rule's metadata (npm run docs writes it)", () => {
        expect(page.split('\n').slice(0, HEADER_LINE + 1)).toEqual([`# ${meta.id}`, '', rulePageHeader(meta), '']);
      });

      it('has the sections of rules-docs/TEMPLATE.md, in its order', () => {
        expect(sectionProblems(page, TEMPLATE)).toEqual([]);
      });

      const examples = lintedExamples(page);
      it('has a linted example that the rule reports', () => {
        expect(examples.some((example) => expectationsOf(example.text).some((e) => e.rule === meta.id))).toBe(true);
      });

      for (const example of examples) {
        it(`example at line ${example.line} gets exactly the findings its # expect: lines list`, () => {
          const { expected, actual } = exampleFindings(example, meta.id, rules);
          expect(actual.map(({ message: _m, ...at }) => at)).toEqual(expected.map(({ fragment: _f, ...at }) => at));
          expected.forEach((e, i) => {
            if (e.fragment) expect(actual[i].message).toContain(e.fragment);
          });
        });
      }
    });
  }
});
