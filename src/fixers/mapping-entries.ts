import { isAlias, isMap, isNode, type Node as YamlNode } from 'yaml';
import type { TextEdit } from '../findings.js';
import type { Entry } from '../workflow/model.js';
import type { SourceFile } from '../workflow/source.js';
import type { FileStyle } from './style.js';
import { afterEntry, joinLines, lineStart, renderEntries, withCommentsAbove } from './yaml-text.js';

/**
 * Replacing and removing entries of a mapping written in the file (a step's `with:` or an `env:`),
 * in the mapping's own style: whole lines in a block mapping, `key: value` pairs and their commas
 * in a flow mapping on one line. A removed entry takes its own comments along (on its line, and
 * the comment lines right above it at its indentation, as a step does); other comments stay.
 */

/**
 * A mapping held by `owner` (`with:`, `env:`), an entry of `parent` (the step or job), with its
 * entries as the model read them.
 */
export interface WrittenMapping {
  parent: YamlNode;
  owner: Entry;
  entries: Entry[];
}

/** New entries: a key and its value text, unquoted (quoting follows the mapping's style). */
export type NewEntry = [string, string];

/**
 * The edits that put `add` where the first of `remove` was and delete the rest of `remove`;
 * removing every entry removes the owner. Undefined when the mapping cannot be edited as text:
 * a mapping or entries that come from an anchor or are one (`<<: *defaults`, `key: *value`,
 * `with: &login`), or a flow mapping over several lines: an edit there would change or break every
 * user of the anchor, or break the flow.
 */
export function editEntries(
  file: SourceFile,
  style: FileStyle,
  mapping: WrittenMapping,
  unordered: Entry[],
  add: NewEntry[],
): TextEdit[] | undefined {
  const node = mapping.owner.pair.value;
  const remove = [...unordered].sort((a, b) => a.keyRange.start.offset - b.keyRange.start.offset);
  if (!isMap(mapping.parent) || !mapping.parent.items.includes(mapping.owner.pair)) return undefined;
  if (!isMap(node) || !node.range || node.anchor || remove.length === 0) return undefined;
  if (
    remove.some(
      (e) => !node.items.includes(e.pair) || isAlias(e.pair.value) || anchored(e.pair.key) || anchored(e.pair.value),
    )
  )
    return undefined;
  const entries = mapping.entries.filter((e) => node.items.includes(e.pair));
  // A merge key (`<<: *defaults`) is a pair the entries do not show: the text around it is not ours to reflow.
  if (entries.length !== node.items.length) return undefined;
  if (add.length === 0 && remove.length === entries.length)
    return startsLine(file, mapping.owner) ? [removeLines(file, mapping.owner)] : undefined;
  const quote = quoteOf(file, remove[0]);
  if (!node.flow) {
    if (!remove.every((e) => startsLine(file, e))) return undefined;
    const [first, ...rest] = remove;
    const column = first.keyRange.start.column - 1;
    const replaced =
      add.length > 0
        ? [
            {
              ...removeLines(file, first),
              text: joinLines(
                renderEntries(
                  add.map(([k, v]) => [k, { raw: quote + v + quote }]),
                  column,
                  style,
                ),
                style,
              ),
            },
          ]
        : [removeLines(file, first)];
    return [...replaced, ...rest.map((e) => removeLines(file, e))];
  }
  if (file.position(node.range[0]).line !== file.position(node.range[1]).line) return undefined;
  // In flow context `${{ }}` must be quoted: braces are flow indicators.
  const flowQuote = quote || style.quote;
  return removePairs(entries, remove, add.map(([k, v]) => `${k}: ${flowQuote}${v}${flowQuote}`).join(', '));
}

/** Flow pairs: the first removed pair becomes `replacement` (or goes), the others go with the comma before them. */
function removePairs(entries: Entry[], remove: Entry[], replacement: string): TextEdit[] {
  const start = (e: Entry) => e.keyRange.start.offset;
  const end = (e: Entry) => e.range.end.offset;
  const edits: TextEdit[] = [];
  const gone = new Set(remove);
  if (replacement) {
    edits.push({ start: start(remove[0]), end: end(remove[0]), text: replacement });
    gone.delete(remove[0]);
  }
  for (let i = 0; i < entries.length; i++) {
    if (!gone.has(entries[i])) continue;
    let j = i;
    while (j + 1 < entries.length && gone.has(entries[j + 1])) j++;
    // A run of removed pairs goes with the comma before it, or, at the start, with the comma after it.
    edits.push(
      i > 0
        ? { start: end(entries[i - 1]), end: end(entries[j]), text: '' }
        : { start: start(entries[i]), end: start(entries[j + 1]), text: '' },
    );
    i = j;
  }
  return edits;
}

/** The whole lines of a block entry, its comment lines above included, through its value's last line. */
function removeLines(file: SourceFile, entry: Entry): TextEdit {
  return { start: withCommentsAbove(file, entry.keyRange.start.offset), end: afterEntry(file, entry), text: '' };
}

/** True when only indentation precedes the entry's key on its line. */
function startsLine(file: SourceFile, entry: Entry): boolean {
  const start = entry.keyRange.start.offset;
  return file.text.slice(lineStart(file, start), start).trim() === '';
}

/** How the file quotes an expression value here: the quote of the replaced `'${{ … }}'`, or '' when plain. */
function quoteOf(file: SourceFile, entry: Entry): string {
  const first = file.text[entry.value?.node.range?.[0] ?? -1];
  return entry.value?.isExpression && (first === "'" || first === '"') ? first : '';
}

function anchored(node: unknown): boolean {
  return isNode(node) && node.anchor !== undefined;
}
