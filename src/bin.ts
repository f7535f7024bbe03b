/**
 * The `wf-lint` command (package.json "bin": dist/cli.cjs; dist/cli.js loads it too). It runs the CLI
 * bundle (dist/cli-main.js, built from src/cli.ts) from a V8 code cache: without one, a third of a
 * one-file run is V8 compiling the 1.2 MB bundle and then each function the run calls, and Node 20
 * has no module.enableCompileCache(). So the bundle is built as one function expression, which
 * vm.Script compiles with the bytecode an earlier run saved, every function that run compiled
 * included. docs/development.md ("Start-up cache") says where the cache lives and how to turn it off.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import { prefetchShellWasm } from './shell-parser/wasm.js';

/** The bundle's SHA-256, set by scripts/build.mjs: a cache is only ever used with the bundle it was made from. */
declare const WF_LINT_BUNDLE_HASH: string;

const WEEK_MS = 7 * 24 * 3600 * 1000;
const OTHER_CACHES_KEPT = 3;

/** The bundle's signature (scripts/build.mjs wraps it): Node's require and the URL that stands for import.meta.url. */
type Bundle = (require: NodeJS.Require, filename: string, dirname: string, entryUrl: string) => void;

// V8 rejects a code cache made under other flags, so every process sets the shell parser's flag
// before compiling anything, whether it will parse shell scripts or not.
v8.setFlagsFromString('--liftoff-only');

// This file is bundled as CommonJS, which Node starts ~10 ms sooner than an ES module: __dirname is dist/.
const distDir = __dirname;
// Compiling the WASM now overlaps it with loading the bundle and reading the workflows.
const shellWasm = prefetchShellWasm(distDir);

const bundleFile = join(distDir, 'cli-main.js');
const source = readFileSync(bundleFile, 'latin1'); // ASCII (scripts/build.mjs checks), and latin1 decodes 3x faster
const useCache = !process.env.WF_LINT_NO_CODE_CACHE;
const cacheName = `cli-main-${WF_LINT_BUNDLE_HASH.slice(0, 16)}-node-${process.version}-${process.arch}.v8cache`;
const cached = useCache ? readCache() : undefined;
const script = new vm.Script(source, { filename: bundleFile, cachedData: cached });

// A run that linted has compiled what the next one needs: save it when there was no usable cache.
// Worker threads (src/parallel.ts starts this file again) read the cache but leave writing to the main thread.
if (useCache && isMainThread && (cached === undefined || script.cachedDataRejected)) {
  process.once('exit', () => {
    if (shellWasm.taken) writeCache(script.createCachedData());
  });
}
(script.runInThisContext() as Bundle)(createRequire(bundleFile), bundleFile, distDir, pathToFileURL(__filename).href);

/**
 * Where caches may live, best first: the node_modules/.cache/ of the project wf-lint is installed in
 * (or of this checkout), the user's cache directory, then the temporary directory.
 * WF_LINT_CACHE_DIR, when set, is the only one.
 */
function cacheDirs(): string[] {
  if (process.env.WF_LINT_CACHE_DIR) return [process.env.WF_LINT_CACHE_DIR];
  const installedIn = distDir.lastIndexOf(`${sep}node_modules${sep}`);
  const nodeModules =
    installedIn >= 0
      ? distDir.slice(0, installedIn + `${sep}node_modules`.length)
      : join(distDir, '..', 'node_modules');
  const userCache = process.env.XDG_CACHE_HOME || (process.env.HOME && join(process.env.HOME, '.cache'));
  return [
    ...(isDir(nodeModules) ? [join(nodeModules, '.cache', 'wf-lint')] : []),
    ...(userCache ? [join(userCache, 'wf-lint')] : []),
    tmpCacheDir(),
  ];
}

/** The temporary directory is shared: a directory of ours alone, so nobody else can plant bytecode in it. */
function tmpCacheDir(): string {
  return join(tmpdir(), `wf-lint-${process.getuid?.() ?? 'user'}`);
}

function isPrivateDir(dir: string): boolean {
  if (process.getuid === undefined) return true; // Windows: the temporary directory is per user
  const stat = statSync(dir);
  return stat.isDirectory() && stat.uid === process.getuid() && (stat.mode & 0o077) === 0;
}

function readCache(): Buffer | undefined {
  for (const dir of cacheDirs()) {
    try {
      if (dir === tmpCacheDir() && !isPrivateDir(dir)) continue;
      return readFileSync(join(dir, cacheName));
    } catch {
      // Not there (or not readable): try the next place.
    }
  }
  return undefined;
}

/** Writes the cache to the first directory that takes it, atomically; one that cannot be written is skipped. */
function writeCache(data: Buffer): void {
  for (const dir of cacheDirs()) {
    const temporary = join(dir, `${cacheName}.${process.pid}.tmp`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (dir === tmpCacheDir() && !isPrivateDir(dir)) continue;
      writeFileSync(temporary, data);
      renameSync(temporary, join(dir, cacheName));
    } catch {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // The directory is not usable at all: nothing was written.
      }
      continue;
    }
    removeOtherCaches(dir);
    return;
  }
}

/**
 * Caches of other builds and Node versions. Another wf-lint may still use one (removing it would make
 * two versions rewrite the cache in turn), so the newest few of the last week stay; a checkout that
 * is rebuilt all day keeps no more than that.
 */
function removeOtherCaches(dir: string): void {
  try {
    const others = readdirSync(dir)
      .filter((name) => /^cli-main-.*\.v8cache$/.test(name) && name !== cacheName)
      .map((name) => ({ path: join(dir, name), written: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.written - a.written);
    others.forEach(({ path, written }, i) => {
      if (i >= OTHER_CACHES_KEPT || written < Date.now() - WEEK_MS) rmSync(path, { force: true });
    });
  } catch {
    // Another process is cleaning up too.
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
