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
    // Shapes from public workflows (rules-docs/missing-preflight.md lists them).
    [
      'missing=0\nfor n in A B; do\n  if [ -z "${!n}" ]; then echo "::error::$n"; missing=1; fi\ndone\nexit "$missing"',
      ['A', 'B'],
    ],
    ['missing=()\n[ -z "$A" ] && missing+=("A")\n[ -z "$B" ] && missing+=("B")\nexit "${#missing[@]}"', ['A', 'B']],
    ['errors=0\n[ -n "$A" ] || ((errors++))\nexit $errors', ['A']],
    ['test -n "$A" || { echo "::error::A is not set"; exit 1; }\ntest -n "$B" || exit 1', ['A', 'B']],
    ['[[ -n "$A" && -n "$B" ]] || { echo "::error::missing"; exit 1; }', ['A', 'B']],
    ['[ "$A" = "" ] && exit 1\n[ "${B:-}" != "" ] || exit 1', ['A', 'B']],
    ['curl -fsS -H "Authorization: Bearer ${A:?A is required}" https://example.com/deploy', ['A']],
    ['export TOKEN="${B:?}"\ncat > .npmrc <<EOF\n//registry/:_authToken=${A:?}\nEOF', ['A', 'B']],
  ])('reads `%s` as checking %j', (script, secrets) => {
    expect(checked(script)).toEqual(secrets);
  });

  it.each([
    ['a test that only skips', 'if [ -z "$A" ]; then echo skip; exit 0; fi'],
    ['an expansion that fails only when unset', ': "${A?}"'],
    ['a comparison with no failure', '[ -n "$A" ] && echo present'],
    ['a flag that is never set', 'missing=0\n[ -n "$A" ] && echo present\nexit "$missing"'],
    ['a test after the last failure', 'if [ -z "$TAG" ]; then exit 1; fi\nif [ -n "$A" ]; then ./sign.sh; fi'],
    ['a test that skips before a later failure', 'if [ -z "$A" ]; then echo skip; exit 0; fi\n./upload.sh || exit 1'],
  ])('does not count %s', (_what, script) => {
    expect(consumption(script).checks).toEqual([]);
  });

  it('reads PowerShell checks', () => {
    expect(
      checked('if (-not $env:A) { throw "A is not set" }\nif ([string]::IsNullOrEmpty($env:B)) { exit 1 }', {
        shell: 'pwsh',
      }),
    ).toEqual(['A', 'B']);
    expect(
      checked('if ([string]::IsNullOrWhiteSpace(${env:A})) { throw "A missing" }\nif ($null -eq $env:B) { exit 1 }', {
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

  it('counts a job-level secret as used by the steps that name it, else by the deploy steps', () => {
    const { uses } = consumption('echo "$B" | wc -c', { jobEnv: true });
    expect(uses.map((u) => `${u.secret}@${u.step?.label}`)).toEqual(['B@Preflight', 'A@Deploy']);
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

/** The uses of a one-job workflow whose steps are `steps` (YAML lines under `steps:`), as `SECRET@step:need`. */
function needs(steps: string, jobEnv = '') {
  const text = [
    'on: push',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    '    environment: production',
    ...(jobEnv ? ['    env:', ...jobEnv.split('\n').map((l) => `      ${l}`)] : []),
    '    steps:',
    ...steps.split('\n').map((l) => `      ${l}`),
  ].join('\n');
  const loaded = loadWorkflow('n.yml', `${text}\n`);
  const facts = new Facts(loaded.workflow!, loaded.diagnostics);
  const { uses } = facts.secretConsumption(facts.workflow.jobs[0]);
  return uses.map(
    (u) => `${u.secret}@${u.step?.name?.text ?? '-'}:${u.need}${u.condition ? ` if ${u.condition.text}` : ''}`,
  );
}

describe('what a use asks of a preflight', () => {
  it('lets a use before every deploy step, or a login that stops at once, need no preflight', () => {
    const steps = [
      '- name: login',
      '  uses: aws-actions/configure-aws-credentials@v4',
      '  with: { role-to-assume: "${{ secrets.ROLE }}", aws-region: eu-west-1, role-session-name: "${{ secrets.S }}" }',
      '- name: deploy',
      '  run: aws ecs update-service --cluster c --service s',
      '- name: late login',
      '  uses: docker/login-action@v3',
      '  with: { username: "${{ secrets.USER }}", password: "${{ secrets.PASS }}" }',
      '- name: deploy again',
      '  run: aws ecs update-service --cluster c --service t',
    ].join('\n');
    expect(needs(steps)).toEqual([
      'ROLE@login:fails-fast',
      'S@login:fails-fast',
      'USER@late login:required',
      'PASS@late login:required',
    ]);
  });

  it('lets fail-fast commands and platform tokens of the first deploy step need no preflight', () => {
    const steps = [
      '- name: deploy',
      '  run: |',
      '    ssh-add - <<< "${{ secrets.DEPLOY_KEY }}"',
      '    cf auth "$CF_USER" "$CF_PASS"',
      '    cf push app',
      '    echo "$TOKEN" | docker login -u ci --password-stdin && echo "$TOKEN" > token.txt',
      '  env:',
      '    CF_USER: "${{ secrets.CF_USER }}"',
      '    CF_PASS: "${{ secrets.CF_PASSWORD }}"',
      '    CLOUDFLARE_API_TOKEN: "${{ secrets.CF_TOKEN }}"',
      '    TOKEN: "${{ secrets.REGISTRY_TOKEN }}"',
      '    APP_KEY: "${{ secrets.APP_KEY }}"',
      '    SENTRY_DSN: "${{ secrets.SENTRY_DSN }}"',
      '- name: push again',
      '  run: git push "https://ci:${{ secrets.PUSH_TOKEN }}@git.example.com/site.git" HEAD:live && cf push app2',
      '- name: index',
      '  run: ./update-index.sh',
      '  env: { INDEX_KEY: "${{ secrets.INDEX_KEY }}" }',
    ].join('\n');
    expect(needs(steps)).toEqual([
      'CF_USER@deploy:fails-fast',
      'CF_PASSWORD@deploy:fails-fast',
      'CF_TOKEN@deploy:fails-fast',
      // Also written to a file: kept for later.
      'REGISTRY_TOKEN@deploy:required',
      'APP_KEY@deploy:required',
      // A monitoring DSN is optional.
      'SENTRY_DSN@deploy:optional',
      'DEPLOY_KEY@deploy:fails-fast',
      // After the first deploy step: an empty token fails the second push after the first.
      'PUSH_TOKEN@push again:required',
      // After every deploy step: the deploy is complete.
      'INDEX_KEY@index:optional',
    ]);
  });

  it('leaves out steps off the success path and the ones allowed to fail', () => {
    const steps = [
      '- name: deploy',
      '  run: ./deploy.sh',
      '  env: { TOKEN: "${{ secrets.TOKEN }}" }',
      '- name: notify',
      '  if: ${{ failure() }}',
      '  run: curl -d fail "$HOOK"',
      '  env: { HOOK: "${{ secrets.HOOK }}" }',
      '- name: best effort',
      '  continue-on-error: true',
      '  run: ./report.sh',
      '  env: { REPORT: "${{ secrets.REPORT }}" }',
    ].join('\n');
    expect(needs(steps)).toEqual(['TOKEN@deploy:required', 'HOOK@notify:optional', 'REPORT@best effort:optional']);
  });

  it('counts a secret the job tests and skips its work without as handled', () => {
    const steps = [
      '- name: check',
      '  id: check',
      '  run: if [ -n "$KEY" ]; then echo "ok=true" >> "$GITHUB_OUTPUT"; fi',
      '  env: { KEY: "${{ secrets.KEY }}" }',
      '- name: upload',
      "  if: steps.check.outputs.ok == 'true'",
      '  run: ./deploy.sh',
      '  env: { KEY: "${{ secrets.KEY }}" }',
      '- name: site',
      "  if: env.SITE_TOKEN != ''",
      '  run: ./deploy-site.sh',
    ].join('\n');
    expect(needs(steps, 'SITE_TOKEN: ${{ secrets.SITE_TOKEN }}')).toEqual([
      'KEY@check:handled',
      "KEY@upload:handled if steps.check.outputs.ok == 'true'",
      "SITE_TOKEN@site:handled if env.SITE_TOKEN != ''",
    ]);
  });

  it("keeps the using step's if: and says when a first step cannot evaluate it", () => {
    const steps = [
      '- name: sign',
      "  if: inputs.environment == 'production'",
      '  run: ./deploy.sh',
      '  env: { SIGN: "${{ secrets.SIGN }}" }',
      '- name: api',
      "  if: steps.changes.outputs.api == 'true'",
      '  run: ./deploy-api.sh',
      '  env: { API: "${{ secrets.API }}" }',
      '- name: always',
      '  if: success()',
      '  run: ./deploy-web.sh',
      '  env: { WEB: "${{ secrets.WEB }}" }',
    ].join('\n');
    expect(needs(steps)).toEqual([
      "SIGN@sign:required if inputs.environment == 'production'",
      "API@api:required if steps.changes.outputs.api == 'true'",
      'WEB@always:required',
    ]);
  });
});
