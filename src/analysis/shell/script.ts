import type { Range } from '../../findings.js';
import type { ExprSpan } from '../../workflow/expressions.js';
import type { ScalarValue, Step } from '../../workflow/model.js';
import { walkBash } from './bash.js';
import { parseBash } from '../../shell-parser/parser.js';
import { walkPowerShell } from './pwsh.js';

/** A variable read inside a word: `$X`, `${X}`, `${X:-d}`, `$env:X` (PowerShell). */
export interface VarRef {
  name: string;
  /** Index in the script. */
  start: number;
  range: Range;
  /** `${X:?msg}` and friends: the parameter-expansion operator, if any. */
  operator?: string;
  /** `${!name}`: indirect expansion (the value of the variable whose name is in `name`). */
  indirect?: boolean;
  /** `${#name}`: the length of the value, not the value. */
  length?: boolean;
  /** PowerShell `$env:X` (an environment variable) rather than `$X` (a script variable). */
  env?: boolean;
  /** PowerShell `$info.clientId`: the property read from the variable's value. */
  member?: string;
}

/** A shell word (an argument, a command name, an assignment value) with what it expands. */
export interface Word {
  /** The word's source text in the script (expressions shown as written). */
  text: string;
  /** Index range in the script (the `run:` value). */
  start: number;
  end: number;
  range: Range;
  vars: VarRef[];
  /** `${{ … }}` expressions that fall inside the word. */
  exprs: ExprSpan[];
  /** Commands inside `$( … )` or backticks within the word. */
  substitutions: Command[];
  /** Commands inside `<( … )` / `>( … )`: the word expands to a path (/dev/fd/N) they read or write. */
  fileSubstitutions?: Command[];
}

export interface Redirect {
  /** `>`, `>>`, `<`, `&>`, `2>`, `<<` (heredoc), `<<<` (here-string), ... */
  op: string;
  target?: Word;
}

export interface Command {
  /** The command name as written (`aws`, `./deploy.sh`, `docker`); empty for a bare assignment. */
  name: string;
  nameWord?: Word;
  args: Word[];
  /** `X=1 cmd`: assignments that only set the command's environment. */
  prefixAssignments: Assignment[];
  redirects: Redirect[];
  /** Where stdin comes from when not the runner's (null) stdin. */
  stdin?: 'pipe' | 'heredoc' | 'herestring' | 'file';
  /** The text of a heredoc or here-string fed to stdin. */
  stdinText?: string;
  /** The next command in a pipeline, which reads this one's stdout. */
  pipeTo?: Command;
  /** The command before this one in a pipeline (the first, when several write to it). */
  pipeFrom?: Command;
  /** Inside `$( … )`: its stdout becomes a value rather than output. */
  inSubstitution: boolean;
  /** Inside a backquoted substitution, where the shell reads backslashes before running the command. */
  backquoted?: boolean;
  /**
   * Start of the outermost group (`{ …; } >> file`, a loop, a subshell) whose redirect takes this
   * command's output: a line inserted before the command would be written to that file too.
   */
  groupStart?: number;
  start: number;
  end: number;
  range: Range;
}

/** `X=value`, `export X=value`, `local X=…`, PowerShell `$X = …`. */
export interface Assignment {
  name: string;
  value?: Word;
  /** export / declare -x: the variable becomes an environment variable of later commands. */
  exported: boolean;
  /** PowerShell `$a.b = v` or `$a += v`: the value is added to the variable's, not replacing it. */
  merge?: boolean;
  start: number;
  range: Range;
}

/** A `[ … ]`, `[[ … ]]` or `test …` condition, as preflight checks are written. */
export interface Condition {
  /** Unary operators used (`-z`, `-n`) with the variables they test. */
  tests: { op: string; vars: VarRef[] }[];
  start: number;
  range: Range;
}

export type ShellKind = 'bash' | 'pwsh' | 'unsupported';

export interface Script {
  kind: ShellKind;
  /** The shell as configured (`bash`, `pwsh`, `python`, `cmd`, or undefined for the runner's default). */
  shell?: string;
  value: ScalarValue;
  /** In source order. */
  commands: Command[];
  assignments: Assignment[];
  conditions: Condition[];
  /** Every `${{ … }}` in the script. */
  exprs: ExprSpan[];
  /** Shell functions the script defines: calling one starts no new process. */
  functions: Set<string>;
  /**
   * Why a bash or PowerShell script was not read (kind `unsupported`): longer than MAX_SCRIPT_LENGTH,
   * or more work to parse than its budget (parseBash). syntax-error reports it.
   */
  unread?: 'too-long' | 'too-slow';
}

/**
 * Longest script wf-lint parses, in characters. Analysis time grows faster than the script: 64 KiB
 * of dense secret handling takes about 0.6 s, 256 KiB over 2 s. The largest script among 3,581 public
 * workflows is 10 KiB.
 */
export const MAX_SCRIPT_LENGTH = 64 * 1024;

/** Context the walkers share: the script text with expressions masked, and index -> file mapping. */
export interface ScriptSource {
  value: ScalarValue;
  /** The script with each `${{ … }}` replaced by a same-length placeholder, newlines kept. */
  masked: string;
  exprs: ExprSpan[];
  range(start: number, end: number): Range;
  word(start: number, end: number, vars: VarRef[], substitutions: Command[], fileSubstitutions?: Command[]): Word;
}

