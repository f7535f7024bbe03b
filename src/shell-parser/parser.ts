import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import type { Parser as TreeSitterParser, Tree } from 'web-tree-sitter';
import { instantiateWasm, loadShellWasm, takeShellWasm, withCompiled } from './wasm.js';

// The process's one parser, loaded once from the WASM files: loading is I/O, so it lives here and
// not in analysis/, which only calls parseBash.
let parser: TreeSitterParser | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads tree-sitter and its bash grammar (WASM, no native build). Call once before linting; the
 * parse itself is synchronous. V8's optimising WASM tier keeps compiling in the background and
 * holds process exit for ~0.5 s, so only the baseline (liftoff) tier is used: parsing is fast either way.
 * The command's entry (src/bin.ts) has usually started compiling the WASM already.
 */
export function initShellParser(): Promise<void> {
  loading ??= (async () => {
    v8.setFlagsFromString('--liftoff-only');
    const wasm = takeShellWasm() ?? loadShellWasm(dirname(fileURLToPath(import.meta.url)));
    const { Parser, Language } = await import('web-tree-sitter');
    const [core, bash] = await wasm.compiled;
    await Parser.init({ instantiateWasm: instantiateWasm(core) });
    const language = await withCompiled(wasm.bash, bash, () => Language.load(wasm.bash));
    parser = new Parser();
    parser.setLanguage(language);
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
  const deadline = nowMs() + parseBudgetMs(text);
  // The progress callback runs every hundred or so parse steps; returning true cancels the parse.
  return parser.parse(text, null, { progressCallback: () => nowMs() > deadline }) ?? undefined;
}

/** A monotonic clock in ms. Not performance.now(): the first use of `performance` loads perf_hooks (~4 ms). */
function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
