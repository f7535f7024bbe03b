import type { TextEdit } from '../findings.js';

/** Edits sorted by position; throws if two overlap (callers defer overlapping fixes to a later pass). */
export function sortedEdits(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) throw new Error('overlapping edits');
  }
  return sorted;
}

export function overlaps(a: TextEdit[], b: TextEdit[]): boolean {
  // Two insertions at the same offset also conflict: their order would be arbitrary.
  return a.some((x) =>
    b.some(
      (y) => (x.start < y.end && y.start < x.end) || (x.start === y.start && (x.start === x.end || y.start === y.end)),
    ),
  );
}

/** Applies non-overlapping edits; text outside them is kept byte for byte. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of sortedEdits(edits)) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}
