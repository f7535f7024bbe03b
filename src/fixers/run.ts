import { readFileSync } from 'node:fs';
import type { FileResult } from '../findings.js';
import { lintBytes } from '../lint.js';
import { fixText, type FixOptions } from './apply.js';
import { writeAtomically } from './write.js';

export interface FixSummary {
  scanned: number;
  changed: string[];
  applied: Map<string, number>;
  /** Findings left after fixing (those that need a human). */
  remaining: number;
  skipped: { path: string; reason: string }[];
}

export interface FixRun {
  results: FileResult[];
  summary: FixSummary;
  /** Per changed file: the original and the fixed text, for diffs. */
  changes: { path: string; before: string; after: string }[];
}

/** Fixes each file (or only computes the fixes with `dryRun`), continuing past files that fail. */
export function fixFiles(files: { abs: string; path: string }[], options: FixOptions & { dryRun: boolean; onProgress?: (done: number) => void }): FixRun {
  const run: FixRun = { results: [], changes: [], summary: { scanned: 0, changed: [], applied: new Map(), remaining: 0, skipped: [] } };
  const { summary } = run;
  files.forEach(({ abs, path }, i) => {
    options.onProgress?.(i);
    let bytes: Buffer;
    try {
      bytes = readFileSync(abs);
    } catch (err) {
      summary.skipped.push({ path, reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` });
      return;
    }
    summary.scanned++;
    const text = decodeText(bytes);
    if (text === undefined) {
      const result = lintBytes(path, bytes, options.lint);
      run.results.push(result);
      summary.remaining += result.findings.length;
      return;
    }
    const outcome = fixText(path, text, options);
    if (outcome.discarded) summary.skipped.push({ path, reason: outcome.discarded });
    if (outcome.changed) {
      try {
        if (!options.dryRun) writeAtomically(abs, bytes, outcome.text);
        summary.changed.push(path);
        run.changes.push({ path, before: text, after: outcome.text });
        for (const [rule, n] of outcome.applied) summary.applied.set(rule, (summary.applied.get(rule) ?? 0) + n);
      } catch (err) {
        summary.skipped.push({ path, reason: `could not be written: ${(err as Error).message}` });
        const original = lintBytes(path, bytes, options.lint);
        run.results.push(original);
        summary.remaining += original.findings.length;
        return;
      }
    }
    run.results.push(outcome.result);
    summary.remaining += outcome.result.findings.length;
  });
  options.onProgress?.(files.length);
  return run;
}

/** Text of a file that can be fixed: valid UTF-8 without NUL bytes. */
function decodeText(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
