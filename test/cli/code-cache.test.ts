import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { ROOT } from './run-cli.js';

// The command (src/bin.ts, dist/cli.cjs) runs the bundle from a V8 code cache. These runs point it at a
// directory of their own with WF_LINT_CACHE_DIR.
const BIN = join(ROOT, pkg.bin['wf-lint']);
const ARGS = ['--format', 'json', 'examples/late-secret-read.yml', 'test/fixtures/secret-in-cli-args'];
const scratch = mkdtempSync(join(tmpdir(), 'wf-lint-code-cache-'));
const cacheDir = join(scratch, 'cache');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(() => rmSync(cacheDir, { recursive: true, force: true }));

function lint(env: Record<string, string> = {}, args = ARGS, bin = BIN) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WF_LINT_NO_CODE_CACHE: '', WF_LINT_CACHE_DIR: cacheDir, WF_LINT_THREADS: '1', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The cache files in the directory (there is at most one per bundle and Node version). */
function cacheFiles(): string[] {
  try {
    return readdirSync(cacheDir).map((name) => join(cacheDir, name));
  } catch {
    return [];
  }
}

const uncached = lint({ WF_LINT_NO_CODE_CACHE: '1' });

describe('code cache of the command', () => {
  it('is neither read nor written with WF_LINT_NO_CODE_CACHE set', () => {
    expect(uncached.code).toBe(1);
    expect(JSON.parse(uncached.stdout).summary.errors).toBeGreaterThan(0);
    expect(uncached.stderr).toBe('');
    expect(lint({ WF_LINT_NO_CODE_CACHE: '1' })).toEqual(uncached);
    expect(cacheFiles()).toEqual([]);
  });

  it('is written by a lint run, then used as it is, with the same report', () => {
    expect(lint()).toEqual(uncached);
    const [file] = cacheFiles();
    expect(file).toMatch(/cli-main-[0-9a-f]{16}-node-v[\d.]+-\w+\.v8cache$/);
    const written = readFileSync(file);
    const { mtimeMs } = statSync(file);
    expect(lint()).toEqual(uncached);
    expect(cacheFiles()).toEqual([file]);
    // A cache V8 accepted is not written again.
    expect(statSync(file).mtimeMs).toBe(mtimeMs);
    expect(readFileSync(file).equals(written)).toBe(true);
  });

  it('is not written by a run that lints nothing: it would hold little of what linting needs', () => {
    const version = lint({}, ['--version']);
    expect(version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect(cacheFiles()).toEqual([]);
  });

  it('ignores a corrupt or stale cache and replaces it', () => {
    lint();
    const [file] = cacheFiles();
    const stale = new vm.Script('"another bundle"').createCachedData(); // valid V8 data, for other source
    for (const bad of [Buffer.from('not a code cache'), Buffer.alloc(0), stale]) {
      writeFileSync(file, bad);
      expect(lint()).toEqual(uncached);
      expect(readFileSync(file).equals(bad)).toBe(false);
      expect(readFileSync(file).length).toBeGreaterThan(100_000);
    }
  });

  it("keeps the three newest other builds' caches of the last week when it writes its own", () => {
    lint();
    const [file] = cacheFiles();
    rmSync(file);
    const other = (i: number, daysAgo: number) => {
      const path = join(cacheDir, `cli-main-${String(i).repeat(16)}-node-v20.0.0-x64.v8cache`);
      writeFileSync(path, 'another build');
      const written = new Date(Date.now() - daysAgo * 24 * 3600 * 1000);
      utimesSync(path, written, written);
      return path;
    };
    const recent = [other(1, 1), other(2, 2)];
    other(3, 8); // one of the three newest, but over a week old
    lint();
    expect(cacheFiles().sort()).toEqual([file, ...recent].sort());

    rmSync(file);
    const newest = [...recent, other(4, 3)];
    other(5, 4); // a fourth
    lint();
    expect(cacheFiles().sort()).toEqual([file, ...newest].sort());
  });

  it('lints as usual when the cache directory cannot be made', () => {
    const notADirectory = join(scratch, 'a-file');
    writeFileSync(notADirectory, '');
    expect(lint({ WF_LINT_CACHE_DIR: join(notADirectory, 'cache') })).toEqual(uncached);
  });

  it('lives in the user cache directory, else a private temporary one, when wf-lint is not in node_modules', () => {
    const dist = join(scratch, 'package', 'dist');
    cpSync(join(ROOT, 'dist'), dist, { recursive: true });
    const bin = join(dist, 'cli.cjs');
    const userCache = join(scratch, 'xdg');
    const tmp = join(scratch, 'tmp');
    mkdirSync(tmp);
    const env = { WF_LINT_CACHE_DIR: '', XDG_CACHE_HOME: userCache, TMPDIR: tmp };
    expect(lint(env, ARGS, bin)).toEqual(uncached);
    expect(readdirSync(join(userCache, 'wf-lint'))).toHaveLength(1);

    const noUserCache = { ...env, XDG_CACHE_HOME: '', HOME: '' };
    expect(lint(noUserCache, ARGS, bin)).toEqual(uncached);
    const tmpCache = join(tmp, `wf-lint-${process.getuid?.() ?? 'user'}`);
    expect(readdirSync(tmpCache)).toHaveLength(1);
    expect(statSync(tmpCache).mode & 0o777).toBe(0o700);
    // One that others can write to could hold planted bytecode: it is neither read nor written.
    if (process.getuid) {
      rmSync(tmpCache, { recursive: true });
      mkdirSync(tmpCache, { mode: 0o777 });
      chmodSync(tmpCache, 0o777);
      expect(lint(noUserCache, ARGS, bin)).toEqual(uncached);
      expect(readdirSync(tmpCache)).toEqual([]);
    }
  });

  it('is read by worker threads too', () => {
    const args = ['--format', 'json', 'test/fixtures/secret-in-cli-args']; // 41 files: two batches
    const expected = lint({ WF_LINT_NO_CODE_CACHE: '1' }, args);
    expect(lint({ WF_LINT_THREADS: '2' }, args)).toEqual(expected);
    expect(cacheFiles()).toHaveLength(1);
    expect(lint({ WF_LINT_THREADS: '2' }, args)).toEqual(expected);
  });
});