/** Records that `to` reads `from`'s stdout. */
export function pipe(from: Command, to: Command): void {
  from.pipeTo = to;
  to.pipeFrom ??= from;
}

/** Which shells wf-lint reads. Python, cmd and custom shells are skipped (documented). */
export function shellKind(shell: string | undefined, runsOnWindows = false): ShellKind {
  const s = shell?.trim().split(/\s+/)[0]?.toLowerCase();
  if (s === undefined || s === '') return runsOnWindows ? 'pwsh' : 'bash';
  if (s === 'bash' || s === 'sh' || s.endsWith('/bash') || s.endsWith('/sh')) return 'bash';
  if (s === 'pwsh' || s === 'powershell') return 'pwsh';
  return 'unsupported';
}

export function maskExpressions(text: string, exprs: ExprSpan[]): string {
  if (exprs.length === 0) return text;
  let out = '';
  let at = 0;
  for (const e of exprs) {
    out += text.slice(at, e.valueStart) + text.slice(e.valueStart, e.valueEnd).replace(/[^\n]/g, 'Z');
    at = e.valueEnd;
  }
  return out + text.slice(at);
}

export function scriptSource(value: ScalarValue): ScriptSource {
  const exprs = value.expressions;
  const masked = maskExpressions(value.text, exprs);
  const source: ScriptSource = {
    value,
    masked,
    exprs,
    range: (start, end) => value.rangeOf(start, end),
    word(start, end, vars, substitutions, fileSubstitutions = []) {
      const inner = [...substitutions, ...fileSubstitutions];
      return {
        text: value.text.slice(start, end),
        start,
        end,
        range: value.rangeOf(start, end),
        // A placeholder for `${{ … }}` right after a `$` reads as a variable: not a real one.
        vars: vars.filter((v) => !exprs.some((e) => v.start >= e.valueStart - 1 && v.start < e.valueEnd)),
        // Expressions inside `$( … )` belong to the commands there, not to this word's own text.
        exprs: exprs.filter(
          (e) =>
            e.valueStart < end &&
            e.valueEnd > start &&
            !inner.some((c) => e.valueStart >= c.start && e.valueEnd <= c.end),
        ),
        substitutions,
        ...(fileSubstitutions.length > 0 ? { fileSubstitutions } : {}),
      };
    },
  };
  return source;
}

/**
 * Actions that run a script given as an input: azure/cli runs `inlineScript` with bash in the Azure
 * CLI container (its processes show in the runner's `ps`), azure/powershell with pwsh.
 */
const INLINE_SCRIPT_ACTIONS: Record<string, { input: string; shell: string }> = {
  'azure/cli': { input: 'inlinescript', shell: 'bash' },
  'azure/powershell': { input: 'inlinescript', shell: 'pwsh' },
};

/** The script a step runs and its shell: `run:`, or the script input of a known action. */
function scriptOf(step: Step): { value: ScalarValue; shell?: string } | undefined {
  if (step.run) return { value: step.run, shell: step.shell };
  const uses = step.uses?.text.trim().split('@')[0].toLowerCase();
  const action = uses ? INLINE_SCRIPT_ACTIONS[uses] : undefined;
  if (!action) return undefined;
  const entry = step.with.find((e) => e.key.toLowerCase() === action.input);
  return entry?.value ? { value: entry.value, shell: action.shell } : undefined;
}

/**
 * Actions that run a script given as an input on a server they connect to, not on the runner: its commands
 * are not the runner's (no `ps` leak), but what it tests and writes is what the deploy does.
 */
const REMOTE_SCRIPT_ACTIONS: Record<string, string> = {
  'appleboy/ssh-action': 'script',
  'garygrossgarten/github-action-ssh': 'command',
  'fifsky/ssh-action': 'command',
};

/** The script an SSH action runs on its server (REMOTE_SCRIPT_ACTIONS), read as bash. */
export function analyzeRemoteScript(step: Step): Script | undefined {
  const uses = step.uses?.text.trim().split('@')[0].toLowerCase();
  const input = uses ? REMOTE_SCRIPT_ACTIONS[uses] : undefined;
  const value = input ? step.with.find((e) => e.key.toLowerCase() === input)?.value : undefined;
  return value ? analyzeSource(value, 'bash') : undefined;
}

export function analyzeScript(step: Step, runsOnWindows = false): Script | undefined {
  const source = scriptOf(step);
  return source ? analyzeSource(source.value, source.shell, runsOnWindows) : undefined;
}

function analyzeSource(value: ScalarValue, shell: string | undefined, runsOnWindows = false): Script {
  const kind = shellKind(shell, runsOnWindows);
  const script: Script = {
    kind,
    shell,
    value,
    commands: [],
    assignments: [],
    conditions: [],
    exprs: value.expressions,
    functions: new Set(),
  };
  if (kind === 'unsupported' || value.text.trim() === '') return script;
  if (value.text.length > MAX_SCRIPT_LENGTH) return { ...script, kind: 'unsupported', unread: 'too-long' };
  const text = scriptSource(value);
  if (kind === 'bash') {
    const tree = parseBash(text.masked); // kept for the next script with this text: not deleted here
    if (!tree) return { ...script, kind: 'unsupported', unread: 'too-slow' };
    walkBash(tree.rootNode, text, script);
  } else walkPowerShell(text, script);
  const byStart = (a: { start: number }, b: { start: number }) => a.start - b.start;
  script.commands.sort(byStart);
  script.assignments.sort(byStart);
  script.conditions.sort(byStart);
  return script;
}
