import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CalledWorkflows } from '../../src/analysis/called-workflows.js';
import { environmentDeploys, nameSaysDeploy } from '../../src/analysis/deploy-recognisers.js';
import { Facts } from '../../src/analysis/facts.js';
import { parseConfig } from '../../src/config/config.js';
import { DEFAULT_SETTINGS, type Settings } from '../../src/config/settings.js';
import { loadWorkflow } from '../../src/workflow/load.js';

/**
 * Facts for a workflow text at `path` (which matters only for calls), in a run whose other workflows
 * are `files`, by absolute path.
 */
function factsOf(text: string, options: { settings?: Settings; path?: string; files?: Record<string, string> } = {}) {
  const { settings = DEFAULT_SETTINGS, path = 'wf.yml', files = {} } = options;
  const loaded = loadWorkflow(path, text);
  const read = (file: string) => (file in files ? Buffer.from(files[file]) : undefined);
  return new Facts(loaded.workflow!, loaded.diagnostics, settings, new CalledWorkflows(settings, read));
}

/** Why the only job of a one-job workflow deploys, or undefined. */
function reasonFor(job: string, settings?: Settings, id = 'j'): string | undefined {
  const facts = factsOf(`on: push\njobs:\n  ${id}:\n    runs-on: ubuntu-latest\n${job}`, { settings });
  return facts.deployment(facts.workflow.jobs[0])?.reason;
}

const runs = (script: string) => `    steps:\n      - run: ${script}\n`;

describe('deploy commands', () => {
  it.each([
    ['kubectl -n prod apply -f k8s/', 'kubectl apply'],
    ['sudo -E helm upgrade --install web ./chart', 'helm upgrade'],
    ['terraform apply -auto-approve', 'terraform apply'],
    ['npx cdk deploy --all', 'cdk deploy'],
    ['yarn cdk deploy', 'cdk deploy'],
    ['aws s3 sync --delete ./dist s3://www.example.org', 'aws s3 sync'],
    ['aws ecs update-service --cluster prod --service web', 'aws ecs update-service'],
    ['gcloud run deploy web --image img', 'gcloud run deploy'],
    ['vercel deploy --prebuilt --prod', 'vercel --prod'],
    ['netlify deploy --prod --dir=dist', 'netlify deploy --prod'],
    ['./scripts/deploy-prod.sh', './scripts/deploy-prod.sh'],
    ['bash ci/deploy.sh staging', 'bash ci/deploy.sh'],
    ['make -C infra deploy', 'make deploy'],
    ['npm run deploy:web', 'npm run deploy:web'],
  ])('recognises `%s` as a deploy (%s)', (script, label) => {
    expect(reasonFor(runs(script))).toMatch(
      new RegExp(`^it runs \`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\` \\(line 6\\)$`),
    );
  });

  it.each([
    'helm upgrade --install web ./chart --dry-run',
    'kubectl apply --dry-run=client -f k8s/',
    'terraform plan',
    'aws s3 sync s3://bucket/config ./config',
    'netlify deploy --dir=dist',
    './ci/prepare-deploy.sh',
    'python scripts/deploy_docs_status.py',
    'pnpm deploy --filter=api ./out',
    'ansible-playbook --syntax-check site.yml',
    'bash -c "echo deploy"',
  ])('does not count `%s`', (script) => {
    expect(reasonFor(runs(script))).toBeUndefined();
  });

  it('ignores kubectl and helm in a job that creates a throwaway cluster, but not terraform', () => {
    const kind = '    steps:\n      - uses: helm/kind-action@v1\n      - run: kubectl apply -f manifests/\n';
    expect(reasonFor(kind)).toBeUndefined();
    expect(
      reasonFor(`${runs('minikube start')}      - run: helm install x ./chart\n      - run: terraform apply\n`),
    ).toMatch(/terraform apply/);
  });

  it('recognises deploy actions and local actions whose name says deploy', () => {
    expect(reasonFor('    steps:\n      - uses: Azure/webapps-deploy@v3\n')).toBe(
      'it uses `azure/webapps-deploy` (line 6)',
    );
    expect(reasonFor('    steps:\n      - uses: ./.github/actions/tf-deploy\n')).toBe(
      'it uses the local action `./.github/actions/tf-deploy` (line 6)',
    );
    expect(reasonFor('    steps:\n      - uses: peaceiris/actions-gh-pages@v4\n')).toBe(
      'it uses `peaceiris/actions-gh-pages` (line 6)',
    );
    expect(reasonFor('    steps:\n      - uses: actions/upload-pages-artifact@v3\n')).toBeUndefined();
  });

  it('extends the tables from settings.deploy', () => {
    const config = parseConfig(
      'settings: { deploy: { commands: [./ship.sh, mytool push --prod], actions: [My-Org/Deploy-Action] } }',
      '/test.yml',
      [],
    );
    const { settings } = config;
    expect(reasonFor(runs('./ship.sh --fast'), settings)).toBe('it runs `./ship.sh` (line 6)');
    expect(reasonFor(runs('mytool push --prod'), settings)).toBe('it runs `mytool push --prod` (line 6)');
    expect(reasonFor(runs('mytool push'), settings)).toBeUndefined();
    expect(reasonFor('    steps:\n      - uses: my-org/deploy-action/k8s@v2\n', settings)).toBe(
      'it uses `my-org/deploy-action/k8s` (line 6)',
    );
  });

  it('finds deploy steps inside parallel groups', () => {
    expect(
      reasonFor(
        '    steps:\n      - parallel:\n          - run: make lint\n          - run: flyctl deploy --remote-only\n',
      ),
    ).toBe('it runs `flyctl deploy` (line 8)');
  });
});

