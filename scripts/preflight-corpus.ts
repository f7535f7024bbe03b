// Fixes every workflow of a directory that has a missing-preflight fix (that rule's fixes only, as
// `--fix --fix-rule missing-preflight`) and checks what the fix promises (scripts/preflight/runs.ts): no run
// fails at the new preflight that the original would not have failed for lack of that secret. Also
// checks that a second fix changes nothing. Prints the counts and each violation; exits 1 on any.
//   npm run build && node scripts/run-ts.mjs scripts/preflight-corpus.ts DIR
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isOwnPreflight } from '../src/analysis/preflight.js';
import { Facts } from '../src/analysis/facts.js';
import { CalledWorkflows } from '../src/analysis/called-workflows.js';
import { parseConfig } from '../src/config/config.js';
import { fixText } from '../src/fixers/apply.js';
import { listWorkflowFolder, readCalledWorkflow, type LintOptions } from '../src/lint.js';
import { rules } from '../src/rules/registry.js';
import { initShellParser } from '../src/shell-parser/parser.js';
import { prefetchShellWasm } from '../src/shell-parser/wasm.js';
import { loadWorkflow } from '../src/workflow/load.js';
import { preflightViolations } from './preflight/runs.js';

function* workflows(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* workflows(path);
    else if (/\.ya?ml$/.test(name)) yield path;
  }
}

export async function main([dir]: string[]): Promise<number> {
  if (!dir) {
    console.error('usage: node scripts/run-ts.mjs scripts/preflight-corpus.ts DIR');
    return 2;
  }
  // The bundle runs from a temporary directory: take the shell parser's WASM from dist/ (npm run build).
  prefetchShellWasm(resolve('dist'));
  await initShellParser();
  const config = parseConfig(
    '',
    'preflight-corpus',
    rules.map((r) => r.meta),
  );
  const lint: LintOptions = {
    config,
    rules,
    calledWorkflows: new CalledWorkflows(config.settings, readCalledWorkflow, listWorkflowFolder),
    onInternalError: (id, path, error) => console.error(`internal error in ${id} on ${path}: ${String(error)}`),
  };
  const only = { lint, unsafe: false, onlyRules: new Set(['missing-preflight']) };
  const counts = { files: 0, fixed: 0, jobs: 0, steps: 0, conditional: 0, violations: 0, unstable: 0, discarded: 0 };
  for (const path of workflows(dir)) {
    counts.files++;
    const text = readFileSync(path, 'utf8');
    const out = fixText(path, text, only);
    if (out.discarded) counts.discarded++;
    if (!out.changed) continue;
    counts.fixed++;
    const before = loadWorkflow(path, text);
    const after = loadWorkflow(path, out.text);
    if (!before.workflow || !after.workflow) continue;
    const own = after.workflow.jobs.map((j) => j.steps.filter(isOwnPreflight));
    counts.jobs += own.filter((steps) => steps.length > 0).length;
    counts.steps += own.flat().length;
    counts.conditional += own.flat().filter((s) => s.if).length;
    for (const v of preflightViolations(new Facts(before.workflow, before.diagnostics), after.workflow)) {
      counts.violations++;
      console.log(`${path}: job '${v.job}' checks secrets.${v.secret} in run [${v.run.join(' && ')}]: ${v.why}`);
    }
    if (fixText(path, out.text, only).changed) {
      counts.unstable++;
      console.log(`${path}: a second fix changes the file`);
    }
  }
  console.log(
    `${counts.files} files, ${counts.fixed} fixed: preflights in ${counts.jobs} jobs, ${counts.steps} steps ` +
      `(${counts.conditional} under an if:); ${counts.violations} runs failed that the original would not fail; ` +
      `${counts.unstable} files a second fix changes; ${counts.discarded} files with a fix left out`,
  );
  return counts.violations + counts.unstable > 0 ? 1 : 0;
}
