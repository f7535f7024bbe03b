import type { Range } from '../findings.js';
import type { ExprRef } from '../workflow/expressions.js';
import type { Entry, Job, ScalarValue, Step } from '../workflow/model.js';
import type { Facts } from './facts.js';
import { actionName, effectiveCommand, listedAction, literalPattern, settingsAction } from './match.js';
import type { Script, VarRef, Word } from './shell/script.js';

/** Where a job uses a secret for real work. */
export interface SecretUse {
  /** The secret's name as first written (`DEPLOY_TOKEN`). */
  secret: string;
  /**
   * The step that uses it; undefined for a secret mapped into the workflow's or job's `env:` that no
   * step names and no deploy step runs with (some action or tool may read it from the environment).
   */
  step?: Step;
  /** The `secrets.X` reference. */
  range: Range;
}

/** A step that fails the job when some secrets are empty. */
export interface PreflightCheck {
  step: Step;
  /** Upper-cased names of the secrets it checks. */
  secrets: Set<string>;
}

export interface SecretConsumption {
  uses: SecretUse[];
  checks: PreflightCheck[];
}

/** Secrets every job has: never missing, never worth a check. */
const ALWAYS_SET = new Set(['GITHUB_TOKEN']);

/** Unary test operators that ask whether a value is empty. */
const EMPTINESS_TESTS = new Set(['-z', '-n']);

/** PowerShell emptiness tests of `$env:X`. */
const PWSH_CHECKS = [
  /-not\s+\$env:(\w+)/gi,
  /!\s*\$env:(\w+)/gi,
  /\[string\]::IsNullOr(?:Empty|WhiteSpace)\(\s*\$env:(\w+)\s*\)/gi,
  /\$env:(\w+)\s+-eq\s+(?:''|""|\$null)/gi,
];

/** PowerShell statements that fail the step (GitHub runs pwsh with `$ErrorActionPreference = 'stop'`). */
const PWSH_FAILS = /\bthrow\b|\bexit\s+[1-9]|\bWrite-Error\b/i;

const secretKey = (name: string) => name.toUpperCase();

/**
 * The secrets a job consumes, where it uses them, and the steps that check them
 * (Facts.secretConsumption keeps the answer).
 */
export function secretConsumption(job: Job, facts: Facts): SecretConsumption {
  const preflightActions = facts.settings.preflight.actions.map(settingsAction);
  const deploySteps = new Set(facts.deployment(job)?.steps ?? []);
  const inherited = [...facts.workflow.env, ...job.env];
  const uses: SecretUse[] = [];
  const checks: PreflightCheck[] = [];
  const inheritedUsed = new Set<Entry>();

  for (const step of job.steps) {
    const env = envScope(inherited, step.env);
    const action = actionName(step);
    if (action && listedAction(preflightActions, action)) {
      const checked = [...step.with, ...step.env].flatMap((e) => secretRefs(e.value));
      checks.push({ step, secrets: new Set(checked.map((r) => secretKey(r.path[0] as string))) });
      continue;
    }
    const script = facts.script(step);
    const checked = script ? checkedSecrets(script, env) : new Set<string>();
    if (checked.size > 0) checks.push({ step, secrets: checked });
    const use = (ref: ExprRef) => {
      const secret = ref.path[0] as string;
      if (!checked.has(secretKey(secret))) uses.push({ secret, step, range: ref.range });
    };
    for (const entry of step.env) secretRefs(entry.value).forEach(use);
    for (const entry of step.with) secretRefs(entry.value).forEach(use);
    secretRefs(step.run).forEach(use);
    for (const entry of inherited) {
      if (env.get(entry.key) !== entry || !(deploySteps.has(step) || namesVariable(step, script, entry.key))) continue;
      inheritedUsed.add(entry);
      secretRefs(entry.value).forEach(use);
    }
  }
  for (const entry of inherited) {
    if (inheritedUsed.has(entry)) continue;
    for (const ref of secretRefs(entry.value)) uses.push({ secret: ref.path[0] as string, range: ref.range });
  }
  return { uses, checks };
}

/** The env entries a step sees: workflow, then job, then its own, later ones winning. */
function envScope(inherited: Entry[], own: Entry[]): Map<string, Entry> {
  return new Map([...inherited, ...own].map((e) => [e.key, e]));
}

/** Named `secrets.X` references in a value, without the secrets every job has. */
function secretRefs(value: ScalarValue | undefined): ExprRef[] {
  return (value?.expressions ?? []).flatMap((e) =>
    e.refs.filter(
      (r) => r.context === 'secrets' && typeof r.path[0] === 'string' && !ALWAYS_SET.has(secretKey(r.path[0])),
    ),
  );
}

