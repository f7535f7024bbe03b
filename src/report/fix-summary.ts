import type { FixSummary } from '../fixers/run.js';

/** The table printed after `--fix`: what was scanned, changed, applied, left and skipped. */
export function formatFixSummary(summary: FixSummary, dryRun: boolean): string {
  const scanned = `${summary.scanned} file${summary.scanned === 1 ? '' : 's'} scanned`;
  const changed = `${summary.changed.length} ${dryRun ? 'would change' : 'changed'}`;
  const lines = [`wf-lint ${dryRun ? '--fix-dry-run' : '--fix'}: ${scanned}, ${changed}`];
  const applied = [...summary.applied.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (applied.length > 0) {
    const width = Math.max(...applied.map(([rule]) => rule.length));
    lines.push(`  fixes ${dryRun ? 'to apply' : 'applied'}:`);
    for (const [rule, n] of applied) lines.push(`    ${rule.padEnd(width)}  ${n}`);
  }
  lines.push(`  findings left that need a human: ${summary.remaining}`);
  if (summary.skipped.length > 0) {
    lines.push(`  files skipped: ${summary.skipped.length}`);
    for (const s of summary.skipped) lines.push(`    ${s.path}: ${s.reason}`);
  }
  return lines.join('\n') + '\n';
}

/** A one-line progress bar for a terminal, redrawn in place. */
export function progressBar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`;
}
