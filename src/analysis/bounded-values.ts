import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { DynamicIndex, ExprRef, ExprSpan } from '../workflow/expressions.js';
import { ScalarValue, type Step } from '../workflow/model.js';
import { choiceInput, envEntry, triggersOf, type ExprScope } from './event-control.js';
import type { Facts } from './facts.js';
import { PRINTERS, PURE_FILTERS } from './shell/commands.js';
import type { Command, Script, Word } from './shell/script.js';

/**
 * Whether every value a computed name can take is a literal written in the workflow, so a reviewer
 * sees the whole set and no one but the author can steer it: a matrix written out (with its `include:`
 * entries), a literal `env:` value, a `workflow_dispatch` input of `type: choice` (GitHub refuses a
 * value outside its `options`), `format()` of such values, a ternary of literals, and a value an earlier
 * step writes to `$GITHUB_ENV` or `$GITHUB_OUTPUT` from such values (through `${X^^}` or `tr`).
 */
export function isBoundedIndex(index: DynamicIndex, scope: ExprScope, facts: Facts): boolean {
  return index.valueRefs.every((r) => boundedRef(r, scope, facts, 0));
}

/** Follows values this many hops (env to env, a script variable to a step output), like event-control. */
const MAX_HOPS = 4;

/** Bash expansions that keep a bounded value bounded: none, a case conversion, a length. */
const CASE_OPERATORS = new Set(['^^', '^', ',,', ',']);

function boundedRef(ref: ExprRef, scope: ExprScope, facts: Facts, hops: number): boolean {
  if (hops > MAX_HOPS) return false;
  const [first, second, third] = ref.path;
  switch (ref.context) {
    case 'inputs':
      return (
        typeof first === 'string' &&
        choiceInput(scope.workflow, first) &&
        !triggersOf(scope.workflow).has('workflow_call')
      );
    case 'github':
      return (
        first === 'event' && second === 'inputs' && typeof third === 'string' && choiceInput(scope.workflow, third)
      );
    case 'matrix':
      return typeof first === 'string' && boundedMatrix(scope, first, facts, hops);
    case 'env': {
      if (typeof first !== 'string') return false;
      const entry = envEntry(scope, first);
      if (entry) return entry.value !== undefined && boundedValue(entry.value, scope, facts, hops + 1);
      return boundedWrites(scope, 'env', undefined, first, facts, hops + 1);
    }
    case 'steps':
      return (
        typeof first === 'string' &&
        second === 'outputs' &&
        typeof third === 'string' &&
        boundedWrites(scope, 'output', first, third, facts, hops + 1)
      );
    default:
      return false;
  }
}

/** A value with `${{ }}`: its literal text, and each expression's value references bounded. */
function boundedValue(value: ScalarValue, scope: ExprScope, facts: Facts, hops: number): boolean {
  return value.expressions.every((e) => boundedSpan(e, scope, facts, hops));
}

function boundedSpan(span: ExprSpan, scope: ExprScope, facts: Facts, hops: number): boolean {
  return span.valueRefs.every((r) => boundedRef(r, scope, facts, hops + 1));
}

/** A matrix key written out (in the key's list and `include:` entries), not computed from an unbounded value. */
function boundedMatrix(scope: ExprScope, key: string, facts: Facts, hops: number): boolean {
  const strategy = scope.job?.strategy?.valueNode;
  const matrix = isMap(strategy) ? (strategy.get('matrix', true) as YamlNode | undefined) : undefined;
  if (!isMap(matrix)) return !matrix || computedBounded(matrix, scope, facts, hops);
  const direct = matrix.get(key, true);
  const include = matrix.get('include', true);
  const items = [
    ...(isSeq(direct) ? direct.items : direct ? [direct] : []),
    ...(isSeq(include) ? include.items.map((i) => (isMap(i) ? (i.get(key, true) as YamlNode | undefined) : i)) : []),
    ...(include && !isSeq(include) ? [include] : []),
  ];
  return items.every((i) => !i || computedBounded(i as YamlNode, scope, facts, hops));
}

/** A matrix node: written out, or a scalar whose expressions are bounded (`fromJSON(inputs.legs)` is not). */
function computedBounded(node: YamlNode, scope: ExprScope, facts: Facts, hops: number): boolean {
  if (!isScalar(node)) return true;
  return boundedValue(new ScalarValue(node, scope.workflow.file), scope, facts, hops + 1);
}

