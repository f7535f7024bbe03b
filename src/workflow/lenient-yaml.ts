import { isCollection, isScalar, LineCounter, parseDocument, Scalar, visit, type Document, type Node } from 'yaml';
import { parseYaml } from './parse-yaml.js';

/** A place where the text breaks a YAML 1.2 rule that GitHub's reader does not enforce. */
export interface Leniency {
  start: number;
  end: number;
  message: string;
}

const TAB_CONTINUATION =
  'This line continues a quoted string and is indented with tabs, which YAML 1.2 forbids; ' +
  'GitHub accepts it, other YAML tools may not. Indent it with spaces.';

/**
 * Reads a text that yaml rejects only because lines that continue a quoted string start with tabs.
 * YAML 1.2 forbids tabs as indentation; GitHub's reader accepts them there (a multi-line
 * `description: "…"` indented with tabs loads and runs). The continuation lines are joined to the
 * line before, with spaces of the same length, so every offset stays where it was; the value of each
 * quoted string is then worked out from the original text. Undefined when the text has other
 * problems, or a joined line continues anything else (a plain or block scalar, a collection), where
 * what GitHub reads is not known.
 */
export function parseTabIndentedContinuations(
  text: string,
  maxDepth: number,
): { doc: Document.Parsed; leniencies: Leniency[] } | undefined {
  const joined: { lineBreak: number; tabs: number; end: number }[] = [];
  let repaired = text;
  for (let nl = text.indexOf('\n\t'); nl !== -1; nl = text.indexOf('\n\t', nl + 1)) {
    const lineBreak = nl > 0 && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    let end = nl + 1;
    while (text[end] === '\t' || text[end] === ' ') end++;
    joined.push({ lineBreak, tabs: nl + 1, end });
    repaired = repaired.slice(0, lineBreak) + ' '.repeat(end - lineBreak) + repaired.slice(end);
  }
  if (joined.length === 0) return undefined;
  const parsed = parseYaml(repaired, new LineCounter(), maxDepth);
  if (!('doc' in parsed) || parsed.doc.errors.length > 0) return undefined;
  const { doc } = parsed;
  const continued = joined.map((j) => innermostAt(doc, j.tabs));
  if (!continued.every(isQuoted)) return undefined;
  for (const node of new Set(continued)) node.value = quotedValue(text, node);
  return {
    doc,
    leniencies: joined.map((j) => ({
      start: j.tabs,
      end: j.end,
      message: TAB_CONTINUATION,
    })),
  };
}

function isQuoted(node: Node | undefined): node is Scalar {
  return isScalar(node) && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
}

/** The innermost scalar or collection whose source spans `offset`. */
function innermostAt(doc: Document, offset: number): Node | undefined {
  let found: Node | undefined;
  visit(doc, (_, node) => {
    if (!isScalar(node) && !isCollection(node)) return undefined;
    const r = node.range;
    if (!r || offset < r[0] || offset >= r[1]) return visit.SKIP;
    found = node;
    return undefined;
  });
  return found;
}

/** A quoted scalar's value as YAML folds it, read from the original text with its continuation lines re-indented. */
function quotedValue(text: string, node: Scalar): unknown {
  const [start, end] = node.range!;
  const contents = parseDocument(text.slice(start, end).replace(/\r?\n[\t ]*/g, '\n ')).contents;
  return isScalar(contents) ? contents.value : node.value;
}
