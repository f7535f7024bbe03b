import type { CST } from 'yaml';

/**
 * The yaml package's concrete syntax tree for the YAML that workflows are written in, built about five
 * times faster than by its own Lexer and Parser (two generators that pass every token through
 * `yield*` chains: a fifth of wf-lint's time on a large run). The result is handed to yaml's own
 * Composer, so values, ranges and errors are the package's.
 *
 * This is yaml 2.x's lexer (dist/parse/lexer.js) and parser (dist/parse/parser.js) restricted to
 * block mappings and sequences, plain and quoted scalars, block scalars without an indentation
 * indicator, flow collections, comments, and LF or CRLF line ends. Anything else (tabs, a CR that
 * does not end a line, anchors, aliases, tags, directives, explicit keys, a second document), and
 * text yaml would report an error for in a flow collection or a quoted scalar, makes `quickCst`
 * return undefined, and the caller parses with yaml (24 of the 3,984 corpus and fixture files).
 * test/workflow/quick-cst.test.ts checks the trees equal yaml's, token for token.
 */
export function quickCst(text: string, maxDepth: number): CST.Token[] | undefined {
  // A CR that does not end a line is a line break to YAML but not to wf-lint's line numbers.
  if (text.includes('\t') || (text.includes('\r') && /\r(?!\n)/.test(text))) return undefined;
  const parser = new QuickParser(maxDepth);
  try {
    new QuickLexer(text, parser).run();
  } catch (err) {
    if (err === DECLINE) return undefined;
    throw err;
  }
  parser.end();
  return parser.tokens;
}

/** Thrown (without a stack trace) when the text leaves the subset. */
const DECLINE = Object.freeze({ declined: true });
const decline = (): never => {
  throw DECLINE;
};

type TokenType = CST.SourceToken['type'] | 'scalar' | 'single-quoted-scalar' | 'double-quoted-scalar';
type State = 'line-start' | 'block-start' | 'doc' | 'flow' | null;

const isEmpty = (ch: string | undefined) => ch === undefined || ch === ' ' || ch === '\n' || ch === '\r';
/** A line break: `\n`, or the `\r` of `\r\n` (quickCst declines a CR on its own). */
const isBreak = (ch: string | undefined) => ch === '\n' || ch === '\r';
const FLOW_INDICATORS = ',[]{}';
// Character codes for the plain-scalar scan, the lexer's innermost loop (NaN past the end of the text).
const SPACE = 0x20;
const NEWLINE = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const HASH = 0x23;
const isEmptyCode = (c: number) => c === SPACE || c === NEWLINE || c === CR || Number.isNaN(c);
const isFlowIndicator = (c: number) => c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;

/** yaml's Lexer for the subset: feeds each lexeme to the parser with its type and offset. */
class QuickLexer {
  private pos = 0;
  private indentNext = 0;
  private indentValue = 0;
  private flowLevel = 0;
  private flowKey = false;
  private blockScalarKeep = false;

  constructor(
    private readonly text: string,
    private readonly parser: QuickParser,
  ) {}

  run(): void {
    let state = this.parseStream();
    while (state) {
      switch (state) {
        case 'line-start':
          state = this.parseLineStart();
          break;
        case 'block-start':
          state = this.parseBlockStart();
          break;
        case 'doc':
          state = this.parseDocument();
          break;
        case 'flow':
          state = this.parseFlowCollection();
          break;
      }
    }
  }

  private emit(type: TokenType, n: number): number {
    if (n > 0 || type === 'scalar') this.parser.next(type, this.pos, this.text.substr(this.pos, n));
    this.pos += n;
    return n;
  }

  private lineEnd(): number {
    const end = this.text.indexOf('\n', this.pos);
    if (end === -1) return this.text.length;
    return this.text[end - 1] === '\r' && end - 1 >= this.pos ? end - 1 : end;
  }

  private spaces(): number {
    let i = this.pos;
    while (this.text[i] === ' ') i++;
    return this.emit('space', i - this.pos);
  }

