import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/registry.js';
import { FIXTURES, lintFixture } from './harness.js';

/**
 * The early-secrets-loading pattern as it is often written up, as a workflow: it loads the secrets
 * after the slow steps, caches the decrypted values and passes them as arguments.
 * wf-lint must flag exactly those parts, each with a message that explains where the value came from.
 */
const SEED = join(FIXTURES, 'seed', 'robust-solution.yml');
const READ = "aws ssm get-parameters --with-decryption in step 'Load ALL SSM Parameters Early'";

function findings(rule: string) {
  return lintFixture(SEED, rule).findings.map((f) => ({
    level: f.level,
    at: `${f.range.start.line}:${f.range.start.column}`,
    message: f.message,
    detail: f.detail ?? '',
  }));
}

describe('the early-secrets-loading write-up (test/fixtures/seed/robust-solution.yml)', () => {
  it('flags the SSM read that runs after the build and the tests, naming the credential step and the slow steps', () => {
    const [late, ...rest] = findings('late-secret-read');
    expect(rest).toEqual([]);
    expect(late).toMatchObject({ level: 'warning', at: '51:11' });
    expect(late.detail).toContain("`aws ssm get-parameters --with-decryption` in step 'Load ALL SSM Parameters Early'");
    expect(late.detail).toContain("after step 'Configure AWS credentials (OIDC)' issued AWS credentials that last 1 h");
    expect(late.detail).toContain('up to 2 h 15 min (about 45 min typically)');
    expect(late.detail).toContain(
      "Slow steps in between: 'Build' (long step, ~15 min), 'Unit tests' (long step, ~15 min), 'Integration tests' (long step, ~15 min)",
    );
  });

  it('flags the decrypted parameters written to $GITHUB_ENV without ::add-mask::, with the chain back to the read', () => {
    const [unmasked, ...rest] = findings('unmasked-secret-output');
    expect(rest).toEqual([]);
    expect(unmasked).toMatchObject({ level: 'error', at: '57:11' });
    expect(unmasked.detail).toContain('written to $GITHUB_ENV as SSM_PARAMETERS');
    expect(unmasked.detail).toContain(
      `SSM_PARAMETERS=$(cat ssm_parameters.json) <- file ssm_parameters.json <- ${READ}`,
    );
  });

  it('flags the cache step that saves ssm_parameters.json', () => {
    const [cached, ...rest] = findings('secret-in-cache');
    expect(rest).toEqual([]);
    expect(cached).toMatchObject({ level: 'error', at: '61:15' });
    expect(cached.detail).toContain(
      "Secret file `ssm_parameters.json` saved into the cache by step 'Cache SSM Parameters'",
    );
    expect(cached.detail).toContain(`file ssm_parameters.json <- ${READ}`);
  });

  it('flags both values passed to deploy.sh as arguments, each explained back to the SSM read', () => {
    const args = findings('secret-in-cli-args');
    expect(args.map(({ level, at }) => ({ level, at }))).toEqual([
      { level: 'error', at: '72:38' },
      { level: 'error', at: '72:65' },
    ]);
    const chain = `env.SSM_PARAMETERS <- $GITHUB_ENV SSM_PARAMETERS in step 'Load ALL SSM Parameters Early' <- file ssm_parameters.json <- ${READ}`;
    expect(args[0].detail).toContain(
      `argument to \`deploy.sh\` as \`--database-url\` in step 'Deploy with parameters': $DATABASE_URL <- ${chain}`,
    );
    expect(args[1].detail).toContain(
      `argument to \`deploy.sh\` as \`--api-keys\` in step 'Deploy with parameters': $API_KEYS <- ${chain}`,
    );
  });

  it('gives each finding a first line that stands alone: what, where and the head of the chain', () => {
    const rules = ['late-secret-read', 'unmasked-secret-output', 'secret-in-cache', 'secret-in-cli-args'];
    expect(rules.flatMap((r) => findings(r).map((f) => f.message))).toEqual([
      '`aws ssm get-parameters --with-decryption` runs up to 2 h 15 min after AWS credentials that last 1 h',
      'Secret-derived value written to $GITHUB_ENV as SSM_PARAMETERS without `::add-mask::`',
      "Secret file `ssm_parameters.json` saved into the cache by step 'Cache SSM Parameters'",
      '`$DATABASE_URL` reaches `deploy.sh` as `--database-url` (secret on the command line)',
      '`$API_KEYS` reaches `deploy.sh` as `--api-keys` (secret on the command line)',
    ]);
  });

  it('reports nothing else of the four secret rules', () => {
    const rules = ['late-secret-read', 'unmasked-secret-output', 'secret-in-cache', 'secret-in-cli-args'];
    expect(rules.map((r) => findings(r).length)).toEqual([1, 1, 1, 2]);
  });
});

