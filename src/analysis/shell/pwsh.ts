import { pipe, type Command, type Script, type ScriptSource, type VarRef, type Word } from './script.js';

/**
 * A small PowerShell reader: statements split at newlines, `;` and `|`, words at blanks outside
 * quotes. Enough to see commands, their arguments (`-Password $env:X`), pipes and assignments;
 * script blocks and here-strings are read as plain words.
 */
export function walkPowerShell(src: ScriptSource, out: Script): void {
  const text = src.masked;
  let previous: Command | undefined;
  for (const stmt of statements(text)) {
    const words = tokens(text, stmt.start, stmt.end).map((t) =>
      src.word(t.start, t.end, varsIn(src, text, t.start, t.end), []),
    );
    if (words.length === 0 || KEYWORDS.test(words[0].text)) {
      if (/^(function|filter)$/i.test(words[0]?.text ?? '') && words[1])
        out.functions.add(words[1].text.replace(/\(.*$/, ''));
      previous = undefined;
      continue;
    }
    // `$x = …`, `$env:X = …`, and `$a.b.c = …` / `$x += …`, which add to a variable rather than replace it.
    const assignment = /^\$(?:env:)?([A-Za-z_][\w]*)((?:\.[\w]+|\[[^\]]*\])*)$/i.exec(words[0].text);
    if (assignment && /^[+]?=$/.test(words[1]?.text ?? '')) {
      const valueStart = words[2]?.start ?? stmt.end;
      const valueEnd = words[words.length - 1].end;
      // `$x = some-command args` runs a command: the value is what it prints, as with bash's `x=$(…)`.
      const command =
        words.length > 2 && !/^[$"'(@\d-]/.test(words[2].text) ? pushCommand(words.slice(2), false, true) : undefined;
      const value =
        words.length > 2
          ? src.word(
              valueStart,
              valueEnd,
              command ? [] : words.slice(2).flatMap((w) => w.vars),
              command ? [command] : [],
            )
          : undefined;
      const merge = assignment[2] !== '' || words[1].text === '+=';
      out.assignments.push({
        name: assignment[1],
        value,
        exported: /^\$env:/i.test(words[0].text),
        start: stmt.start,
        range: src.range(stmt.start, stmt.end),
        ...(merge ? { merge } : {}),
      });
      previous = undefined;
      continue;
    }
    // `& ./tool.exe args` and `. ./script.ps1`: the call operator is not the command.
    const called = (words[0].text === '&' || words[0].text === '.') && words.length > 1;
    if (called) words.shift();
    // A bare value (`"PW=$pw"`, `$token`) is an expression statement: it writes to the pipeline, like Write-Output.
    const implicitOutput = !called && /^(@?["']|\$)/.test(words[0].text);
    const cmd = pushCommand(words, stmt.afterPipe && previous !== undefined, false, implicitOutput);
    if (stmt.afterPipe && previous) pipe(previous, cmd);
    previous = cmd;
  }

  function pushCommand(words: Word[], piped: boolean, inSubstitution = false, implicitOutput = false): Command {
    const nameWord = implicitOutput ? undefined : words[0];
    const rest = implicitOutput ? words : words.slice(1);
    const redirects = [];
    const args: Word[] = [];
    for (let i = 0; i < rest.length; i++) {
      const op = /^(\d?>>?|\*>>?)$/.exec(rest[i].text);
      if (op && rest[i + 1]) {
        redirects.push({ op: op[1], target: rest[i + 1] });
        i++;
      } else args.push(rest[i]);
    }
    const cmd: Command = {
      name: nameWord?.text ?? 'Write-Output',
      ...(nameWord ? { nameWord } : {}),
      args,
      prefixAssignments: [],
      redirects,
      inSubstitution,
      start: words[0].start,
      end: words[words.length - 1].end,
      range: src.range(words[0].start, words[words.length - 1].end),
      ...(piped ? { stdin: 'pipe' as const } : {}),
    };
    out.commands.push(cmd);
    return cmd;
  }
}

/** Language keywords start control flow, not commands; their blocks are read as statements. */
const KEYWORDS = new RegExp(
  '^(if|elseif|else|foreach|for|while|do|until|switch|try|catch|finally|' +
    'function|filter|param|return|throw|break|continue|exit|trap)\\b',
  'i',
);

interface Statement {
  start: number;
  end: number;
  afterPipe: boolean;
}

function statements(text: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let afterPipe = false;
  let quote: string | undefined;
  let depth = 0;
  const flush = (end: number, nextAfterPipe: boolean) => {
    out.push({ start, end, afterPipe });
    start = end + 1;
    afterPipe = nextAfterPipe;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '`') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      flush(i, false);
      if (nl < 0) return out;
      i = nl;
      start = nl + 1;
    } else if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0 && (c === '{' || c === '}')) flush(i, false);
    else if (depth === 0 && (c === '\n' || c === ';')) {
      // A trailing backtick continues the line.
      if (c === '\n' && text.slice(start, i).trimEnd().endsWith('`')) continue;
      flush(i, false);
    } else if (depth === 0 && c === '|' && text[i + 1] !== '|') flush(i, true);
  }
  if (start < text.length) out.push({ start, end: text.length, afterPipe });
  return out;
}

function tokens(text: string, from: number, to: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = from;
  while (i < to) {
    while (i < to && /[\s`]/.test(text[i])) i++;
    if (i >= to) break;
    const start = i;
    let quote: string | undefined;
    let depth = 0;
    for (; i < to; i++) {
      const c = text[i];
      if (quote) {
        if (c === '`') i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '(' || c === '{') depth++;
      else if ((c === ')' || c === '}') && depth > 0) depth--;
      else if (depth === 0 && /\s/.test(c)) break;
    }
    out.push({ start, end: i });
  }
  return out;
}

const PWSH_VAR = /\$(?:\{(?:env:)?([^}]+)\}|(env:)?([A-Za-z_][\w]*))/gi;

function varsIn(src: ScriptSource, text: string, start: number, end: number): VarRef[] {
  const slice = text.slice(start, end);
  // Single-quoted strings do not expand.
  if (slice.startsWith("'")) return [];
  const vars: VarRef[] = [];
  for (const m of slice.matchAll(PWSH_VAR)) {
    const at = start + m.index;
    const name = m[1] ?? m[3];
    const env = m[2] !== undefined || /^\$\{env:/i.test(m[0]);
    // `$info.clientId`: the last property read (not a method call) says what part of the value is used.
    const member = /^((?:\.[A-Za-z_]\w*)+)(?![\w(])/
      .exec(slice.slice(m.index + m[0].length))?.[1]
      .split('.')
      .pop();
    vars.push({
      name,
      start: at,
      range: src.range(at, at + m[0].length),
      ...(env ? { env } : {}),
      ...(member ? { member } : {}),
    });
  }
  return vars;
}
