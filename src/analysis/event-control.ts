import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { ExprRef } from '../workflow/expressions.js';
import { ScalarValue, type Entry, type Job, type Step, type Workflow } from '../workflow/model.js';
import type { Command, Script, Word } from './shell/script.js';

/**
 * Who chooses a value the workflow reads: the event that triggers it (a dispatch payload, a
 * workflow_dispatch input, a pull request's title), or the workflow's author (a matrix written out, a
 * literal env value). Rules ask it about a secret's index and a secret's destination.
 */
export interface Controller {
  /** The value as written: `github.event.client_payload.secret_name`, `matrix.pat`. */
  source: string;
  /** The trigger whose event sets the value; undefined when the workflow's author (or the run) does. */
  trigger?: string;
  /** Who picks it: "anyone whose token can send the repository a `repository_dispatch`". */
  who: string;
  /** The env or matrix value it reaches the reference through: `env.WHICH`. */
  through?: string;
}

/** Who can fire each trigger, for messages that name them. */
const TRIGGER_SENDERS: Record<string, string> = {
  repository_dispatch:
    'anyone whose token can send the repository a `repository_dispatch` (any token with write access to it)',
  workflow_dispatch: 'anyone with write access to the repository',
  workflow_call: 'every workflow that calls this one, each with its own inputs',
  push: 'anyone who can push to the repository',
  pull_request: 'anyone who can open a pull request',
  pull_request_target: 'anyone who can open a pull request, forks included',
  issue_comment: 'anyone who can comment on an issue or pull request',
  issues: 'anyone who can open an issue',
  schedule: 'the schedule (no one chooses its values)',
  release: 'anyone who can publish a release',
  workflow_run: 'whoever triggers the workflow it follows',
};

/** Event payload values and the trigger that carries them (the first pattern that matches wins). */
const EVENT_VALUES: { path: RegExp; triggers: string[] }[] = [
  { path: /^github\.event\.client_payload(\.|$)/, triggers: ['repository_dispatch'] },
  { path: /^github\.event\.inputs(\.|$)/, triggers: ['workflow_dispatch'] },
  { path: /^github\.event\.(issue|comment|review|discussion)\.(title|body)$/, triggers: ['issue_comment', 'issues'] },
  {
    path: /^github\.(head_ref|event\.pull_request\.(title|body|head\.(ref|label)))$/,
    triggers: ['pull_request_target', 'pull_request'],
  },
];

/**
 * A `workflow_dispatch` input of `type: choice`: GitHub refuses a value outside its `options`, from the
 * API too, so the workflow author chooses the values a dispatch gives (a call's input has no such type).
 */
export function choiceInput(workflow: Workflow, name: string): boolean {
  const on = workflow.entries.find((e) => e.key === 'on')?.valueNode;
  const dispatch = isMap(on) ? (on.get('workflow_dispatch', true) as YamlNode | undefined) : undefined;
  const inputs = isMap(dispatch) ? (dispatch.get('inputs', true) as YamlNode | undefined) : undefined;
  const input = isMap(inputs) ? (inputs.get(name, true) as YamlNode | undefined) : undefined;
  const type = isMap(input) ? input.get('type', true) : undefined;
  return isScalar(type) && String(type.value) === 'choice';
}

/** The triggers of a workflow, as written under `on:`. */
export function triggersOf(workflow: Workflow): Set<string> {
  return new Set(workflow.triggers.map((t) => t.event));
}

/** Where an expression is evaluated: the workflow, and the job and step when there is one. */
export interface ExprScope {
  workflow: Workflow;
  job?: Job;
  step?: Step;
}

/** Follows env and matrix values this many hops, enough for `env.A: ${{ env.B }}` and a matrix from inputs. */
const MAX_HOPS = 4;

