import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TextEdit } from '../../src/findings.js';
import { applyEdits } from '../../src/fixers/edits.js';
import { offsetBefore, type EditPass } from '../../src/fixers/positions.js';

/** Non-overlapping edits of a text of `length` characters, sorted, whose new text is lower-case letters. */
const editsOf = (length: number) =>
  fc
    .uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 8 })
    .chain((cuts) => {
      const points = [...cuts].sort((a, b) => a - b);
      // Pairs of consecutive cut points are the edited spans; an odd one out is an insertion.
      const spans = [];
      for (let i = 0; i < points.length; i += 2) spans.push([points[i], points[i + 1] ?? points[i]]);
      return fc.tuple(
        ...spans.map(([start, end]) =>
          fc.tuple(fc.constant(start), fc.constant(end), fc.stringMatching(/^[a-z]{0,6}$/)),
        ),
      );
    })
    .map((spans) => spans.map(([start, end, text]): TextEdit => ({ start, end, text })));

describe('offsetBefore', () => {
  it('maps every character the fixes kept back to where it was, over several passes', () => {
    // Each original character is unique (CJK code points), and fixes write only ASCII letters.
    const original = Array.from({ length: 40 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('');
    const passes = fc.integer({ min: 1, max: 4 }).chain((count) => {
      let gen: fc.Arbitrary<{ text: string; passes: EditPass[] }> = fc.constant({ text: original, passes: [] });
      for (let p = 0; p < count; p++)
        gen = gen.chain(({ text, passes: done }) =>
          editsOf(text.length).map((edits) => ({ text: applyEdits(text, edits), passes: [...done, edits] })),
        );
      return gen;
    });
    fc.assert(
      fc.property(passes, ({ text, passes: applied }) => {
        for (let at = 0; at < text.length; at++) {
          const code = text.codePointAt(at)!;
          if (code < 0x4e00) continue;
          // A range starting at this character starts there; one ending after it ends after it.
          expect(offsetBefore(at, applied, 'start')).toBe(code - 0x4e00);
          expect(offsetBefore(at + 1, applied, 'end')).toBe(code - 0x4e00 + 1);
        }
      }),
      { seed: 17, numRuns: 300 },
    );
  });

  it('maps text a fix wrote to the span it replaced: the start of a range to its start, the end to its end', () => {
    // "abcdef" -> "abXYZef": cd (2..4) replaced by XYZ.
    const passes: EditPass[] = [[{ start: 2, end: 4, text: 'XYZ' }]];
    expect([2, 3, 4, 5].map((at) => offsetBefore(at, passes, 'start'))).toEqual([2, 2, 2, 4]);
    expect([2, 3, 4, 5, 6].map((at) => offsetBefore(at, passes, 'end'))).toEqual([2, 4, 4, 4, 5]);
  });
});