/**
 * The "Direct Query Secret Sync" design (seed 002) as the workflow it describes, and its fixed-sync
 * variant: literal secret, literal target, the value on stdin instead of `--body`.
 */
const SYNC = join(FIXTURES, 'seed', 'export-secret.yml');
const FIXED_SYNC = join(FIXTURES, 'seed', 'export-secret-fixed.yml');
const DISPATCH =
  'which the `repository_dispatch` event sets: anyone whose token can send the repository a `repository_dispatch`';

function findingsOf(path: string, rule: string) {
  return lintFixture(path, rule).findings.map((f) => ({
    level: f.level,
    at: `${f.range.start.line}:${f.range.start.column}`,
    message: f.message,
    detail: f.detail ?? f.message,
  }));
}

describe('the secret-sync design of seed 002 (test/fixtures/seed/export-secret.yml)', () => {
  it('flags the secret read by the name the dispatch payload gives, naming the repository_dispatch trigger', () => {
    const [read, ...rest] = findingsOf(SYNC, 'dynamic-secret-access');
    expect(rest).toEqual([]);
    expect(read).toMatchObject({ level: 'error', at: '40:37' });
    expect(read.detail).toContain('`secrets[github.event.client_payload.secret_name]`');
    expect(read.detail).toContain(`the name comes from \`github.event.client_payload.secret_name\`, ${DISPATCH}`);
  });

  it('flags the gh secret set into the repository the payload names, with the trigger and who can fire it', () => {
    const [exported, ...rest] = findingsOf(SYNC, 'secret-export');
    expect(rest).toEqual([]);
    expect(exported).toMatchObject({ level: 'error', at: '43:11' });
    expect(exported.detail).toContain(
      "`gh secret set` in step 'Export secret to target repository' writes " +
        '`secrets[github.event.client_payload.secret_name]` into repository `$TARGET_REPO`',
    );
    expect(exported.detail).toContain(
      'the event chooses the secret through `github.event.client_payload.secret_name` and the target through ' +
        `\`github.event.client_payload.target_repo\`, ${DISPATCH}`,
    );
    expect(exported.detail).toContain('They can copy any secret this workflow can read into any repository');
    expect(exported.detail).toContain('leave `--body` out and gh reads the value from stdin');
  });

  it('leaves only a secret-export warning on the fixed sync (literal secret and target, value on stdin)', () => {
    const [sync, ...rest] = findingsOf(FIXED_SYNC, 'secret-export');
    expect(rest).toEqual([]);
    expect(sync).toMatchObject({ level: 'warning', at: '23:49' });
    expect(sync.detail).toContain(
      '`secrets.POSTGRES_PASSWORD` into repository `Bengo-Hub/isp-billing-backend`: a fixed sync, run on `push`',
    );
    expect(sync.detail).not.toContain('--body');
    // Nothing else, of any rule: no computed name, no --body on the command line.
    const others = rules.filter((r) => r.meta.id !== 'secret-export').flatMap((r) => findingsOf(FIXED_SYNC, r.meta.id));
    expect(others).toEqual([]);
  });
});
