import type { Finding, Range, ReportedFinding, TextEdit } from '../findings.js';
import { withFingerprints } from '../report/fingerprint.js';
import type { SourceFile } from '../workflow/source.js';

/** The edits one fix pass applied, sorted, at offsets of the text that pass started from. */
export type EditPass = readonly TextEdit[];

/**
 * The offset in the text before `passes` of `offset` in the text after them. Text unchanged by the
 * fixes maps to itself; text a fix wrote maps to the span it replaced: to its start for the start of
 * a range, to its end for the end of one.
 */
export function offsetBefore(offset: number, passes: readonly EditPass[], bias: 'start' | 'end'): number {
  let at = offset;
  for (let p = passes.length - 1; p >= 0; p--) {
    let delta = 0;
    let mapped: number | undefined;
    for (const edit of passes[p]) {
      const writtenStart = edit.start + delta;
      const writtenEnd = writtenStart + edit.text.length;
      // A start stands for the character at `at`, an end (exclusive) for the one before it.
      if (bias === 'start' ? at < writtenStart : at <= writtenStart) break;
      if (bias === 'start' ? at < writtenEnd : at <= writtenEnd) {
        mapped = bias === 'start' ? edit.start : edit.end;
        break;
      }
      delta += edit.text.length - (edit.end - edit.start);
    }
    at = mapped ?? at - delta;
  }
  return at;
}

/**
 * Findings of the fixed text at the positions of the original text (what `--fix-dry-run` reports: the
 * file on disk is the one the reader opens), each with its line's fingerprint there. A finding inside
 * text a fix wrote points at the text that fix replaces.
 */
export function findingsBefore(
  findings: Finding[],
  passes: readonly EditPass[],
  original: SourceFile,
): ReportedFinding[] {
  const rangeBefore = (range: Range): Range =>
    original.range(offsetBefore(range.start.offset, passes, 'start'), offsetBefore(range.end.offset, passes, 'end'));
  const moved = findings.map(({ fix, fingerprint: _stale, ...finding }) => ({
    ...finding,
    range: rangeBefore(finding.range),
    ...(finding.related ? { related: finding.related.map((r) => ({ ...r, range: rangeBefore(r.range) })) } : {}),
    // The edits of a remaining fix are offsets into the fixed text: only its kind still holds.
    ...(fix ? { fix: { kind: fix.kind } } : {}),
  }));
  return withFingerprints(original.text, moved);
}
