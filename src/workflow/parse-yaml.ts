import { Composer, CST, Lexer, Parser, YAMLParseError, type Document, type LineCounter } from 'yaml';
import { quickCst } from './quick-cst.js';

export type ParsedYaml = { doc: Document.Parsed } | { tooDeepAt: number };

/**
 * Parses the first YAML document of `text`, as `parseDocument` does, unless mappings and sequences
 * nest deeper than `maxDepth`: then the offset of the first collection past that depth.
 *
 * The depth is watched while the parser runs, on its stack of open nodes, because the parser holds
 * the whole unfinished nesting in memory (5 MB of `[` took 4 GB and crashed Node) and the composer
 * recurses per level (past ~900 levels it reports "Maximum call stack size exceeded", at a depth
 * that depends on the caller's stack).
 */
export function parseYaml(text: string, lineCounter: LineCounter, maxDepth: number): ParsedYaml {
  // yaml reports syntax errors as YAMLParseError objects, each capturing a stack trace nobody reads:
  // three quarters of the time of a file with 18,000 errors (one long broken line).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // Most workflows are in the subset of YAML that quickCst reads (it declines the rest, and a
    // document nested past maxDepth); yaml's own lexer and parser take the others.
    const tokens = quickCst(text, maxDepth);
    if (!tokens) return parseWithinDepth(text, lineCounter, maxDepth);
    lineCounter.addNewLine(0);
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) lineCounter.addNewLine(nl + 1);
    return compose(tokens, text);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function parseWithinDepth(text: string, lineCounter: LineCounter, maxDepth: number): ParsedYaml {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0); // Parser.parse() registers the first line itself; next() does not.
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The stack holds the document and the open nodes, so it is only worth counting once it is long.
    if (parser.stack.length > maxDepth) {
      const open = parser.stack.filter(CST.isCollection);
      if (open.length > maxDepth) return { tooDeepAt: open[maxDepth].offset };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  return compose(tokens, text);
}

/** The first document of the syntax tree, as `parseDocument` composes it. */
function compose(tokens: CST.Token[], text: string): ParsedYaml {
  let doc: Document.Parsed | undefined;
  // `forceDoc` makes the composer yield at least one document, even for an empty text.
  for (const next of new Composer({ keepSourceTokens: true, uniqueKeys: false }).compose(tokens, true, text.length)) {
    if (!doc) {
      doc = next;
      continue;
    }
    const [start, end] = next.range;
    doc.errors.push(
      new YAMLParseError(
        [start, end],
        'MULTIPLE_DOCS',
        'The file holds more than one YAML document (a `---` line); a workflow is one document.',
      ),
    );
    break;
  }
  return { doc: doc! };
}
