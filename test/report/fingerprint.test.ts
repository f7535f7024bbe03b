import { describe, it, expect } from 'vitest';
import { lineHash, lineHashes } from '../../src/report/fingerprint.js';

describe('lineHashes', () => {
  // Expected values come from github/codeql-action's fingerprint tests: matching them means code scanning
  // computes the same fingerprint we send, so it never reports them as inconsistent.
  it('matches codeql-action on whitespace and line endings', () => {
    expect(lineHashes('')).toEqual(['c129715d7a2bc9a3:1']);
    expect(lineHashes(' a\nb\n  \t\tc\n d')).toEqual([
      '271789c17abda88f:1',
      '54703d4cd895b18:1',
      '180aee12dab6264:1',
      'a23a3dc5e078b07b:1',
    ]);
    const expected = [
      'e9496ae3ebfced30:1',
      'fb7c023a8b9ccb3f:1',
      'ce8ba1a563dcdaca:1',
      'e20e36e16fcb0cc8:1',
      'b3edc88f2938467e:1',
      'c8e28b0b4002a3a0:1',
      'c129715d7a2bc9a3:1',
    ];
    expect(lineHashes(' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n')).toEqual(expected);
    expect(lineHashes(' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n')).toEqual(expected);
    expect(lineHashes(' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r')).toEqual(expected);
  });

  it('numbers repeated hashes so identical lines stay distinct', () => {
    expect(lineHashes('Lorem ipsum dolor sit amet.\n'.repeat(10))).toEqual([
      'a7f2ff13bc495cf2:1',
      'a7f2ff13bc495cf2:2',
      'a7f2ff13bc495cf2:3',
      'a7f2ff13bc495cf2:4',
      'a7f2ff13bc495cf2:5',
      'a7f2ff13bc495cf2:6',
      'a7f2ff1481e87703:1',
      'a9cf91f7bbf1862b:1',
      '55ec222b86bcae53:1',
      'cc97dc7b1d7d8f7b:1',
      'c129715d7a2bc9a3:1',
    ]);
  });
});

describe('lineHash', () => {
  const text = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n';

  it('depends on the line content, not its number', () => {
    expect(lineHash(`\n${text}`, 4)).toBe(lineHash(text, 3));
    expect(lineHash(text, 3)).not.toBe(lineHash(text, 2));
  });

  it('ignores indentation changes', () => {
    expect(lineHash(text.replace('  build:', 'build:'), 3)).toBe(lineHash(text, 3));
  });

  it('rejects lines outside the file', () => {
    expect(() => lineHash(text, 0)).toThrow(RangeError);
    expect(() => lineHash(text, 6)).toThrow(RangeError);
  });
});
