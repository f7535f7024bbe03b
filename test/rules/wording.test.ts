import { describe, expect, it } from 'vitest';
import { brief, splitDiagnostic } from '../../src/rules/wording.js';

describe('splitDiagnostic', () => {
  it('makes what comes before the first "; " or ". " the first line, the whole text the explanation', () => {
    const refused = 'Unknown key `stepz` in `jobs.a` (did you mean `steps`?); GitHub rejects this workflow.';
    expect(splitDiagnostic(refused)).toEqual({
      message: 'Unknown key `stepz` in `jobs.a` (did you mean `steps`?)',
      detail: refused,
    });
    const ignored = 'GitHub ignores `paths` under `workflow_dispatch`, so it filters nothing. It takes `inputs`.';
    expect(splitDiagnostic(ignored).message).toBe(
      'GitHub ignores `paths` under `workflow_dispatch`, so it filters nothing',
    );
  });

  it('never splits inside code', () => {
    const text = 'The value `a; b. c` is odd; GitHub ignores it.';
    expect(splitDiagnostic(text).message).toBe('The value `a; b. c` is odd');
  });

  it('keeps a single sentence as the first line alone, without its final period', () => {
    expect(splitDiagnostic('File is empty: a workflow needs `on:` and `jobs:`.')).toEqual({
      message: 'File is empty: a workflow needs `on:` and `jobs:`',
    });
  });
});

describe('brief', () => {
  it('cuts a name longer than the limit, marking the cut', () => {
    expect(brief('deploy')).toBe('deploy');
    expect(brief('x'.repeat(40))).toBe(`${'x'.repeat(31)}…`);
    expect(brief('x'.repeat(40), 40)).toBe('x'.repeat(40));
  });
});
