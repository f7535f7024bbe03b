// Proves the missing-concurrency fix on a corpus, against the concurrency model of
// test/concurrency/simulator.ts:
//   node scripts/run-ts.mjs scripts/concurrency-pairs.ts DIR [--list]
// Every workflow under DIR with a missing-concurrency finding is fixed in memory, as
// `wf-lint --fix --unsafe-fixes --fix-rule missing-concurrency` would fix it (the fix is unsafe where runs
// deploy only their own push's changes; the files are not touched; called workflows are read from DIR).
// For the text before and after, it counts the pairs of job instances of one run that share a job-level
// group while neither needs the other (two jobs ready together, or two legs of a matrix), and a job-level
// group equal to the run's own workflow-level group; then it runs the simulator over overlapping runs of
// the fixed workflow: no job may be cancelled by its own run, no two runs may deploy the same target at
// once, no run for one target may cancel one for another, and no run of another event, ref or pull
// request may cancel a pending deploy it does not replace.
// It prints the counts before and after; the exit code is 1 when the fix adds a pair or leaves a violation.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CalledWorkflows } from '../src/analysis/called-workflows.js';
import { Facts } from '../src/analysis/facts.js';
import { parseConfig } from '../src/config/config.js';
import { fixText } from '../src/fixers/apply.js';
import { lintBytes, listWorkflowFolder, readCalledWorkflow, type LintOptions } from '../src/lint.js';
import { directiveMetas } from '../src/rules/directives.js';
import { rules } from '../src/rules/registry.js';
import { initShellParser } from '../src/shell-parser/parser.js';
import { loadWorkflow } from '../src/workflow/load.js';
import {
  checkConcurrency,
  runSpecs,
  sharedGroupPairs,
  deploysByFacts,
  simWorkflowOf,
  type SimWorkflow,
  type Violation,
} from '../test/concurrency/simulator.js';

const RULE = 'missing-concurrency';

export async function main(args: string[]): Promise<number> {
  const list = args.includes('--list');
  const [dir] = args.filter((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: concurrency-pairs.ts DIR [--list]');
    return 2;
  }
  await initShellParser();
  const config = parseConfig('', 'none', [...rules.map((r) => r.meta), ...directiveMetas]);
  const calledWorkflows = new CalledWorkflows(config.settings, readCalledWorkflow, listWorkflowFolder);
  const lint: LintOptions = { config, rules, calledWorkflows, onInternalError: () => undefined };
  const model = (path: string, text: string): SimWorkflow | undefined => {
    const loaded = loadWorkflow(path, text);
    if (!loaded.workflow) return undefined;
    const facts = new Facts(loaded.workflow, loaded.diagnostics, config.settings, calledWorkflows);
    return simWorkflowOf(loaded.workflow, deploysByFacts(facts));
  };

  const totals = { files: 0, flagged: 0, fixed: 0, findings: 0, before: 0, after: 0, added: 0 };
  const withPairs = { before: 0, after: 0 };
  const violations = {
    before: { cancel: 0, overlap: 0, cross: 0, lost: 0 },
    after: { cancel: 0, overlap: 0, cross: 0, lost: 0 },
  };
  const report: string[] = [];
  for (const file of workflowFiles(dir)) {
    totals.files++;
    const text = readFileSync(file, 'utf8');
    const findings = lintBytes(file, Buffer.from(text), lint).findings.filter((f) => f.ruleId === RULE);
    if (findings.length === 0) continue;
    totals.flagged++;
    totals.findings += findings.length;
    const fixed = fixText(file, text, { lint, unsafe: true, onlyRules: new Set([RULE]) });
    if (!fixed.changed) continue;
    totals.fixed++;
    const before = model(file, text);
    const after = model(file, fixed.text);
    if (!before || !after) continue;
    const pairsBefore = pairKeys(before);
    const pairsAfter = pairKeys(after);
    const added = [...pairsAfter].filter((p) => !pairsBefore.has(p));
    totals.before += pairsBefore.size;
    totals.after += pairsAfter.size;
    totals.added += added.length;
    if (pairsBefore.size > 0) withPairs.before++;
    if (pairsAfter.size > 0) withPairs.after++;
    const broken = { before: checkConcurrency(before), after: checkConcurrency(after) };
    for (const when of ['before', 'after'] as const) {
      violations[when].cancel += count(broken[when], 'same-run cancellation');
      violations[when].overlap += count(broken[when], 'overlapping deploy');
      violations[when].cross += count(broken[when], 'cross-target cancellation');
      violations[when].lost += count(broken[when], 'lost deploy');
    }
    const name = relative(dir, file);
    if (added.length > 0) report.push(`${name}: ${added.length} new pairs, e.g. ${added[0]}`);
    const kinds = ['same-run cancellation', 'overlapping deploy', 'cross-target cancellation', 'lost deploy'] as const;
    for (const kind of kinds) {
      const found = broken.after.filter((v) => v.kind === kind);
      if (found.length > 0) report.push(`${name}: ${found.length} × ${kind}, e.g. ${found[0].detail}`);
    }
    if (list) report.push(`${name}: fixed (${findings.length} findings, ${pairsAfter.size} pairs after)`);
  }

  console.log(`files: ${totals.files}; with a ${RULE} finding: ${totals.flagged} (${totals.findings} findings)`);
  console.log(`fixed: ${totals.fixed}`);
  console.log(`pairs sharing a job-level group, before the fix: ${totals.before} in ${withPairs.before} files`);
  console.log(`pairs sharing a job-level group, after the fix:  ${totals.after} in ${withPairs.after} files`);
  console.log(`new pairs made by the fix: ${totals.added}`);
  const { before, after } = violations;
  const simulated = (v: typeof before) =>
    `${v.cancel} same-run cancellations, ${v.overlap} overlapping deploys, ${v.cross} cross-target cancellations, ` +
    `${v.lost} pending deploys cancelled by another event's or pull request's run`;
  console.log(`simulated, before: ${simulated(before)}`);
  console.log(`simulated, after:  ${simulated(after)}`);
  for (const line of report) console.log(`  ${line}`);
  return totals.added > 0 || after.cancel > 0 || after.overlap > 0 || after.cross > 0 || after.lost > 0 ? 1 : 0;
}

/** Each pair once, whichever run spec shows it. */
function pairKeys(workflow: SimWorkflow): Set<string> {
  return new Set(
    runSpecs(workflow).flatMap((spec) => sharedGroupPairs(workflow, spec).map((p) => `${p.a} + ${p.b} in ${p.group}`)),
  );
}

function count(violations: Violation[], kind: Violation['kind']): number {
  return violations.filter((v) => v.kind === kind).length;
}

function workflowFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}
