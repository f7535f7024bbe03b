import type { Word } from '../analysis/shell/script.js';
import type { ExprSpan } from '../workflow/expressions.js';

/** A `${{ … }}` carrying `secrets.X`, moved into the step's `env:` as NAME. */
export interface Lift {
  name: string;
  /** The whole expression as it goes into `env:`, braces included. */
  expression: string;
}

/** The env entry a secret expression is lifted to: named for its first `secrets.X` (upper-cased); else undefined. */
export function liftOf(expr: ExprSpan): Lift | undefined {
  const ref = expr.refs.find((r) => r.context === 'secrets' && typeof r.path[0] === 'string');
  if (!ref) return undefined;
  const name = (ref.path[0] as string).toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return { name, expression: `\${{ ${expr.text} }}` };
}

export type Quote = '' | "'" | '"';

/** Shell text for a word's value, with the expressions it lifts; or why it cannot be rewritten. */
export type Requoted = { text: string; lifts: Lift[] } | { refused: string };

/** `$NAME`, `${NAME}`, `${NAME:-x}`, `$1`, `$@`: an expansion that can be quoted as it stands. */
const SIMPLE_EXPANSION = /^\$(\{[^${}`]*\}|[A-Za-z_]\w*|[0-9@*#?$!-])/;

/**
 * Rewrites the part of a word from `from` (an index in its text, where the quoting is `quote`) as a
 * shell word that expands to the same one string in any position: each `${{ secrets.X }}` becomes a
 * quoted `$X` (lifted into `env:`, so the runner no longer pastes the secret into the script), and an
 * unquoted `$VAR` is quoted. An unquoted `$( … )` or backquote is refused: quoting it could change
 * what it expands to.
 */
export function requoted(word: Word, from = 0, quote: Quote = ''): Requoted {
  const text = word.text;
  let out: string = quote;
  /** Where the text of the open single quotes starts in `out`. */
  let singleOpen = quote === "'" ? 1 : -1;
  const lifts: Lift[] = [];
  for (let i = from; i < text.length;) {
    const expr = word.exprs.find((e) => e.valueStart === word.start + i);
    if (expr) {
      const raw = text.slice(i, expr.valueEnd - word.start);
      const lift = liftOf(expr);
      i += raw.length;
      if (!lift) {
        out += raw;
        continue;
      }
      lifts.push(lift);
      const ref = quote === '"' && /\w/.test(text[i] ?? '') ? `\${${lift.name}}` : `$${lift.name}`;
      if (quote === "'") {
        // Close the single quotes around `"$X"`, without an empty `''` where they open or close.
        out = out.length === singleOpen ? out.slice(0, -1) : `${out}'`;
        out += `"${ref}"`;
        if (text[i] === "'") {
          quote = '';
          i++;
        } else {
          out += "'";
          singleOpen = out.length;
        }
      } else out += quote === '"' ? ref : `"${ref}"`;
      continue;
    }
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = '';
    } else if (c === '\\') {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    } else if (c === '"' || (c === "'" && quote === '')) {
      quote = quote === c ? '' : c;
      if (quote === "'") singleOpen = out.length + 1;
    } else if (quote === '' && (c === '$' || c === '`')) {
      const m = SIMPLE_EXPANSION.exec(text.slice(i));
      if (!m) return { refused: 'the value holds an unquoted substitution' };
      out += `"${m[0]}"`;
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return { text: out, lifts };
}

/**
 * The literal text a word starts with, up to its first expansion or `${{ … }}`, with for each of its
 * characters the index in the word's text and the quoting there: enough to split `name=$X` at `=`.
 */
export function literalPrefix(word: Word): { char: string; index: number; quote: Quote }[] {
  const out: { char: string; index: number; quote: Quote }[] = [];
  let quote: Quote = '';
  for (let i = 0; i < word.text.length; i++) {
    const c = word.text[i];
    if (word.exprs.some((e) => e.valueStart === word.start + i)) break;
    if (quote === "'") {
      if (c === "'") quote = '';
      else out.push({ char: c, index: i, quote });
    } else if (c === '"' || (c === "'" && quote === '')) quote = quote === c ? '' : c;
    else if (c === '$' || c === '`' || c === '\\') break;
    else out.push({ char: c, index: i, quote });
  }
  return out;
}