/** Who chooses the value of a reference: the event's senders, or the workflow's author. */
export function controllersOf(ref: ExprRef, scope: ExprScope, hops = 0): Controller[] {
  const name = [ref.context, ...ref.path.map((p) => p ?? '*')].join('.');
  const author = (what: string): Controller[] => [{ source: name, who: what }];
  if (hops > MAX_HOPS) return author('a value wf-lint does not follow further');
  const key = typeof ref.path[0] === 'string' ? ref.path[0] : undefined;
  const triggers = triggersOf(scope.workflow);
  switch (ref.context) {
    case 'github': {
      const input = ref.path[0] === 'event' && ref.path[1] === 'inputs' ? ref.path[2] : undefined;
      if (typeof input === 'string' && choiceInput(scope.workflow, input))
        return author("the workflow author (the input's `options`)");
      const event = EVENT_VALUES.find((v) => v.path.test(name));
      if (!event) return author('the run (its `github` context)');
      const trigger = event.triggers.find((t) => triggers.has(t)) ?? event.triggers[0];
      return [{ source: name, trigger, who: TRIGGER_SENDERS[trigger] }];
    }
    case 'inputs': {
      const choice = key !== undefined && choiceInput(scope.workflow, key);
      const from = ['workflow_dispatch', 'workflow_call'].filter(
        (t) => triggers.has(t) && !(choice && t === 'workflow_dispatch'),
      );
      if (from.length === 0) return author(choice ? "the workflow author (the input's `options`)" : 'the caller');
      return from.map((trigger) => ({ source: name, trigger, who: TRIGGER_SENDERS[trigger] }));
    }
    case 'matrix':
      if (!key || !scope.job) return author('the workflow author (its matrix)');
      return matrixControllers(scope, key, hops).map((c) => (c.source === name ? c : { through: name, ...c }));
    case 'env': {
      const entry = key ? envEntry(scope, key) : undefined;
      if (!entry?.value) return author('the job (set at run time)');
      return valueControllers(entry.value, scope, hops + 1, name).map((c) => ({ through: name, ...c }));
    }
    case 'steps':
      return author(`step '${key ?? '?'}' (its output, computed at run time)`);
    case 'needs':
      return author(`job '${key ?? '?'}' (its output, computed at run time)`);
    case 'vars':
      return author('a configuration variable (set by the repository or organisation admins)');
    default:
      return author(`the \`${ref.context}\` context`);
  }
}

/** Whether an event (rather than the workflow's author) chooses one of the values. */
export function byEvent(controllers: Controller[]): Controller | undefined {
  return controllers.find((c) => c.trigger !== undefined);
}

/** The controllers of every reference in a value; a value with no reference is the author's literal. */
function valueControllers(value: ScalarValue, scope: ExprScope, hops: number, name: string): Controller[] {
  const refs = value.expressions.flatMap((e) => e.refs);
  if (refs.length === 0) return [{ source: name, who: 'the workflow author (a literal value)' }];
  return refs.flatMap((r) => controllersOf(r, scope, hops + 1));
}

/** The innermost env entry a step sees for a name: its own, its job's, then the workflow's. */
export function envEntry(scope: ExprScope, name: string): Entry | undefined {
  const lists = [scope.step?.env, scope.job?.env, scope.workflow.env];
  for (const list of lists) {
    const entry = list?.findLast((e) => e.key === name);
    if (entry) return entry;
  }
  return undefined;
}

/**
 * A matrix key's values: written out, the workflow author's; computed (`matrix: ${{ fromJSON(inputs.legs) }}`,
 * a key or an include entry set from an expression), whoever chooses that expression's values.
 */
function matrixControllers(scope: ExprScope, key: string, hops: number): Controller[] {
  const { job, workflow } = scope;
  const source = `matrix.${key}`;
  const strategy = job?.strategy?.valueNode;
  const matrix = isMap(strategy) ? (strategy.get('matrix', true) as YamlNode | undefined) : undefined;
  const computed: YamlNode[] = [];
  if (isScalar(matrix)) computed.push(matrix);
  else if (isMap(matrix)) {
    const direct = matrix.get(key, true);
    const include = matrix.get('include', true);
    const items = [
      ...(isSeq(direct) ? direct.items : direct ? [direct] : []),
      ...(isScalar(include) ? [include] : []),
      ...(isSeq(include) ? include.items.map((i) => (isMap(i) ? i.get(key, true) : i)) : []),
    ];
    computed.push(...items.filter((i): i is YamlNode => isScalar(i) && String(i.value).includes('${{')));
  }
  const controllers = computed.flatMap((node) =>
    isScalar(node) ? valueControllers(new ScalarValue(node, workflow.file), scope, hops, source) : [],
  );
  return controllers.length > 0 ? controllers : [{ source, who: 'the workflow author (its matrix)' }];
}

