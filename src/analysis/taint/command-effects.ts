import { effectiveCommand } from '../match.js';
import { normalizePath, unquote } from '../paths.js';
import type { SecretRead } from '../secret-stores.js';
import { isNotAFile, PASS_THROUGH, PRINTERS } from '../shell/commands.js';
import type { Assignment, Command, Word } from '../shell/script.js';
import { outputFileArg, stdoutTaint, wordTaint, type ScriptScope } from './command.js';
import { maskedAt, type StepFlow } from './step-flow.js';
import { extend, merge, readTaint, type Taint } from './value.js';

/**
 * What the effects share while the analysis walks a script in source order: the step's flow they
 * record into, and what the walk knows at the current command. `vars` is the scope of that point:
 * an assignment replaces it with a new map, so earlier commands keep theirs.
 */
export interface CommandScope extends ScriptScope {
  flow: StepFlow;
  /** The script's commands, one of which may pipe into the current one. */
  commands: Command[];
  /** What the current command produces, wherever it goes. */
  produced: Taint | undefined;
  /** What the current command prints: what it produces, unless it writes that to a file (`-o f`). */
  stdout: Taint | undefined;
  /**
   * The step's secret read, when the current command's arguments use variables the script cannot
   * account for (set by `eval`, `source` or a tool): what it writes may carry the secret.
   */
  unaccountedRead: SecretRead | undefined;
  /** Variables `read` fills, with the variables their lines come from (`read -r line <<< "$key"`). */
  readSources: Map<string, string[]>;
}

/** What one command does to the step's secret flow. */
type CommandEffect = (command: Command, scope: CommandScope) => void;

/** Every command's effects, in the order the analysis applies them. */
export const COMMAND_EFFECTS: CommandEffect[] = [
  readsLines,
  masksValue,
  redirectsOutput,
  writesEnvFileArgument,
  copiesFile,
  writesOutputFile,
];

/** `X=$SECRET`, `$cfg.password = $pw`: the scope after an assignment. */
export function assignsVariable(assignment: Assignment, scope: CommandScope): void {
  const { name, value } = assignment;
  const taint = value ? wordTaint(value, scope) : scope.vars.get(name);
  const vars = new Map(scope.vars);
  if (assignment.merge) {
    // `$cfg.password = $pw` adds a secret to $cfg; a plain value leaves what $cfg held.
    if (taint) vars.set(name, merge([extend(taint, `$${name}`), vars.get(name)])!);
  } else if (taint) vars.set(name, value ? extend(taint, `$${name}`) : taint);
  else if (value) vars.delete(name);
  scope.vars = vars;
}

/**
 * `while read -r line; do echo "::add-mask::$line"; done <<< "$key"` masks $key line by line (so
 * does `printf '%s\n' "$key" | while read -r line; …`): remember where `read` takes its lines from.
 */
function readsLines(command: Command, { readSources }: CommandScope): void {
  const { name, args } = effectiveCommand(command);
  if (name !== 'read') return;
  const sources = [
    ...command.redirects.flatMap((r) => (r.op.startsWith('<<') && r.target ? r.target.vars.map((v) => v.name) : [])),
    ...printedInto(command),
  ];
  for (const arg of args) if (!arg.text.startsWith('-')) readSources.set(arg.text, sources);
}

/** `echo "::add-mask::$X"` registers the value of X (or of an expression) with the runner. */
function masksValue(command: Command, { flow, readSources }: CommandScope): void {
  const { name, args } = effectiveCommand(command);
  if (!PRINTERS.has(name) && !PASS_THROUGH.has(name)) return;
  const first = args.findIndex((a) => a.text.includes('::add-mask::'));
  if (first < 0) return;
  // `echo "::add-mask::$X"`, and `printf '::add-mask::%s\n' "$X"` with the value in a later argument.
  const words = args.slice(first);
  const vars = words.flatMap((w) => w.vars.flatMap((v) => [v.name, ...(readSources.get(v.name) ?? [])]));
  flow.masks.push({
    vars: new Set(vars),
    exprs: new Set(words.flatMap((w) => w.exprs.map((e) => e.text))),
    at: command.start,
  });
}

/** `>> "$GITHUB_ENV"`, `> out/secret.json`: what the command prints goes where its redirects point. */
function redirectsOutput(command: Command, scope: CommandScope): void {
  for (const redirect of command.redirects) {
    if (!redirect.target || !redirect.op.includes('>')) continue;
    const envFile = envFileOf(redirect.target);
    const content = merge([scope.stdout, scope.unaccountedRead ? readTaint(scope.unaccountedRead) : undefined]);
    if (envFile === 'summary') recordSummaryWrite(command, scope);
    else if (envFile) recordEnvWrites(command, envFile, content, scope);
    else if (content && !isNotAFile(redirect.target.text) && !isRunnerFile(redirect.target))
      recordFileWrite(unquote(redirect.target.text), content, command, scope);
  }
}

/**
 * `… | tee -a "$GITHUB_ENV"`, `Add-Content -Path $env:GITHUB_ENV`, `"X=$v" | Out-File … $env:GITHUB_OUTPUT`:
 * an environment file named as an argument; the value comes in on stdin or as an argument.
 */
