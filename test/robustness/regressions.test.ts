import { DEFAULT_LINT } from '../lint-options.js';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintBytes } from '../../src/lint.js';
import { CLI } from '../cli/run-cli.js';
import { tempDir } from '../integrations/temp-dir.js';

/** Inputs the property suite found, shrunk to what matters; before the fix every rule threw on them. */
const lint = DEFAULT_LINT;
const HEAD = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n';
const findingsOf = (text: string, path = 'found.yml') =>
  lintBytes(path, Buffer.from(text), lint).findings.map(
    // The finding in full: its explanation, or the first line when that says all.
    (f) => `${f.ruleId} ${f.range.start.line}:${f.range.start.column} ${f.detail ?? f.message}`,
  );

describe('inputs the fuzzer found', () => {
  it('reads an expression its lexer rejects (a long line pasted into `${{ … }}`) as a syntax error, not a crash', () => {
    expect(findingsOf(HEAD + '      - run: echo "${{ secrets.A=1 }}"\n')).toEqual([
      "syntax-error 6:20 In `jobs.a.steps[0].run`: Unexpected symbol: '=1'. " +
        'Located at position 10 within expression: secrets.A=1.',
    ]);
  });

  it('reads an empty expression, closed or cut off at the end of the file, as a syntax error, not a crash', () => {
    expect(findingsOf(HEAD + '      - run: echo ${{ }}\n')).toEqual([
      'syntax-error 6:19 In `jobs.a.steps[0].run`: An expression was expected',
    ]);
    expect(findingsOf(HEAD + '      - run: echo ${{')).toEqual([
      'syntax-error 6:14 In `jobs.a.steps[0].run`: The expression is not closed. ' +
        'An unescaped ${{ sequence was found, but the closing }} sequence was not found.',
    ]);
  });

  it('reads an env key with pattern characters (`T[F`, a bracket pasted into a key) as a plain name', () => {
    const text =
      'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    concurrency: deploy\n    timeout-minutes: 10\n    env:\n      T[F: ${{ secrets.KEY }}\n    steps:\n      - run: ./deploy.sh\n';
    expect(findingsOf(text).map((f) => f.slice(0, f.indexOf(' with ')))).toEqual([
      "missing-preflight 3:3 Job 'deploy' deploys (it sets `environment: production` and runs `./deploy.sh` " +
        '(line 11)) but uses secrets.KEY',
    ]);
  });

  it('fixes static AWS keys passed through an env key with pattern characters (`K(1`)', () => {
    const text =
      "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        env:\n          K(1: ${{ secrets.AWS_ACCESS_KEY_ID }}\n        with:\n          aws-access-key-id: ${{ env['K(1'] }}\n          aws-secret-access-key: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n          aws-region: us-east-1\n";
    expect(findingsOf(text).map((f) => f.split(' ')[0])).toContain('long-lived-credentials');
  });

  it('reads a call of a local workflow no file can be (a name too long, a path below a file) as an unknown workflow', () => {
    // A caller in .github/workflows/ looks for the called file from the repository root (here, the cwd).
    for (const uses of [`./.github/workflows/${'x'.repeat(300)}.yml`, './package.json/deploy.yml']) {
      const text = `on: push\njobs:\n  call:\n    uses: ${uses}\n`;
      expect(findingsOf(text, '.github/workflows/caller.yml')).toEqual([]);
    }
  });

  it('stops quietly when the reader of its output goes away (`wf-lint … | head -1`)', () => {
    const dir = tempDir();
    // One long broken line: 18,000 findings, far more output than a pipe buffer holds.
    writeFileSync(join(dir, 'broken.yml'), ' "q"'.repeat(18_000) + '\non: push\n');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" broken.yml | head -1`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('broken.yml\n');
    expect(r.stderr).toBe('');
  });
});
