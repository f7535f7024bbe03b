import type { TextEdit } from '../findings.js';
import type { ScalarValue, Step } from '../workflow/model.js';
import type { FileStyle } from './style.js';
import { lineStart, spaces } from './yaml-text.js';

/**
 * Inserts shell lines into a step's `run:` script just before the command starting at `scriptIndex`.
 * In a `|` block the lines go in at the command's own indentation; a one-line script becomes a `|`
 * block holding the new lines and the original command. Anything else (a folded `>` block, new
 * lines before a command in the middle of a line) gets no edit: the caller offers no fix.
 */
export function insertScriptLines(
  step: Step,
  scriptIndex: number,
  lines: string[],
  style: FileStyle,
  replacements: ScriptReplacement[] = [],
): TextEdit[] | undefined {
  const run = step.run;
  if (!run) return undefined;
  const file = run.file;
  const at = run.map(scriptIndex);
  const lineBegin = lineStart(file, at);
  const onlyBlanksBefore = /^[ \t]*$/.test(file.text.slice(lineBegin, at));
  // Pure rewrites (no new lines) may be anywhere in a `|` block: `if curl …; then`, `x=$(curl …)`.
  if (run.node.type === 'BLOCK_LITERAL' && (onlyBlanksBefore || lines.length === 0)) {
    const indent = file.text.slice(lineBegin, at);
    const insertion =
      lines.length > 0
        ? [{ start: lineBegin, end: lineBegin, text: lines.map((l) => `${indent}${l}${style.eol}`).join('') }]
        : [];
    return [...insertion, ...replacements.map((r) => replaceInScript(run, r.from, r.to, r.text))];
  }
  const singleLine =
    !run.text.trimEnd().includes('\n') &&
    (run.node.type === 'PLAIN' || run.node.type === 'QUOTE_DOUBLE' || run.node.type === 'QUOTE_SINGLE');
  // New lines go before the command, so it must start the script; pure rewrites may be anywhere.
  if (singleLine && (lines.length === 0 || scriptIndex === firstCommandIndex(run)))
    return [toBlock(step, run, [...lines, rewrite(run.text, replacements).trim()], style)];
  return undefined;
}

/**
 * A shell line that registers each line of a variable's value as a mask: the runner masks a
 * multi-line value (a PEM key, a JSON document) only line by line, and `echo "::add-mask::$V"`
 * would print every line after the first in clear. Lines without a letter or digit (`{`, `],`) are
 * left out: masking them would star out that punctuation all over the log. Runs in bash and POSIX
 * sh, and succeeds whatever the last line is, so `set -e` is safe.
 */
export function maskEachLine(variable: string): string {
  const maskLine = 'case $line in *[[:alnum:]]*) echo "::add-mask::$line" ;; esac';
  return `printf '%s\\n' "$${variable}" | while IFS= read -r line; do ${maskLine}; done`;
}

/** A change to the script text: [from, to) (script indexes) becomes `text`. */
export interface ScriptReplacement {
  from: number;
  to: number;
  text: string;
}

/** Extends a span to the blank before it, so that removing an argument leaves no double space. */
export function withBlankBefore(script: string, from: number): number {
  return from > 0 && (script[from - 1] === ' ' || script[from - 1] === '\t') ? from - 1 : from;
}

function rewrite(text: string, replacements: ScriptReplacement[]): string {
  let out = text;
  for (const r of [...replacements].sort((a, b) => b.from - a.from))
    out = out.slice(0, r.from) + r.text + out.slice(r.to);
  return out;
}

function firstCommandIndex(run: ScalarValue): number {
  return run.text.length - run.text.trimStart().length;
}

/** Rewrites a one-line `run:` as a `|` block with the given lines, indented one level below `run:`. */
export function toBlock(step: Step, run: ScalarValue, lines: string[], style: FileStyle): TextEdit {
  const key = step.entries.find((e) => e.key === 'run')!;
  const indent = spaces(key.keyRange.start.column - 1 + style.indent);
  const [start, end] = run.node.range ?? [0, 0];
  return { start, end, text: `|${style.eol}${lines.map((l) => `${indent}${l}`).join(style.eol)}` };
}

/**
 * Replaces the script text [from, to) (script indexes) with `text`. Each line `text` adds to a `|`
 * block gets the block's indentation and the file's line ending (`printf '%s' '{ … }'` of a body
 * written over several lines).
 */
export function replaceInScript(run: ScalarValue, from: number, to: number, text: string): TextEdit {
  const start = run.map(from);
  const first = run.map(0);
  const indent = run.file.text.slice(lineStart(run.file, first), first);
  const eol = run.file.text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split('\n').map((line, i) => (i > 0 && line !== '' ? indent + line : line));
  // An insertion (from === to) has no last character to map.
  return { start, end: to > from ? run.map(to - 1) + 1 : start, text: lines.join(eol) };
}
