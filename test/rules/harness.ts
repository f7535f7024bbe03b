import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CalledWorkflows } from '../../src/analysis/called-workflows.js';
import { parseConfig } from '../../src/config/config.js';
import type { Finding } from '../../src/findings.js';
import { lintBytes, readCalledWorkflow } from '../../src/lint.js';
import { rules } from '../../src/rules/registry.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/**
 * An expected finding, written at the top of a fixture as
 *   # expect: RULE LEVEL LINE:COL ["message fragment"]
 * The fragment is found in the finding's first line or in its explanation (findingText).
 * Files named `*.ok.yml` expect no finding of their folder's rule.
 */
export interface Expectation {
  rule: string;
  level: string;
  line: number;
  column: number;
  fragment?: string;
}

const EXPECT = /^#\s*expect:\s*([a-z0-9-]+)\s+(error|warning|note)\s+(\d+):(\d+)(?:\s+"(.*)")?\s*$/;

export function expectationsOf(text: string): Expectation[] {
  return text.split(/\r?\n/).flatMap((line) => {
    const m = EXPECT.exec(line.trim());
    return m ? [{ rule: m[1], level: m[2], line: Number(m[3]), column: Number(m[4]), fragment: m[5] }] : [];
  });
}

/**
 * What an expectation's fragment is looked for in: the finding's first line and its explanation, on lines
 * of their own, so that a fragment (which has no line break) matches one or the other.
 */
export function findingText(finding: Pick<Finding, 'message' | 'detail'>): string {
  return `${finding.message}\n${finding.detail ?? ''}`;
}

export function fixtureFiles(dir: string): string[] {
  return (
    readdirSync(join(FIXTURES, dir), { recursive: true, encoding: 'utf8' })
      // A fixture tree's local actions (`.github/actions/x/action.yml`) are what its workflows use, not fixtures.
      .filter((f) => /\.ya?ml$/.test(f) && !f.includes('.fixed.') && !/(^|\/)action\.ya?ml$/.test(f))
      .sort()
  );
}

/** A fixture may carry its own config in a `# config: {…}` line (YAML flow syntax, so also a valid .wf-lint.yml). */
export function fixtureConfigText(text: string): string {
  return /^#\s*config:\s*(.*)$/m.exec(text)?.[1] ?? '';
}

export const fixtureConfig = (text: string) =>
  parseConfig(
    fixtureConfigText(text),
    'fixture-config',
    rules.map((r) => r.meta),
  );

/** Lints a fixture with every rule and returns the findings of one rule. */
export function lintFixture(path: string, ruleId: string) {
  const bytes = readFileSync(path);
  const text = bytes.toString('utf8');
  const config = fixtureConfig(text);
  const result = lintBytes(path, bytes, {
    config,
    rules,
    calledWorkflows: new CalledWorkflows(config.settings, readCalledWorkflow),
    onInternalError: (rule, file, error) => {
      throw new Error(`rule ${rule} failed on ${file}: ${String(error)}`);
    },
  });
  return { text, findings: result.findings.filter((f) => f.ruleId === ruleId) };
}
