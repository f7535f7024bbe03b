import { DEFAULT_LINT } from '../lint-options.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Facts } from '../../src/analysis/facts.js';
import { fixText } from '../../src/fixers/apply.js';
import { loadWorkflow } from '../../src/workflow/load.js';
import { disjuncts, preflightViolations } from '../../scripts/preflight/runs.js';
import { FIXTURES } from '../rules/harness.js';

// The preflight fix never fails a run that the original would not have failed for lack of that secret:
// scripts/preflight/runs.ts says how runs are modelled. Checked on every fix pair that gets a preflight.
const FIX = join(FIXTURES, 'fix');
const lint = DEFAULT_LINT;

function violationsAfterFix(text: string) {
  const out = fixText('case.yml', text, { lint, unsafe: false, onlyRules: new Set(['missing-preflight']) });
  const before = loadWorkflow('case.yml', text);
  const after = loadWorkflow('case.yml', out.text);
  return preflightViolations(new Facts(before.workflow!, before.diagnostics), after.workflow!);
}

describe('the preflight fix keeps every run the original would not fail', () => {
  const cases = ['missing-preflight', 'combined'].flatMap((dir) =>
    readdirSync(join(FIX, dir))
      .filter((f) => f.endsWith('.yml') && !f.endsWith('.fixed.yml'))
      .map((f) => join(dir, f)),
  );
  it.each(cases)('%s', (name) => {
    expect(violationsAfterFix(readFileSync(join(FIX, name), 'utf8'))).toEqual([]);
  });

  it('catches a preflight that checks a conditional secret on every run', () => {
    const text = readFileSync(join(FIX, 'missing-preflight', 'conditional-secret.yml'), 'utf8');
    const fixed = fixText('case.yml', text, { lint, unsafe: false }).text;
    const unconditional = fixed.replace(
      "        if: inputs.environment == 'production'\n        env:\n",
      '        env:\n',
    );
    const before = loadWorkflow('case.yml', text);
    const violations = preflightViolations(
      new Facts(before.workflow!, before.diagnostics),
      loadWorkflow('case.yml', unconditional).workflow!,
    );
    expect(violations).toEqual([
      { job: 'deploy', secret: 'SIGNING_KEY', run: [], why: 'no step that needs it runs then' },
    ]);
  });

  it('reads the disjuncts of a combined condition', () => {
    expect(disjuncts("(inputs.env == 'a') || (github.ref == 'refs/heads/main' && (x || y))")).toEqual([
      "inputs.env == 'a'",
      "github.ref == 'refs/heads/main' && (x || y)",
    ]);
    expect(disjuncts("inputs.env == 'a'")).toEqual(["inputs.env == 'a'"]);
  });
});