describe('environments', () => {
  it('counts deploy targets and expressions, not environments that only gate secrets', () => {
    expect(reasonFor('    environment: production\n', undefined, 'deploy')).toBe(
      'it sets `environment: production` and its name says deploy',
    );
    expect(reasonFor('    environment:\n      name: ${{ inputs.environment }}\n', undefined, 'deploy')).toBe(
      'it sets `environment: ${{ inputs.environment }}` and its name says deploy',
    );
    expect(reasonFor('    environment: pypi\n', undefined, 'deploy')).toBeUndefined();
    expect(reasonFor('    environment: release\n    steps:\n      - run: ./deploy.sh\n')).toBe(
      'it runs `./deploy.sh` (line 7)',
    );
  });

  it.each([
    ['production', true],
    ['layer-prod', true],
    ['release-deploy', true],
    ['customer-eu', false],
    ['Antithesis', false],
    ['GovCloud Prod (West)', true],
    ['Prod (Readonly)', false],
    ['npm-publish', false],
    ['azure-trusted-signing', false],
    ['releaseNewActionVersion', false],
    ["${{ github.event_name == 'push' && 'allow-uploading-flakiness-results' || null }}", false],
    ["${{ inputs.environment || 'production' }}", true],
    ['${{ inputs.environment }}', true],
  ])('environment %s deploys: %s', (name, deploys) => {
    expect(environmentDeploys(name)).toBe(deploys);
  });

  it('does not count jobs named for testing, checking or reporting, nor jobs that only report', () => {
    const job = (id: string, steps: string) =>
      factsOf(`on: push\njobs:\n  ${id}:\n    runs-on: x\n    environment: production\n    steps:\n${steps}`);
    const deploys = (id: string, steps: string) => {
      const facts = job(id, steps);
      return facts.deployment(facts.workflow.jobs[0]) !== undefined;
    };
    expect(deploys('regression-testing', '      - run: npx cypress run\n')).toBe(false);
    expect(deploys('verify', '      - run: aws lambda get-layer-version-by-arn --arn x\n')).toBe(false);
    expect(deploys('deploy-and-smoke-test', '      - run: ./release.sh\n')).toBe(true);
    expect(deploys('smoke-test', '      - run: helm upgrade --install web ./chart\n')).toBe(false);
    expect(deploys('e2e', '      - run: make docker-deploy-k8s\n')).toBe(false);
    expect(deploys('deploy', '      - run: |\n          echo "deployed"\n          printf "%s\\n" done\n')).toBe(false);
    expect(deploys('deploy', '      - shell: python\n        run: print("deploy")\n')).toBe(true);
  });

  it('reads the values a matrix gives the environment', () => {
    const matrix = (values: string) =>
      `    strategy:\n      matrix:\n        include:\n${values}    environment: \${{ matrix.environment }}\n`;
    const rows = '          - { os: linux, environment: integration }\n          - { os: windows }\n';
    expect(reasonFor(matrix(rows), undefined, 'deploy')).toBeUndefined();
    expect(reasonFor(matrix('          - { environment: staging }\n'), undefined, 'deploy')).toMatch(
      /matrix.environment/,
    );
  });
});

describe('names that say deploy', () => {
  it.each([
    ['deploy.sh', true],
    ['scripts/deploy-prod.sh', true],
    ['.\\ci\\prepare-deploy.ps1', false],
    ['deploy_docs_status.py', false],
    ['deployment-notes.md', false],
    ['redeploy', false],
  ])('%s: %s', (name, expected) => {
    expect(nameSaysDeploy(name)).toBe(expected);
  });
});

