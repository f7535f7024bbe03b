import { effectiveCommand, matchSubcommands } from '../analysis/match.js';
import { CONTAINER_REGISTRY } from '../analysis/providers.js';
import type { Command, Word } from '../analysis/shell/script.js';
import type { Fix, TextEdit } from '../findings.js';
import type { Step, Workflow } from '../workflow/model.js';
import { insertScriptLines, type ScriptReplacement } from './script-edit.js';
import { styleOf } from './style.js';
import { insertEntries, isFlow } from './yaml-text.js';

/** A rewrite of one command: script replacements, and secrets to lift into the step's `env:`. */
interface Rewrite {
  replacements: ScriptReplacement[];
  description: string;
}

/** Builds `"$NAME"` for the secret in a word, lifting `${{ secrets.NAME }}` into env when needed. */
interface ValueSource {
  /** Shell text that expands to the secret, e.g. `"$DOCKER_PASSWORD"`. */
  shell: string;
  lift?: { name: string; expression: string };
}

/** The secret value a word passes: a variable (`$X`, `"${X}"`) or an expression lifted into env. */
function valueOf(word: Word, text: string): ValueSource | undefined {
  const inner = text.replace(/^"(.*)"$/s, '$1');
  if (word.vars.length === 1 && word.exprs.length === 0 && /^\$\{?\w+\}?$/.test(inner))
    return { shell: `"$${word.vars[0].name}"` };
  if (word.exprs.length === 1 && word.vars.length === 0 && /^\$\{\{.*\}\}$/s.test(inner)) {
    const ref = word.exprs[0].refs.find((r) => r.context === 'secrets' && typeof r.path[0] === 'string');
    if (!ref) return undefined;
    const name = (ref.path[0] as string).toUpperCase().replace(/[^A-Z0-9_]/g, '_');
    return { shell: `"$${name}"`, lift: { name, expression: `\${{ ${word.exprs[0].text} }}` } };
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

/** Extends a span to the blank before it, so that removing an argument leaves no double space. */
function withBlankBefore(script: string, from: number): number {
  return from > 0 && (script[from - 1] === ' ' || script[from - 1] === '\t') ? from - 1 : from;
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
    if (name !== 'terraform' && name !== 'tofu') return undefined;
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
    if (name !== 'mysql' && name !== 'mysqldump' && name !== 'mysqladmin') return undefined;
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
  // curl -H "Authorization: Bearer $X" …  ->  printf '%s\n' "Authorization: Bearer $X" | curl -H @- …
  (command, word) => {
    const { name, args } = effectiveCommand(command);
    const i = args.indexOf(word);
    if (name !== 'curl' || i < 1 || !['-H', '--header'].includes(args[i - 1].text) || !stdinFree(command))
      return undefined;
    if (args.some((a) => /^@-$|^-$/.test(a.text))) return undefined;
    const header = word.text.replace(/^["'](.*)["']$/s, '$1');
    if (word.text.startsWith("'") || word.exprs.length > 0) return undefined;
    return {
      description: 'send the header on stdin (-H @-)',
      replacements: [
        { from: command.start, to: command.start, text: `printf '%s\\n' "${header}" | ` },
        { from: word.start, to: word.end, text: '@-' },
      ],
    };
  },
];

/** A rewrite of the command to a stdin or environment form, from the table above; undefined for other commands. */
export function secretArgFix(workflow: Workflow, step: Step, command: Command, word: Word): Fix | undefined {
  const run = step.run;
  if (!run || (run.node.type !== 'BLOCK_LITERAL' && run.node.type !== 'PLAIN')) return undefined;
  for (const rewrite of REWRITES) {
    const found = rewrite(command, word, run.text);
    if (!found) continue;
    const style = styleOf(workflow);
    const scriptEdits = insertScriptLines(step, command.start, [], style, found.replacements);
    if (!scriptEdits) return undefined;
    const lift = found.value?.lift;
    const envEdit = lift ? liftIntoEnv(workflow, step, lift.name, lift.expression) : undefined;
    if (lift && !envEdit) return undefined;
    return { kind: 'safe', description: found.description, edits: [...scriptEdits, ...(envEdit ? [envEdit] : [])] };
  }
  return undefined;
}

/** Adds `NAME: ${{ … }}` to the step's `env:` (creating it before `run:`), unless NAME is taken. */
function liftIntoEnv(workflow: Workflow, step: Step, name: string, expression: string): TextEdit | undefined {
  const style = styleOf(workflow);
  const existing = step.env.find((e) => e.key === name);
  if (existing) return undefined;
  const envEntry = step.entries.find((e) => e.key === 'env');
  if (envEntry) {
    const last = step.env.at(-1);
    if (!last || isFlow(workflow.file, envEntry.valueNode?.range?.[0] ?? 0)) return undefined;
    return insertEntries(workflow.file, style, { after: last }, [[name, { raw: expression }]]);
  }
  const run = step.entries.find((e) => e.key === 'run')!;
  return insertEntries(workflow.file, style, { before: run }, [['env', [[name, { raw: expression }]]]]);
}
