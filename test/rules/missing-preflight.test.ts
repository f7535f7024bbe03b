import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { fixText } from '../../src/fixers/apply.js';
import { rules } from '../../src/rules/registry.js';
import { FIXTURES, lintFixture } from './harness.js';

/** A 21-job terragrunt pipeline (cds-snc/notification-terraform) whose jobs all lack one preflight. */
const MANY = join(FIXTURES, 'missing-preflight', 'many-jobs-terragrunt.yml');

describe('missing-preflight reports a cause once', () => {
  it('gives the 21-job workflow one finding, at the first job, with the other 20 jobs as related locations', () => {
    const { findings } = lintFixture(MANY, 'missing-preflight');
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding.message).toContain("Job 'terragrunt-apply-common' and 20 more jobs deploy");
    const jobs = finding.related!.filter((r) => r.message.startsWith('Job '));
    expect(jobs).toHaveLength(20);
    expect(jobs.every((r) => /deploys \(it runs `terragrunt apply` \(line \d+\)\) but uses /.test(r.message))).toBe(
      true,
    );
  });

  it('offers one fix that gives each of the 21 jobs its preflight, after which nothing is left to report', () => {
    const config = parseConfig(
      '',
      'fixture-config',
      rules.map((r) => r.meta),
    );
    const out = fixText('many.yml', readFileSync(MANY, 'utf8'), {
      lint: { config, rules, onInternalError: (id, _p, e) => void console.error(id, e) },
      unsafe: false,
      onlyRules: new Set(['missing-preflight']),
    });
    expect(out.applied.get('missing-preflight')).toBe(1);
    expect(out.text.match(/- name: "Preflight: required secrets"/g)).toHaveLength(21);
    expect(out.result.findings.filter((f) => f.ruleId === 'missing-preflight')).toEqual([]);
  });
});
