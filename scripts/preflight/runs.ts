// What the preflight fix promises, checked on a workflow and its fixed text: the fixed workflow fails at
// wf-lint's preflight only in a run where the original would have run a step that needs that secret. A
// run is modelled by the truth of each `if:` (each distinct condition an independent atom: a test that
// holds over every combination holds over the ones that can happen), on the success path (every step
// before succeeds). The uses and what each needs come from the analysis of the ORIGINAL workflow; the
// checks from the steps the fix wrote. test/fixers/preflight-runs.test.ts runs it on the fix pairs,
// scripts/preflight-corpus.ts on a directory of workflows.
import { conditionText, isOwnPreflight, type SecretUse } from '../../src/analysis/preflight.js';
import type { Facts } from '../../src/analysis/facts.js';
import type { Step, Workflow } from '../../src/workflow/model.js';

export interface Violation {
  job: string;
  secret: string;
  /** A run, as the atoms that hold in it, where the fixed workflow fails and the original would not. */
  run: string[];
  why: string;
}

/** The disjuncts of a condition the fix wrote: `(a) || (b)` for secrets several steps use, else one. */
export function disjuncts(condition: string): string[] {
  const parts = condition.match(/^\((.*)\)(?: \|\| \((.*)\))+$/) ? splitOr(condition) : [condition];
  return parts.map((p) => p.trim());
}

function splitOr(condition: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < condition.length; i++) {
    const c = condition[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && condition.startsWith(' || ', i)) {
      parts.push(condition.slice(start, i));
      start = i + 4;
    }
  }
  parts.push(condition.slice(start));
  return parts.map((p) => p.trim().replace(/^\((.*)\)$/, '$1'));
}

/** Every assignment of truth values to `atoms` (at most 2^12; more atoms are checked one at a time). */
function* runs(atoms: string[]): Generator<Set<string>> {
  if (atoms.length > 12) {
    for (const atom of atoms) yield new Set([atom]);
    yield new Set();
    return;
  }
  for (let mask = 0; mask < 1 << atoms.length; mask++) yield new Set(atoms.filter((_, i) => mask & (1 << i)));
}

/** Whether a use runs in a run: no condition, or its condition holds there (it must be one a first step sees). */
const runsIn = (use: SecretUse, run: Set<string>) =>
  !use.condition || (use.condition.later === undefined && run.has(use.condition.text));

/** The violations of the promise in `fixed`, against the analysis of the original (`original`). */
export function preflightViolations(original: Facts, fixed: Workflow): Violation[] {
  const violations: Violation[] = [];
  for (const job of fixed.jobs) {
    const own = job.steps.filter(isOwnPreflight);
    if (own.length === 0) continue;
    const before = original.workflow.jobs.find((j) => j.id === job.id);
    const uses = before ? original.secretConsumption(before).uses.filter((u) => u.need === 'required') : [];
    const checks = own.flatMap((step) => checksOf(step));
    const atoms = [
      ...new Set([
        ...checks.flatMap((c) => c.when ?? []),
        ...uses.flatMap((u) => (u.condition && !u.condition.later ? [u.condition.text] : [])),
      ]),
    ];
    for (const check of checks) {
      const needing = uses.filter((u) => u.secret.toUpperCase() === check.secret);
      for (const run of runs(atoms)) {
        const fails = !check.when || check.when.some((a) => run.has(a));
        if (!fails || needing.some((u) => runsIn(u, run))) continue;
        const why = needing.length === 0 ? 'no step of the original needs it' : 'no step that needs it runs then';
        violations.push({ job: job.id, secret: check.secret, run: [...run], why });
        break;
      }
    }
  }
  return violations;
}

/** The secrets a step the fix wrote checks, each under the disjuncts of its `if:` (undefined: every run). */
function checksOf(step: Step): { secret: string; when?: string[] }[] {
  const when = step.if ? disjuncts(conditionText(step.if)) : undefined;
  return step.env.flatMap((e) =>
    (e.value?.expressions ?? []).flatMap((x) =>
      x.refs
        .filter((r) => r.context === 'secrets' && typeof r.path[0] === 'string')
        .map((r) => ({ secret: String(r.path[0]).toUpperCase(), when })),
    ),
  );
}
