import type { FileResult } from '../findings.js';

/** Findings with a fix, by the option that applies it. */
export interface FixableCounts {
  /** Fixed by `--fix`. */
  safe: number;
  /** Fixed only by `--fix --unsafe-fixes`. */
  unsafe: number;
}

export function countFixable(results: readonly FileResult[]): FixableCounts {
  const counts: FixableCounts = { safe: 0, unsafe: 0 };
  for (const finding of results.flatMap((result) => result.findings)) if (finding.fix) counts[finding.fix.kind]++;
  return counts;
}

/**
 * How the findings with a fix are fixed, as the stylish footer and the --fix summary both say it:
 * `3 fixable with --fix, 2 more with --fix --unsafe-fixes`; undefined when none has a fix.
 */
export function fixableHint({ safe, unsafe }: FixableCounts): string | undefined {
  const withUnsafe = '--fix --unsafe-fixes';
  if (safe > 0 && unsafe > 0) return `${safe} fixable with --fix, ${unsafe} more with ${withUnsafe}`;
  if (safe > 0) return `${safe} fixable with --fix`;
  if (unsafe > 0) return `${unsafe} fixable with ${withUnsafe}`;
  return undefined;
}
