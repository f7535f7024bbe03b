import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintBytes } from '../../src/lint.js';
import type { Rule } from '../../src/rules/rule.js';
import { rules } from '../../src/rules/registry.js';
import { rulePageHeader, lintedExamples, sectionProblems, templateSections } from '../../scripts/docs/rule-page.js';
import { scaffoldRule } from '../../scripts/new-rule.js';
import { ROOT } from '../cli/run-cli.js';
import { expectationsOf, fixtureConfig } from '../rules/harness.js';
import { longLines } from '../style/long-lines.js';
import { exampleFindings } from './examples.js';

/** `npm run new-rule`, run in a copy of the sources so that it cannot rot: what it writes passes the checks every rule passes. */
const ID = 'job-timeout';
let root: string;
let rule: Rule;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wf-lint-new-rule-'));
  cpSync(join(ROOT, 'src'), join(root, 'src'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  cpSync(join(ROOT, '.prettierrc.json'), join(root, '.prettierrc.json'));
  mkdirSync(join(root, 'rules-docs'));
  cpSync(join(ROOT, 'rules-docs/TEMPLATE.md'), join(root, 'rules-docs/TEMPLATE.md'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ ...tsconfig, include: ['src'] }));
  scaffoldRule(root, ID);
  rule = (await import(join(root, 'src/rules', `${ID}.ts`))).jobTimeout;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('npm run new-rule', () => {
  it('registers the rule', () => {
    expect(read('src/rules/registry.ts')).toContain(`import { jobTimeout } from './${ID}.js';`);
    // At the end of the list, after the rule that was last.
    expect(read('src/rules/registry.ts')).toMatch(/ {2}[a-z]\w*,\n {2}jobTimeout,\n\];/);
  });

  it('writes a page that passes the docs checks: header, sections, linted examples', () => {
    const page = read(`rules-docs/${ID}.md`);
    expect(page.split('\n').slice(0, 4)).toEqual([`# ${ID}`, '', rulePageHeader(rule.meta), '']);
    expect(page).not.toContain('template');
    expect(sectionProblems(page, templateSections(read('rules-docs/TEMPLATE.md')))).toEqual([]);
    const examples = lintedExamples(page);
    expect(examples.some((e) => expectationsOf(e.text).some((x) => x.rule === ID))).toBe(true);
    for (const example of examples) {
      const { expected, actual } = exampleFindings(example, ID, [rule]);
      expect(actual.map(({ message: _m, ...at }) => at)).toEqual(expected.map(({ fragment: _f, ...at }) => at));
    }
  });

  it('writes a positive and a negative fixture that the example check gets right', () => {
    for (const [file, count] of [
      ['example.yml', 1],
      ['example.ok.yml', 0],
    ] as const) {
      const text = read(`test/fixtures/${ID}/${file}`);
      const findings = lintBytes(file, Buffer.from(text), {
        config: fixtureConfig(text),
        rules: [rule],
        onInternalError: (_r, _p, e) => {
          throw e;
        },
      }).findings;
      expect(findings.map((f) => `${f.ruleId} ${f.level} ${f.range.start.line}:${f.range.start.column}`)).toEqual(
        expectationsOf(text).map((e) => `${e.rule} ${e.level} ${e.line}:${e.column}`),
      );
      expect(findings).toHaveLength(count);
    }
  });

  it('writes TypeScript that type-checks with the rest of the sources', () => {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], {
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  it('writes TypeScript in the house format (npm test checks it with Prettier and the line width)', () => {
    const files = [`src/rules/${ID}.ts`, 'src/rules/registry.ts'];
    const prettier = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/prettier/bin/prettier.cjs'), '--check', ...files],
      { cwd: root, encoding: 'utf8' },
    );
    expect(prettier.stderr).toBe('');
    expect(prettier.status).toBe(0);
    expect(files.flatMap((f) => longLines(f, read(f)))).toEqual([]);
  }, 60_000);

  it('refuses an id that is taken or malformed', () => {
    expect(() => scaffoldRule(root, ID)).toThrow(/exists already/);
    expect(() => scaffoldRule(root, 'Bad_Id')).toThrow(/is not a rule id/);
    expect(rules.some((r) => r.meta.id === ID)).toBe(false);
  });
});
