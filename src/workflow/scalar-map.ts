import type { Scalar } from 'yaml';

/**
 * Maps each character index of a scalar's parsed value back to its offset in the file text, so that
 * an expression or a shell word found inside a `run: |` script, a folded `>` block or a quoted string
 * can be reported at its exact line and column.
 *
 * The value is rebuilt from the source with YAML's folding, escaping and chomping rules while the
 * offsets are recorded; if the rebuilt text does not equal the parsed value (an exotic form we do
 * not model), every index maps to the scalar's start, which is coarse but never wrong by more than
 * the scalar itself.
 */
export type OffsetMap = (valueIndex: number) => number;

export function scalarOffsetMap(node: Scalar, text: string): OffsetMap {
  const value = typeof node.value === 'string' ? node.value : String(node.value);
  const start = node.range?.[0] ?? 0;
  const token = node.srcToken;
  let built: Built | undefined;
  if (token && 'source' in token) {
    switch (token.type) {
      case 'block-scalar': {
        const props = token.props.map((p) =>
          'source' in p ? { type: p.type, source: p.source } : { type: p.type, source: '' },
        );
        const bodyStart = token.offset + props.reduce((n, p) => n + p.source.length, 0);
        const header = props.find((p) => p.type === 'block-scalar-header')?.source ?? '|';
        built = buildBlock(text, bodyStart, bodyStart + token.source.length, header, token.indent);
        break;
      }
      case 'scalar':
        built = buildFlow(text, token.offset, token.offset + token.source.length, 'plain');
        break;
      case 'single-quoted-scalar':
        built = buildFlow(text, token.offset + 1, token.offset + token.source.length - 1, 'single');
        break;
      case 'double-quoted-scalar':
        built = buildFlow(text, token.offset + 1, token.offset + token.source.length - 1, 'double');
        break;
    }
  }
  if (built && built.pieces.map((p) => p.text).join('') === value) return pieceMap(built, value.length);
  return () => start;
}

/**
 * A run of the rebuilt value: text copied from the source at `at` (`copied`), or produced there (a
 * fold, an escape).
 */
interface Piece {
  text: string;
  at: number;
  copied: boolean;
}

interface Built {
  pieces: Piece[];
  /** Offset just past the value's last source character. */
  end: number;
}

/** Looks value indexes up piece by piece (a binary search), not in a table of every character. */
function pieceMap({ pieces, end }: Built, length: number): OffsetMap {
  const starts = new Int32Array(pieces.length);
  for (let k = 1; k < pieces.length; k++) starts[k] = starts[k - 1] + pieces[k - 1].text.length;
  return (i) => {
    if (i >= length) return end;
    let lo = 0;
    let hi = pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    const piece = pieces[lo];
    return piece.copied ? piece.at + (i - starts[lo]) : piece.at;
  };
}

const isBlank = (c: string) => c === ' ' || c === '\t';
const isBreak = (c: string) => c === '\n' || c === '\r';

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Plain and quoted scalars: line folding, and quote-specific escapes. */
function buildFlow(text: string, from: number, to: number, style: 'plain' | 'single' | 'double'): Built {
  const pieces: Piece[] = [];
  // Characters before this index are protected from trailing-whitespace stripping (escaped blanks).
  let protectedUntil = 0;
  let lastEnd = from;
  let i = from;
  const emit = (c: string, at: number, next: number) => {
    pieces.push({ text: c, at, copied: false });
    lastEnd = next;
  };
  const trailingBlank = () => pieces.length > protectedUntil && isBlank(pieces[pieces.length - 1].text);
  while (i < to) {
    const c = text[i];
    if (isBreak(c)) {
      while (trailingBlank()) pieces.pop();
      const breakAt = i;
      let breaks = 0;
      while (i < to && (isBreak(text[i]) || isBlank(text[i]))) {
        if (text[i] === '\n') breaks++;
        i++;
      }
      if (breaks === 1) emit(' ', breakAt, breakAt + 1);
      else for (let k = 1; k < breaks; k++) emit('\n', breakAt, breakAt + 1);
      continue;
    }
    if (style === 'single' && c === "'" && text[i + 1] === "'") {
      emit("'", i, i + 2);
      i += 2;
      continue;
    }
    if (style === 'double' && c === '\\') {
      const e = text[i + 1];
      if (e === '\n' || e === '\r') {
        // Escaped line break: joins the lines without a space, leading blanks of the next line dropped.
        i++;
        while (i < to && (isBreak(text[i]) || isBlank(text[i]))) i++;
        protectedUntil = pieces.length;
        continue;
      }
      const hexLen = HEX_ESCAPES[e];
      const code = hexLen ? parseInt(text.slice(i + 2, i + 2 + hexLen), 16) : NaN;
      if (hexLen && code >= 0 && code <= 0x10ffff) {
        // One entry per UTF-16 code unit: value indexes count code units.
        for (const unit of String.fromCodePoint(code).split('')) emit(unit, i, i + 2 + hexLen);
        i += 2 + hexLen;
      } else {
        emit(SIMPLE_ESCAPES[e] ?? e, i, i + 2);
        i += 2;
      }
      protectedUntil = pieces.length;
      continue;
    }
    emit(c, i, i + 1);
    i++;
  }
  if (style === 'plain') while (trailingBlank()) pieces.pop();
  return { pieces, end: style === 'plain' ? lastEnd : to };
}

