import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PR_CHECK_WORKFLOW } from '../../src/init.js';
import { ROOT } from '../cli/run-cli.js';

/**
 * actionlint, when the environment names it: ACTIONLINT, or `actionlint` on the PATH. .ci/run runs
 * scripts/check-examples.mjs with the reference build beside the checkout itself, after the tests.
 */
const ACTIONLINT = process.env.ACTIONLINT ?? (spawnSync('actionlint', ['-version']).status === 0 ? 'actionlint' : '');
if (!ACTIONLINT) console.warn('Skipping the actionlint check of the examples: set ACTIONLINT to its path.');

describe('the pull-request workflow users copy (examples/pr-check.yml, wf-lint init)', () => {
  it('uses the current majors of checkout and upload-sarif, without persisting the token', () => {
    expect(PR_CHECK_WORKFLOW).toContain('uses: actions/checkout@v7\n        with:\n');
    expect(PR_CHECK_WORKFLOW).toMatch(/^ {10}persist-credentials: false$/m);
    expect(PR_CHECK_WORKFLOW).toContain('uses: github/codeql-action/upload-sarif@v4\n');
  });

  it.skipIf(!ACTIONLINT)('is clean under wf-lint and actionlint, as scripts/check-examples.mjs checks', () => {
    const r = spawnSync(process.execPath, ['scripts/check-examples.mjs', '--actionlint', ACTIONLINT], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'examples/pr-check.yml: wf-lint: clean',
      'examples/pr-check.yml: actionlint: clean',
      'wf-lint init: wf-lint: clean',
      'wf-lint init: actionlint: clean',
    ]);
    expect(r.status).toBe(0);
  });
});