  private newline(): number {
    const ch = this.text[this.pos];
    return ch === '\n' ? this.emit('newline', 1) : ch === '\r' ? this.emit('newline', 2) : 0;
  }

  /** Comment and blank lines before the document, then the document, which must be the only one. */
  private parseStream(): State {
    const { text } = this;
    for (;;) {
      if (this.pos >= text.length) return decline(); // no document: leave the diagnostics to yaml
      if (text[this.pos] === '%') return decline();
      let i = this.pos;
      while (text[i] === ' ') i++;
      if (text[i] !== '#' && !isBreak(text[i]) && i < text.length) break;
      this.spaces();
      this.emit('comment', this.lineEnd() - this.pos);
      this.newline();
    }
    this.parser.next('doc-mode', this.pos, '');
    return this.parseLineStart(true);
  }

  private parseLineStart(first = false): State {
    const { text } = this;
    if (this.pos >= text.length) return null;
    const ch = text[this.pos];
    if ((ch === '-' || ch === '.') && isEmpty(text[this.pos + 3])) {
      const s = text.substr(this.pos, 3);
      if (s === '...' || (s === '---' && !first)) return decline();
      if (s === '---') {
        this.emit('doc-start', 3);
        this.indentValue = 0;
        this.indentNext = 0;
        return 'doc';
      }
    }
    this.indentValue = this.spaces();
    if (this.indentNext > this.indentValue && !isEmpty(text[this.pos + 1])) this.indentNext = this.indentValue;
    return this.parseBlockStart();
  }

