import type { CST } from 'yaml';

/** Where the lexer sends each lexeme: quick-parser.ts's QuickParser. */
export interface LexemeSink {
  next(type: TokenType, offset: number, source: string): void;
}

/** Thrown (without a stack trace) when the text leaves the subset. */
const DECLINE = Object.freeze({ declined: true });
export const decline = (): never => {
  throw DECLINE;
};
export const isDecline = (err: unknown) => err === DECLINE;

export type TokenType = CST.SourceToken['type'] | 'scalar' | 'single-quoted-scalar' | 'double-quoted-scalar';
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
export class QuickLexer {
  private pos = 0;
  private indentNext = 0;
  private indentValue = 0;
  private flowLevel = 0;
  private flowKey = false;
  private blockScalarKeep = false;

  constructor(
    private readonly text: string,
    private readonly parser: LexemeSink,
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
    const docMarker =
      indent === 0 &&
      (text.startsWith('---', this.pos) || text.startsWith('...', this.pos)) &&
      isEmpty(text[this.pos + 3]);
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
