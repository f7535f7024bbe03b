import { readFileSync } from 'node:fs';
import type { FileResult } from '../findings.js';
import { cannotRead, lintBytes } from '../lint.js';
import { decodeText } from '../workflow/load.js';
import { fixText, type FixOptions } from './apply.js';
import { writeAtomically } from './write.js';

export interface FixSummary {
  scanned: number;
  changed: string[];
  applied: Map<string, number>;
  skipped: { path: string; reason: string }[];
}

export interface FixRun {
  results: FileResult[];
  summary: FixSummary;
  /** Per changed file: the original and the fixed text, for diffs. */
  changes: { path: string; before: string; after: string }[];
}

type FixRunOptions = FixOptions & { dryRun: boolean; onProgress?: (done: number) => void };

/** A job calling a workflow of the same repository (`uses: ./.github/workflows/deploy.yml`). */
const CALLS_LOCAL_WORKFLOW = /^[ \t-]*uses:[ \t]*["']?\.\//m;

/**
 * Fixes each file (or only computes the fixes with `dryRun`), continuing past files that fail. A
 * caller is linted with what the workflows it calls hold: once a round has rewritten files, files
 * that call local workflows are fixed once more (a called workflow switched to OIDC needs
 * `id-token: write` from its caller), so that a second `--fix` has nothing left to do.
 */
export function fixFiles(files: { abs: string; path: string }[], options: FixRunOptions): FixRun {
  const run: FixRun = {
    results: [],
    changes: [],
    summary: { scanned: 0, changed: [], applied: new Map(), skipped: [] },
  };
  const results = new Map<string, FileResult>();
  const callers: { abs: string; path: string }[] = [];
  files.forEach((file, i) => {
    options.onProgress?.(i);
    const outcome = fixFile(file, options, run);
    if (!outcome) return;
    results.set(file.path, outcome.result);
    if (outcome.callsLocalWorkflow) callers.push(file);
  });
  if (!options.dryRun && run.summary.changed.length > 0) {
    for (const file of callers) {
      const outcome = fixFile(file, options, run);
      if (outcome) results.set(file.path, outcome.result);
    }
  }
  options.onProgress?.(files.length);
  run.results = [...results.values()];
  run.summary.scanned = results.size;
  return run;
}

/** Fixes one file, recording what changed in `run`; undefined when it cannot be read. */
function fixFile(
  { abs, path }: { abs: string; path: string },
  options: FixRunOptions,
  run: FixRun,
): { result: FileResult; callsLocalWorkflow: boolean } | undefined {
  const { summary } = run;
  let bytes: Buffer;
  try {
    bytes = readFileSync(abs);
  } catch (err) {
    summary.skipped.push({ path, reason: cannotRead(err) });
    return undefined;
  }
  // A file the linter does not read (too large, binary, not UTF-8) is reported as linting reports it.
  const decoded = decodeText(bytes);
  if (!('text' in decoded)) return { result: lintBytes(path, bytes, options.lint), callsLocalWorkflow: false };
  const { text } = decoded;
  const callsLocalWorkflow = CALLS_LOCAL_WORKFLOW.test(text);
  const outcome = fixText(path, text, options);
  if (outcome.discarded) summary.skipped.push({ path, reason: outcome.discarded });
  if (outcome.changed) {
    try {
      if (!options.dryRun) writeAtomically(abs, bytes, outcome.text);
    } catch (err) {
      summary.skipped.push({ path, reason: `could not be written: ${(err as Error).message}` });
      return { result: lintBytes(path, bytes, options.lint), callsLocalWorkflow: false };
    }
    if (!summary.changed.includes(path)) summary.changed.push(path);
    const earlier = run.changes.find((c) => c.path === path);
    if (earlier) earlier.after = outcome.text;
    else run.changes.push({ path, before: text, after: outcome.text });
    for (const [rule, n] of outcome.applied) summary.applied.set(rule, (summary.applied.get(rule) ?? 0) + n);
  }
  // A dry run changes nothing on disk, so its findings are reported where they are on disk.
  return { result: options.dryRun ? outcome.resultBefore() : outcome.result, callsLocalWorkflow };
}
