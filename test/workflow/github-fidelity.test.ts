import { describe, expect, it } from 'vitest';
import { DEFAULT_LINT } from '../lint-options.js';
import { lintLoaded } from '../../src/lint.js';
import { loadWorkflow } from '../../src/workflow/load.js';

const lint = (text: string) =>
  lintLoaded(loadWorkflow('w.yml', text), DEFAULT_LINT).findings.map(
    (f) => `${f.ruleId} ${f.level} ${f.range.start.line}:${f.range.start.column}`,
  );

const DEPLOY_WITH_KEYS = [
  'jobs:',
  '  deploy:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: aws-actions/configure-aws-credentials@v4',
  '        with:',
  '          aws-region: us-east-1',
  '          aws-access-key-id: ${{ secrets.AWS_ACCESS_KEY_ID }}',
  '          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}',
  '      - run: aws s3 sync dist s3://site --delete',
];

describe('what GitHub accepts, wf-lint reads', () => {
  it('lints every rule on a workflow whose only YAML problem is a tab-indented quoted continuation', () => {
    const text = [
      'on:',
      '  push:',
      '  workflow_dispatch:',
      '    inputs:',
      '      stage:',
      '        description: "The stage,',
      '\t\tstaging or prod"',
      ...DEPLOY_WITH_KEYS,
      '',
    ].join('\n');
    expect(lint(text)).toEqual([
      'non-standard-yaml warning 7:1',
      'missing-concurrency warning 9:3',
      'missing-deploy-timeout warning 9:3',
      'long-lived-credentials error 15:11',
    ]);
  });

  it('folds the quoted value as YAML does, from the original text', () => {
    const loaded = loadWorkflow('w.yml', 'name: "Deploy the\r\n\t\tsite,\r\n\r\n\tnow"\r\non: push\r\njobs: {}\r\n');
    expect(loaded.workflow?.doc.get('name')).toBe('Deploy the site,\nnow');
    expect(loaded.diagnostics.map((d) => [d.kind, d.range.start.line, d.range.start.column])).toEqual([
      ['non-standard', 2, 1],
      ['non-standard', 4, 1],
    ]);
  });

  it('keeps a schema error in one input or one value local: the other rules still report', () => {
    const text = [
      'on:',
      '  push:',
      '    tags-ignore: ["v*"]',
      '  workflow_dispatch:',
      '    inputs:',
      '      stage:',
      '        pattern: x',
      ...DEPLOY_WITH_KEYS,
      '    timeout-minutes: soon',
      '',
    ].join('\n');
    expect(lint(text)).toEqual([
      'ignored-key warning 7:9',
      'missing-concurrency warning 9:3',
      'long-lived-credentials error 15:11',
      'syntax-error error 18:22',
    ]);
  });
});
