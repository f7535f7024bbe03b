import { DEFAULT_LINT } from '../lint-options.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixText } from '../../src/fixers/apply.js';
import { FIXTURES } from '../rules/harness.js';

// The README lists `--fix` before `--fix --unsafe-fixes`: run in that order, the two must give what one
// `--fix --unsafe-fixes` gives. A fix that a later one makes stale (the preflight wf-lint wrote checks a
// key the unsafe fix replaced) is brought up to date by the second run.
const COMBINED = join(FIXTURES, 'fix', 'combined');

function fix(text: string, unsafe: boolean): string {
  return fixText('case.yml', text, { lint: DEFAULT_LINT, unsafe }).text;
}

describe('--fix, then --fix --unsafe-fixes', () => {
  const cases = readdirSync(COMBINED).filter((f) => f.endsWith('.yml') && !f.endsWith('.fixed.yml'));
  it.each(cases)('%s: the same as one --fix --unsafe-fixes', (name) => {
    const input = readFileSync(join(COMBINED, name), 'utf8');
    const inOneRun = fix(input, true);
    const safeFirst = fix(input, false);
    expect(safeFirst).not.toBe(input);
    expect(fix(safeFirst, true)).toBe(inOneRun);
  });
});
