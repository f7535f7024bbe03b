// The third promise of `--fix`, checked on a corpus the CLI has fixed: every line outside the edited
// regions is unchanged. fix-corpus.sh bundles this file and runs it as
//   node fix-corpus-lines.mjs ORIGINAL_DIR FIXED_DIR FILE...   (FILE: paths relative to both dirs)
// For each file it fixes the original again in process, the way `--fix --unsafe-fixes` does, and records
// the text after every pass. A file passes when in every pass each line of the text before it that the
// line diff to the text after it removes or changes overlaps the range of an edit of a fix offered in
// that pass (the lint of that text: every rule, unsafe fixes included). Inserted lines move nothing and
// need no edit. A removed run that could sit on identical neighbouring lines (a diff's arbitrary choice)
// counts at any of them. The written file must be the text after the last pass; when it is not, the
// step from that text to the written one is checked as one more pass, linted beside the fixed files:
// the CLI may have seen a called workflow it fixed earlier in the run (a caller then needs
// `id-token: write`), where this run reads the original callee.
// Together: a line of the original outside every edited region reaches the written file unchanged.
// The edits of fixes offered but left for a later pass count as edited regions too: that is the slack.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { initShellParser } from '../src/shell-parser/parser.js';
import { CalledWorkflows } from '../src/analysis/called-workflows.js';
import { loadConfig } from '../src/config/config.js';
import type { TextEdit } from '../src/findings.js';
import { fixText } from '../src/fixers/apply.js';
import { lintLoaded, listWorkflowFolder, readCalledWorkflow, type LintOptions } from '../src/lint.js';
import { directiveMetas } from '../src/rules/directives.js';
import { rules } from '../src/rules/registry.js';
import type { Rule } from '../src/rules/rule.js';
import { loadWorkflow } from '../src/workflow/load.js';

const [originalDir, fixedDir, ...files] = process.argv.slice(2);
await initShellParser();
const config = loadConfig({ cwd: process.cwd(), knownRules: [...rules.map((r) => r.meta), ...directiveMetas] });
const lint: LintOptions = {
  config,
  rules,
  calledWorkflows: new CalledWorkflows(config.settings, readCalledWorkflow, listWorkflowFolder),
  onInternalError: (id, path, error) => console.error(`internal error in ${id} on ${path}: ${String(error)}`),
};

let passes = 0;
let linesChecked = 0;
const crossFile: string[] = [];
const violations: string[] = [];
for (const file of files) {
  const original = readFileSync(join(originalDir, file), 'utf8');
  const bom = original.startsWith('\ufeff') ? '\ufeff' : '';
  const written = readFileSync(join(fixedDir, file), 'utf8').slice(bom.length);
  // The original's path: a call of a local reusable workflow reads the original callee beside it.
  const texts = passTexts(join(originalDir, file), original);
  const steps = texts.slice(1).map((after, k) => ({ before: texts[k], after, path: join(originalDir, file) }));
  if (texts.at(-1) !== written) {
    crossFile.push(file);
    steps.push({ before: texts.at(-1)!, after: written, path: join(fixedDir, file) });
  }
  steps.forEach(({ before, after, path }, k) => {
    passes++;
    const edits = offeredEdits(path, bom + before);
    for (const run of removedRuns(before, after)) {
      linesChecked += run.lines.length;
      if (!slides(run, before).some((at) => run.lines.every((_, i) => covered(lineSpan(before, at + i), edits)))) {
        const line = `line ${run.first + 1} (${JSON.stringify(run.lines[0].trimEnd())})`;
        violations.push(`${file}: pass ${k + 1} changes ${line} outside every edit`);
      }
    }
  });
}
const checked = `${files.length} changed files, ${passes} passes, ${linesChecked} removed or changed lines`;
console.log(`line check: ${checked}, ${violations.length} violations`);
if (crossFile.length > 0) {
  const notLastPass =
    "written text is not this run's last pass " +
    '(checked as one more pass; expected only for callers of a workflow fixed in the same run)';
  console.log(`  ${notLastPass}: ${crossFile.join(', ')}`);
}
for (const v of violations) console.log(`  ${v}`);
process.exitCode = violations.length > 0 ? 1 : 0;

/** The text before the first pass and after each pass of `--fix --unsafe-fixes`, each linted once. */
function passTexts(path: string, text: string): string[] {
  const texts: string[] = [];
  // A rule that runs on every lint of the fix run and only notes the text it sees.
  const recorder: Rule = {
    meta: {
      id: 'pass-recorder',
      summary: '',
      description: '',
      level: 'note',
      securitySeverity: 0.1,
      precision: 'high',
      tags: [],
      fixable: [],
    },
    check: ({ workflow }) => void texts.push(workflow.file.text),
  };
  fixText(path, text, { lint: { ...lint, rules: [...rules, recorder] }, unsafe: true });
  return texts;
}

function offeredEdits(path: string, text: string): TextEdit[] {
  return lintLoaded(loadWorkflow(path, text), lint).findings.flatMap((f) => f.fix?.edits ?? []);
}

/** Runs of consecutive lines of `before` that the line diff to `after` removes (or changes). */
function removedRuns(before: string, after: string): { first: number; lines: string[] }[] {
  const runs: { first: number; lines: string[] }[] = [];
  let line = 0;
  for (const change of diffLines(before, after)) {
    const lines = change.value.split(/(?<=\n)/);
    if (change.removed) runs.push({ first: line, lines });
    if (!change.added) line += lines.length;
  }
  return runs;
}

/** Where a removed run could equally sit: shifted over identical lines above or below it. */
function slides(run: { first: number; lines: string[] }, text: string): number[] {
  const all = text.split(/(?<=\n)/);
  const n = run.lines.length;
  const at = [run.first];
  for (let s = run.first; s > 0 && all[s - 1] === all[s - 1 + n]; s--) at.push(s - 1);
  for (let s = run.first; s + n < all.length && all[s] === all[s + n]; s++) at.push(s + 1);
  return at;
}

/** [start, end) offsets of a 0-based line, its line break included. */
function lineSpan(text: string, line: number): [number, number] {
  let start = 0;
  for (let i = 0; i < line; i++) start = text.indexOf('\n', start) + 1;
  const next = text.indexOf('\n', start);
  return [start, next < 0 ? text.length : next + 1];
}

/** True when an edit replaces part of the line, or inserts inside it. */
function covered([start, end]: [number, number], edits: TextEdit[]): boolean {
  return edits.some((e) => e.start < end && Math.max(e.end, e.start + 1) > start);
}
