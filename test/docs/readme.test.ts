import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { directiveMetas } from '../../src/rules/directives.js';
import { rules } from '../../src/rules/registry.js';
import { helpBlock, rulesTable, withGeneratedSections } from '../../scripts/docs/readme.js';
import { ROOT, runCli } from '../cli/run-cli.js';

const README = readFileSync(`${ROOT}/README.md`, 'utf8');

/** The README as `npm run docs` would write it, with one section regenerated. */
const regenerated = (name: string, content: string) => withGeneratedSections(README, { [name]: content });

describe('README.md (npm run docs writes its generated sections)', () => {
  it("lists every rule with its level and fix kinds, as the rules' metadata says", () => {
    expect(regenerated('rules', rulesTable([...rules.map((r) => r.meta), ...directiveMetas]))).toBe(README);
  });

  it('shows the options exactly as `wf-lint --help` prints them', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(regenerated('help', helpBlock(help.stdout))).toBe(README);
  });
});
