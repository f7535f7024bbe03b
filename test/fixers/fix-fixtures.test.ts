import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CalledWorkflows } from '../../src/analysis/called-workflows.js';
import { parseConfig } from '../../src/config/config.js';
import { fixText } from '../../src/fixers/apply.js';
import { listWorkflowFolder, readCalledWorkflow } from '../../src/lint.js';
import { rules } from '../../src/rules/registry.js';
import { FIXTURES } from '../rules/harness.js';

const FIX = join(FIXTURES, 'fix');

/** Cases in this folder are fixed by every rule, as `--fix --unsafe-fixes`: fixes that meet in one file. */
const ALL_RULES = 'combined';

/** A reusable workflow that cases of its folder call (`uses: ./.github/workflows/x.called.yml`): not a case. */
const CALLED = /\.called\.yml$/;

/**
 * Fixes a case with its folder's rule only (unsafe fixes included), as `--fix --unsafe-fixes --fix-rule RULE`.
 * The workflows it calls are read beside it.
 */
function fix(rule: string, text: string, path = 'case.yml') {
  const m = /^#\s*config:\s*(.*)$/m.exec(text);
  const config = parseConfig(
    m ? m[1] : '',
    'fixture-config',
    rules.map((r) => r.meta),
  );
  return fixText(path, text, {
    lint: {
      config,
      rules,
      calledWorkflows: new CalledWorkflows(config.settings, readCalledWorkflow, listWorkflowFolder),
      onInternalError: (id, _p, e) => {
        throw new Error(`${id}: ${String(e)}`);
      },
    },
    unsafe: true,
    onlyRules: rule === ALL_RULES ? undefined : new Set([rule]),
  });
}

for (const rule of existsSync(FIX) ? readdirSync(FIX).sort() : []) {
  describe(`--fix ${rule}`, () => {
    for (const name of readdirSync(join(FIX, rule))
      .filter((f) => f.endsWith('.yml') && !f.endsWith('.fixed.yml') && !CALLED.test(f))
      .sort()) {
      const path = join(FIX, rule, name);
      const input = readFileSync(path, 'utf8');
      const expectedPath = join(FIX, rule, name.replace(/\.yml$/, '.fixed.yml'));
      it(`${name} becomes ${name.replace(/\.yml$/, '.fixed.yml')} byte for byte`, () => {
        const out = fix(rule, input, path);
        expect(out.discarded).toBeUndefined();
        expect(out.text).toBe(readFileSync(expectedPath, 'utf8'));
        expect(out.result.findings.filter((f) => (rule === ALL_RULES || f.ruleId === rule) && f.fix)).toEqual([]);
      });
      it(`${name}: a second --fix changes nothing`, () => {
        const again = fix(rule, readFileSync(expectedPath, 'utf8'), expectedPath);
        expect(again.changed).toBe(false);
      });
    }
  });
}
