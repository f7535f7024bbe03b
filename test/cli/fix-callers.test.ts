import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// The caller sorts before the workflow it calls, so it is fixed first, while the callee still uses keys.
const CALLER = [
  'name: release',
  'on: push',
  'jobs:',
  '  deploy:',
  '    permissions:',
  '      contents: read',
  '    uses: ./.github/workflows/deploy.yml',
  '',
].join('\n');
const CALLEE = [
  'name: deploy',
  'on: workflow_call',
  'jobs:',
  '  deploy:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: aws-actions/configure-aws-credentials@v4',
  '        with:',
  '          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}',
  '          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}',
  '          aws-region: eu-west-1',
  '      - run: aws s3 ls',
  '',
].join('\n');

describe('--fix across a caller and the workflow it calls', () => {
  it('fixes the caller again after the called workflow moved to OIDC, so a second --fix changes nothing', () => {
    const repo = mkdtempSync(join(tmpdir(), 'wf-lint-callers-'));
    mkdirSync(join(repo, '.github/workflows'), { recursive: true });
    writeFileSync(join(repo, '.github/workflows/a-release.yml'), CALLER);
    writeFileSync(join(repo, '.github/workflows/deploy.yml'), CALLEE);

    const first = runCli(['--fix', '--unsafe-fixes'], { cwd: repo });
    expect(first.stderr).toMatch(/2 files scanned, 2 changed/);
    expect(readFileSync(join(repo, '.github/workflows/deploy.yml'), 'utf8')).toContain(
      'role-to-assume: ${{ secrets.AWS_ROLE_ARN }}',
    );
    expect(readFileSync(join(repo, '.github/workflows/a-release.yml'), 'utf8')).toContain('      id-token: write\n');

    const second = runCli(['--fix', '--unsafe-fixes'], { cwd: repo });
    expect(second.stderr).toMatch(/2 files scanned, 0 changed/);
  });
});