/**
 * Who chooses the value of a shell word: its own `${{ }}` expressions, and its variables, followed to the
 * script's last assignment before `command` or else to the step's env.
 */
export function wordControllers(
  word: Word,
  command: Command,
  script: Script,
  scope: ExprScope,
  hops = 0,
): Controller[] {
  const fromExprs = word.exprs.flatMap((e) => e.refs.flatMap((r) => controllersOf(r, scope, hops)));
  const fromVars = word.vars.flatMap((v) => {
    const assigned = script.assignments.findLast((a) => a.name === v.name && a.start < command.start);
    if (assigned?.value && hops < MAX_HOPS) return wordControllers(assigned.value, command, script, scope, hops + 1);
    const entry = envEntry(scope, v.name);
    return entry?.value ? valueControllers(entry.value, scope, hops, `$${v.name}`) : [];
  });
  return [...fromExprs, ...fromVars];
}

/**
 * The `${{ }}` references a shell word's value comes from, through the script's assignments and the
 * step's env: `$SECRET_VALUE` set in `env:` from `secrets[github.event.client_payload.name]`.
 */
export function wordSources(word: Word, command: Command, script: Script, scope: ExprScope, hops = 0): ExprRef[] {
  const own = [...word.exprs, ...word.substitutions.flatMap((c) => c.args.flatMap((a) => a.exprs))].flatMap(
    (e) => e.refs,
  );
  const fromVars = word.vars.flatMap((v) => {
    const assigned = script.assignments.findLast((a) => a.name === v.name && a.start < command.start);
    if (assigned?.value && hops < MAX_HOPS) return wordSources(assigned.value, command, script, scope, hops + 1);
    return (envEntry(scope, v.name)?.value?.expressions ?? []).flatMap((e) => e.refs);
  });
  return [...own, ...fromVars];
}

/** How a message names the chooser: "`github.event.inputs.x`, which the `workflow_dispatch` event sets: …". */
export function describeController(c: Controller): string {
  const through = c.through && c.through !== c.source ? ` (through \`${c.through}\`)` : '';
  return c.trigger
    ? `\`${c.source}\`${through}, which the \`${c.trigger}\` event sets: ${c.who}`
    : `\`${c.source}\`${through}, chosen by ${c.who}`;
}

/** A value of the workflow that may hold expressions, with where it is evaluated. */
export interface ScopedValue {
  value: ScalarValue;
  scope: ExprScope;
}

/** Every value of a workflow that may hold `${{ }}`: env, job and step settings, inputs, scripts. */
export function* everyValue(workflow: Workflow): Generator<ScopedValue> {
  const entries = (list: Entry[]) => list.flatMap((e) => (e.value ? [e.value] : []));
  const scalars = (...values: (ScalarValue | undefined)[]) => values.filter((v) => v !== undefined);
  for (const value of entries(workflow.env)) yield { value, scope: { workflow } };
  for (const job of workflow.jobs) {
    const jobValues = [
      ...entries(job.env),
      ...entries(job.with),
      ...entries(job.secrets),
      ...entries(job.outputs),
      ...scalars(job.if, job.name, job.runsOn?.value, job.environment?.name, job.environment?.url),
      ...scalars(job.concurrency?.group),
    ];
    for (const value of jobValues) yield { value, scope: { workflow, job } };
    for (const step of job.steps) {
      const stepValues = [
        ...entries(step.env),
        ...entries(step.with),
        ...scalars(step.run, step.if, step.name, step.workingDirectory),
      ];
      for (const value of stepValues) yield { value, scope: { workflow, job, step } };
    }
  }
}

/** Who chooses the value of an environment variable the step sees (`GH_REPO`). */
export function envControllers(scope: ExprScope, name: string): Controller[] {
  const entry = envEntry(scope, name);
  return entry?.value ? valueControllers(entry.value, scope, 0, `$${name}`) : [];
}

/** "`push` (anyone who can push to the repository)": each trigger of a workflow with who can fire it. */
export function describeTriggers(workflow: Workflow): string {
  return workflow.triggers
    .map((t) => `\`${t.event}\`${TRIGGER_SENDERS[t.event] ? ` (${TRIGGER_SENDERS[t.event]})` : ''}`)
    .join(', ');
}
