import type { Job, StepItem } from '../workflow/model.js';
import type { SourceFile } from '../workflow/source.js';
import { columnOf, dashOffset, itemStart, lineStart, nextLineStart, spaces } from './yaml-text.js';

/** A step item's text: from its leading comments to the start of the next item (blank lines included). */
export interface ItemBlock {
  start: number;
  end: number;
}

export function itemBlock(file: SourceFile, job: Job, item: StepItem): ItemBlock {
  const start = itemStart(file, item);
  const index = job.items.indexOf(item);
  const next = job.items[index + 1];
  if (next) return { start, end: itemStart(file, next) };
  // The last item ends with its last line; trailing blank lines belong to what follows.
  let end = nextLineStart(file, Math.max(item.range.start.offset, item.range.end.offset - 1));
  if (file.text[item.range.end.offset - 1] === '\n') end = item.range.end.offset;
  return { start, end: Math.min(end, file.text.length) };
}

/** Where a new item goes so that it runs right after `item` (after the group, for a parallel member). */
export function insertionAfter(file: SourceFile, job: Job, item: StepItem): number {
  const block = itemBlock(file, job, item);
  // Insert before trailing blank lines so that the new step sits next to its predecessor.
  let at = block.end;
  while (at > block.start) {
    const prev = lineStart(file, at - 1);
    if (file.text.slice(prev, at).trim() !== '') break;
    at = prev;
  }
  return at;
}

/** The blank line(s) the file puts between steps, judged from the gap before `item`'s block end. */
export function separatorAfter(file: SourceFile, job: Job, item: StepItem): string {
  const block = itemBlock(file, job, item);
  const at = insertionAfter(file, job, item);
  return file.text.slice(at, block.end);
}

/** Re-indents an item's lines from one dash column to another (for moving a step out of a group). */
export function reindent(text: string, from: number, to: number): string {
  if (from === to) return text;
  return text
    .split(/(?<=\n)/)
    .map((line) => {
      if (line.trim() === '') return line;
      const lead = line.length - line.trimStart().length;
      return lead >= from ? spaces(lead - from + to) + line.trimStart() : line;
    })
    .join('');
}

export function dashColumnOf(file: SourceFile, item: StepItem): number {
  return columnOf(file, dashOffset(file, item.range.start.offset));
}
