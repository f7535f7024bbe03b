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

/**
 * Parse time a script gets: 100 ms plus 5 ms per KiB. Real scripts parse at about 0.7 ms per KiB
 * (the largest seen, 10 KiB, in 7 ms), but tree-sitter's error recovery is quadratic on some broken
 * lines: 16 KiB of `<<` took 4.5 s.
 */
export const parseBudgetMs = (text: string) => 100 + (5 * text.length) / 1024;

/** The script's syntax tree, or undefined when parsing it took longer than its budget. */
export function parseBash(text: string): Tree | undefined {
  if (!parser) throw new Error('initShellParser() must complete before scripts are parsed');
  const deadline = performance.now() + parseBudgetMs(text);
  // The progress callback runs every hundred or so parse steps; returning true cancels the parse.
  return parser.parse(text, null, { progressCallback: () => performance.now() > deadline }) ?? undefined;
}
