import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, lintFixture } from './harness.js';

const RULE = 'long-lived-credentials';

describe('long-lived-credentials: one finding per credential', () => {
  it('lists the other places of the same key pair as related locations', () => {
    const { findings } = lintFixture(join(FIXTURES, RULE, 'same-key-pair-many-steps.yml'), RULE);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding.related?.map((r) => `${r.range.start.line}:${r.range.start.column} ${r.message}`)).toEqual([
      "32:11 The same credential: `AWS_ACCESS_KEY_ID` in the env of job 'build-linux-main', step " +
        "'Deploy build to dev-static dist tree for release team'.",
      "43:11 The same credential: `AWS_ACCESS_KEY_ID` in the env of job 'build-macos-main', step " +
        "'Deploy build to dev-static dist tree for release team'.",
    ]);
    // One fix for the three places: a credential step before each, and each job's `id-token: write`.
    expect(finding.fix?.description.split('; ')).toHaveLength(3);
  });

  it('keeps different credentials apart', () => {
    const { findings } = lintFixture(join(FIXTURES, RULE, 'ecr-login-with-access-keys.yml'), RULE);
    expect(findings.map((f) => f.related ?? [])).toEqual([[], [], []]);
  });
});