/**
 * What earlier steps of the job write to `$GITHUB_ENV` (`env`) or the step `stepId` writes to
 * `$GITHUB_OUTPUT` (`output`) under `name`: every such write found in a script wf-lint reads, and each
 * bounded. An action's output, or a write wf-lint cannot read, is not.
 */
function boundedWrites(
  scope: ExprScope,
  file: 'env' | 'output',
  stepId: string | undefined,
  name: string,
  facts: Facts,
  hops: number,
): boolean {
  const steps = scope.job?.steps ?? [];
  // A job's own values see every step's outputs, and no `$GITHUB_ENV` (it applies to later steps only).
  const before = scope.step ? steps.slice(0, steps.indexOf(scope.step)) : file === 'output' ? steps : [];
  const writers = file === 'env' ? before : before.filter((s) => s.id?.text === stepId);
  const writes = writers.flatMap((step) => {
    const script = facts.script(step);
    if (!script) return [];
    const found = facts.flow(step).envWrites.filter((w) => w.file === file && w.name === name);
    return found.map((w) => ({ step, script, write: w }));
  });
  return (
    writes.length > 0 &&
    writes.every(({ step, script, write }) => {
      const words = printedWords(write.command);
      const stepScope = { ...scope, step };
      return words !== undefined && words.every((w) => boundedWord(w, write.command, script, stepScope, facts, hops));
    })
  );
}

/**
 * The words a write to an environment file prints: `echo`/`printf`'s arguments (or theirs, piped into
 * `tee`), or a heredoc. Any other writer (`jq … >> "$GITHUB_OUTPUT"`) prints what it computes: undefined.
 */
function printedWords(command: Command): Word[] | undefined {
  if (command.stdin === 'heredoc' || command.stdin === 'herestring')
    return command.redirects.flatMap((r) => (r.op.startsWith('<<') && r.target ? [r.target] : []));
  if (PRINTERS.has(command.name)) return command.args;
  const from = command.pipeFrom;
  return command.name === 'tee' && from && PRINTERS.has(from.name) ? from.args : undefined;
}

/** A shell word: its expressions, its variables (to their last assignment or env) and its `$(echo … | tr …)`. */
function boundedWord(
  word: Word,
  command: Command,
  script: Script,
  scope: ExprScope & { step: Step },
  facts: Facts,
  hops: number,
): boolean {
  if (hops > MAX_HOPS) return false;
  const exprs = word.exprs.every((e) => boundedSpan(e, scope, facts, hops));
  const vars = word.vars.every((v) => {
    if (v.length) return true;
    if (v.indirect || v.member || (v.operator && !CASE_OPERATORS.has(v.operator))) return false;
    // Every assignment before the command, not only the last: branches of an `if` assign in turn.
    const assigned = script.assignments.filter((a) => a.name === v.name && a.start < command.start);
    if (assigned.length > 0)
      return assigned.every((a) => !a.value || boundedWord(a.value, command, script, scope, facts, hops + 1));
    const entry = envEntry(scope, v.name);
    if (entry) return entry.value !== undefined && boundedValue(entry.value, scope, facts, hops + 1);
    return boundedWrites(scope, 'env', undefined, v.name, facts, hops + 1);
  });
  // A pipeline's later commands are in the list too, and are checked from its first.
  const substitutions = word.substitutions
    .filter((c) => !c.pipeFrom)
    .every((c) => boundedPipeline(c, script, scope, facts, hops));
  return exprs && vars && substitutions;
}

/** `echo "$ENV" | tr '[:lower:]' '[:upper:]'`: a printer of bounded words, through pure filters only. */
function boundedPipeline(
  first: Command,
  script: Script,
  scope: ExprScope & { step: Step },
  facts: Facts,
  hops: number,
): boolean {
  const args = (c: Command) => c.args.every((a) => boundedWord(a, c, script, scope, facts, hops + 1));
  if (!PRINTERS.has(first.name) || !args(first)) return false;
  for (let c = first.pipeTo; c; c = c.pipeTo) if (!PURE_FILTERS.has(c.name) || !args(c)) return false;
  return true;
}