  private parseBlockStart(): State {
    const ch0 = this.text[this.pos];
    if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(this.text[this.pos + 1])) {
      if (ch0 !== '-') return decline();
      const n = this.emit('seq-item-ind', 1) + this.spaces();
      this.indentNext = this.indentValue + 1;
      this.indentValue += n;
      return 'block-start';
    }
    return 'doc';
  }

  /** `:` indicators (the only ones in the subset besides `-` at a line's start). */
  private indicators(): number {
    let n = 0;
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === '!' || ch === '&') return decline();
      if (ch !== '-' && ch !== '?' && ch !== ':') return n;
      const inFlow = this.flowLevel > 0;
      const ch1 = this.text[this.pos + 1];
      if (!(isEmpty(ch1) || (inFlow && FLOW_INDICATORS.includes(ch1)))) return n;
      if (ch !== ':') return decline();
      if (!inFlow) this.indentNext = this.indentValue + 1;
      else if (this.flowKey) this.flowKey = false;
      n += this.emit('map-value-ind', 1) + this.spaces();
    }
  }

  private parseDocument(): State {
    this.spaces();
    const lineStart = this.pos;
    let n = this.indicators();
    switch (this.text[this.pos]) {
      case '#':
        if (!isEmpty(this.text[this.pos - 1])) return decline();
        this.emit('comment', this.lineEnd() - this.pos);
        this.newline();
        return this.parseLineStart();
      case '\n':
      case '\r':
      case undefined:
        this.newline();
        return this.parseLineStart();
      case '{':
      case '[':
        this.emit(this.text[this.pos] === '[' ? 'flow-seq-start' : 'flow-map-start', 1);
        this.flowKey = false;
        this.flowLevel = 1;
        return 'flow';
      case '"':
      case "'":
        return this.parseQuotedScalar();
      case '|':
      case '>': {
        n += this.parseBlockScalarHeader();
        n += this.spaces();
        const rest = this.lineEnd() - lineStart - n;
        if (rest > 0 && this.text[this.pos] !== '#') return decline();
        this.emit('comment', rest);
        this.newline();
        return this.parseBlockScalar();
      }
      case '}':
      case ']':
      case '*':
        return decline();
      default:
        return this.parsePlainScalar();
    }
  }

  /** The next token of a flow collection, which may span lines and hold comments and other flow collections. */
  private parseFlowCollection(): State {
    const { text } = this;
    let indent = -1;
    for (;;) {
      const nl = this.newline();
      let sp = this.spaces();
      if (nl > 0) this.indentValue = indent = sp;
      sp += this.spaces();
      if (nl + sp === 0) break;
    }
    if (this.pos >= text.length) return decline(); // never closed
    const ch = text[this.pos];
    const docMarker = indent === 0 && (text.startsWith('---', this.pos) || text.startsWith('...', this.pos)) && isEmpty(text[this.pos + 3]);
    if ((indent !== -1 && indent < this.indentNext && ch !== '#') || docMarker) {
      // Indented less than the collection's parent: yaml ends the collection with an error, unless
      // this is its closing bracket, one column to the left.
      const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (ch === ']' || ch === '}');
      if (!atFlowEndMarker) return decline();
    }
    while (text[this.pos] === ',') {
      this.emit('comma', 1);
      this.spaces();
      this.flowKey = false;
    }
    this.indicators();
    switch (text[this.pos]) {
      case undefined:
        return decline(); // never closed
      case '\n':
      case '\r':
        return 'flow';
      case '#':
        if (!isEmpty(text[this.pos - 1])) return decline();
        this.emit('comment', this.lineEnd() - this.pos);
        return 'flow';
      case '{':
      case '[':
        this.emit(text[this.pos] === '[' ? 'flow-seq-start' : 'flow-map-start', 1);
        this.flowKey = false;
        this.flowLevel += 1;
        return 'flow';
      case '*':
        return decline();
      case '}':
      case ']':
        this.emit(text[this.pos] === ']' ? 'flow-seq-end' : 'flow-map-end', 1);
        this.flowKey = true;
        this.flowLevel -= 1;
        return this.flowLevel ? 'flow' : 'doc';
      case '"':
      case "'":
        this.flowKey = true;
        return this.parseQuotedScalar();
      case ':': {
        const next = text[this.pos + 1];
        if (this.flowKey || isEmpty(next) || next === ',') {
          this.flowKey = false;
          this.emit('map-value-ind', 1);
          this.spaces();
          return 'flow';
        }
        break;
      }
    }
    this.flowKey = false;
    return this.parsePlainScalar();
  }

  private parseQuotedScalar(): State {
    const { text } = this;
    const quote = text[this.pos];
    let end = text.indexOf(quote, this.pos + 1);
    if (quote === "'") {
      while (end !== -1 && text[end + 1] === "'") end = text.indexOf("'", end + 2);
    } else {
      while (end !== -1) {
        let n = 0;
        while (text[end - 1 - n] === '\\') n += 1;
        if (n % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
    }
    if (end === -1) return decline();
    // A line inside the quotes indented less than the scalar's parent is an error yaml reports.
    const lineBreak = (from: number) => {
      const nl = text.indexOf('\n', from);
      return nl !== -1 && nl < end ? nl : -1;
    };
    for (let nl = lineBreak(this.pos); nl !== -1; nl = lineBreak(nl + 1)) {
      const cs = this.continueScalar(nl + 1);
      if (cs === -1) return decline();
      nl = Math.max(nl, cs - 1);
    }
    this.emit(quote === "'" ? 'single-quoted-scalar' : 'double-quoted-scalar', end + 1 - this.pos);
    return this.flowLevel ? 'flow' : 'doc';
  }

  private parseBlockScalarHeader(): number {
    this.blockScalarKeep = false;
    let i = this.pos;
    for (;;) {
      const ch = this.text[++i];
      if (ch === '+') this.blockScalarKeep = true;
      else if (ch > '0' && ch <= '9') return decline();
      else if (ch !== '-') break;
    }
    while (!isEmpty(this.text[i]) && this.text[i] !== '#') i++;
    return this.emit('block-scalar-header', i - this.pos);
  }

  private parseBlockScalar(): State {
    const { text } = this;
    let nl = this.pos - 1;
    let indent = 0;
    for (let i = this.pos; i < text.length; ++i) {
      const ch = text[i];
      if (ch === ' ') indent += 1;
      else if (ch === '\n') {
        nl = i;
        indent = 0;
      } else if (ch !== '\r') break;
    }
    if (indent >= this.indentNext) {
      this.indentNext = indent;
      do {
        const cs = this.continueScalar(nl + 1);
        if (cs === -1) break;
        nl = text.indexOf('\n', cs);
      } while (nl !== -1);
      if (nl === -1) nl = text.length;
    }
    if (!this.blockScalarKeep) {
      for (;;) {
        let i = nl - 1;
        if (text[i] === '\r') --i;
        const lastChar = i;
        while (text[i] === ' ') --i;
        if (text[i] === '\n' && i >= this.pos && i + 1 + indent > lastChar) nl = i;
        else break;
      }
    }
    this.emit('scalar', Math.min(nl + 1, text.length) - this.pos);
    return this.parseLineStart();
  }

  /** Where the next line continues a scalar at `offset` (its start), or -1 when it is indented less. */
  private continueScalar(offset: number): number {
    const { text } = this;
    if (this.indentNext <= 0) return decline(); // only a top-level scalar has no indent to end it
    let indent = 0;
    while (text[offset + indent] === ' ') indent++;
    const ch = text[offset + indent];
    if (ch === '\r') return offset + indent + 1;
    return ch === '\n' || indent >= this.indentNext ? offset + indent : -1;
  }

  private parsePlainScalar(): State {
    const { text } = this;
    const inFlow = this.flowLevel > 0;
    let end = this.pos - 1;
    for (let i = this.pos; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) {
        const next = text.charCodeAt(i + 1);
        if (isEmptyCode(next) || (inFlow && isFlowIndicator(next))) break;
        end = i;
      } else if (c === SPACE || c === NEWLINE || c === CR) {
        let next = text.charCodeAt(i + 1);
        let ch = c;
        if (ch === CR) {
          i += 1; // the LF of CRLF
          ch = NEWLINE;
          next = text.charCodeAt(i + 1);
        }
        if (next === HASH || (inFlow && isFlowIndicator(next))) break;
        if (ch === NEWLINE) {
          if (inFlow) return decline();
          // A later line indented past the scalar's parent continues it (after blank lines too).
          const cs = this.continueScalar(i + 1);
          if (cs === -1) break;
          i = Math.max(i, cs - 2); // to advance, but still account for ' #'
        }
      } else {
        if (inFlow && isFlowIndicator(c)) break;
        end = i;
      }
    }
    this.emit('scalar', end + 1 - this.pos);
    return inFlow ? 'flow' : 'doc';
  }

}

