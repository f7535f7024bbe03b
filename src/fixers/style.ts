import { isMap, isScalar, isSeq, visit, type Document } from 'yaml';
import type { Workflow } from '../workflow/model.js';
import type { SourceFile } from '../workflow/source.js';

/** How a file is written, so that new text looks as if its author had typed it. */
export interface FileStyle {
  eol: '\n' | '\r\n';
  /** Spaces per indentation level (2 or 4 usually). */
  indent: number;
  /** `steps:\n  - run` (true) or `steps:\n- run` (false, "indentless"). */
  indentedSequences: boolean;
  /** The quote the file prefers for strings that need quoting. */
  quote: "'" | '"';
}

const cache = new WeakMap<Workflow, FileStyle>();

/** The style of a workflow's file, detected once. */
export function styleOf(workflow: Workflow): FileStyle {
  let style = cache.get(workflow);
  if (!style) {
    style = detectStyle(workflow.file, workflow.doc);
    cache.set(workflow, style);
  }
  return style;
}

/** Reads a file's habits from its block mappings, sequences and quoted scalars. */
export function detectStyle(file: SourceFile, doc: Document): FileStyle {
  const indents = new Map<number, number>();
  let indented = 0;
  let indentless = 0;
  let single = 0;
  let double = 0;
  const column = (offset: number) => file.position(offset).column - 1;
  visit(doc, {
    Pair(_key, pair) {
      const key = pair.key;
      const value = pair.value;
      if (!isScalar(key) || !key.range) return;
      if ((isMap(value) || isSeq(value)) && !value.flow && value.range && value.items.length > 0) {
        const parentCol = column(key.range[0]);
        const first = value.items[0];
        const firstNode = isMap(value) ? (first as { key?: { range?: number[] } }).key : first;
        const start = (firstNode as { range?: number[] } | undefined)?.range?.[0];
        if (start === undefined) return;
        // For a sequence, measure the dash, not the item content.
        const childCol = isSeq(value) ? dashColumn(file, start) : column(start);
        const delta = childCol - parentCol;
        if (isSeq(value)) {
          if (delta === 0) indentless++;
          else indented++;
        }
        if (delta > 0) indents.set(delta, (indents.get(delta) ?? 0) + 1);
      }
    },
    Scalar(_key, node) {
      if (node.type === 'QUOTE_SINGLE') single++;
      else if (node.type === 'QUOTE_DOUBLE') double++;
    },
  });
  const indent = [...indents.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 2;
  return { eol: file.eol, indent, indentedSequences: indented >= indentless, quote: single > double ? "'" : '"' };
}

/** Column (0-based) of the `-` that starts the sequence item whose content starts at `offset`. */
function dashColumn(file: SourceFile, offset: number): number {
  const text = file.text;
  let i = offset - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return text[i] === '-' ? file.position(i).column - 1 : file.position(offset).column - 1;
}

/** A YAML plain scalar when safe, else quoted in the file's habit. */
export function yamlString(value: string, style: FileStyle): string {
  const plainSafe =
    /^[A-Za-z0-9_./$][^#:]*$/.test(value) &&
    !/^(true|false|null|yes|no|on|off|~|-?\d[\d.eE+-]*)$/i.test(value) &&
    !/\s$/.test(value) &&
    !value.includes(': ');
  if (plainSafe) return value;
  if (style.quote === "'" || value.includes('"') || value.includes('\\')) return `'${value.replace(/'/g, "''")}'`;
  return `"${value}"`;
}
