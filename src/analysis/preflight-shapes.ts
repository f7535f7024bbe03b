import type { ExprRef } from '../workflow/expressions.js';
import { effectiveCommand, literalPattern } from './match.js';
import type { Command, Script, VarRef, Word } from './shell/script.js';

/**
 * How scripts test whether a value is empty, as people write it: the shapes a preflight check
 * takes (rules-docs/missing-preflight.md lists them), and the tests that only skip work.
 */
export interface ScriptTests {
  /** Variables whose emptiness the script tests (`X` of `[ -z "$X" ]`). */
  names: Set<string>;
  /** `${{ secrets.X }}` written inside a test. */
  refs: ExprRef[];
}

/** Unary test operators that ask whether a value is empty. */
const EMPTINESS_TESTS = new Set(['-z', '-n']);

/** PowerShell emptiness tests of `$env:X` (or `${env:X}`). */
const PWSH_TESTS = [
  /-not\s+\(?\s*\$\{?env:(\w+)/gi,
  /!\s*\(?\s*\$\{?env:(\w+)/gi,
  /\[string\]::IsNullOr(?:Empty|WhiteSpace)\(\s*\$\{?env:(\w+)\}?\s*\)/gi,
  /\$\{?env:(\w+)\}?\s+-(?:eq|ne)\s+(?:''|""|\$null)/gi,
  /(?:''|""|\$null)\s+-(?:eq|ne)\s+\$\{?env:(\w+)/gi,
  /Test-Path\s+(?:env:|Env:\\?)(\w+)/gi,
];

/** PowerShell statements that fail the step (GitHub runs pwsh with `$ErrorActionPreference = 'stop'`). */
const PWSH_FAILS = /\bthrow\b|\bexit\s+[1-9]|\bWrite-Error\b/i;

/** Bash comparisons with the empty string and bare tests: `[ "$X" = "" ]`, `[[ $X != '' ]]`, `[ "$X" ]`. */
const BASH_COMPARISONS = [
  /\$\{?(\w+)(?::-)?\}?"?\s*!?==?\s*(?:""|'')/g,
  /(?:""|'')\s*!?==?\s*"?\$\{?(\w+)/g,
  /\[\[?\s+"?\$\{?(\w+)\}?"?\s+\]\]?/g,
];

/** Tests that fail the step when a value is empty: the checks of a preflight. */
export function scriptChecks(script: Script): ScriptTests {
  const found: ScriptTests = { names: new Set(), refs: [] };
  // `${X:?}` fails the script wherever it is expanded; `${X?}` only when unset, and a missing secret is "".
  for (const m of script.value.text.matchAll(/\$\{(\w+):\?/g)) found.names.add(m[1]);
  for (const v of scriptWords(script).flatMap((w) => w.vars)) if (v.operator === ':?') found.names.add(v.name);
  if (script.kind === 'pwsh') {
    if (PWSH_FAILS.test(script.value.text)) addPwshTests(script, found);
  } else if (script.kind === 'bash') {
    // A test counts when the script fails after it, with no `exit 0` in between (which would skip instead).
    const failures = failingCommands(script);
    const skips = script.commands.filter((c) => isExit(c, /^0$/));
    const failsAfter = (at: number) =>
      failures.some((f) => f.start > at && !skips.some((k) => k.start > at && k.start < f.start));
    addBashTests(script, found, failsAfter);
  }
  return found;
}

/** Every emptiness test, whether it fails the step or only skips some work. */
export function scriptTests(script: Script): ScriptTests {
  const found: ScriptTests = { names: new Set(), refs: [] };
  for (const m of script.value.text.matchAll(/\$\{(\w+):[?+]/g)) found.names.add(m[1]);
  if (script.kind === 'pwsh') addPwshTests(script, found);
  else if (script.kind === 'bash') addBashTests(script, found);
  return found;
}

function addPwshTests(script: Script, found: ScriptTests): void {
  for (const pattern of PWSH_TESTS) for (const m of script.value.text.matchAll(pattern)) found.names.add(m[1]);
}

/**
 * `[ -z "$X" ]`, `[[ -n $X ]]`, `test -n "$X"` (as a condition or a command), comparisons with "",
 * loops over names with `${!name}`; and `${{ secrets.X }}` written inside such a test.
 */
function addBashTests(script: Script, found: ScriptTests, counts: (at: number) => boolean = () => true): void {
  const tested: VarRef[] = [];
  for (const condition of script.conditions) {
    const tests = condition.tests.filter((t) => EMPTINESS_TESTS.has(t.op));
    if (tests.length === 0 || !counts(condition.start)) continue;
    tested.push(...tests.flatMap((t) => t.vars));
    const [from, to] = [condition.range.start.offset, condition.range.end.offset];
    const inside = script.exprs.filter((e) => e.range.start.offset >= from && e.range.end.offset <= to);
    found.refs.push(...inside.flatMap((e) => e.refs));
  }
  for (const command of script.commands) {
    const { name, args } = effectiveCommand(command);
    if ((name !== 'test' && name !== '[' && name !== '[[') || !counts(command.start)) continue;
    args.forEach((a, i) => {
      if (!EMPTINESS_TESTS.has(a.text) || !args[i + 1]) return;
      tested.push(...args[i + 1].vars);
      found.refs.push(...args[i + 1].exprs.flatMap((e) => e.refs));
    });
  }
  for (const pattern of BASH_COMPARISONS)
    for (const m of script.value.text.matchAll(pattern)) if (counts(m.index)) found.names.add(m[1]);
  for (const v of tested) for (const name of v.indirect ? loopNames(script, v.name) : [v.name]) found.names.add(name);
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

/**
 * The commands that fail a bash script on purpose: `exit 1`, `return 1`, `false`, or `exit "$missing"`
 * for a variable the script sets to something other than 0 (`missing=1`, `((missing++))`, `errors+=(X)`).
 */
function failingCommands(script: Script): Command[] {
  return script.commands.filter((c) => {
    if (effectiveCommand(c).name === 'false') return true;
    if (isExit(c, /^[1-9]\d*$/)) return true;
    const variable = isExit(c, /^\$\{?#?(\w+)(?:\[[@*]\])?\}?$/);
    return typeof variable === 'string' && setsNonZero(script, variable);
  });
}

/** An `exit` or `return` whose argument matches: the variable's name when the pattern captures one. */
function isExit(command: Command, argument: RegExp): boolean | string {
  const { name, args } = effectiveCommand(command);
  if (name !== 'exit' && name !== 'return') return false;
  const m = argument.exec((args[0]?.text ?? '').replace(/^["']|["']$/g, ''));
  return m ? (m[1] ?? true) : false;
}

function setsNonZero(script: Script, variable: string): boolean {
  const v = literalPattern(variable);
  const assigned = new RegExp(`(?:^|[\\s;&|({])${v}=(?!["']?0?["']?(?:\\s|;|\\)|$))`, 'm');
  const counted = new RegExp(`\\(\\(\\s*(?:${v}\\s*(?:\\+\\+|\\+=|=)|\\+\\+\\s*${v})|\\b${v}\\+=`);
  return assigned.test(script.value.text) || counted.test(script.value.text);
}

/**
 * The names a `for NAME in …` loop gives `NAME`: literal words, or the elements of an array
 * written `ARR=(A B C)` and looped over as `"${ARR[@]}"`.
 */
export function loopNames(script: Script, variable: string): string[] {
  const source = `\\bfor\\s+${literalPattern(variable)}\\s+in\\s+([^;\\n]+?)\\s*(?:;|\\n)\\s*do\\b`;
  const loop = new RegExp(source).exec(script.value.text);
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