type Collection = CST.BlockMap | CST.BlockSequence | CST.FlowCollection;
type Open = CST.Document | Collection | CST.FlowScalar | CST.BlockScalar;
type MapItem = CST.BlockMap['items'][number];
type AnyItem = { start: CST.SourceToken[]; key?: CST.Token | null; sep?: CST.SourceToken[]; value?: CST.Token; explicitKey?: true };

/** yaml's Parser, as a plain state machine over the lexemes of the subset. */
class QuickParser {
  readonly tokens: CST.Token[] = [];
  private readonly stack: Open[] = [];
  private indent = 0;
  private atNewLine = true;
  private onKeyLine = false;
  private type: TokenType = 'doc-mode';
  private offset = 0;
  private source = '';

  constructor(private readonly maxDepth: number) {}

  next(type: TokenType, offset: number, source: string): void {
    this.type = type;
    this.offset = offset;
    this.source = source;
    if (type === 'scalar') this.atNewLine = false;
    this.step();
    if (this.stack.length > this.maxDepth) decline();
    switch (type) {
      case 'newline':
        this.atNewLine = true;
        this.indent = 0;
        break;
      case 'space':
        if (this.atNewLine) this.indent += source.length;
        break;
      case 'map-value-ind':
      case 'seq-item-ind':
        if (this.atNewLine) this.indent += source.length;
        break;
      case 'doc-mode':
      case 'scalar':
        break;
      default:
        this.atNewLine = false;
    }
  }