function writesEnvFileArgument(command: Command, scope: CommandScope): void {
  const { name, args } = effectiveCommand(command);
  const envFile = args.map(envFileOf).find((f) => f !== undefined);
  if (!envFile || !(name === 'tee' || /^(Add-Content|Out-File|Set-Content)$/i.test(name))) return;
  const upstream = command.pipeFrom;
  if (envFile === 'summary') recordSummaryWrite(command, scope, upstream);
  else
    recordEnvWrites(
      command,
      envFile,
      merge([scope.stdout, upstream && stdoutTaint(upstream, scope, scope.commands)]),
      scope,
      upstream,
    );
}

/** `cp secret.json out/`, `mv temp.json config.json`: the copy holds what the source held. */
function copiesFile(command: Command, scope: CommandScope): void {
  const { name, args } = effectiveCommand(command);
  if ((name !== 'cp' && name !== 'mv') || args.length < 2) return;
  const operands = args.filter((a) => !a.text.startsWith('-'));
  const sources = operands.slice(0, -1).flatMap((a) => scope.context.files.get(normalizePath(unquote(a.text))) ?? []);
  const target = operands.at(-1);
  if (target && sources.length > 0) recordFileWrite(unquote(target.text), merge(sources)!, command, scope);
}

/** `az keyvault secret download --file f`, `gcloud secrets versions access --out-file=f`: the read goes to the file. */
function writesOutputFile(command: Command, scope: CommandScope): void {
  const outFile = outputFileArg(command);
  const read = scope.reads.find((r) => r.command === command);
  const content = read ? readTaint(read) : scope.produced;
  if (outFile && content) recordFileWrite(outFile, content, command, scope);
}

function recordFileWrite(path: string, taint: Taint, command: Command, { flow, context }: CommandScope): void {
  const written = extend(taint, `file ${path}`);
  flow.fileWrites.push({ path, taint: written, command });
  context.files.set(normalizePath(path), written);
}

function recordSummaryWrite(command: Command, scope: CommandScope, upstream?: Command): void {
  const words = writtenWords(command, upstream);
  const valueTaint = merge(words.map((w) => wordTaint(w, scope)));
  const value = words.find((w) => w.vars.length > 0 || w.exprs.length > 0 || w.substitutions.length > 0);
  scope.flow.summaryWrites.push({ value, valueTaint, command });
}

function recordEnvWrites(
  command: Command,
  file: 'env' | 'output',
  content: Taint | undefined,
  scope: CommandScope,
  upstream?: Command,
): void {
  const { flow } = scope;
  const words = writtenWords(command, upstream);
  const texts = command.stdinText !== undefined ? [command.stdinText] : words.map((a) => a.text);
  const wordsTaint = merge(words.map((w) => wordTaint(w, scope)));
  const taint = merge([wordsTaint, content]);
  const names = texts.flatMap((t) =>
    [...unquote(t).matchAll(/(?:^|\n)\s*["']?([A-Za-z_][A-Za-z0-9_-]*)(?:=|<<)/g)].map((m) => m[1]),
  );
  const value = words.find((w) => w.vars.length > 0 || w.exprs.length > 0 || w.substitutions.length > 0);
  const valueTaint = wordsTaint;
  // A value registered with ::add-mask:: stays masked for the rest of the job: later steps get a
  // registered secret, not an unmasked derived value.
  const registered = taint?.derived && value !== undefined && maskedAt(flow, value, command);
  const exported = registered ? { ...taint, derived: false } : taint;
  if (names.length === 0) flow.envWrites.push({ file, value, valueTaint, taint: exported, command });
  for (const name of names) {
    const link = `${file === 'env' ? '$GITHUB_ENV' : '$GITHUB_OUTPUT'} ${name} in step '${flow.step.label}'`;
    flow.envWrites.push({ file, name, value, valueTaint, taint: exported && extend(exported, link), command });
  }
}

/**
 * The words a write puts in an environment file: a heredoc or here-string, the upstream printer's
 * arguments, or its own.
 */
function writtenWords(command: Command, upstream?: Command): Word[] {
  if (command.stdin === 'heredoc' || command.stdin === 'herestring')
    return command.redirects.flatMap((r) => (r.op.startsWith('<<') && r.target ? [r.target] : []));
  const { args } = effectiveCommand(command);
  const printer = upstream && PASS_THROUGH.has(effectiveCommand(upstream).name) ? effectiveCommand(upstream).args : [];
  return [...printer, ...args];
}

function envFileOf(word: Word): 'env' | 'output' | 'summary' | undefined {
  for (const v of word.vars) {
    if (v.name === 'GITHUB_ENV') return 'env';
    if (v.name === 'GITHUB_OUTPUT') return 'output';
    if (v.name === 'GITHUB_STEP_SUMMARY') return 'summary';
  }
  return undefined;
}

/** `$GITHUB_PATH`, `$GITHUB_STATE`: files the runner reads, not files a cache or an artifact could hold. */
function isRunnerFile(word: Word): boolean {
  return word.vars.some((v) => /^GITHUB_(PATH|STATE)$/.test(v.name));
}

/** Variables an `echo`/`printf` piped into `command` prints (`printf '%s\n' "$key" | while read -r line`). */
function printedInto(command: Command): string[] {
  if (command.stdin !== 'pipe') return [];
  const printer = command.pipeFrom;
  if (!printer) return [];
  const { name, args } = effectiveCommand(printer);
  return name === 'echo' || name === 'printf' ? args.flatMap((a) => a.vars.map((v) => v.name)) : [];
}
