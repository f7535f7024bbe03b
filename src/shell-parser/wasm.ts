import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** A compiled WebAssembly.Module. */
type WasmModule = object;

/** What this file uses of WebAssembly: Node has it, but TypeScript declares it only with the DOM library. */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(source: Uint8Array | WasmModule, imports: object): Promise<unknown>;
  Instance: new (module: WasmModule, imports: object) => object;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The shell parser's WebAssembly: web-tree-sitter's runtime and the bash grammar, and their compilation. */
export interface ShellWasm {
  core: Uint8Array;
  bash: Uint8Array;
  compiled: Promise<[core: WasmModule, bash: WasmModule]>;
  /** Set when the shell parser took it: this process is linting. */
  taken: boolean;
}

/** Where the command's entry (src/bin.ts) leaves the WASM it started compiling for the bundle to pick up. */
const PREFETCHED = Symbol.for('wf-lint.shell-wasm');
type Holder = { [PREFETCHED]?: ShellWasm };

/**
 * Reads both binaries (beside the bundle in dist/, else from their npm packages) and starts compiling
 * them: WebAssembly.compile decodes and validates on V8's background threads, and functions are
 * compiled when first called.
 */
export function loadShellWasm(dir: string): ShellWasm {
  const core = readFileSync(wasmFile(dir, 'tree-sitter.wasm', 'web-tree-sitter'));
  const bash = readFileSync(wasmFile(dir, 'tree-sitter-bash.wasm', 'tree-sitter-bash'));
  const compiled = Promise.all([wasmApi.compile(core), wasmApi.compile(bash)]);
  compiled.catch(() => {}); // awaited by the shell parser, if this process lints
  return { core, bash, compiled, taken: false };
}

// web-tree-sitter instantiates from bytes, which V8 decodes again, ~3 ms a module, even when it has
// compiled the same bytes. These two hand it the compiled modules instead.

/** Emscripten's `instantiateWasm` option (for Parser.init): instantiates `module`. */
export function instantiateWasm(module: WasmModule) {
  return (imports: object, done: (instance: object, module: WasmModule) => void) => {
    done(new wasmApi.Instance(module, imports), module);
    return {};
  };
}

/** Runs `load` with WebAssembly.instantiate(bytes) answered from `module` (Language.load only takes bytes). */
export async function withCompiled<T>(bytes: Uint8Array, module: WasmModule, load: () => Promise<T>): Promise<T> {
  const { instantiate } = wasmApi;
  wasmApi.instantiate = (source, imports) =>
    source === bytes
      ? instantiate(module, imports).then((instance) => ({ module, instance }))
      : instantiate(source, imports);
  try {
    return await load();
  } finally {
    wasmApi.instantiate = instantiate;
  }
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