  end(): void {
    while (this.stack.length > 0) this.pop();
  }

  private get sourceToken(): CST.SourceToken {
    return { type: this.type, offset: this.offset, indent: this.indent, source: this.source } as CST.SourceToken;
  }

  private peek(n: number): Open {
    return this.stack[this.stack.length - n];
  }

  private step(): void {
    const top = this.peek(1);
    if (!top) return this.stream();
    switch (top.type) {
      case 'document':
        return this.document(top);
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.scalar(top);
      case 'block-scalar':
        return this.blockScalar(top);
      case 'block-map':
        return this.blockMap(top);
      case 'block-seq':
        return this.blockSequence(top);
      case 'flow-collection':
        return this.flowCollection(top);
    }
    decline();
  }

  private pop(): void {
    const token = this.stack.pop()!;
    if (this.stack.length === 0) {
      this.tokens.push(token);
      return;
    }
    const top = this.peek(1);
    if (token.type === 'block-scalar') token.indent = 'indent' in top ? top.indent : 0;
    else if (token.type === 'flow-collection' && top.type === 'document') token.indent = 0;
    if (token.type === 'flow-collection') fixFlowSeqItems(token);
    switch (top.type) {
      case 'document':
        top.value = token;
        break;
      case 'block-map': {
        const it = top.items[top.items.length - 1] as AnyItem;
        if (it.value) {
          top.items.push({ start: [], key: token, sep: [] });
          this.onKeyLine = true;
          return;
        } else if (it.sep) {
          it.value = token;
        } else {
          Object.assign(it, { key: token, sep: [] });
          this.onKeyLine = !it.explicitKey;
          return;
        }
        break;
      }
      case 'block-seq': {
        const it = top.items[top.items.length - 1];
        if (it.value) top.items.push({ start: [], value: token });
        else it.value = token;
        break;
      }
      case 'flow-collection': {
        const it = top.items[top.items.length - 1] as AnyItem | undefined;
        if (!it || it.value) top.items.push({ start: [], key: token, sep: [] });
        else if (it.sep) it.value = token;
        else Object.assign(it, { key: token, sep: [] });
        return;
      }
      default:
        return decline();
    }
    if ((top.type === 'document' || top.type === 'block-map' || top.type === 'block-seq') && (token.type === 'block-map' || token.type === 'block-seq')) {
      const last = token.items[token.items.length - 1] as AnyItem | undefined;
      if (
        last &&
        !last.sep &&
        !last.value &&
        last.start.length > 0 &&
        findNonEmptyIndex(last.start) === -1 &&
        (token.indent === 0 || last.start.every((st) => st.type !== 'comment' || st.indent < token.indent))
      ) {
        if (top.type === 'document') top.end = last.start;
        else top.items.push({ start: last.start });
        token.items.splice(-1, 1);
      }
    }
  }

  private stream(): void {
    switch (this.type) {
      case 'space':
      case 'comment':
      case 'newline':
        this.tokens.push(this.sourceToken);
        return;
      case 'doc-mode':
        this.stack.push({ type: 'document', offset: this.offset, start: [] });
        return;
    }
    decline();
  }

  private document(doc: CST.Document): void {
    if (doc.value) return this.lineEnd(doc);
    switch (this.type) {
      case 'doc-start':
        if (findNonEmptyIndex(doc.start) !== -1) return decline();
        doc.start.push(this.sourceToken);
        return;
      case 'space':
      case 'comment':
      case 'newline':
        doc.start.push(this.sourceToken);
        return;
    }
    const bv = this.startBlockValue(doc);
    if (!bv) return decline();
    this.stack.push(bv);
  }

