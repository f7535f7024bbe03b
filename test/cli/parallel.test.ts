import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { lintFiles, type LintOptions } from '../../src/lint.js';
import { lintFilesInParallel, threadCount, PARALLEL_THRESHOLD } from '../../src/parallel.js';
import { rules } from '../../src/rules/registry.js';
import { CLI, ROOT, runCli } from './run-cli.js';

describe('linting on worker threads', () => {
  it('gives the same report, order and exit code on 1, 2 and 3 threads', () => {
    // Every rule fixture and the bad inputs (binary, alias bomb, invalid YAML), plus a path that does not exist.
    const args = ['--format', 'json', 'test/fixtures', 'no/such/file.yml'];
    const [one, two, three] = ['1', '2', '3'].map((n) => runCli(args, { env: { WF_LINT_THREADS: n } }));
    expect(JSON.parse(one.stdout).files.length).toBeGreaterThan(PARALLEL_THRESHOLD);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/no\/such\/file\.yml/);
    for (const other of [two, three]) {
      expect(other.stdout).toBe(one.stdout);
      expect(other.stderr).toBe(one.stderr);
      expect(other.code).toBe(one.code);
    }
    // Three CLI runs over every fixture: minutes, not seconds, when the machine is shared.
  }, 120_000);

  it('starts threads only for enough files, unless WF_LINT_THREADS says otherwise', () => {
    expect(threadCount(PARALLEL_THRESHOLD - 1, {})).toBe(1);
    expect(threadCount(PARALLEL_THRESHOLD, {})).toBeGreaterThanOrEqual(1);
    expect(threadCount(5000, { WF_LINT_THREADS: '1' })).toBe(1);
    expect(threadCount(5000, { WF_LINT_THREADS: '4' })).toBe(4);
    // Never more threads than batches of files.
    expect(threadCount(10, { WF_LINT_THREADS: '4' })).toBe(1);
    expect(threadCount(5000, { WF_LINT_THREADS: 'many' })).toBeGreaterThanOrEqual(1);
  });

  it('lints on the main thread what a worker out of heap leaves', async () => {
    const dir = join(ROOT, 'test/fixtures');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => ({ abs: join(dir, name), path: name }));
    const options: LintOptions = {
      config: parseConfig(
        '',
        'default',
        rules.map((r) => r.meta),
      ),
      rules,
      onInternalError(ruleId, path, error) {
        throw new Error(`rule ${ruleId} threw on ${path}: ${String(error)}`);
      },
    };
    // 2 MB of heap is too little for a worker to load the bundle.
    const linted = await lintFilesInParallel(files, options, 2, pathToFileURL(CLI), 2);
    expect(linted).toEqual(lintFiles(files, options));
  });
});
