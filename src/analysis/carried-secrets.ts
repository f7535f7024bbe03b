// How a secret's value is carried into what a deploy ships: missing-preflight's `content` harm.
import type { ExprRef } from '../workflow/expressions.js';
import type { Entry } from '../workflow/model.js';
import { effectiveCommand, matchSubcommands } from './match.js';
import { CONFIG_COMMANDS, CONFIG_SETTERS, CREDENTIAL_FILE } from './secret-values.js';
import type { Command, Script, Word } from './shell/script.js';

/** Inputs that hand a deploy action the app's configuration: `env_vars`, `app-settings`, `build-args`. */
const CONFIG_INPUT =
  /(^|[-_])(env|envs|env[-_]?vars|environment[-_]?variables|app[-_]?settings|build[-_]?args|parameters)$/i;

/**
 * Whether an input carries the secret into what is deployed: an input named for configuration, or a
 * line of its value that assigns it (`DB_PASSWORD=${{ secrets.DB }}`, `password: ${{ … }}`) or writes
 * it to a file (`echo "${{ … }}" > .env` in an SSH action's remote script).
 */
export function carriedByInput(entry: Entry, ref: ExprRef): boolean {
  if (CONFIG_INPUT.test(entry.key)) return true;
  const value = entry.value;
  if (!value) return false;
  const span = value.expressions.find((e) => e.refs.includes(ref));
  if (!span) return false;
  const text = value.text;
  const lineStart = text.lastIndexOf('\n', span.valueStart - 1) + 1;
  const lineEnd = text.indexOf('\n', span.valueEnd);
  const before = text.slice(lineStart, span.valueStart);
  const after = text.slice(span.valueEnd, lineEnd < 0 ? text.length : lineEnd);
  return /[A-Za-z_][\w.-]*\s*[=:]\s*["']?$/.test(before) || (/>\s*[^\s&|]/.test(after) && !/>\s*\/dev\//.test(after));
}

/** Whether a word names variable `name` (`$X`, `${X}`; not `${#X}`, its length). */
export const holdsVariable = (name: string) => (w: Word) => w.vars.some((v) => v.name === name && !v.length);

/**
 * Whether a deploy tool (CONFIG_COMMANDS) is given the value in a `KEY=value` argument (`-e DB_PASSWORD=$X`,
 * `--set-env-vars A=$X`, `--from-literal=password=$X`), not as an option's own value (`--password=$X`).
 */
export function inConfigPair(script: Script, holds: (w: Word) => boolean): boolean {
  return script.commands.some((command) => {
    const { name, args } = effectiveCommand(command);
    const setter = CONFIG_SETTERS.some((s) => s.command === name && matchSubcommands(args, s.subcommands) >= 0);
    const piped = command.pipeFrom ? commandWords(command.pipeFrom).some(holds) : false;
    if (setter && (args.some(holds) || piped)) return true;
    if (!CONFIG_COMMANDS.has(name)) return false;
    return command.args.some((w) => {
      if (!holds(w)) return false;
      const at = Math.min(
        ...w.vars.filter((v) => holds({ ...w, vars: [v], exprs: [] })).map((v) => v.start - w.start),
        ...w.exprs.filter((e) => holds({ ...w, vars: [], exprs: [e] })).map((e) => e.valueStart - w.start),
      );
      const before = w.text.slice(0, Math.max(0, at)).replace(/^["']?-{1,2}[\w-]+=/, '');
      return /[A-Za-z_][\w.[\]-]*=["']?$/.test(before);
    });
  });
}

/** Every word of a command: its name, arguments, prefix assignments and redirect targets. */
export function commandWords(command: Command): Word[] {
  const words = [command.nameWord, ...command.args, ...command.prefixAssignments.map((a) => a.value)];
  return [...words, ...command.redirects.map((r) => r.target)].filter((w): w is Word => w !== undefined);
}

/**
 * Whether a script writes the value into a file that is not a credential file (CREDENTIAL_FILE): a command
 * whose words hold it, redirected there (`echo "DB=$DB" >> .env`), or a here-document that names the
 * variable (`cat > .env <<EOF … $DB …`). For scripts whose flow wf-lint does not trace (an SSH action's).
 */
export function writtenToFile(script: Script, holds: (w: Word) => boolean, variable?: string): boolean {
  const named = variable ? new RegExp(`\\$\\{?${variable}\\b`) : undefined;
  return script.commands.some((command) => {
    const target = command.redirects.find((r) => /^>>?$/.test(r.op) && r.target)?.target?.text;
    if (!target || CREDENTIAL_FILE.test(target) || /^\/dev\//.test(target)) return false;
    return commandWords(command).some(holds) || (named !== undefined && named.test(command.stdinText ?? ''));
  });
}
