import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calledWorkflow, deploymentOf } from '../../src/analysis/deploy.js';
import { environmentDeploys, nameSaysDeploy } from '../../src/analysis/deploy-recognisers.js';
import { Facts } from '../../src/analysis/facts.js';
import { loadWorkflow } from '../../src/workflow/load.js';

/** Facts for a workflow text; `path` matters only for reusable-workflow calls. */
function factsOf(text: string, settings: Record<string, unknown> = {}, path = 'wf.yml') {
  const loaded = loadWorkflow(path, text);
  return new Facts(loaded.workflow!, loaded.diagnostics, settings);
}

/** Why the only job of a one-job workflow deploys, or undefined. */
function reasonFor(job: string, settings: Record<string, unknown> = {}): string | undefined {
  const facts = factsOf(`on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n${job}`, settings);
  return deploymentOf(facts.workflow.jobs[0], facts)?.reason;
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
    expect(reasonFor(runs(script))).toMatch(new RegExp(`^it runs \`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\` \\(line 6\\)$`));
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
    expect(reasonFor(`${runs('minikube start')}      - run: helm install x ./chart\n      - run: terraform apply\n`)).toMatch(/terraform apply/);
  });

  it('recognises deploy actions and local actions whose name says deploy', () => {
    expect(reasonFor('    steps:\n      - uses: Azure/webapps-deploy@v3\n')).toBe('it uses `azure/webapps-deploy` (line 6)');
    expect(reasonFor('    steps:\n      - uses: ./.github/actions/tf-deploy\n')).toBe('it uses the local action `./.github/actions/tf-deploy` (line 6)');
    expect(reasonFor('    steps:\n      - uses: peaceiris/actions-gh-pages@v4\n')).toBeUndefined();
  });

  it('extends the tables from settings.deploy', () => {
    const settings = { deploy: { commands: ['./ship.sh', 'mytool push --prod'], actions: ['My-Org/Deploy-Action'] } };
    expect(reasonFor(runs('./ship.sh --fast'), settings)).toBe('it runs `./ship.sh` (line 6)');
    expect(reasonFor(runs('mytool push --prod'), settings)).toBe('it runs `mytool push --prod` (line 6)');
    expect(reasonFor(runs('mytool push'), settings)).toBeUndefined();
    expect(reasonFor('    steps:\n      - uses: my-org/deploy-action/k8s@v2\n', settings)).toBe('it uses `my-org/deploy-action/k8s` (line 6)');
    expect(reasonFor(runs('./ship.sh'), { deploy: { commands: 'not a list' } })).toBeUndefined();
  });

  it('finds deploy steps inside parallel groups', () => {
    expect(reasonFor('    steps:\n      - parallel:\n          - run: make lint\n          - run: flyctl deploy --remote-only\n')).toBe('it runs `flyctl deploy` (line 8)');
  });
});

