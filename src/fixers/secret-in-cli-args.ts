import { basename, effectiveCommand, matchSubcommands } from '../analysis/match.js';
import { CONTAINER_REGISTRY } from '../analysis/providers.js';
import type { Command, Script, Word } from '../analysis/shell/script.js';
import type { Fix, TextEdit } from '../findings.js';
import type { Entry, Job, Step, Workflow } from '../workflow/model.js';
import { curlRewrite } from './curl-stdin.js';
import { insertScriptLines, withBlankBefore, type ScriptReplacement } from './script-edit.js';
import { liftOf, type Lift } from './shell-word.js';
import { styleOf } from './style.js';
import { insertEntries, isFlow, type YamlValue } from './yaml-text.js';

/** A rewrite of one command: script replacements, and secrets to lift into the step's `env:`. */
interface Rewrite {
  replacements: ScriptReplacement[];
  description: string;
}

/** Shell text that expands to the secret a word passes, and the `${{ secrets.X }}` to lift into env for it. */
interface ValueSource {
  /** Shell text that expands to the secret, e.g. `"$DOCKER_PASSWORD"`. */
  shell: string;
  lift?: Lift;
}

/** The secret value a word passes: a variable (`$X`, `"${X}"`) or an expression lifted into env. */
function valueOf(word: Word, text: string): ValueSource | undefined {
  const inner = text.replace(/^"(.*)"$/s, '$1');
  if (word.vars.length === 1 && word.exprs.length === 0 && /^\$\{?\w+\}?$/.test(inner))
    return { shell: `"$${word.vars[0].name}"` };
  if (word.exprs.length === 1 && word.vars.length === 0 && /^\$\{\{.*\}\}$/s.test(inner)) {
    const lift = liftOf(word.exprs[0]);
    return lift && { shell: `"$${lift.name}"`, lift };
  }
  return undefined;
}

/** The flag word and its separate value word, e.g. `-p "$X"`, or `--password=$X` alone. */
function flagSpan(args: Word[], word: Word, flags: string[]): { from: number; to: number } | undefined {
  const i = args.indexOf(word);
  const joined = flags.find((f) => word.text.startsWith(`${f}=`));
  if (joined) return { from: word.start, to: word.end };
  if (i > 0 && flags.includes(args[i - 1].text)) return { from: args[i - 1].start, to: word.end };
  return undefined;
}

/** Strips `--flag=` from a joined word's text. */
function flagValue(word: Word, flags: string[]): string {
  const f = flags.find((x) => word.text.startsWith(`${x}=`));
  return f ? word.text.slice(f.length + 1) : word.text;
}

function stdinFree(command: Command): boolean {
  return !command.stdin && !command.inSubstitution;
}

/** An `X=… tool` prefix reaches the tool only when no wrapper starts it: `sudo` resets the environment. */
function startedDirectly(command: Command, name: string): boolean {
  return basename(command.name) === name;
}

type RewriteRule = (command: Command, word: Word, script: string) => (Rewrite & { value?: ValueSource }) | undefined;

