import type { CST } from 'yaml';
import { isDecline, QuickLexer } from './quick-lexer.js';
import { QuickParser } from './quick-parser.js';

/**
 * The yaml package's concrete syntax tree for the YAML that workflows are written in, built about five
 * times faster than by its own Lexer and Parser (two generators that pass every token through
 * `yield*` chains: a fifth of wf-lint's time on a large run). The result is handed to yaml's own
 * Composer, so values, ranges and errors are the package's.
 *
 * quick-lexer.ts and quick-parser.ts are yaml 2.x's lexer (dist/parse/lexer.js) and parser
 * (dist/parse/parser.js) without generators, restricted to block mappings and sequences, plain and
 * quoted scalars, block scalars without an indentation indicator, flow collections, comments, and
 * LF or CRLF line ends. Anything else (tabs, a CR that does not end a line, anchors, aliases, tags,
 * directives, explicit keys, a second document), and text yaml would report an error for in a flow
 * collection or a quoted scalar, makes `quickCst` return undefined, and the caller parses with yaml
 * (24 of the 3,984 corpus and fixture files).
 * test/workflow/quick-cst.test.ts checks the trees equal yaml's, token for token.
 */
export function quickCst(text: string, maxDepth: number): CST.Token[] | undefined {
  // A CR that does not end a line is a line break to YAML but not to wf-lint's line numbers.
  if (text.includes('\t') || (text.includes('\r') && /\r(?!\n)/.test(text))) return undefined;
  const parser = new QuickParser(maxDepth);
  try {
    new QuickLexer(text, parser).run();
  } catch (err) {
    if (isDecline(err)) return undefined;
    throw err;
  }
  parser.end();
  return parser.tokens;
}
