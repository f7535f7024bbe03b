import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CalledWorkflows } from '../../src/analysis/called-workflows.js';
import { environmentDeploys, metadataSaysDeploy, nameSaysDeploy } from '../../src/analysis/deploy-recognisers.js';
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
    ['aws s3 sync ./packages/storybook/storybook-static s3://design.example.org/storybook', 'aws s3 sync'],
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
    expect(reasonFor('    steps:\n      - uses: ./.github/workflows/rainbow-deployment\n')).toBe(
      'it uses the local action `./.github/workflows/rainbow-deployment` (line 6)',
    );
    expect(reasonFor('    steps:\n      - uses: ./.github/actions/deployment-status\n')).toBeUndefined();
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

describe('servers, Pages, app platforms and migrations', () => {
  it.each([
    ['ssh -i key.pem -o StrictHostKeyChecking=no deploy@${{ secrets.HOST }} "docker compose up -d"', 'ssh'],
    ['scp -P 22 dist.tar.gz deploy@example.org:/srv/app/', 'scp'],
    ['rsync -avz --delete -e "ssh -i key" build/ www@${{ secrets.HOST }}:/var/www/site', 'rsync'],
    ['mkdocs gh-deploy --force', 'mkdocs gh-deploy'],
    ['mike deploy --push --update-aliases 1.2 latest', 'mike deploy --push'],
    ['npx gh-pages -d dist', 'gh-pages -d'],
    ['git push https://heroku:${{ secrets.HEROKU_API_KEY }}@git.heroku.com/app.git HEAD:main', 'git push heroku'],
    ['heroku container:release web -a app', 'heroku container:release'],
    ['gcloud beta functions deploy fn --region eu', 'gcloud functions deploy'],
    ['gsutil -m rsync -r out gs://www.example.org', 'gsutil rsync'],
    ['wrangler pages deploy dist --project-name site', 'wrangler pages deploy'],
    ['eb deploy production-env', 'eb deploy'],
    ['argocd app sync web', 'argocd app sync'],
    ['bash scripts/terraform-apply.sh envs/prod', 'bash scripts/terraform-apply.sh'],
    ['make docs.publish', 'make docs.publish'],
    ['npm run publish:site', 'npm run publish:site'],
  ])('recognises `%s` as a deploy (%s)', (script, label) => {
    expect(reasonFor(runs(script))).toBe(`it runs \`${label}\` (line 6)`);
  });

  it.each([
    'ssh -T git@github.com',
    'ssh -fN -L 5432:db:5432 bastion',
    'ssh deploy@example.org exit',
    'rsync -a build/ out/',
    'scp deploy@example.org:/var/log/app.log .',
    'git push origin main',
    './scripts/package-deploy.sh',
    'npm run publish',
    'gsutil rsync -r gs://bucket/config ./config',
    'aws s3 sync artifacts s3://get.example.com/releases/sdk --acl public-read',
    'aws s3 sync packages-files s3://${{ secrets.bucket }}/releases/',
    'flyway migrate',
    'python manage.py migrate',
  ])('does not count `%s`', (script) => {
    expect(reasonFor(runs(script))).toBeUndefined();
  });

  it('recognises a script fed to ssh on stdin', () => {
    const heredoc =
      '    steps:\n      - run: |\n          ssh -p 2222 "$USER@$HOST" <<EOF\n          systemctl restart app\n          EOF\n';
    expect(reasonFor(heredoc)).toBe('it runs `ssh` (line 7)');
  });

  it('counts an upload to a bucket only in a job whose environment names a deploy target', () => {
    const upload = runs('aws s3 cp --recursive ./site s3://www.example.org/');
    expect(reasonFor(`    environment: production\n${upload}`)).toBe(
      'it sets `environment: production` and runs `aws s3 cp --recursive` (line 7)',
    );
    expect(reasonFor(upload)).toBeUndefined();
    const action = '    steps:\n      - uses: google-github-actions/upload-cloud-storage@v2\n';
    expect(reasonFor(`    environment: review\n${action}`)).toMatch(
      /uses `google-github-actions\/upload-cloud-storage`/,
    );
    expect(reasonFor(action)).toBeUndefined();
  });

  it('counts a database migration only in a job whose environment names a deploy target', () => {
    expect(reasonFor(`    environment: production\n${runs('npx prisma migrate deploy')}`)).toBe(
      'it sets `environment: production` and runs `prisma migrate deploy` (line 7)',
    );
    expect(reasonFor(`    environment: ci\n${runs('npx prisma migrate deploy')}`)).toBeUndefined();
  });

  const uses = (action: string, inputs = '') => `    steps:\n      - uses: ${action}\n${inputs}`;
  const withInputs = (pairs: string) => `        with:\n${pairs}`;
  it.each([
    [uses('appleboy/ssh-action@v1')],
    [uses('JamesIves/github-pages-deploy-action@v4')],
    [uses('actions/deploy-pages@v4')],
    [uses('akhileshns/heroku-deploy@v3.13.15')],
    [uses('superfly/flyctl-actions@1.5', withInputs('          args: deploy --remote-only\n'))],
    [uses('amondnet/vercel-action@v25', withInputs("          vercel-args: '--prod'\n"))],
    [uses('nwtgck/actions-netlify@v3', withInputs('          production-deploy: true\n'))],
    [uses('FirebaseExtended/action-hosting-deploy@v0', withInputs('          channelId: live\n'))],
    [uses('serverless/github-action@v3', withInputs('          args: deploy --stage prod\n'))],
    [uses('cloudflare/wrangler-action@v3')],
    [uses('Azure/static-web-apps-deploy@v1', withInputs('          action: upload\n'))],
    [uses('einaregilsson/beanstalk-deploy@v22')],
  ])('recognises the action in %s', (job) => {
    expect(reasonFor(job)).toMatch(/^it uses `[^`]+` \(line 6\)$/);
  });

  it.each([
    [uses('superfly/flyctl-actions/setup-flyctl@master')],
    [uses('amondnet/vercel-action@v25')],
    [uses('nwtgck/actions-netlify@v3', withInputs('          production-deploy: false\n'))],
    [uses('FirebaseExtended/action-hosting-deploy@v0', withInputs('          channelId: pr-42\n'))],
    [uses('Azure/static-web-apps-deploy@v1', withInputs('          action: close\n'))],
    [uses('cloudflare/wrangler-action@v3', withInputs('          command: whoami\n'))],
  ])('does not count the preview or setup in %s', (job) => {
    expect(reasonFor(job)).toBeUndefined();
  });
});

describe('not deploys', () => {
  const deploys = (id: string, body: string) => reasonFor(body, undefined, id) !== undefined;
  it.each([
    ['publish', '    environment: production\n' + '    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n'],
    ['deploy', '    environment: canary\n' + runs('npm publish --tag canary')],
    ['deploy', '    environment: production\n' + runs('docker push ghcr.io/o/app:${{ github.sha }}')],
    ['deploy', '    environment: production\n' + '    steps:\n      - uses: chrnorm/deployment-action@v2\n'],
    ['build', '    environment: production\n' + runs('npm run build')],
    ['renew-certificates', '    environment: production\n' + runs('ssh ops@example.org "certbot renew"')],
    ['cleanup', '    environment: review\n' + runs('kubectl delete namespace pr-${{ github.event.number }}')],
    ['load-test', '    environment: staging\n' + runs('k6 run load.js')],
    ['terraform', '    environment: production\n' + runs('terraform plan')],
    ['deploy', '    environment: production\n' + runs('sam publish --template packaged.yml')],
  ])('job %s with %s', (id, body) => {
    expect(deploys(id, body)).toBe(false);
  });

  it('reads names, not the expressions in them', () => {
    const body = `    environment: \${{ inputs.deploy_env }}\n${runs('./scripts/build-frontend.sh')}`;
    expect(reasonFor(body, undefined, 'build_frontend')).toBeUndefined();
  });

  it('counts a job whose environment names a target and whose name says deploy, saying so', () => {
    expect(reasonFor(`    environment: production\n${runs('./scripts/release.sh')}`, undefined, 'deploy-web')).toBe(
      'it sets `environment: production` and its name says deploy',
    );
    expect(
      reasonFor(`    environment: RTD Deploys\n${runs('pipx run update-redirects.py')}`, undefined, 'update'),
    ).toBe('it sets `environment: RTD Deploys` and its name says deploy');
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
    const named = (name: string) =>
      factsOf(`on: push\njobs:\n  publish:\n    name: ${name}\n    runs-on: x\n    steps:\n      - run: ./deploy.sh\n`);
    const deploysNamed = (name: string) => {
      const facts = named(name);
      return facts.deployment(facts.workflow.jobs[0]) !== undefined;
    };
    expect(deploysNamed('publish Trace Viewer to trace.playwright.dev')).toBe(true);
    expect(deploysNamed('playwright tests')).toBe(false);
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

describe('local action metadata that says deploy', () => {
  it.each([
    ['Deploy MkDocs', 'Deploys MkDocs site', true],
    ['Rollout', '', true],
    ['Build docs', 'Builds the MkDocs site', false],
    ['Deploy status', 'Check deploy status', false],
    ['Redeploy helper', 'Prints redeploy hints', false],
  ])('%s / %s: %s', (name, description, expected) => {
    expect(metadataSaysDeploy({ name, description })).toBe(expected);
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