  private scalar(scalar: CST.FlowScalar): void {
    if (this.type === 'map-value-ind') {
      const prev = getPrevProps(this.peek(2));
      const start = getFirstKeyStartProps(prev);
      let sep: CST.SourceToken[];
      if (scalar.end) {
        sep = scalar.end;
        sep.push(this.sourceToken);
        delete scalar.end;
      } else sep = [this.sourceToken];
      const map: CST.BlockMap = { type: 'block-map', offset: scalar.offset, indent: scalar.indent, items: [{ start, key: scalar, sep }] };
      this.onKeyLine = true;
      this.stack[this.stack.length - 1] = map;
    } else this.lineEnd(scalar);
  }

  private blockScalar(scalar: CST.BlockScalar): void {
    switch (this.type) {
      case 'space':
      case 'comment':
      case 'newline':
        scalar.props.push(this.sourceToken);
        return;
      case 'scalar':
        scalar.source = this.source;
        this.atNewLine = true;
        this.indent = 0;
        this.pop();
        return;
    }
    decline();
  }

  private blockMap(map: CST.BlockMap): void {
    const it = map.items[map.items.length - 1] as AnyItem;
    switch (this.type) {
      case 'newline':
        this.onKeyLine = false;
        if (it.value) {
          const end = 'end' in it.value ? it.value.end : undefined;
          const last = Array.isArray(end) ? end[end.length - 1] : undefined;
          if (last?.type === 'comment') end?.push(this.sourceToken);
          else map.items.push({ start: [this.sourceToken] });
        } else if (it.sep) it.sep.push(this.sourceToken);
        else it.start.push(this.sourceToken);
        return;
      case 'space':
      case 'comment':
        if (it.value) map.items.push({ start: [this.sourceToken] });
        else if (it.sep) it.sep.push(this.sourceToken);
        else {
          if (this.atIndentedComment(it.start, map.indent)) {
            const prev = map.items[map.items.length - 2] as AnyItem | undefined;
            const end = (prev?.value as { end?: CST.SourceToken[] } | undefined)?.end;
            if (Array.isArray(end)) {
              end.push(...it.start, this.sourceToken);
              map.items.pop();
              return;
            }
          }
          it.start.push(this.sourceToken);
        }
        return;
    }
    if (this.indent >= map.indent) {
      const atMapIndent = !this.onKeyLine && this.indent === map.indent;
      const atNextItem = atMapIndent && !!it.sep && this.type !== 'seq-item-ind';
      // For empty nodes, assign newline-separated not indented empty tokens to following node
      let start: CST.SourceToken[] = [];
      if (atNextItem && it.sep && !it.value) {
        const nl: number[] = [];
        for (let i = 0; i < it.sep.length; ++i) {
          const st = it.sep[i];
          switch (st.type) {
            case 'newline':
              nl.push(i);
              break;
            case 'space':
              break;
            case 'comment':
              if (st.indent > map.indent) nl.length = 0;
              break;
            default:
              nl.length = 0;
          }
        }
        if (nl.length >= 2) start = it.sep.splice(nl[1]);
      }
      switch (this.type) {
        case 'map-value-ind':
          if (!it.sep) Object.assign(it, { key: null, sep: [this.sourceToken] });
          else if (it.value || atNextItem) map.items.push({ start, key: null, sep: [this.sourceToken] });
          else if (includesToken(it.sep, 'map-value-ind')) {
            this.stack.push({ type: 'block-map', offset: this.offset, indent: this.indent, items: [{ start: [], key: null, sep: [this.sourceToken] }] });
          } else it.sep.push(this.sourceToken);
          this.onKeyLine = true;
          return;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar': {
          const fs = this.flowScalar();
          if (atNextItem || it.value) {
            map.items.push({ start, key: fs, sep: [] });
            this.onKeyLine = true;
          } else if (it.sep) this.stack.push(fs);
          else {
            Object.assign(it, { key: fs, sep: [] });
            this.onKeyLine = true;
          }
          return;
        }
        default: {
          const bv = this.startBlockValue(map);
          if (bv) {
            if (bv.type === 'block-seq') {
              // "Unexpected block-seq-ind on same line with key": an error yaml reports
              if (!it.explicitKey && it.sep && !includesToken(it.sep, 'newline')) return decline();
            } else if (atMapIndent) map.items.push({ start } as MapItem);
            this.stack.push(bv);
            return;
          }
        }
      }
    }
    this.pop();
    this.step();
  }

  private blockSequence(seq: CST.BlockSequence): void {
    const it = seq.items[seq.items.length - 1];
    switch (this.type) {
      case 'newline':
        if (it.value) {
          const end = 'end' in it.value ? it.value.end : undefined;
          const last = Array.isArray(end) ? end[end.length - 1] : undefined;
          if (last?.type === 'comment') end?.push(this.sourceToken);
          else seq.items.push({ start: [this.sourceToken] });
        } else it.start.push(this.sourceToken);
        return;
      case 'space':
      case 'comment':
        if (it.value) seq.items.push({ start: [this.sourceToken] });
        else {
          if (this.atIndentedComment(it.start, seq.indent)) {
            const prev = seq.items[seq.items.length - 2];
            const end = (prev?.value as { end?: CST.SourceToken[] } | undefined)?.end;
            if (Array.isArray(end)) {
              end.push(...it.start, this.sourceToken);
              seq.items.pop();
              return;
            }
          }
          it.start.push(this.sourceToken);
        }
        return;
      case 'seq-item-ind':
        if (this.indent !== seq.indent) break;
        if (it.value || includesToken(it.start, 'seq-item-ind')) seq.items.push({ start: [this.sourceToken] });
        else it.start.push(this.sourceToken);
        return;
    }
    if (this.indent > seq.indent) {
      const bv = this.startBlockValue(seq);
      if (bv) {
        this.stack.push(bv);
        return;
      }
    }
    this.pop();
    this.step();
  }

  private flowCollection(fc: CST.FlowCollection): void {
    const it = fc.items[fc.items.length - 1] as AnyItem | undefined;
    if (fc.end.length === 0) {
      switch (this.type) {
        case 'comma':
          if (!it || it.sep) fc.items.push({ start: [this.sourceToken] });
          else it.start.push(this.sourceToken);
          return;
        case 'map-value-ind':
          if (!it || it.value) fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
          else if (it.sep) it.sep.push(this.sourceToken);
          else Object.assign(it, { key: null, sep: [this.sourceToken] });
          return;
        case 'space':
        case 'comment':
        case 'newline':
          if (!it || it.value) fc.items.push({ start: [this.sourceToken] });
          else if (it.sep) it.sep.push(this.sourceToken);
          else it.start.push(this.sourceToken);
          return;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar': {
          const fs = this.flowScalar();
          if (!it || it.value) fc.items.push({ start: [], key: fs, sep: [] });
          else if (it.sep) this.stack.push(fs);
          else Object.assign(it, { key: fs, sep: [] });
          return;
        }
        case 'flow-map-end':
        case 'flow-seq-end':
          fc.end.push(this.sourceToken);
          return;
      }
      const bv = this.startBlockValue(fc);
      if (!bv || bv.type !== 'flow-collection') return decline();
      this.stack.push(bv);
      return;
    }
    const parent = this.peek(2);
    // A flow collection as a mapping key, or a newline right after a key: cases the subset leaves to yaml.
    if (this.type === 'map-value-ind' || (parent.type === 'block-map' && this.type === 'newline' && !(parent.items[parent.items.length - 1] as AnyItem).sep)) return decline();
    this.lineEnd(fc);
  }

  /** In a flow collection, a scalar's only parent is the collection (its value is popped into the item). */
  private flowScalar(): CST.FlowScalar {
    return { type: this.type, offset: this.offset, indent: this.indent, source: this.source } as CST.FlowScalar;
  }

  private startBlockValue(parent: Open): Open | null {
    switch (this.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.flowScalar();
      case 'block-scalar-header':
        return { type: 'block-scalar', offset: this.offset, indent: this.indent, props: [this.sourceToken], source: '' };
      case 'flow-map-start':
      case 'flow-seq-start':
        return { type: 'flow-collection', offset: this.offset, indent: this.indent, start: this.sourceToken, items: [], end: [] };
      case 'seq-item-ind':
        return { type: 'block-seq', offset: this.offset, indent: this.indent, items: [{ start: [this.sourceToken] }] };
      case 'map-value-ind': {
        this.onKeyLine = true;
        const start = getFirstKeyStartProps(getPrevProps(parent));
        return { type: 'block-map', offset: this.offset, indent: this.indent, items: [{ start, key: null, sep: [this.sourceToken] }] };
      }
    }
    return null;
  }

  private atIndentedComment(start: CST.SourceToken[], indent: number): boolean {
    if (this.type !== 'comment' || this.indent <= indent) return false;
    return start.every((st) => st.type === 'newline' || st.type === 'space');
  }

  private lineEnd(token: CST.Document | CST.FlowScalar | CST.FlowCollection): void {
    switch (this.type) {
      case 'comma':
      case 'doc-start':
      case 'flow-seq-end':
      case 'flow-map-end':
      case 'map-value-ind':
        this.pop();
        this.step();
        return;
      default:
        if (this.type === 'newline') this.onKeyLine = false;
        // space, comment and newline (all other tokens would be errors)
        if (token.end) token.end.push(this.sourceToken);
        else token.end = [this.sourceToken];
        if (this.type === 'newline') this.pop();
    }
  }
}

