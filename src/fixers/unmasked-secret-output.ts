import type { Command, ShellKind, Word } from '../analysis/shell/script.js';
import type { Fix } from '../findings.js';
import type { Step, Workflow } from '../workflow/model.js';
import { insertScriptLines, maskEachLine } from './script-edit.js';
import { styleOf } from './style.js';

/**
 * Registers a secret-derived value with the runner before it is written: each line of each secret
 * variable in the written word (in bash or sh; PowerShell gets `echo "::add-mask::$V"`), before the
 * group that redirects the write when there is one (inside it, the mask command's own output would
 * go to the same file). A value computed inline (`$(jq … file)`) is first captured in a variable
 * named after what it is written as, masked, then written.
 */
export function maskBeforeWrite(
  workflow: Workflow,
  step: Step,
  shell: ShellKind,
  command: Command,
  word: Word,
  secretVars: string[],
  name: string | undefined,
): Fix | undefined {
  const style = styleOf(workflow);
  const mask = (v: string) => (shell === 'bash' ? maskEachLine(v) : `echo "::add-mask::$${v}"`);
  if (secretVars.length > 0) {
    const lines = secretVars.map(mask);
    const edits = insertScriptLines(step, command.groupStart ?? command.start, lines, style);
    return (
      edits && {
        kind: 'safe',
        description: `mask ${secretVars.map((v) => `$${v}`).join(', ')} before writing it`,
        edits,
      }
    );
  }
  const substitution = word.substitutions.length > 0 ? substitutionSpan(word) : undefined;
  if (!substitution) return undefined;
  const variable = (name ?? 'SECRET_VALUE').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const captured = step.run!.text.slice(substitution.from, substitution.to);
  const edits = insertScriptLines(
    step,
    command.groupStart ?? command.start,
    [`${variable}=${captured}`, mask(variable)],
    style,
    [{ ...substitution, text: `$${variable}` }],
  );
  return (
    edits && { kind: 'safe', description: `capture the value in $${variable} and mask it before writing it`, edits }
  );
}

/** The `$( … )` (or backticks) around the substituted commands of a word. */
function substitutionSpan(word: Word): { from: number; to: number } | undefined {
  const first = Math.min(...word.substitutions.map((c) => c.start));
  const last = Math.max(...word.substitutions.map((c) => c.end));
  const text = word.text;
  const open = text.lastIndexOf('$(', first - word.start);
  const backtick = text.lastIndexOf('`', first - word.start);
  if (open >= 0) {
    const close = text.indexOf(')', last - word.start);
    return close >= 0 ? { from: word.start + open, to: word.start + close + 1 } : undefined;
  }
  if (backtick >= 0) {
    const close = text.indexOf('`', last - word.start);
    return close >= 0 ? { from: word.start + backtick, to: word.start + close + 1 } : undefined;
  }
  return undefined;
}
