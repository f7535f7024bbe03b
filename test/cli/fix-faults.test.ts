import { DEFAULT_LINT } from '../lint-options.js';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import {
  chmodSync,
  chownSync,
  cpSync,
  linkSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixFiles } from '../../src/fixers/run.js';
import { writeAtomically } from '../../src/fixers/write.js';
import { formatFixSummary } from '../../src/report/fix-summary.js';
import { tempDir } from '../integrations/temp-dir.js';
import { CLI, ROOT } from './run-cli.js';

/**
 * Faults are injected into node:fs as wf-lint's modules see it: a full disk fails the write of the
 * temporary file part-way, an editor saves the file between wf-lint's read and its write.
 */
const faults = vi.hoisted(() => ({
  /** Basenames whose temporary file fails to be written, after half of it (ENOSPC). */
  fullDisk: new Set<string>(),
  /** Basename -> text another program writes to the file right after wf-lint first reads it. */
  editedAfterRead: new Map<string, string>(),
  /** Basenames whose first in-place write (writeSync) stops half-way on a full disk; later ones succeed. */
  fullDiskInPlace: new Set<string>(),
}));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const openPaths = new Map<number, string>();
  const seen = new Set<string>();
  const name = (path: unknown) => String(path).split('/').pop()!;
  const mocked = {
    ...real,
    openSync: (...args: Parameters<typeof real.openSync>) => {
      const fd = real.openSync(...args);
      openPaths.set(fd, String(args[0]));
      return fd;
    },
    writeFileSync: (...args: Parameters<typeof real.writeFileSync>) => {
      const [target, data] = args;
      const temp = typeof target === 'number' ? name(openPaths.get(target)) : '';
      const victim = [...faults.fullDisk].find((n) => temp.startsWith(`.${n}.wf-lint-`));
      if (victim && typeof data === 'string') {
        real.writeSync(target as number, data.slice(0, data.length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return real.writeFileSync(...args);
    },
    writeSync: ((fd: number, buffer: Buffer, offset: number, length: number, position: number) => {
      const file = name(openPaths.get(fd));
      if (faults.fullDiskInPlace.delete(file)) {
        real.writeSync(fd, buffer, offset, Math.floor(length / 2), position);
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return real.writeSync(fd, buffer, offset, length, position);
    }) as typeof real.writeSync,
    readFileSync: ((...args: Parameters<typeof real.readFileSync>) => {
      const content = real.readFileSync(...args);
      const edit = faults.editedAfterRead.get(name(args[0]));
      if (edit !== undefined && !seen.has(String(args[0]))) {
        seen.add(String(args[0]));
        real.writeFileSync(args[0], edit);
      }
      return content;
    }) as typeof real.readFileSync,
  };
  return { ...mocked, default: mocked };
});

afterEach(() => {
  faults.fullDisk.clear();
  faults.editedAfterRead.clear();
  faults.fullDiskInPlace.clear();
});

/** A deploy job without concurrency: --fix adds a `concurrency:` block. */
const FIXABLE =
  'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: kubectl apply -f k8s/\n';
const lint = DEFAULT_LINT;

function fixDir(files: string[], existing?: string) {
  const dir = existing ?? tempDir(Object.fromEntries(files.map((f) => [f, FIXABLE])));
  const run = fixFiles(
    files.map((f) => ({ abs: join(dir, f), path: f })),
    { lint, unsafe: false, dryRun: false },
  );
  return { dir, run, summary: formatFixSummary(run.summary, false, run.results) };
}

const AS_ROOT = process.getuid?.() === 0;
const tempFilesIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('--fix under faults', () => {
  it('leaves a file intact when its write fails on a full disk, reports it and fixes the others', () => {
    faults.fullDisk.add('b.yml');
    const { dir, run, summary } = fixDir(['a.yml', 'b.yml', 'c.yml']);
    expect(readFileSync(join(dir, 'b.yml'), 'utf8')).toBe(FIXABLE);
    expect(summary).toContain('b.yml: could not be written: ENOSPC: no space left on device, write');
    expect(run.summary.changed).toEqual(['a.yml', 'c.yml']);
    for (const f of ['a.yml', 'c.yml']) expect(readFileSync(join(dir, f), 'utf8')).toContain('concurrency:');
    // The finding stays, reported from the original text.
    expect(run.results.find((r) => r.path === 'b.yml')?.findings.map((f) => f.ruleId)).toEqual([
      'missing-concurrency',
      'missing-deploy-timeout',
    ]);
    expect(tempFilesIn(dir)).toEqual([]);
  });

  it('does not overwrite a file another program changed between the read and the write', () => {
    const edited = FIXABLE.replace('kubectl apply -f k8s/', 'helm upgrade app ./chart');
    faults.editedAfterRead.set('b.yml', edited);
    const { dir, run, summary } = fixDir(['a.yml', 'b.yml', 'c.yml']);
    expect(readFileSync(join(dir, 'b.yml'), 'utf8')).toBe(edited);
    expect(summary).toContain(
      'b.yml: could not be written: it changed on disk while wf-lint was fixing it; not overwritten',
    );
    expect(run.summary.changed).toEqual(['a.yml', 'c.yml']);
    expect(tempFilesIn(dir)).toEqual([]);
  });

  it('leaves a temporary file it did not create where it is', () => {
    const dir = tempDir({ 'a.yml': FIXABLE });
    const foreign = join(dir, `.a.yml.wf-lint-${process.pid}.tmp`);
    writeFileSync(foreign, 'not ours');
    expect(() => writeAtomically(join(dir, 'a.yml'), Buffer.from(FIXABLE), 'fixed')).toThrow(/EEXIST/);
    expect(readFileSync(foreign, 'utf8')).toBe('not ours');
    expect(readFileSync(join(dir, 'a.yml'), 'utf8')).toBe(FIXABLE);
  });

  // Root may write any file: as root the CLI runs as nobody, which needs setpriv (util-linux).
  it('exits 2 and leaves a read-only file intact, fixing the others', (context) => {
    context.skip(
      AS_ROOT && spawnSync('setpriv', ['--version']).status !== 0,
      'running as root without setpriv, so the CLI cannot run as nobody',
    );
    context.skip(AS_ROOT && asNobody(['-e', '0'], tmpdir()).status !== 0, `nobody cannot run ${process.execPath}`);
    const dir = tempDir({ 'a.yml': FIXABLE, 'ro.yml': FIXABLE, 'c.yml': FIXABLE });
    chmodSync(join(dir, 'ro.yml'), 0o444);
    const r = runCliUnprivileged(['--fix', '.'], dir);
    expect(readFileSync(join(dir, 'ro.yml'), 'utf8')).toBe(FIXABLE);
    expect(fs.statSync(join(dir, 'ro.yml')).mode & 0o777).toBe(0o444);
    expect(r.stderr).toMatch(/^ {4}ro\.yml: could not be written: EACCES: permission denied/m);
    expect(r.stderr).toContain('2 changed');
    for (const f of ['a.yml', 'c.yml']) expect(readFileSync(join(dir, f), 'utf8')).toContain('concurrency:');
    expect(tempFilesIn(dir)).toEqual([]);
    expect(r.status).toBe(2);
  });
});

describe('--fix on linked files', () => {
  const FIXED_MARK = 'concurrency:';

  it('writes a symlinked workflow at its target, beside it, and leaves the link a link', () => {
    const dir = tempDir({ 'shared/deploy.yml': FIXABLE, 'repo/.github/workflows/keep.txt': '' });
    const link = join(dir, 'repo/.github/workflows/deploy.yml');
    symlinkSync('../../../shared/deploy.yml', link);
    const r = spawnSync(process.execPath, [CLI, '--fix', 'repo'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toContain('1 changed');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('../../../shared/deploy.yml');
    expect(readFileSync(join(dir, 'shared/deploy.yml'), 'utf8')).toContain(FIXED_MARK);
    expect(tempFilesIn(join(dir, 'shared'))).toEqual([]);
    expect(tempFilesIn(join(dir, 'repo/.github/workflows'))).toEqual([]);
  });

  it('rewrites a file with several hard links in place, so that every name sees the fix', () => {
    const dir = tempDir({ 'a.yml': FIXABLE });
    linkSync(join(dir, 'a.yml'), join(dir, 'b.yml'));
    chmodSync(join(dir, 'a.yml'), 0o640);
    const inode = statSync(join(dir, 'a.yml')).ino;
    const { run } = fixDir(['a.yml'], dir);
    expect(run.summary.changed).toEqual(['a.yml']);
    for (const f of ['a.yml', 'b.yml']) {
      expect(readFileSync(join(dir, f), 'utf8')).toContain(FIXED_MARK);
      expect(statSync(join(dir, f))).toMatchObject({ ino: inode, nlink: 2 });
    }
    expect(statSync(join(dir, 'a.yml')).mode & 0o777).toBe(0o640);
    expect(tempFilesIn(dir)).toEqual([]);
  });

  it('leaves a hard-linked file intact when the disk fills up while it grows', () => {
    const dir = tempDir({ 'a.yml': FIXABLE });
    linkSync(join(dir, 'a.yml'), join(dir, 'b.yml'));
    faults.fullDiskInPlace.add('a.yml');
    const { run, summary } = fixDir(['a.yml'], dir);
    expect(summary).toContain('a.yml: could not be written: ENOSPC: no space left on device, write');
    expect(run.summary.changed).toEqual([]);
    for (const f of ['a.yml', 'b.yml']) expect(readFileSync(join(dir, f), 'utf8')).toBe(FIXABLE);
    expect(statSync(join(dir, 'a.yml')).nlink).toBe(2);
  });

  it('writes the old bytes back when overwriting a hard-linked file fails part-way', () => {
    const dir = tempDir({ 'a.yml': FIXABLE });
    linkSync(join(dir, 'a.yml'), join(dir, 'b.yml'));
    faults.fullDiskInPlace.add('a.yml');
    // A shorter text: no growth first, the failure hits the overwrite itself.
    expect(() => writeAtomically(join(dir, 'a.yml'), Buffer.from(FIXABLE), 'on: push\n')).toThrow(/ENOSPC/);
    expect(readFileSync(join(dir, 'b.yml'), 'utf8')).toBe(FIXABLE);
  });

  it('does not overwrite a hard-linked file another program changed meanwhile', () => {
    const dir = tempDir({ 'a.yml': FIXABLE });
    linkSync(join(dir, 'a.yml'), join(dir, 'b.yml'));
    const edited = FIXABLE.replace('kubectl apply -f k8s/', 'helm upgrade app ./chart');
    faults.editedAfterRead.set('a.yml', edited);
    const { summary } = fixDir(['a.yml'], dir);
    expect(summary).toContain('a.yml: could not be written: it changed on disk while wf-lint was fixing it');
    expect(readFileSync(join(dir, 'b.yml'), 'utf8')).toBe(edited);
  });

  it('shortens a hard-linked file to the fixed text', () => {
    const dir = tempDir({ 'a.yml': FIXABLE });
    linkSync(join(dir, 'a.yml'), join(dir, 'b.yml'));
    writeAtomically(join(dir, 'a.yml'), Buffer.from(FIXABLE), 'on: push\n');
    expect(readFileSync(join(dir, 'b.yml'), 'utf8')).toBe('on: push\n');
  });
});

const NOBODY = 65534;

/** Runs node as nobody. */
function asNobody(args: string[], cwd?: string) {
  const setpriv = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, ...args];
  return spawnSync(setpriv[0], setpriv.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

/**
 * Runs the CLI as a user the file permissions apply to: as nobody when the tests run as root. nobody
 * may not be able to reach this checkout (a clone inside a private `mktemp -d` folder), so it runs a
 * copy of the bundle (dist/, which holds the WASM files it loads) from a directory anyone can read.
 */
function runCliUnprivileged(args: string[], cwd: string) {
  if (!AS_ROOT)
    return spawnSync(process.execPath, [CLI, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
  for (const f of ['.', ...readdirSync(cwd)]) chownSync(join(cwd, f), NOBODY, NOBODY);
  const copy = mkdtempSync(join(tmpdir(), 'wf-lint-dist-'));
  chmodSync(copy, 0o755);
  cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
  return asNobody([join(copy, 'dist', 'cli.js'), ...args], cwd);
}
