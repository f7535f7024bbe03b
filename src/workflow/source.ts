import type { Position, Range } from '../findings.js';

/** A workflow file's text with fast offset -> line/column lookup. */
export class SourceFile {
  readonly lineStarts: number[];
  /** The dominant line ending, used when new text is written into the file. */
  readonly eol: '\n' | '\r\n';

  constructor(
    /** Path for display (relative to cwd when possible, forward slashes). */
    readonly path: string,
    /** The text without a leading BOM. */
    readonly text: string,
    readonly hasBom: boolean = false,
  ) {
    const starts = [0];
    let crlf = 0;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        starts.push(i + 1);
        if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
      }
    }
    this.lineStarts = starts;
    this.eol = crlf * 2 > starts.length - 1 ? '\r\n' : '\n';
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.lineStarts[lo] + 1, offset: clamped };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** The text of a 1-based line, without its line ending. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }
}