describe('reusable workflows', () => {
  const ROOT = '/repo';
  const at = (name: string) => join(ROOT, '.github/workflows', name);
  const caller = (uses: string) => `on: push\njobs:\n  call:\n    uses: ${uses}\n`;
  const callFrom = (path: string, text: string, files: Record<string, string>) => {
    const facts = factsOf(text, { path, files });
    return { facts, job: facts.workflow.jobs[0] };
  };

  it('follows a local call from the repository root and names the deploying job', () => {
    const files = {
      [at('deploy.yml')]:
        'on: workflow_call\njobs:\n  ship:\n    runs-on: x\n    steps:\n      - run: terraform apply\n',
    };
    const { facts, job } = callFrom(at('ci.yml'), caller('./.github/workflows/deploy.yml'), files);
    const deployment = facts.deployment(job)!;
    expect(deployment.reason).toBe(
      "it calls `./.github/workflows/deploy.yml`, whose job 'ship' deploys: it runs `terraform apply`",
    );
    expect(deployment.range.start).toMatchObject({ line: 4, column: 11 });
    expect(facts.calledWorkflow(job)?.path).toBe(at('deploy.yml'));
    expect(facts.deployingJobs(deployment.callee!).map((j) => j.id)).toEqual(['ship']);
  });

  it('looks beside a caller that is not in .github/workflows/', () => {
    const files = {
      '/flat/deploy.yml':
        'on: workflow_call\njobs:\n  ship:\n    runs-on: x\n    environment: production\n    steps:\n      - run: kubectl apply -f k8s/\n',
    };
    const { facts, job } = callFrom('/flat/ci.yml', caller('./.github/workflows/deploy.yml'), files);
    expect(facts.deployment(job)?.reason).toMatch(
      /whose job 'ship' deploys: it sets `environment: production` and runs `kubectl apply`/,
    );
  });

  it("resolves `environment: ${{ inputs.X }}` with what the caller passes, else the input's default", () => {
    const files = {
      [at('publish.yml')]:
        'on:\n  workflow_call:\n    inputs:\n      environment:\n        type: string\n        default: dockerhub\njobs:\n  deploy:\n    runs-on: x\n    environment: ${{ inputs.environment }}\n    steps:\n      - run: ./scripts/go.sh\n',
    };
    const call = (extra: string) => {
      const { facts, job } = callFrom(at('ci.yml'), `${caller('./.github/workflows/publish.yml')}${extra}`, files);
      return facts.deployment(job) !== undefined;
    };
    expect(call('')).toBe(false);
    expect(call('    with:\n      environment: dockerhub-nightly\n')).toBe(false);
    expect(call('    with:\n      environment: production\n')).toBe(true);
    expect(call('    with:\n      environment: ${{ github.event.inputs.target }}\n')).toBe(true);
  });

  it('is quiet about missing files, remote workflows and cycles', () => {
    const files = {
      [at('a.yml')]: caller('./.github/workflows/b.yml'),
      [at('b.yml')]: caller('./.github/workflows/a.yml'),
    };
    for (const uses of [
      './.github/workflows/missing.yml',
      'org/repo/.github/workflows/deploy.yml@v1',
      './.github/workflows/b.yml',
    ]) {
      const { facts, job } = callFrom(at('a.yml'), caller(uses), files);
      expect(facts.deployment(job)).toBeUndefined();
    }
  });

  it('reads a called workflow again only when its bytes change', () => {
    const files: Record<string, string> = { [at('deploy.yml')]: 'on: workflow_call\njobs:\n  ship:\n    runs-on: x\n' };
    const reads: string[] = [];
    const calls = new CalledWorkflows(DEFAULT_SETTINGS, (path) => {
      reads.push(path);
      return Buffer.from(files[path]);
    });
    const callee = () => {
      const loaded = loadWorkflow(at('ci.yml'), caller('./.github/workflows/deploy.yml'));
      const facts = new Facts(loaded.workflow!, loaded.diagnostics, DEFAULT_SETTINGS, calls);
      return facts.calledWorkflow(facts.workflow.jobs[0]);
    };
    const first = callee();
    expect(callee()).toBe(first);
    files[at('deploy.yml')] += '    environment: production\n';
    const changed = callee();
    expect(changed).not.toBe(first);
    expect(changed?.workflow.jobs[0].environment?.name?.text).toBe('production');
    expect(reads).toEqual([at('deploy.yml'), at('deploy.yml'), at('deploy.yml')]);
  });
});
