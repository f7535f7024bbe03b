import type { FileResult, Finding, Fix, ReportedFinding, TextEdit } from '../findings.js';
import { lintLoaded, type LintOptions } from '../lint.js';
import { loadWorkflow } from '../workflow/load.js';
import { applyEdits, overlaps, sortedEdits } from './edits.js';
import { findingsBefore, type EditPass } from './positions.js';

export interface FixOptions {
  lint: LintOptions;
  /** Also apply fixes marked unsafe (they need something outside the file, e.g. an IAM role). */
  unsafe: boolean;
  /** Only fix findings of these rules (all when undefined). */
  onlyRules?: Set<string>;
}

export interface FixOutcome {
  /** The file's text after fixing, BOM included when the original had one. */
  text: string;
  changed: boolean;
  /** Fixes applied, by rule id. */
  applied: Map<string, number>;
  /**
   * The findings that remain after fixing, at their positions in the fixed text. A fix that was
   * applied and offered again, or that would break the file, is no longer offered: --fix cannot apply it.
   */
  result: FileResult;
  /** The same findings at the positions of the original text, where the fixes wrote nothing. */
  resultBefore(): FileResult<ReportedFinding>;
  /** Why the fixes were thrown away, when they broke the workflow. */
  discarded?: string;
}

const MAX_PASSES = 10;

/** Why a fixed text is no longer a valid workflow (a parse or schema error the original did not have), if it is not. */
function breaks(loaded: ReturnType<typeof loadWorkflow>, baseline: Set<string>): string | undefined {
  const problem = loaded.diagnostics.find((d) => d.kind === 'refused' && !baseline.has(d.problem ?? d.message));
  if (problem) return `${problem.range.start.line}:${problem.range.start.column} ${problem.message}`;
  return loaded.workflow ? undefined : 'not a workflow';
}

/** Moves edits computed on `base` past the earlier, already applied fixes that turned it into `current`. */
function shift(edits: TextEdit[], base: string, current: string, applied: { fix: Fix }[]): TextEdit[] {
  if (base === current) return edits;
  const earlier = applied.flatMap((a) => a.fix.edits);
  return edits.map((e) => {
    const delta = earlier.filter((x) => x.end <= e.start).reduce((n, x) => n + x.text.length - (x.end - x.start), 0);
    return { start: e.start + delta, end: e.end + delta, text: e.text };
  });
}

function wanted(finding: Finding, options: FixOptions): finding is Finding & { fix: Fix } {
  if (!finding.fix || finding.fix.edits.length === 0) return false;
  if (finding.fix.kind === 'unsafe' && !options.unsafe) return false;
  return !options.onlyRules || options.onlyRules.has(finding.ruleId);
}

/**
 * Applies fixes pass by pass: in each pass every fix that does not overlap an earlier one, then the
 * file is parsed and linted again, since a fix moves what comes after it. Stops when nothing more
 * applies or after a bounded number of passes. A pass whose result no longer parses or gains
 * schema errors is redone fix by fix, and the fixes that break the file are left out and reported.
 */
export function fixText(path: string, rawText: string, options: FixOptions): FixOutcome {
  const bom = rawText.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const original = loadWorkflow(path, rawText);
  const baseline = new Set(original.diagnostics.map((d) => d.problem ?? d.message));
  let text = original.file.text;
  let result = lintLoaded(original, options.lint);
  const appliedByRule = new Map<string, number>();
  // A fix offered again after it was applied did not resolve its finding: never apply it twice.
  const seen = new Set<string>();
  const rejected: string[] = [];
  const passes: EditPass[] = [];
  const key = (f: Finding & { fix: Fix }) =>
    `${f.ruleId}\0${f.fix.description}\0${f.fix.edits.map((e) => e.text).join('\0')}`;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const chosen: (Finding & { fix: Fix })[] = [];
    const pending = result.findings.filter((f): f is Finding & { fix: Fix } => wanted(f, options) && !seen.has(key(f)));
    // Fixes marked `last` wait until they are all that is left.
    const candidates = pending.some((f) => !f.fix.last) ? pending.filter((f) => !f.fix.last) : pending;
    for (const finding of candidates) {
      if (chosen.some((c) => overlaps(c.fix.edits, finding.fix.edits))) continue;
      chosen.push(finding);
    }
    if (chosen.length === 0) break;
    for (const c of chosen) seen.add(key(c));
    const edits = sortedEdits(chosen.flatMap((c) => c.fix.edits));
    let next = applyEdits(text, edits);
    let reloaded = loadWorkflow(path, bom + next);
    let kept = chosen;
    let passEdits: EditPass[] = [edits];
    if (breaks(reloaded, baseline) !== undefined) {
      // One fix broke the file: keep the fixes that are valid on their own, one at a time.
      kept = [];
      passEdits = [];
      next = text;
      for (const c of chosen) {
        const shifted = sortedEdits(shift(c.fix.edits, text, next, kept));
        const attempt = applyEdits(next, shifted);
        const problem = breaks(loadWorkflow(path, bom + attempt), baseline);
        if (problem) {
          rejected.push(`${c.ruleId} at ${c.range.start.line}:${c.range.start.column}: ${problem}`);
          continue;
        }
        next = attempt;
        kept.push(c);
        passEdits.push(shifted);
      }
      if (kept.length === 0) break;
      reloaded = loadWorkflow(path, bom + next);
    }
    passes.push(...passEdits);
    text = next;
    for (const c of kept) appliedByRule.set(c.ruleId, (appliedByRule.get(c.ruleId) ?? 0) + 1);
    result = lintLoaded(reloaded, options.lint);
  }
  // What --fix tried and could not do is not offered again: "fixable with --fix" stays true.
  const remaining: FileResult<Finding> = {
    ...result,
    findings: result.findings.map(({ fix, ...finding }) =>
      fix && !seen.has(key({ ...finding, fix })) ? { ...finding, fix } : finding,
    ),
  };
  const fixed = bom + text;
  const notApplied = `${rejected.length} fix${rejected.length === 1 ? '' : 'es'} not applied`;
  const discarded =
    rejected.length > 0
      ? `${notApplied}, the file would no longer be a valid workflow (${rejected.join('; ')})`
      : undefined;
  return {
    text: fixed,
    changed: fixed !== rawText,
    applied: appliedByRule,
    result: remaining,
    resultBefore: () => ({ path: remaining.path, findings: findingsBefore(remaining.findings, passes, original.file) }),
    ...(discarded ? { discarded } : {}),
  };
}
