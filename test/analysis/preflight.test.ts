import { describe, expect, it } from 'vitest';
import { Facts } from '../../src/analysis/facts.js';
import { parseConfig } from '../../src/config/config.js';
import { loadWorkflow } from '../../src/workflow/load.js';

/** A deploying job whose first step runs `check` (with shell `shell`) and maps the secrets A and B into its env. */
function consumption(check: string, options: { shell?: string; jobEnv?: boolean } = {}) {
  const mapping = '          A: ${{ secrets.A }}\n          B: ${{ secrets.B }}\n';
  const lines = [
    'on: push',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    environment: production',
    ...(options.jobEnv ? ['    env:', '      A: ${{ secrets.A }}', '      B: ${{ secrets.B }}'] : []),
    '    steps:',
    '      - name: Preflight',
    ...(options.shell ? [`        shell: ${options.shell}`] : []),
    '        run: |',
    ...check.split('\n').map((l) => `          ${l}`),
    ...(options.jobEnv ? [] : ['        env:', ...mapping.trimEnd().split('\n')]),
    '      - name: Deploy',
    '        run: ./deploy.sh',
    ...(options.jobEnv ? [] : ['        env:', ...mapping.trimEnd().split('\n')]),
  ];
  const loaded = loadWorkflow('p.yml', lines.join('\n') + '\n');
  const facts = new Facts(loaded.workflow!, loaded.diagnostics);
  return facts.secretConsumption(facts.workflow.jobs[0]);
}

const checked = (check: string, options?: Parameters<typeof consumption>[1]) =>
  [...(consumption(check, options).checks[0]?.secrets ?? [])].sort();

describe('preflight checks', () => {
  it.each([
    ['[ -z "$A" ] && exit 1\n[ -z "$B" ] && exit 1', ['A', 'B']],
    ['if [[ -z "$A" || -z "${B}" ]]; then echo "::error::missing"; exit 1; fi', ['A', 'B']],
    ['test -n "$A" || exit 2', ['A']],
    [': "${A:?A is required}" "${B:?}"', ['A', 'B']],
    ['for n in A B; do\n  [ -n "${!n}" ] || { echo "$n missing"; exit 1; }\ndone', ['A', 'B']],
    ['NAMES=(A B)\nfor n in "${NAMES[@]}"; do\n  if [ -z "${!n}" ]; then exit 1; fi\ndone', ['A', 'B']],
    ['for n in A C; do [ -z "${!n}" ] && exit 1; done', ['A']],
  ])('reads `%s` as checking %j', (script, secrets) => {
    expect(checked(script)).toEqual(secrets);
  });

  it.each([
    ['a test that only skips', 'if [ -z "$A" ]; then echo skip; exit 0; fi'],
    ['an expansion that fails only when unset', ': "${A?}"'],
    ['a comparison with no failure', '[ -n "$A" ] && echo present'],
  ])('does not count %s', (_what, script) => {
    expect(consumption(script).checks).toEqual([]);
  });

  it('reads PowerShell checks', () => {
    expect(
      checked('if (-not $env:A) { throw "A is not set" }\nif ([string]::IsNullOrEmpty($env:B)) { exit 1 }', {
        shell: 'pwsh',
      }),
    ).toEqual(['A', 'B']);
    expect(consumption('if (-not $env:A) { Write-Host "skip" }', { shell: 'pwsh' }).checks).toEqual([]);
  });

  it('reads checks of secrets mapped at the job level', () => {
    expect(checked('[ -z "$A" ] && exit 1', { jobEnv: true })).toEqual(['A']);
  });
});

describe('secret uses', () => {
  it("does not count a preflight's own mapping as a use", () => {
    const { uses } = consumption('[ -z "$A" ] && exit 1');
    expect(uses.map((u) => [u.secret, u.step?.label])).toEqual([
      ['B', 'Preflight'],
      ['A', 'Deploy'],
      ['B', 'Deploy'],
    ]);
  });

  it('counts a job-level secret as used by deploy steps and by steps that name it', () => {
    const { uses } = consumption('echo "$B" | wc -c', { jobEnv: true });
    expect(uses.map((u) => `${u.secret}@${u.step?.label}`)).toEqual(['B@Preflight', 'A@Deploy', 'B@Deploy']);
  });

  it('treats actions from settings.preflight.actions as checks of the secrets they are given', () => {
    const text =
      'on: push\njobs:\n  d:\n    runs-on: x\n    steps:\n      - uses: my-org/require-secrets@v1\n        with:\n          token: ${{ secrets.TOKEN }}\n      - run: ./deploy.sh ${{ secrets.GITHUB_TOKEN }}\n        env:\n          TOKEN: ${{ secrets.TOKEN }}\n';
    const loaded = loadWorkflow('a.yml', text);
    const { settings } = parseConfig('settings: { preflight: { actions: [my-org/require-secrets] } }', '/test.yml', []);
    const facts = new Facts(loaded.workflow!, [], settings);
    const { uses, checks } = facts.secretConsumption(facts.workflow.jobs[0]);
    expect(checks.map((c) => [...c.secrets])).toEqual([['TOKEN']]);
    expect(uses.map((u) => [u.secret, u.range.start.line, u.range.start.column])).toEqual([['TOKEN', 11, 22]]);
  });
});