/** Whether a step names an environment variable: `$NAME` in its script or `env.NAME` in an expression. */
function namesVariable(step: Step, script: Script | undefined, name: string): boolean {
  const inScript = script
    ? new RegExp(`\\$(?:\\{!?|env:)?${literalPattern(name)}\\b`, 'i').test(script.value.text)
    : false;
  const scalars = [step.run, ...step.with.map((e) => e.value), ...step.env.map((e) => e.value), step.if];
  return (
    inScript ||
    scalars.some((s) => s?.expressions.some((e) => e.refs.some((r) => r.context === 'env' && r.path[0] === name)))
  );
}

/**
 * Upper-cased names of the secrets a script checks for emptiness in a way that fails the step:
 * `: "${X:?}"` (fails by itself), or a `[ -z "$X" ]` / `[[ -n … ]]` / `test -z` test, a loop over
 * names with `${!name}`, or a PowerShell `if (-not $env:X)`, in a script that exits non-zero.
 */
function checkedSecrets(script: Script, env: Map<string, Entry>): Set<string> {
  const names = new Set<string>();
  const direct: ExprRef[] = [];
  const words = scriptWords(script);
  // `${X:?}` fails the script when X is empty; `${X?}` only when unset, and a missing secret is set to "".
  for (const v of words.flatMap((w) => w.vars)) if (v.operator === ':?') names.add(v.name);

  if (script.kind === 'pwsh') {
    if (PWSH_FAILS.test(script.value.text))
      for (const pattern of PWSH_CHECKS) for (const m of script.value.text.matchAll(pattern)) names.add(m[1]);
  } else if (failsSomewhere(script)) {
    const tested: VarRef[] = [];
    for (const condition of script.conditions) {
      if (!condition.tests.some((t) => EMPTINESS_TESTS.has(t.op))) continue;
      tested.push(...condition.tests.filter((t) => EMPTINESS_TESTS.has(t.op)).flatMap((t) => t.vars));
      const from = condition.range.start.offset;
      const to = condition.range.end.offset;
      direct.push(
        ...script.exprs.filter((e) => e.range.start.offset >= from && e.range.end.offset <= to).flatMap((e) => e.refs),
      );
    }
    for (const command of script.commands) {
      const { name, args } = effectiveCommand(command);
      if (name !== 'test' && name !== '[') continue;
      args.forEach((a, i) => {
        if (EMPTINESS_TESTS.has(a.text) && args[i + 1]) {
          tested.push(...args[i + 1].vars);
          direct.push(...args[i + 1].exprs.flatMap((e) => e.refs));
        }
      });
    }
    for (const v of tested) for (const name of v.indirect ? loopNames(script, v.name) : [v.name]) names.add(name);
  }

  const secrets = new Set<string>();
  for (const name of names)
    for (const ref of secretRefs(env.get(name)?.value)) secrets.add(secretKey(ref.path[0] as string));
  for (const ref of direct)
    if (ref.context === 'secrets' && typeof ref.path[0] === 'string') secrets.add(secretKey(ref.path[0]));
  return secrets;
}

/** Every word of a script: command names, arguments, assignment values, redirect targets. */
function scriptWords(script: Script): Word[] {
  const words: Word[] = [];
  for (const c of script.commands) {
    if (c.nameWord) words.push(c.nameWord);
    words.push(...c.args);
    for (const a of c.prefixAssignments) if (a.value) words.push(a.value);
    for (const r of c.redirects) if (r.target) words.push(r.target);
  }
  for (const a of script.assignments) if (a.value) words.push(a.value);
  return words;
}

/** A bash script that can fail on purpose: `exit 1`, `return 1` or `false`. */
function failsSomewhere(script: Script): boolean {
  return script.commands.some((c) => {
    const { name, args } = effectiveCommand(c);
    if (name === 'false') return true;
    return (name === 'exit' || name === 'return') && /^["']?[1-9]\d*["']?$/.test(args[0]?.text ?? '');
  });
}

/**
 * The names a `for NAME in …` loop gives `NAME`: literal words, or the elements of an array
 * written `ARR=(A B C)` and looped over as `"${ARR[@]}"`.
 */
function loopNames(script: Script, variable: string): string[] {
  const loop = new RegExp(`\\bfor\\s+${variable}\\s+in\\s+([^;\\n]+?)\\s*(?:;|\\n)\\s*do\\b`).exec(script.value.text);
  if (!loop) return [];
  return loop[1].split(/\s+/).flatMap((word) => {
    const bare = word.replace(/^["']|["']$/g, '');
    const array = /^\$\{(\w+)\[[@*]\]\}$/.exec(bare);
    if (!array) return /^[A-Za-z_]\w*$/.test(bare) ? [bare] : [];
    const assignment = script.assignments.find((a) => a.name === array[1]);
    return (assignment?.value?.text.replace(/^\(|\)$/g, '').split(/\s+/) ?? [])
      .map((w) => w.replace(/^["']|["']$/g, ''))
      .filter((w) => /^[A-Za-z_]\w*$/.test(w));
  });
}
