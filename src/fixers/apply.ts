import type { FileResult, Finding, Fix } from '../findings.js';
import { lintLoaded, type LintOptions } from '../lint.js';
import { loadWorkflow } from '../workflow/load.js';
import { applyEdits, overlaps } from './edits.js';

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
  /** The findings that remain after fixing. */
  result: FileResult;
  /** Why the fixes were thrown away, when they broke the workflow. */
  discarded?: string;
}

const MAX_PASSES = 10;

function wanted(finding: Finding, options: FixOptions): finding is Finding & { fix: Fix } {
  if (!finding.fix || finding.fix.edits.length === 0) return false;
  if (finding.fix.kind === 'unsafe' && !options.unsafe) return false;
  return !options.onlyRules || options.onlyRules.has(finding.ruleId);
}

/**
 * Applies fixes pass by pass: in each pass every fix that does not overlap an earlier one, then the
 * file is parsed and linted again, since a fix moves what comes after it. Stops when nothing more
 * applies or after a bounded number of passes. If the result no longer parses or gains schema
 * errors, every fix is discarded and the original is kept.
 */
export function fixText(path: string, rawText: string, options: FixOptions): FixOutcome {
  const bom = rawText.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const original = loadWorkflow(path, rawText);
  const baseline = new Set(original.diagnostics.map((d) => d.message));
  let text = original.file.text;
  let result = lintLoaded(original, options.lint);
  const applied = new Map<string, number>();
  // A fix offered again after it was applied did not resolve its finding: never apply it twice.
  const seen = new Set<string>();
  const key = (f: Finding & { fix: Fix }) => `${f.ruleId}\0${f.fix.description}\0${f.fix.edits.map((e) => e.text).join('\0')}`;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const chosen: (Finding & { fix: Fix })[] = [];
    for (const finding of result.findings) {
      if (!wanted(finding, options) || seen.has(key(finding))) continue;
      if (chosen.some((c) => overlaps(c.fix.edits, finding.fix.edits))) continue;
      chosen.push(finding);
    }
    if (chosen.length === 0) break;
    for (const c of chosen) seen.add(key(c));
    text = applyEdits(text, chosen.flatMap((c) => c.fix.edits));
    for (const c of chosen) applied.set(c.ruleId, (applied.get(c.ruleId) ?? 0) + 1);
    const reloaded = loadWorkflow(path, bom + text);
    const broken = reloaded.diagnostics.find((d) => !baseline.has(d.message));
    if (broken || !reloaded.workflow) {
      const at = broken ? ` (${broken.range.start.line}:${broken.range.start.column}: ${broken.message})` : '';
      return { text: rawText, changed: false, applied: new Map(), result: lintLoaded(original, options.lint), discarded: `the fixed file would not be a valid workflow${at}` };
    }
    result = lintLoaded(reloaded, options.lint);
  }
  const fixed = bom + text;
  return { text: fixed, changed: fixed !== rawText, applied, result };
}