function includesToken(list: CST.SourceToken[], type: CST.SourceToken['type']): boolean {
  for (const token of list) if (token.type === type) return true;
  return false;
}

function findNonEmptyIndex(list: CST.SourceToken[]): number {
  for (let i = 0; i < list.length; ++i) {
    const type = list[i].type;
    if (type !== 'space' && type !== 'comment' && type !== 'newline') return i;
  }
  return -1;
}

function isFlowToken(token: CST.Token | null | undefined): token is CST.FlowScalar | CST.FlowCollection {
  switch (token?.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'flow-collection':
      return true;
    default:
      return false;
  }
}

function getPrevProps(parent: Open): CST.SourceToken[] {
  switch (parent.type) {
    case 'document':
      return parent.start;
    case 'block-map': {
      const it = parent.items[parent.items.length - 1] as AnyItem;
      return it.sep ?? it.start;
    }
    case 'block-seq':
      return parent.items[parent.items.length - 1].start;
    default:
      return [];
  }
}

/** Note: may modify input array */
function getFirstKeyStartProps(prev: CST.SourceToken[]): CST.SourceToken[] {
  if (prev.length === 0) return [];
  let i = prev.length;
  loop: while (--i >= 0) {
    switch (prev[i].type) {
      case 'doc-start':
      case 'explicit-key-ind':
      case 'map-value-ind':
      case 'seq-item-ind':
      case 'newline':
        break loop;
    }
  }
  while (prev[++i]?.type === 'space') {
    /* loop */
  }
  return prev.splice(i, prev.length);
}

function fixFlowSeqItems(fc: CST.FlowCollection): void {
  if (fc.start.type !== 'flow-seq-start') return;
  for (const item of fc.items) {
    const it = item as AnyItem;
    if (it.sep && !it.value && !includesToken(it.start, 'explicit-key-ind') && !includesToken(it.sep, 'map-value-ind')) {
      if (it.key) it.value = it.key;
      delete it.key;
      if (isFlowToken(it.value)) {
        if (it.value.end) it.value.end.push(...it.sep);
        else it.value.end = it.sep;
      } else it.start.push(...it.sep);
      delete it.sep;
    }
  }
}
