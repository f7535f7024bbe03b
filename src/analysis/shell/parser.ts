import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import type { Parser as TreeSitterParser, Tree } from 'web-tree-sitter';

let parser: TreeSitterParser | undefined;
let loading: Promise<void> | undefined;

/** Finds a WASM file beside the bundle (dist/) or, in a checkout, in its npm package. */
function wasmFile(name: string, pkg: string): string {
  const beside = join(dirname(fileURLToPath(import.meta.url)), name);
  if (existsSync(beside)) return beside;
  // Resolve the package's main entry: not every package exports its package.json.
  const require = createRequire(import.meta.url);
  for (let dir = dirname(require.resolve(pkg)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} not found in ${pkg}`);
}

/**
 * Loads tree-sitter and its bash grammar (WASM, no native build). Call once before linting; the
 * parse itself is synchronous. V8's optimising WASM tier keeps compiling in the background and
 * holds process exit for ~0.5 s, so only the baseline (liftoff) tier is used: parsing is fast either way.
 */
export function initShellParser(): Promise<void> {
  loading ??= (async () => {
    v8.setFlagsFromString('--liftoff-only');
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init({ locateFile: () => wasmFile('tree-sitter.wasm', 'web-tree-sitter') });
    const bash = await Language.load(wasmFile('tree-sitter-bash.wasm', 'tree-sitter-bash'));
    parser = new Parser();
    parser.setLanguage(bash);
  })();
  return loading;
}

export function parseBash(text: string): Tree {
  if (!parser) throw new Error('initShellParser() must complete before scripts are parsed');
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
