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

/** Characters handed to tree-sitter per read: its lexer asks again for what lies past them. */
const CHUNK = 256;

/**
 * The work a script's parse may take, counted rather than timed so that the same script gets the same
 * report under any load. tree-sitter slows down on some broken syntax (16 KiB of `<<` took 4.5 s) in
 * two ways the parser lets wf-lint count: its lexer rescanning the rest of the script for every token
 * (`<<`, `)`, `|`), seen as reads of CHUNK characters, and many parse operations per character
 * (`a|a|…`), seen as progress callbacks (one per 100 operations). Among 14,395 scripts of 3,581 public
 * workflows the most either took is 8.6 reads per chunk and 1.23 callbacks per 100 characters
 * (counting one more chunk and 100 more characters); valid but dense code (`a;a;…`) takes up to 5
 * callbacks per 100 characters.
 */
const parseBudget = (length: number) => ({
  reads: 32 * (1 + length / CHUNK),
  callbacks: 6 * (1 + length / 100),
});

/**
 * Shapes on which each parse operation itself grows costly, so that counting operations does not
 * bound the time: deep nesting (64 KiB of `${` took 8 s), many closing brackets without an opening one
 * (64 KiB of `) x ` took 2.5 s), long pipelines (16 KiB of `| x ` exhausts the parser's memory) and
 * many heredocs opened on one line (64 KiB of `<<E ` took 6 s). Brackets are counted without regard to
 * quotes; among the public scripts above the deepest nesting is 8, the most unopened closing brackets
 * 24 (`case` patterns) and a line holds at most 17 `|` and `<` together.
 */
const MAX_NESTING = 64;
const MAX_UNOPENED = 256;
const MAX_PIPES_AND_INPUTS_PER_LINE = 128;

function hasCostlyShape(text: string): boolean {
  let depth = 0;
  let unopened = 0;
  let onLine = 0; // `|` and `<` on the current line
  for (let i = 0; i < text.length; i++) {
    switch (text.charCodeAt(i)) {
      case 0x28: // ( { [
      case 0x7b:
      case 0x5b:
        if (++depth > MAX_NESTING) return true;
        break;
      case 0x29: // ) } ]
      case 0x7d:
      case 0x5d:
        if (depth > 0) depth--;
        else if (++unopened > MAX_UNOPENED) return true;
        break;
      case 0x7c: // | <
      case 0x3c:
        if (++onLine > MAX_PIPES_AND_INPUTS_PER_LINE) return true;
        break;
      case 0x0a: // a line ends unless continued with a backslash
        if (text.charCodeAt(i - 1) !== 0x5c) onLine = 0;
        break;
    }
  }
  return false;
}

/**
 * Parsed scripts by their text, and whether each was declined (null), kept for the next script with
 * the same text: templated and matrix-heavy workflows repeat scripts (10,290 distinct texts among the
 * 14,395 bash scripts of 3,581 public workflows, mostly short ones). The least recently used are
 * deleted past MAX_CACHED_CHARACTERS of script text: on those workflows 64 KiB spares 13% of the
 * characters a second parse, 256 KiB 14% and an unbounded cache 18%.
 */
const parsed = new Map<string, Tree | null>();
const MAX_CACHED_CHARACTERS = 64 * 1024;
let cachedCharacters = 0;

/**
 * The script's syntax tree, or undefined when parsing it would take more work than its budget or its
 * shape would make the parser slow. The same text gives the same tree while it is cached: the caller
 * must not delete it.
 */
export function parseBash(text: string): Tree | undefined {
  let tree = parsed.get(text);
  if (tree !== undefined) {
    parsed.delete(text); // to the most recently used end
  } else {
    for (const [oldest, oldTree] of parsed) {
      if (cachedCharacters + text.length <= MAX_CACHED_CHARACTERS) break;
      parsed.delete(oldest);
      oldTree?.delete();
      cachedCharacters -= oldest.length;
    }
    tree = parseTree(text) ?? null;
    cachedCharacters += text.length;
  }
  parsed.set(text, tree);
  return tree ?? undefined;
}

/**
 * tree-sitter's tree of the script, parsed now (not from the cache), or undefined as for parseBash. The
 * caller deletes it. bench/slowest-files.mjs times it.
 */
export function parseTree(text: string): Tree | undefined {
  if (!parser) throw new Error('initShellParser() must complete before scripts are parsed');
  if (hasCostlyShape(text)) return undefined;
  const budget = parseBudget(text.length);
  let reads = 0;
  let callbacks = 0;
  let parsing = true;
  // Past the budget the input ends (an empty read) and the progress callback cancels: both stop the
  // parse at once. The tree keeps the reader for node.text, which must not count.
  const read = (index: number) => (parsing && ++reads > budget.reads ? '' : text.slice(index, index + CHUNK));
  const tree = parser.parse(read, null, {
    progressCallback: () => ++callbacks > budget.callbacks || reads > budget.reads,
  });
  parsing = false;
  if (tree && reads <= budget.reads && callbacks <= budget.callbacks) return tree;
  tree?.delete();
  parser.reset(); // else the next parse would resume this one
  return undefined;
}