describe('environments', () => {
  it('counts deploy targets and expressions, not environments that only gate secrets', () => {
    expect(reasonFor('    environment: production\n')).toBe('it sets `environment: production`');
    expect(reasonFor('    environment:\n      name: ${{ inputs.environment }}\n')).toBe('it sets `environment: ${{ inputs.environment }}`');
    expect(reasonFor('    environment: pypi\n')).toBeUndefined();
    expect(reasonFor('    environment: release\n    steps:\n      - run: ./deploy.sh\n')).toBe('it runs `./deploy.sh` (line 7)');
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
    const job = (id: string, steps: string) => factsOf(`on: push\njobs:\n  ${id}:\n    runs-on: x\n    environment: production\n    steps:\n${steps}`);
    const deploys = (id: string, steps: string) => {
      const facts = job(id, steps);
      return deploymentOf(facts.workflow.jobs[0], facts) !== undefined;
    };
    expect(deploys('regression-testing', '      - run: npx cypress run\n')).toBe(false);
    expect(deploys('verify', '      - run: aws lambda get-layer-version-by-arn --arn x\n')).toBe(false);
    expect(deploys('deploy-and-smoke-test', '      - run: ./release.sh\n')).toBe(true);
    expect(deploys('smoke-test', '      - run: helm upgrade --install web ./chart\n')).toBe(false);
    expect(deploys('e2e', '      - run: make docker-deploy-k8s\n')).toBe(false);
    expect(deploys('end', '      - run: |\n          echo "deployed"\n          printf "%s\\n" done\n')).toBe(false);
    expect(deploys('end', '      - shell: python\n        run: print("deploy")\n')).toBe(true);
  });

  it('reads the values a matrix gives the environment', () => {
    const matrix = (values: string) => `    strategy:\n      matrix:\n        include:\n${values}    environment: \${{ matrix.environment }}\n`;
    expect(reasonFor(matrix('          - { os: linux, environment: integration }\n          - { os: windows }\n'))).toBeUndefined();
    expect(reasonFor(matrix('          - { environment: staging }\n'))).toMatch(/matrix.environment/);
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
  const repo = () => {
    const root = mkdtempSync(join(tmpdir(), 'wf-lint-deploy-'));
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    return root;
  };
  const caller = (uses: string) => `on: push\njobs:\n  call:\n    uses: ${uses}\n`;

  it('follows a local call from the repository root and names the deploying job', () => {
    const root = repo();
    writeFileSync(join(root, '.github/workflows/deploy.yml'), 'on: workflow_call\njobs:\n  ship:\n    runs-on: x\n    steps:\n      - run: terraform apply\n');
    const facts = factsOf(caller('./.github/workflows/deploy.yml'), {}, join(root, '.github/workflows/ci.yml'));
    const deployment = deploymentOf(facts.workflow.jobs[0], facts)!;
    expect(deployment.reason).toBe("it calls `./.github/workflows/deploy.yml`, whose job 'ship' deploys: it runs `terraform apply`");
    expect(deployment.range.start).toMatchObject({ line: 4, column: 11 });
    expect(calledWorkflow(facts.workflow.jobs[0], facts)?.path).toBe(join(root, '.github/workflows/deploy.yml'));
  });

  it('looks beside a caller that is not in .github/workflows/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-lint-flat-'));
    writeFileSync(join(dir, 'deploy.yml'), 'on: workflow_call\njobs:\n  ship:\n    runs-on: x\n    environment: production\n');
    const facts = factsOf(caller('./.github/workflows/deploy.yml'), {}, join(dir, 'ci.yml'));
    expect(deploymentOf(facts.workflow.jobs[0], facts)?.reason).toMatch(/whose job 'ship' deploys: it sets `environment: production`/);
  });

  it("resolves `environment: ${{ inputs.X }}` with what the caller passes, else the input's default", () => {
    const root = repo();
    writeFileSync(
      join(root, '.github/workflows/publish.yml'),
      'on:\n  workflow_call:\n    inputs:\n      environment:\n        type: string\n        default: dockerhub\njobs:\n  merge:\n    runs-on: x\n    environment: ${{ inputs.environment }}\n    steps:\n      - run: docker buildx imagetools create -t x y\n',
    );
    const call = (extra: string) => {
      const facts = factsOf(`${caller('./.github/workflows/publish.yml')}${extra}`, {}, join(root, '.github/workflows/ci.yml'));
      return deploymentOf(facts.workflow.jobs[0], facts) !== undefined;
    };
    expect(call('')).toBe(false);
    expect(call('    with:\n      environment: dockerhub-nightly\n')).toBe(false);
    expect(call('    with:\n      environment: production\n')).toBe(true);
    expect(call('    with:\n      environment: ${{ github.event.inputs.target }}\n')).toBe(true);
  });

  it('is quiet about missing files, remote workflows and cycles', () => {
    const root = repo();
    const path = (name: string) => join(root, '.github/workflows', name);
    writeFileSync(path('a.yml'), caller('./.github/workflows/b.yml'));
    writeFileSync(path('b.yml'), caller('./.github/workflows/a.yml'));
    for (const uses of ['./.github/workflows/missing.yml', 'org/repo/.github/workflows/deploy.yml@v1', './.github/workflows/b.yml']) {
      const facts = factsOf(caller(uses), {}, path('a.yml'));
      expect(deploymentOf(facts.workflow.jobs[0], facts)).toBeUndefined();
    }
  });
});
