/**
 * Line-content fingerprints for SARIF `partialFingerprints.primaryLocationLineHash`, computed exactly as
 * GitHub's codeql-action computes them when an upload lacks them (src/fingerprints.ts there), so code
 * scanning matches alerts across line shifts and never sees two different values for one location.
 *
 * A line's hash is a rolling hash (base 37, mod 2^64) of the 100 characters starting at the line, with
 * spaces and tabs dropped and \r\n, \r normalised to \n; the window runs on into later lines, then into an
 * end-of-file marker and zero padding. The suffix `:N` numbers repeats of the same hash in the file (1-based).
 */

import type { ReportedFinding } from '../findings.js';

const WINDOW = 100;
const BASE = 37n;
const BASE_TO_WINDOW = BASE ** BigInt(WINDOW);
const END_OF_FILE = 0xffff;

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

interface NormalisedText {
  codes: number[];
  /** Index into `codes` of the first character of each line. */
  lineStarts: number[];
}

function normalise(text: string): NormalisedText {
  const codes: number[] = [];
  const lineStarts: number[] = [];
  let atLineStart = true;
  let afterCR = false;
  const add = (code: number): void => {
    if (code === SPACE || code === TAB || (afterCR && code === LF)) {
      afterCR = false;
      return;
    }
    afterCR = code === CR;
    if (atLineStart) lineStarts.push(codes.length);
    atLineStart = code === CR || code === LF;
    codes.push(afterCR ? LF : code);
  };
  for (let i = 0; i < text.length; i++) add(text.charCodeAt(i));
  add(END_OF_FILE);
  for (let i = 0; i < WINDOW; i++) codes.push(0);
  return { codes, lineStarts };
}

/** The fingerprint of every line of `text`; index 0 holds line 1. A trailing newline adds one last line. */
export function lineHashes(text: string): string[] {
  const { codes, lineStarts } = normalise(text);
  const hashes: string[] = [];
  const timesSeen = new Map<string, number>();
  let hash = 0n;
  for (let end = 0; end < codes.length && hashes.length < lineStarts.length; end++) {
    const leaving = end >= WINDOW ? codes[end - WINDOW] : 0;
    hash = BigInt.asUintN(64, hash * BASE + BigInt(codes[end]) - BASE_TO_WINDOW * BigInt(leaving));
    if (end - WINDOW + 1 === lineStarts[hashes.length]) {
      const value = hash.toString(16);
      const count = (timesSeen.get(value) ?? 0) + 1;
      timesSeen.set(value, count);
      hashes.push(`${value}:${count}`);
    }
  }
  return hashes;
}

/** `findings` of `text`, each with the fingerprint of its first line. */
export function withFingerprints<F extends ReportedFinding>(text: string, findings: F[]): F[] {
  if (findings.length === 0) return findings;
  const hashes = lineHashes(text);
  return findings.map((finding) => ({ ...finding, fingerprint: hashes[finding.range.start.line - 1] }));
}

/** The fingerprint of 1-based `line` of `text`. */
export function lineHash(text: string, line: number): string {
  const hashes = lineHashes(text);
  if (!Number.isInteger(line) || line < 1 || line > hashes.length) {
    throw new RangeError(`line ${line} is outside 1..${hashes.length}`);
  }
  return hashes[line - 1];
}
