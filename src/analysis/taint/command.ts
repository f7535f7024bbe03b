import { commandMatches, effectiveCommand } from '../match.js';
import { normalizePath, unquote } from '../paths.js';
import { TOKEN_COMMANDS } from '../providers.js';
import type { SecretRead } from '../secret-stores.js';
import { identifierLike } from '../secret-values.js';
import {
  OUTPUT_FILE_FLAGS,
  OUTPUT_FILE_FLAGS_OF,
  PASS_THROUGH,
  QUIET_FLAGS,
  TRANSFORMER_MODES,
  TRANSFORMERS,
} from '../shell/commands.js';
import type { Command, Word } from '../shell/script.js';
import { exprTaint, type TaintContext } from './expression.js';
import { extend, merge, readTaint, type Taint } from './value.js';

/** What the words and commands of a script are evaluated against, at one point of the script. */
export interface ScriptScope {
  /** The script's variables at that point, over the step's environment. */
  vars: Map<string, Taint>;
  context: TaintContext;
  /** The step's secret-store reads: a read command prints the secret. */
  reads: SecretRead[];
}

/** What a word carries: its variables, expressions and command substitutions. */
export function wordTaint(word: Word, scope: ScriptScope): Taint | undefined {
  const { vars, context } = scope;
  return merge([
    ...word.vars.map((v) => {
      // `${#TOKEN}` is a number.
      if (v.length) return undefined;
      // PowerShell `$($info.clientId)`: an identifier read out of a secret value; `.Length` is a number.
      if (v.member && (identifierLike(v.member, context.identifierSecrets) || /^(length|count)$/i.test(v.member)))
        return undefined;
      const t = vars.get(v.name);
      if (t && v.member) return extend(t, `$${v.name}.${v.member}`, true);
      return t && (t.chain[0] === `$${v.name}` ? t : extend(t, `$${v.name}`));
    }),
    ...word.exprs.map((e) => exprTaint(e, context)),
    // The value of `$( a | b )` is what the last command of the pipeline prints.
    ...word.substitutions.filter((c) => !c.pipeTo).map((c) => stdoutTaint(c, scope, word.substitutions)),
  ]);
}

/**
 * Whether a command's stdout carries a secret: what it produces, unless it writes that to a file
 * (`-o f`). `siblings` are the commands of its script, one of which may pipe into it.
 */
export function stdoutTaint(command: Command, scope: ScriptScope, siblings: Command[] = []): Taint | undefined {
  return outputFileArg(command) === undefined ? producedTaint(command, scope, siblings) : undefined;
}

/**
 * Whether what a command produces carries a secret: it reads one from a store, prints a fresh
 * credential, or transforms a secret it was given (arguments, here-doc, a file, or the command piping into it).
 */
export function producedTaint(command: Command, scope: ScriptScope, siblings: Command[] = []): Taint | undefined {
  const { context, reads } = scope;
  const read = reads.find((r) => r.command === command);
  if (read) return read.secretOutput ? readTaint(read) : undefined;
  const { name, args } = effectiveCommand(command);
  if (TOKEN_COMMANDS.some((p) => commandMatches(command, p)))
    return {
      chain: [
        `${name} ${args
          .slice(0, 2)
          .map((a) => a.text)
          .join(' ')} output`,
      ],
      tokenOnly: false,
      derived: true,
    };
  if (!TRANSFORMERS.has(name)) return undefined;
  const mode = TRANSFORMER_MODES[name];
  if (mode && !args.some((a) => mode.test(a.text))) return undefined;
  const quiet = QUIET_FLAGS[name];
  if (quiet && args.some((a) => quiet.test(a.text))) return undefined;
  // `jq -r .clientId`: extracting an identifier from a secret document does not print the secret.
  const field = (name === 'jq' || name === 'yq') && extractedField(args);
  if (field && identifierLike(field, context.identifierSecrets)) return undefined;
  const stdinWords = command.redirects.filter((r) => r.op.startsWith('<') && r.target).map((r) => r.target!);
  const fileTaint = (w: Word) => context.files.get(normalizePath(unquote(w.text)));
  // `gpg --import <(printf %s "$KEY")`: the command reads what the process substitution prints.
  const fileSubstitutionTaint = (w: Word) =>
    merge((w.fileSubstitutions ?? []).map((c) => stdoutTaint(c, scope, w.fileSubstitutions)));
  const upstream = command.pipeFrom && siblings.includes(command.pipeFrom) ? command.pipeFrom : undefined;
  const inputs = merge([
    ...args.map((a) => wordTaint(a, scope) ?? fileTaint(a) ?? fileSubstitutionTaint(a)),
    ...stdinWords.map((w) => (command.stdin === 'file' ? fileTaint(w) : wordTaint(w, scope))),
    upstream && stdoutTaint(upstream, scope, siblings),
  ]);
  if (!inputs) return undefined;
  // Decoding, extracting or reformatting produces a value GitHub does not know to mask.
  return PASS_THROUGH.has(name) ? inputs : extend(inputs, `${name} output`, true);
}

/** The file a command writes its output to: `--out-file f`, `--file f`, `gpg -o f`. */
export function outputFileArg(command: Command): string | undefined {
  const { name, args } = effectiveCommand(command);
  const flags = OUTPUT_FILE_FLAGS_OF[name] ?? OUTPUT_FILE_FLAGS;
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = args[i].text.startsWith('--') ? args[i].text.split(/=(.*)/s) : [args[i].text];
    if (flags.test(flag)) return unquote(value ?? args[i + 1]?.text ?? '');
  }
  return undefined;
}

/** The filter of `jq -r '.data.clientId' file` when it is a plain path: its last property. */
function extractedField(args: Word[]): string | undefined {
  const takesValue = new Set(['--arg', '--argjson', '--slurpfile', '--rawfile']);
  for (let i = 0; i < args.length; i++) {
    const text = unquote(args[i].text);
    if (takesValue.has(text)) {
      i += 2;
      continue;
    }
    if (text.startsWith('-')) continue;
    if (!/^(\.[A-Za-z_][\w-]*|\.?\[\s*(\d+|"[^"]*")\s*\])+$/.test(text)) return undefined;
    return [...text.matchAll(/\.([A-Za-z_][\w-]*)|\["([^"]*)"\]/g)].map((m) => m[1] ?? m[2]).at(-1);
  }
  return undefined;
}
