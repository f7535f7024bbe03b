import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The shell parser's WebAssembly: web-tree-sitter's runtime and the bash grammar, with their compilation. */
export interface ShellWasm {
  core: Uint8Array;
  bash: Uint8Array;
  /** Settles when V8 has compiled both; holding it keeps the compiled modules alive. */
  compiled: Promise<unknown>;
  /** Set when the shell parser took it: this process is linting. */
  taken: boolean;
}

// Node has WebAssembly; without the DOM library, TypeScript only knows its types.
const { compile } = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<object> } }).WebAssembly;

/** Where the command's entry (src/bin.ts) leaves the WASM it started compiling for the bundle to pick up. */
const PREFETCHED = Symbol.for('wf-lint.shell-wasm');
type Holder = { [PREFETCHED]?: ShellWasm };

/**
 * Reads both binaries (beside the bundle in dist/, else from their npm packages) and starts compiling
 * them. WebAssembly.compile validates on V8's background threads, and V8 keeps one compiled module per
 * distinct binary in a process, so web-tree-sitter's own instantiation from the same bytes later reuses
 * this compilation instead of doing it again on the main thread.
 */
export function loadShellWasm(dir: string): ShellWasm {
  const core = readFileSync(wasmFile(dir, 'tree-sitter.wasm', 'web-tree-sitter'));
  const bash = readFileSync(wasmFile(dir, 'tree-sitter-bash.wasm', 'tree-sitter-bash'));
  const compiled = Promise.all([compile(core), compile(bash)]);
  compiled.catch(() => {}); // a broken binary fails where it is instantiated, with web-tree-sitter's message
  return { core, bash, compiled, taken: false };
}

/** Starts loading the shell parser's WASM early, for {@link takeShellWasm} to find. */
export function prefetchShellWasm(dir: string): ShellWasm {
  const wasm = loadShellWasm(dir);
  (globalThis as Holder)[PREFETCHED] = wasm;
  return wasm;
}

/** The prefetched WASM, if the entry started it, marked as taken. */
export function takeShellWasm(): ShellWasm | undefined {
  const prefetched = (globalThis as Holder)[PREFETCHED];
  if (prefetched) prefetched.taken = true;
  return prefetched;
}

/** A WASM file beside the bundle (dist/) or, in a checkout, in its npm package. */
function wasmFile(dir: string, name: string, pkg: string): string {
  const beside = join(dir, name);
  if (existsSync(beside)) return beside;
  // Resolve the package's main entry: not every package exports its package.json.
  const require = createRequire(`${dir}/`);
  for (let d = dirname(require.resolve(pkg)); d !== dirname(d); d = dirname(d)) {
    if (existsSync(join(d, name))) return join(d, name);
  }
  throw new Error(`${name} not found in ${pkg}`);
}
