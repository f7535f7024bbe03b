import type { TextEdit } from '../findings.js';
import type { Entry, ScalarValue, StepItem } from '../workflow/model.js';
import type { SourceFile } from '../workflow/source.js';
import { yamlString, type FileStyle } from './style.js';

/**
 * Text primitives for fixes: where a line starts, how deep it is indented, and how to write new
 * mapping entries, steps and script lines in a file's own style. Every edit is an insertion or a
 * replacement at offsets taken from the parsed document, so the rest of the file stays as it is.
 */

export function lineStart(file: SourceFile, offset: number): number {
  return file.lineStarts[file.position(offset).line - 1];
}

/** Offset of the start of the line after the one holding `offset`. */
export function nextLineStart(file: SourceFile, offset: number): number {
  return file.lineStarts[file.position(offset).line] ?? file.text.length;
}

/** 0-based column of `offset`. */
export function columnOf(file: SourceFile, offset: number): number {
  return file.position(offset).column - 1;
}

export function spaces(n: number): string {
  return ' '.repeat(Math.max(0, n));
}

/**
 * A YAML value to render: a string (quoted when YAML needs it), `{ raw }` written as is (`false`,
 * `write`), a multi-line script (a `|` block), or a nested mapping.
 */
export type YamlValue = string | { raw: string } | { block: string } | [string, YamlValue][];

/** Renders `key: value` lines at a column, in the file's style (indent width, quotes, line ending). */
export function renderEntries(entries: [string, YamlValue][], column: number, style: FileStyle): string[] {
  const lines: string[] = [];
  for (const [key, value] of entries) {
    if (typeof value === 'string') lines.push(`${spaces(column)}${key}: ${yamlString(value, style)}`);
    else if ('raw' in value) lines.push(`${spaces(column)}${key}: ${value.raw}`);
    else if (Array.isArray(value)) {
      lines.push(`${spaces(column)}${key}:`);
      lines.push(...renderEntries(value, column + style.indent, style));
    } else {
      lines.push(`${spaces(column)}${key}: |`);
      for (const l of value.block.replace(/\n$/, '').split('\n'))
        lines.push(l === '' ? '' : `${spaces(column + style.indent)}${l}`);
    }
  }
  return lines;
}

/** Renders a sequence item (`- key: value` …) whose dash sits at `dashColumn`. */
export function renderItem(
  entries: [string, YamlValue][],
  dashColumn: number,
  contentOffset: number,
  style: FileStyle,
): string[] {
  const lines = renderEntries(entries, dashColumn + contentOffset, style);
  if (lines.length > 0) lines[0] = `${spaces(dashColumn)}-${spaces(contentOffset - 1)}${lines[0].trimStart()}`;
  return lines;
}

export function joinLines(lines: string[], style: FileStyle): string {
  return lines.map((l) => l + style.eol).join('');
}

/** Where a step item starts, including the comment lines directly above it that belong to it. */
export function itemStart(file: SourceFile, item: StepItem): number {
  return withCommentsAbove(file, dashOffset(file, item.range.start.offset));
}

/**
 * The start of the line holding `offset`, or of the comment lines directly above it written at the
 * same column: they belong to what `offset` starts (a step's dash, a mapping key).
 */
export function withCommentsAbove(file: SourceFile, offset: number): number {
  let start = lineStart(file, offset);
  const column = columnOf(file, offset);
  for (let line = file.position(start).line - 1; line >= 1; line--) {
    const text = file.lineText(line);
    if (!/^\s*#/.test(text) || text.indexOf('#') !== column) break;
    start = file.lineStarts[line - 1];
  }
  return start;
}

/** The offset of the `-` that starts a sequence item whose content starts at `offset`. */
export function dashOffset(file: SourceFile, offset: number): number {
  let i = offset - 1;
  while (i >= 0 && (file.text[i] === ' ' || file.text[i] === '\t')) i--;
  return file.text[i] === '-' ? i : offset;
}

/** Column of a step item's dash, and the distance from the dash to its first key (usually 2). */
export function itemLayout(file: SourceFile, item: StepItem): { dashColumn: number; contentOffset: number } {
  const dash = dashOffset(file, item.range.start.offset);
  return { dashColumn: columnOf(file, dash), contentOffset: Math.max(2, item.range.start.offset - dash) };
}

/** True when a node is written in flow style (`{…}` or `[…]`), where line-based insertions do not apply. */
export function isFlow(file: SourceFile, offset: number): boolean {
  return file.text[offset] === '{' || file.text[offset] === '[';
}

/** The end of an entry's last line (start of the following line), for inserting a sibling after it. */
export function afterEntry(file: SourceFile, entry: Entry): number {
  const end = entry.valueNode?.range?.[1] ?? entry.range.end.offset;
  // Block scalars end after their final line break; other values end on their last line.
  const last = Math.max(entry.range.start.offset, file.text[end - 1] === '\n' ? end - 1 : end);
  return nextLineStart(file, last);
}

/** Inserts `key: value` entries into a block mapping after `anchor` (or before `before`), at the anchor's column. */
export function insertEntries(
  file: SourceFile,
  style: FileStyle,
  where: { after: Entry } | { before: Entry },
  entries: [string, YamlValue][],
): TextEdit {
  // The first key of a sequence item shares the line with its `- `: nothing can go before it.
  const at = 'before' in where && onDashLine(file, where.before) ? { after: where.before } : where;
  const ref = 'after' in at ? at.after : at.before;
  const column = ref.keyRange.start.column - 1;
  const offset = 'after' in at ? afterEntry(file, at.after) : lineStart(file, at.before.keyRange.start.offset);
  const text = joinLines(renderEntries(entries, column, style), style);
  // At the very end of a file without a final newline, start a new line first.
  return offset === file.text.length && !file.text.endsWith('\n')
    ? { start: offset, end: offset, text: style.eol + text.slice(0, -style.eol.length) }
    : { start: offset, end: offset, text };
}

function onDashLine(file: SourceFile, entry: Entry): boolean {
  const start = entry.keyRange.start.offset;
  return /-\s+$/.test(file.text.slice(lineStart(file, start), start));
}

/** Replaces a scalar's value, keeping its quoting style when it had one. */
export function replaceScalar(value: ScalarValue, text: string): TextEdit {
  const [start, end] = value.node.range ?? [0, 0];
  const source = value.file.text.slice(start, end);
  const quote = source.startsWith("'") ? "'" : source.startsWith('"') ? '"' : '';
  return { start, end, text: quote ? `${quote}${text}${quote}` : text };
}