/** Literal `|` and folded `>` block scalars, with indentation indicators and chomping. */
function buildBlock(text: string, from: number, to: number, header: string, parentIndent: number): Built {
  const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  const folded = header.startsWith('>');
  const explicit = /\d/.exec(header);
  const lines: { start: number; end: number; breakAt: number }[] = [];
  for (let i = from; i < to;) {
    let end = i;
    while (end < to && text[end] !== '\n') end++;
    const contentEnd = end > i && text[end - 1] === '\r' ? end - 1 : end;
    lines.push({ start: i, end: contentEnd, breakAt: contentEnd });
    i = end + 1;
  }
  let indent: number;
  if (explicit) indent = Math.max(parentIndent, 0) + Number(explicit[0]);
  else {
    indent = 0;
    for (const l of lines) {
      let n = 0;
      while (l.start + n < l.end && text[l.start + n] === ' ') n++;
      if (l.start + n < l.end) {
        indent = n;
        break;
      }
    }
  }
  const pieces: Piece[] = [];
  const produce = (c: string, at: number) => pieces.push({ text: c, at, copied: false });
  const content = lines.map((l) => {
    const s = Math.min(l.start + indent, l.end);
    const body = text.slice(s, l.end);
    return { s, body, empty: body.trim() === '' && l.end - l.start <= indent, breakAt: l.breakAt };
  });
  // Trailing empty lines are governed by chomping, not emitted line by line.
  let last = content.length - 1;
  while (last >= 0 && content[last].body === '') last--;
  let prevFoldable = false;
  let pendingBreak: number | undefined;
  let pendingBreaks = 0;
  for (let k = 0; k <= last; k++) {
    const line = content[k];
    const moreIndented = line.body.length > 0 && isBlank(line.body[0]);
    if (line.body === '' && !moreIndented) {
      pendingBreaks++;
      continue;
    }
    if (pendingBreak !== undefined) {
      const foldable = folded && prevFoldable && !moreIndented;
      if (foldable && pendingBreaks === 0) produce(' ', pendingBreak);
      else for (let b = 0, n = foldable ? pendingBreaks : pendingBreaks + 1; b < n; b++) produce('\n', pendingBreak);
    } else {
      for (let b = 0; b < pendingBreaks; b++) produce('\n', line.s);
    }
    pieces.push({ text: line.body, at: line.s, copied: true });
    pendingBreak = line.breakAt;
    pendingBreaks = 0;
    prevFoldable = !moreIndented;
  }
  if (pendingBreak !== undefined && chomp !== 'strip') {
    produce('\n', pendingBreak);
    if (chomp === 'keep') for (let k = last + 1; k < content.length; k++) produce('\n', content[k].breakAt);
  }
  const lastLine = last >= 0 ? content[last] : undefined;
  return { pieces, end: lastLine ? lastLine.breakAt : from };
}