const REWRITES: RewriteRule[] = [
  // docker login -p X …  ->  printf '%s' "$X" | docker login … --password-stdin
  (command, word) => {
    const { name, args } = effectiveCommand(command);
    const login = CONTAINER_REGISTRY.passwordStdinLogins.find(
      (l) => l.command === name && matchSubcommands(args, l.subcommands) >= 0,
    );
    const flags = ['-p', '--password'];
    const span = login && stdinFree(command) ? flagSpan(args, word, flags) : undefined;
    const value = span && valueOf(word, flagValue(word, flags));
    if (!span || !value) return undefined;
    return {
      value,
      description: `pass the password to ${name} on stdin`,
      replacements: [
        { from: command.start, to: command.start, text: `printf '%s' ${value.shell} | ` },
        { from: span.from, to: span.to, text: '--password-stdin' },
      ],
    };
  },
  // gh secret set NAME --body X  ->  printf '%s' "$X" | gh secret set NAME
  (command, word, script) => {
    const { name, args } = effectiveCommand(command);
    const flags = ['--body', '-b'];
    const span =
      name === 'gh' && matchSubcommands(args, ['secret', 'set']) >= 0 && stdinFree(command)
        ? flagSpan(args, word, flags)
        : undefined;
    const value = span && valueOf(word, flagValue(word, flags));
    if (!span || !value) return undefined;
    return {
      value,
      description: 'pass the secret value to gh on stdin',
      replacements: [
        { from: command.start, to: command.start, text: `printf '%s' ${value.shell} | ` },
        { from: withBlankBefore(script, span.from), to: span.to, text: '' },
      ],
    };
  },
  // terraform … -var name=X  ->  TF_VAR_name="$X" terraform …
  (command, word, script) => {
    const { name, args } = effectiveCommand(command);
    if ((name !== 'terraform' && name !== 'tofu') || !startedDirectly(command, name)) return undefined;
    const i = args.indexOf(word);
    const joined = /^-var=([\w-]+)=(.*)$/s.exec(word.text.replace(/^["']|["']$/g, ''));
    const separate = i > 0 && args[i - 1].text === '-var' ? /^["']?([\w-]+)=(.*?)["']?$/s.exec(word.text) : null;
    const m = joined ?? separate;
    if (!m) return undefined;
    const value = valueOf(word, m[2].startsWith('"') || m[2].startsWith('$') ? m[2] : `"${m[2]}"`);
    if (!value) return undefined;
    const from = joined ? word.start : args[i - 1].start;
    return {
      value,
      description: `pass ${m[1]} as TF_VAR_${m[1]}`,
      replacements: [
        { from: command.start, to: command.start, text: `TF_VAR_${m[1]}=${value.shell} ` },
        { from: withBlankBefore(script, from), to: word.end, text: '' },
      ],
    };
  },
  // mysql -pX / --password=X  ->  MYSQL_PWD="$X" mysql …
  (command, word, script) => {
    const { name } = effectiveCommand(command);
    if (!['mysql', 'mysqldump', 'mysqladmin'].includes(name) || !startedDirectly(command, name)) return undefined;
    const m = /^(?:-p|--password=)(.+)$/s.exec(word.text);
    const value = m && valueOf(word, m[1]);
    if (!value) return undefined;
    return {
      value,
      description: 'pass the password as MYSQL_PWD',
      replacements: [
        { from: command.start, to: command.start, text: `MYSQL_PWD=${value.shell} ` },
        { from: withBlankBefore(script, word.start), to: word.end, text: '' },
      ],
    };
  },
];

/** What the fixer works from: the step, its job and its parsed script. */
export interface FixContext {
  workflow: Workflow;
  job: Job;
  step: Step;
  script: Script;
}

/**
 * A rewrite of the command to a stdin or environment form for the secret in `word` (`tainted` are all
 * the words of the command that carry one), from the table above and curl's rewrite; for curl, why it
 * leaves the word when it does. Undefined for other commands.
 */
export function secretArgFix(
  context: FixContext,
  command: Command,
  word: Word,
  tainted: Word[],
): { fix: Fix } | { unfixed: string } | undefined {
  const { workflow, step, script } = context;
  const run = step.run;
  if (!run || script.kind !== 'bash' || (run.node.type !== 'BLOCK_LITERAL' && run.node.type !== 'PLAIN'))
    return undefined;
  const curl = curlRewrite(command, run.text, tainted, word);
  if (typeof curl === 'string') return { unfixed: curl };
  const other = curl ? undefined : REWRITES.map((rewrite) => rewrite(command, word, run.text)).find(Boolean);
  const found = curl ?? (other && { ...other, lifts: other.value?.lift ? [other.value.lift] : [] });
  if (!found) return undefined;
  const lifts = found.lifts;
  const env = liftIntoEnv(context, lifts);
  if (typeof env === 'string') return curl ? { unfixed: env } : undefined;
  const scriptEdits = insertScriptLines(step, command.start, [], styleOf(workflow), found.replacements);
  if (!scriptEdits) return curl ? { unfixed: 'the script is not a `|` block or a one-line `run:`' } : undefined;
  return { fix: { kind: 'safe', description: found.description, edits: [...scriptEdits, ...(env ? [env] : [])] } };
}

const sameExpression = (entry: Entry, lift: Lift) =>
  entry.value?.text.replace(/\s+/g, '') === lift.expression.replace(/\s+/g, '');

/**
 * Adds `NAME: ${{ … }}` entries to the step's `env:` (creating it before `run:`). A name the step,
 * job or workflow env already gives the same expression is used as it is; one that holds something
 * else, or that the script itself reads or sets, is left alone, with the reason.
 */
function liftIntoEnv({ workflow, job, step, script }: FixContext, lifts: Lift[]): TextEdit | undefined | string {
  const added: Lift[] = [];
  for (const lift of lifts) {
    if (added.some((a) => a.name === lift.name && a.expression === lift.expression)) continue;
    const existing = [step.env, job.env, workflow.env].flatMap((env) => env.filter((e) => e.key === lift.name));
    if (existing.length > 0 && existing.every((e) => sameExpression(e, lift))) continue;
    const used = new RegExp(`\\$\\{?${lift.name}\\b`).test(script.value.text);
    if (
      existing.length > 0 ||
      used ||
      added.some((a) => a.name === lift.name) ||
      script.assignments.some((a) => a.name === lift.name)
    )
      return `\`${lift.name}\` is a variable here already`;
    added.push(lift);
  }
  if (added.length === 0) return undefined;
  const style = styleOf(workflow);
  const entries = added.map((l): [string, YamlValue] => [l.name, { raw: l.expression }]);
  const envEntry = step.entries.find((e) => e.key === 'env');
  if (envEntry) {
    const last = step.env.at(-1);
    if (!last || isFlow(workflow.file, envEntry.valueNode?.range?.[0] ?? 0))
      return "the step's `env:` is not a block mapping";
    return insertEntries(workflow.file, style, { after: last }, entries);
  }
  const run = step.entries.find((e) => e.key === 'run')!;
  return insertEntries(workflow.file, style, { before: run }, [['env', entries]]);
}
