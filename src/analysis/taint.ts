import type { ExprRef, ExprSpan } from '../workflow/expressions.js';
import type { Entry, Job, Step, Workflow } from '../workflow/model.js';
import { commandMatches, effectiveCommand } from './match.js';
import { CREDENTIAL_ENV, TOKEN_COMMANDS } from './providers.js';
import { identifierLike, SECRET_LIKE_NAME } from './secret-values.js';
import { isNotAFile, OUTPUT_FILE_FLAGS, OUTPUT_FILE_FLAGS_OF, PASS_THROUGH, QUIET_FLAGS, TRANSFORMER_MODES, TRANSFORMERS } from './shell/commands.js';
import type { SecretRead } from './secret-stores.js';
import type { Assignment, Command, Script, Word } from './shell/script.js';

/** Why a value is secret, as a chain from the value back to its source. */
export interface Taint {
  /** Links from the nearest to the source: ["env.SSM_PARAMETERS", "aws ssm get-parameters in step 'Load'"]. */
  chain: string[];
  /** Only from GITHUB_TOKEN / github.token, which expire with the job: findings are warnings. */
  tokenOnly: boolean;
  /**
   * Derived from a secret (a secret-store read, a field of fromJSON(secrets.X), a decoded value):
   * GitHub masks registered secrets in logs, not values derived from them.
   */
  derived: boolean;
}

/** `$API_KEYS <- env.SSM_PARAMETERS <- aws ssm get-parameters in step 'Load'`: a value and where it comes from. */
export function describeTaint(value: string, taint: Taint): string {
  const head = unquote(value.trim());
  const links = taint.chain[0] !== undefined && head === taint.chain[0] ? taint.chain.slice(1) : taint.chain;
  return [head, ...links].join(' <- ');
}

function extend(taint: Taint, link: string, derived = taint.derived): Taint {
  const chain = taint.chain[0] === link ? taint.chain : [link, ...taint.chain];
  return { chain, tokenOnly: taint.tokenOnly, derived };
}

/** Merges several sources: a value is token-only when every source is. */
function merge(taints: (Taint | undefined)[]): Taint | undefined {
  const present = taints.filter((t): t is Taint => t !== undefined);
  if (present.length === 0) return undefined;
  const strongest = present.find((t) => !t.tokenOnly) ?? present[0];
  return { chain: strongest.chain, tokenOnly: present.every((t) => t.tokenOnly), derived: present.some((t) => t.derived) };
}

/** A write to `$GITHUB_ENV` or `$GITHUB_OUTPUT`. */
export interface EnvFileWrite {
  file: 'env' | 'output';
  /** The variable or output name, when it can be read from the script. */
  name?: string;
  /** The word that carries the value (`"NAME=$VALUE"`), for masking checks. */
  value?: Word;
  /** What the written words themselves carry. */
  valueTaint?: Taint;
  /** Conservative: also anything written by a step that read a secret from a store. */
  taint?: Taint;
  command: Command;
}

/** A file that received secret content: a redirect target or an output-file argument. */
export interface FileWrite {
  path: string;
  taint: Taint;
  command: Command;
}

/** A write to `$GITHUB_STEP_SUMMARY`: shown on the run's summary page, like the log. */
export interface SummaryWrite {
  value?: Word;
  valueTaint?: Taint;
  command: Command;
}

/** A `::add-mask::` registration, by variable name or expression text. */
export interface MaskRegistration {
  vars: Set<string>;
  exprs: Set<string>;
  /** Index in the script: masks apply to writes after it. */
  at: number;
}

/**
 * True when every secret-carrying variable and expression of the word was registered with
 * ::add-mask:: before the command (variables that carry no secret, such as $ENVIRONMENT, need no mask).
 */
export function maskedAt(flow: StepFlow, word: Word, command: Command): boolean {
  const before = flow.masks.filter((m) => m.at < command.start);
  if (before.length === 0) return false;
  const vars = word.vars.filter((v) => flow.wordTaint({ ...word, vars: [v], exprs: [], substitutions: [] }, command));
  const exprs = word.exprs.filter((e) => flow.exprTaint(e));
  if (vars.length === 0 && exprs.length === 0) return false;
  return vars.every((v) => before.some((m) => m.vars.has(v.name))) && exprs.every((e) => before.some((m) => m.exprs.has(e.text)));
}

/** Secret flow facts for one step. */
export interface StepFlow {
  step: Step;
  script?: Script;
  /** Environment visible to the step: workflow, job, `$GITHUB_ENV` of earlier steps and its own `env:`. */
  env: Map<string, Taint>;
  /** Taint of a word of this step's script, with the script's variables at that point. */
  wordTaint(word: Word, at: Command | number): Taint | undefined;
  /** Taint of a `${{ }}` expression evaluated for this step. */
  exprTaint(expr: ExprSpan): Taint | undefined;
  /** What a command of this step's script prints (its stdout), with the script's variables at that point. */
  outputTaint(command: Command): Taint | undefined;
  envWrites: EnvFileWrite[];
  fileWrites: FileWrite[];
  summaryWrites: SummaryWrite[];
  masks: MaskRegistration[];
  reads: SecretRead[];
}

/** Variables the runner and the shell set: never a secret's hiding place. */
const RUNNER_ENV = /^(GITHUB_\w+|RUNNER_\w+|CI|HOME|PATH|PWD|USER|SHELL|HOSTNAME|RANDOM|LINENO|SECONDS|\?|#|@|\*|\d+|_)$/;

export interface TaintInputs {
  workflow: Workflow;
  scriptOf(step: Step): Script | undefined;
  readsOf(step: Step): SecretRead[];
  /** Steps of the job that happen before `step`. */
  before(job: Job, step: Step): Step[];
  identifierSecrets: RegExp;
}

/** Computes secret flow for every step of every job, following needs for job outputs. */
export class TaintAnalysis {
  private readonly flows = new Map<Step, StepFlow>();
  private readonly jobOutputs = new Map<string, Map<string, Taint>>();

  constructor(
    private readonly inputs: TaintInputs,
    jobs: Job[],
  ) {
    for (const job of jobs) this.analyzeJob(job);
  }

  flow(step: Step): StepFlow {
    return this.flows.get(step)!;
  }

  private analyzeJob(job: Job): void {
    const { workflow } = this.inputs;
    const base = new Map<string, Taint>();
    const outputs = new Map<string, Taint>();
    const files = new Map<string, Taint>();
    const identifierSecrets = this.inputs.identifierSecrets;
    const ctx = (env: Map<string, Taint>): ExprContext => ({ identifierSecrets, env, files, outputs, jobOutputs: this.jobOutputs });
    addEntries(base, workflow.env, ctx(base));
    addEntries(base, job.env, ctx(base));
    const baseNames = new Set([...workflow.env, ...job.env].map((e) => e.key));
    for (const step of job.steps) {
      const env = new Map(base);
      const unnamedExports: SecretRead[] = [];
      for (const earlier of this.inputs.before(job, step)) {
        const flow = this.flows.get(earlier);
        for (const write of flow?.envWrites ?? []) {
          if (write.file !== 'env' || !write.name) continue;
          baseNames.add(write.name);
          if (write.taint) env.set(write.name, write.taint);
        }
        for (const read of flow?.reads ?? []) {
          for (const name of read.exportsEnv) env.set(name, readTaint(read));
          if (read.exportsEnvPrefixes.length > 0 || read.exportsUnknownEnv) unnamedExports.push(read);
        }
      }
      // Names a read exported but the workflow cannot spell out (JSON keys, dynamic secret ids):
      // the names this step uses that nothing else defines, and that the read's naming allows.
      if (unnamedExports.length > 0) {
        const defined = new Set([...baseNames, ...step.env.map((e) => e.key), ...env.keys()]);
        for (const name of referencedNames(step)) {
          if (defined.has(name) || RUNNER_ENV.test(name) || CREDENTIAL_ENV.test(name)) continue;
          const upper = name.toUpperCase();
          // `DB_PASSWORD` from the JSON keys of secret DB is a secret; `DB_HOST` is an identifier.
          const keyOf = (prefix: string) => (upper.startsWith(prefix) ? upper.slice(prefix.length) : undefined);
          const read = unnamedExports.find(
            (r) =>
              r.exportsEnvPrefixes.some((p) => keyOf(p) !== undefined && !identifierLike(keyOf(p) || name, identifierSecrets)) ||
              (r.exportsUnknownEnv && SECRET_LIKE_NAME.test(name) && !identifierLike(name, identifierSecrets)),
          );
          if (read) env.set(name, readTaint(read));
        }
      }
      addEntries(env, step.env, ctx(env));
      const knownEnv = new Set([...baseNames, ...step.env.map((e) => e.key), ...env.keys()]);
      const flow = this.analyzeStep(step, env, ctx(env), knownEnv);
      this.flows.set(step, flow);
      const id = step.id?.text;
      if (!id) continue;
      for (const write of flow.envWrites) if (write.file === 'output' && write.name && write.taint) outputs.set(`${id}.${write.name}`, write.taint);
      for (const read of flow.reads) {
        for (const name of read.exportsOutputs) outputs.set(`${id}.${name}`, readTaint(read));
        // An action's outputs may all carry what it read; a script's are known by name, unless it
        // writes some the script does not spell out.
        const unnamed = read.command === undefined ? read.exportsOutputs.length === 0 : flow.envWrites.some((w) => w.file === 'output' && !w.name);
        if (unnamed) outputs.set(`${id}.*`, readTaint(read));
      }
    }
    const produced = new Map<string, Taint>();
    for (const output of job.outputs) {
      const taint = merge((output.value?.expressions ?? []).map((e) => exprTaint(e, ctx(base))));
      if (taint) produced.set(output.key, extend(taint, `jobs.${job.id}.outputs.${output.key}`));
    }
    this.jobOutputs.set(job.id, produced);
  }

  private analyzeStep(step: Step, env: Map<string, Taint>, context: ExprContext, knownEnvNames: Set<string>): StepFlow {
    const script = this.inputs.scriptOf(step);
    const reads = this.inputs.readsOf(step).filter((r) => r.secret);
    const scopes = new Map<Command, Map<string, Taint>>();
    const flow: StepFlow = {
      step,
      script,
      env,
      reads,
      envWrites: [],
      fileWrites: [],
      summaryWrites: [],
      masks: [],
      exprTaint: (e) => exprTaint(e, context),
      wordTaint: (word, at) => {
        const scope = typeof at === 'number' ? scopeBefore(at) : (scopes.get(at) ?? env);
        return wordTaint(word, scope, context, reads);
      },
      outputTaint: (command) => commandOutputTaint(command, scopes.get(command) ?? env, context, reads, script?.commands ?? []),
    };
    if (!script) return flow;
    // Walk assignments and commands in source order, tracking the script's variables. Commands and
    // snapshots share the scope of their point in the script; an assignment copies it first (a big
    // env copied per command was a good part of the analysis's time and garbage).
    let vars = env;
    type Event = { start: number; assignment?: Assignment; command?: Command };
    const events: Event[] = [...script.assignments.map((a) => ({ start: a.start, assignment: a })), ...script.commands.map((c) => ({ start: c.start, command: c }))].sort(
      (a, b) => a.start - b.start,
    );
    const snapshots: { at: number; scope: Map<string, Taint> }[] = [];
    function scopeBefore(index: number): Map<string, Taint> {
      let scope = env;
      for (const s of snapshots) if (s.at <= index) scope = s.scope;
      return scope;
    }
    const stepRead = reads.find((r) => r.command === undefined) ?? reads[0];
    // `while read -r line; do echo "::add-mask::$line"; done <<< "$key"` masks $key line by line
    // (so does `printf '%s\n' "$key" | while read -r line; …`).
    const readSources = new Map<string, string[]>();
    // Names the script can account for: its own variables and the environment it was given.
    const known = new Set([...knownEnvNames, ...script.assignments.map((a) => a.name)]);
    for (const event of events) {
      if (event.assignment) {
        const a = event.assignment;
        const taint = a.value ? wordTaint(a.value, vars, context, reads) : vars.get(a.name);
        vars = new Map(vars);
        if (a.merge) {
          // `$cfg.password = $pw` adds a secret to $cfg; a plain value leaves what $cfg held.
          if (taint) vars.set(a.name, merge([extend(taint, `$${a.name}`), vars.get(a.name)])!);
        } else if (taint) vars.set(a.name, a.value ? extend(taint, `$${a.name}`) : taint);
        else if (a.value) vars.delete(a.name);
        snapshots.push({ at: a.start + 1, scope: vars });
        continue;
      }
      const command = event.command!;
      scopes.set(command, vars);
      const { name, args } = effectiveCommand(command);
      if (name === 'read') {
        const sources = [...command.redirects.flatMap((r) => (r.op.startsWith('<<') && r.target ? r.target.vars.map((v) => v.name) : [])), ...printedInto(command)];
        for (const arg of args) if (!arg.text.startsWith('-')) readSources.set(arg.text, sources);
      }
      this.recordMask(flow, command, name, args, readSources);
      const contentTaint = commandOutputTaint(command, vars, context, reads, script.commands);
      const dataTaint = commandDataTaint(command, vars, context, reads, script.commands);
      // A step that read a secret may pass it on in ways the script does not show (a variable set by
      // `eval`, `source` or a tool): writes of values the script cannot account for carry the secret.
      const opaque = stepRead && args.some((a) => a.vars.some((v) => !known.has(v.name) && !RUNNER_ENV.test(v.name)));
      for (const redirect of command.redirects) {
        if (!redirect.target || !redirect.op.includes('>')) continue;
        const envFile = envFileOf(redirect.target);
        const content = merge([contentTaint, opaque ? readTaint(stepRead) : undefined]);
        if (envFile === 'summary') this.recordSummaryWrite(flow, command, vars, context);
        else if (envFile) this.recordEnvWrites(flow, command, envFile, vars, context, content);
        else if (content && !isNotAFile(redirect.target.text) && !isRunnerFile(redirect.target)) this.recordFileWrite(flow, context, unquote(redirect.target.text), content, command);
      }
      // `… | tee -a "$GITHUB_ENV"`, `Add-Content -Path $env:GITHUB_ENV`, `"X=$v" | Out-File … $env:GITHUB_OUTPUT`:
      // the value comes in on stdin or as an argument.
      const envTarget = args.map(envFileOf).find((f) => f !== undefined);
      if (envTarget && (name === 'tee' || /^(Add-Content|Out-File|Set-Content)$/i.test(name))) {
        const upstream = command.pipeFrom;
        const upstreamTaint = upstream && commandOutputTaint(upstream, vars, context, reads, script.commands);
        if (envTarget === 'summary') this.recordSummaryWrite(flow, command, vars, context, upstream);
        else this.recordEnvWrites(flow, command, envTarget, vars, context, merge([contentTaint, upstreamTaint]), upstream);
      }
      // `cp secret.json out/`, `mv temp.json config.json`: the copy holds what the source held.
      if ((name === 'cp' || name === 'mv') && args.length >= 2) {
        const operands = args.filter((a) => !a.text.startsWith('-'));
        const sources = operands.slice(0, -1).flatMap((a) => context.files.get(normalizePath(unquote(a.text))) ?? []);
        const target = operands.at(-1);
        if (target && sources.length > 0) this.recordFileWrite(flow, context, unquote(target.text), merge(sources)!, command);
      }
      // `az keyvault secret download --file f`, `gcloud secrets versions access --out-file=f`: the read goes to the file.
      const outFile = outputFileArg(command);
      const read = reads.find((r) => r.command === command);
      const fileContent = read ? readTaint(read) : dataTaint;
      if (outFile && fileContent) this.recordFileWrite(flow, context, outFile, fileContent, command);
    }
    return flow;
  }

  private recordFileWrite(flow: StepFlow, context: ExprContext, path: string, taint: Taint, command: Command): void {
    const written = extend(taint, `file ${path}`);
    flow.fileWrites.push({ path, taint: written, command });
    context.files.set(normalizePath(path), written);
  }

  /** `echo "::add-mask::$X"` registers the value of X (or of an expression) with the runner. */
  private recordMask(flow: StepFlow, command: Command, name: string, args: Word[], readSources: Map<string, string[]>): void {
    if (!PASS_THROUGH.has(name) && name !== 'Write-Host') return;
    const first = args.findIndex((a) => a.text.includes('::add-mask::'));
    if (first < 0) return;
    // `echo "::add-mask::$X"`, and `printf '::add-mask::%s\n' "$X"` with the value in a later argument.
    const words = args.slice(first);
    const vars = words.flatMap((w) => w.vars.flatMap((v) => [v.name, ...(readSources.get(v.name) ?? [])]));
    flow.masks.push({ vars: new Set(vars), exprs: new Set(words.flatMap((w) => w.exprs.map((e) => e.text))), at: command.start });
  }

  /** The words a write puts in an environment file: a heredoc or here-string, the upstream printer's arguments, or its own. */
  private writtenWords(command: Command, upstream?: Command): Word[] {
    if (command.stdin === 'heredoc' || command.stdin === 'herestring') return command.redirects.flatMap((r) => (r.op.startsWith('<<') && r.target ? [r.target] : []));
    const { args } = effectiveCommand(command);
    const printer = upstream && PASS_THROUGH.has(effectiveCommand(upstream).name) ? effectiveCommand(upstream).args : [];
    return [...printer, ...args];
  }

  private recordSummaryWrite(flow: StepFlow, command: Command, vars: Map<string, Taint>, context: ExprContext, upstream?: Command): void {
    const words = this.writtenWords(command, upstream);
    const valueTaint = merge(words.map((w) => wordTaint(w, vars, context, flow.reads)));
    const value = words.find((w) => w.vars.length > 0 || w.exprs.length > 0 || w.substitutions.length > 0);
    flow.summaryWrites.push({ value, valueTaint, command });
  }

  private recordEnvWrites(flow: StepFlow, command: Command, file: 'env' | 'output', vars: Map<string, Taint>, context: ExprContext, content: Taint | undefined, upstream?: Command): void {
    const words = this.writtenWords(command, upstream);
    const texts = command.stdinText !== undefined ? [command.stdinText] : words.map((a) => a.text);
    const wordsTaint = merge(words.map((w) => wordTaint(w, vars, context, flow.reads)));
    const taint = merge([wordsTaint, content]);
    const names = texts.flatMap((t) => [...unquote(t).matchAll(/(?:^|\n)\s*["']?([A-Za-z_][A-Za-z0-9_-]*)(?:=|<<)/g)].map((m) => m[1]));
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
}

interface ExprContext {
  /** Secret names that hold identifiers, not confidential values. */
  identifierSecrets: RegExp;
  env: Map<string, Taint>;
  /** Files of the job's workspace that hold secret content, by path as written. */
  files: Map<string, Taint>;
  /** `stepId.output` -> taint; `stepId.*` when every output of the step may carry a secret. */
  outputs: Map<string, Taint>;
  jobOutputs: Map<string, Map<string, Taint>>;
}

export function readTaint(read: SecretRead): Taint {
  return { chain: [`${read.label} in step '${read.step.label}'`], tokenOnly: false, derived: true };
}

function refTaint(ref: ExprRef, ctx: ExprContext): Taint | undefined {
  const [first, second, third] = ref.path;
  switch (ref.context) {
    case 'secrets': {
      if (first && identifierLike(first, ctx.identifierSecrets)) return undefined;
      const name = first === undefined ? 'secrets' : first === null ? 'secrets[…]' : `secrets.${first}`;
      return { chain: [name], tokenOnly: first?.toUpperCase() === 'GITHUB_TOKEN', derived: ref.via.includes('fromjson') };
    }
    case 'github':
      return first === 'token' ? { chain: ['github.token'], tokenOnly: true, derived: false } : undefined;
    case 'env': {
      const t = first ? ctx.env.get(first) : undefined;
      return t && extend(t, `env.${first}`, t.derived || ref.via.includes('fromjson'));
    }
    case 'steps': {
      if (!first || second !== 'outputs') return undefined;
      const t = (third ? ctx.outputs.get(`${first}.${third}`) : undefined) ?? ctx.outputs.get(`${first}.*`);
      return t && extend(t, `steps.${first}.outputs.${third ?? '*'}`);
    }
    case 'needs': {
      if (!first || second !== 'outputs' || !third) return undefined;
      const t = ctx.jobOutputs.get(first)?.get(third);
      return t && extend(t, `needs.${first}.outputs.${third}`);
    }
    default:
      return undefined;
  }
}

export function exprTaint(expr: ExprSpan, ctx: ExprContext): Taint | undefined {
  const fields = expr.text.includes('(') ? fromJsonFields(expr.text) : [];
  return merge(
    expr.refs.map((r) => {
      // `fromJSON(secrets.AZURE_CREDENTIALS).clientId` reads an identifier out of the secret.
      const field = r.via.includes('fromjson') ? fields.find((f) => f.arg.includes(refText(r))) : undefined;
      return field && identifierLike(field.field, ctx.identifierSecrets) ? undefined : refTaint(r, ctx);
    }),
  );
}

/** `secrets.A`, `env.B`, `steps.c.outputs.d`: a reference as written without brackets, lower-cased. */
function refText(ref: ExprRef): string {
  return [ref.context, ...ref.path.filter((p): p is string => p !== null)].join('.').toLowerCase();
}

const FROM_JSON_ACCESS = /fromjson\s*\(\s*([^()]*?)\s*\)((?:\s*(?:\.\s*[A-Za-z_][\w-]*|\[\s*(?:'[^']*'|\d+)\s*\]))+)/gi;

/** `fromJSON(x).a[0].b` -> { arg: 'x', field: 'b' }: the last property read from each parsed value. */
function fromJsonFields(text: string): { arg: string; field: string }[] {
  return [...text.matchAll(FROM_JSON_ACCESS)].flatMap((m) => {
    const names = [...m[2].matchAll(/\.\s*([A-Za-z_][\w-]*)|\[\s*'([^']*)'\s*\]/g)].map((n) => n[1] ?? n[2]);
    const field = names.at(-1);
    return field ? [{ arg: m[1].replace(/\s+/g, '').replace(/\[\s*'([^']*)'\s*\]/g, '.$1').toLowerCase(), field }] : [];
  });
}

function addEntries(into: Map<string, Taint>, entries: Entry[], ctx: ExprContext): void {
  for (const e of entries) {
    const taint = merge((e.value?.expressions ?? []).map((x) => exprTaint(x, ctx)));
    if (taint) into.set(e.key, taint);
    else into.delete(e.key);
  }
}

function wordTaint(word: Word, vars: Map<string, Taint>, ctx: ExprContext, reads: SecretRead[]): Taint | undefined {
  return merge([
    ...word.vars.map((v) => {
      // `${#TOKEN}` is a number.
      if (v.length) return undefined;
      // PowerShell `$($info.clientId)`: an identifier read out of a secret value; `.Length` is a number.
      if (v.member && (identifierLike(v.member, ctx.identifierSecrets) || /^(length|count)$/i.test(v.member))) return undefined;
      const t = vars.get(v.name);
      if (t && v.member) return extend(t, `$${v.name}.${v.member}`, true);
      return t && (t.chain[0] === `$${v.name}` ? t : extend(t, `$${v.name}`));
    }),
    ...word.exprs.map((e) => exprTaint(e, ctx)),
    // The value of `$( a | b )` is what the last command of the pipeline prints.
    ...word.substitutions.filter((c) => !c.pipeTo).map((c) => commandOutputTaint(c, vars, ctx, reads, word.substitutions)),
  ]);
}

/** Whether a command's stdout carries a secret: what it produces, unless it writes that to a file (`-o f`). */
function commandOutputTaint(command: Command, vars: Map<string, Taint>, ctx: ExprContext, reads: SecretRead[], siblings: Command[] = []): Taint | undefined {
  return outputFileArg(command) === undefined ? commandDataTaint(command, vars, ctx, reads, siblings) : undefined;
}

/**
 * Whether what a command produces carries a secret: it reads one from a store, prints a fresh
 * credential, or transforms a secret it was given (arguments, here-doc, a file, or the command piping into it).
 */
function commandDataTaint(command: Command, vars: Map<string, Taint>, ctx: ExprContext, reads: SecretRead[], siblings: Command[] = []): Taint | undefined {
  const read = reads.find((r) => r.command === command);
  if (read) return read.secretOutput ? readTaint(read) : undefined;
  const { name, args } = effectiveCommand(command);
  if (TOKEN_COMMANDS.some((p) => commandMatches(command, p))) return { chain: [`${name} ${args.slice(0, 2).map((a) => a.text).join(' ')} output`], tokenOnly: false, derived: true };
  if (!TRANSFORMERS.has(name)) return undefined;
  const mode = TRANSFORMER_MODES[name];
  if (mode && !args.some((a) => mode.test(a.text))) return undefined;
  const quiet = QUIET_FLAGS[name];
  if (quiet && args.some((a) => quiet.test(a.text))) return undefined;
  // `jq -r .clientId`: extracting an identifier from a secret document does not print the secret.
  const field = (name === 'jq' || name === 'yq') && extractedField(args);
  if (field && identifierLike(field, ctx.identifierSecrets)) return undefined;
  const stdinWords = command.redirects.filter((r) => r.op.startsWith('<') && r.target).map((r) => r.target!);
  const fileTaint = (w: Word) => ctx.files.get(normalizePath(unquote(w.text)));
  // `gpg --import <(printf %s "$KEY")`: the command reads what the process substitution prints.
  const fileSubstitutionTaint = (w: Word) => merge((w.fileSubstitutions ?? []).map((c) => commandOutputTaint(c, vars, ctx, reads, w.fileSubstitutions)));
  const upstream = command.pipeFrom && siblings.includes(command.pipeFrom) ? command.pipeFrom : undefined;
  const inputs = merge([
    ...args.map((a) => wordTaint(a, vars, ctx, reads) ?? fileTaint(a) ?? fileSubstitutionTaint(a)),
    ...stdinWords.map((w) => (command.stdin === 'file' ? fileTaint(w) : wordTaint(w, vars, ctx, reads))),
    upstream && commandOutputTaint(upstream, vars, ctx, reads, siblings),
  ]);
  if (!inputs) return undefined;
  // Decoding, extracting or reformatting produces a value GitHub does not know to mask.
  return PASS_THROUGH.has(name) ? inputs : extend(inputs, `${name} output`, true);
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

/** Every name a step may read from its environment: `$X`, `${X}`, `$env:X`, `${{ env.X }}`. */
function referencedNames(step: Step): Set<string> {
  const names = new Set<string>();
  const texts = [step.run?.text ?? '', ...step.with.map((e) => e.value?.text ?? ''), ...step.env.map((e) => e.value?.text ?? '')];
  for (const text of texts) for (const m of text.matchAll(/(?:\$\{?|\$env:|\benv\.)([A-Za-z_]\w*)/gi)) names.add(m[1]);
  return names;
}

/** `./out/secret.json` and `out/secret.json` name the same file. */
export function normalizePath(path: string): string {
  return path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

/**
 * Where a file a step wrote sits relative to the workspace, which `path:` of actions/cache and
 * actions/upload-artifact is relative to: `out/a.json` with `working-directory: app` is
 * `app/out/a.json`, `$GITHUB_WORKSPACE/x` is `x`. Undefined outside the workspace (`/tmp`, `~`,
 * `$RUNNER_TEMP`, `$HOME`) or under a directory only known at run time (`$OUT_DIR/x`).
 */
export function workspacePath(path: string, workingDirectory?: string): string | undefined {
  const p = unquote(path.trim());
  const workspace = /^(\$\{\{\s*github\.workspace\s*\}\}|\$\{?GITHUB_WORKSPACE\}?)(\/|$)/.exec(p);
  if (workspace) {
    const rest = p.slice(workspace[0].length);
    return rest.includes('$') ? undefined : normalizePath(rest);
  }
  if (/^[/~\\]|^[A-Za-z]:|\$/.test(p)) return undefined;
  const dir = workingDirectory ? workspacePath(workingDirectory) : '';
  if (dir === undefined) return undefined;
  const relative = normalizePath(p) === '.' ? '' : normalizePath(p);
  return [dir, relative].filter((x) => x !== '').join('/');
}

export function unquote(text: string): string {
  return text.replace(/^(["'])(.*)\1$/s, '$2');
}

/** The file a command writes its output to: `--out-file f`, `--file f`, `gpg -o f`. */
function outputFileArg(command: Command): string | undefined {
  const { name, args } = effectiveCommand(command);
  const flags = OUTPUT_FILE_FLAGS_OF[name] ?? OUTPUT_FILE_FLAGS;
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = args[i].text.startsWith('--') ? args[i].text.split(/=(.*)/s) : [args[i].text];
    if (flags.test(flag)) return unquote(value ?? args[i + 1]?.text ?? '');
  }
  return undefined;
}

/** Variables an `echo`/`printf` piped into `command` prints (`printf '%s\n' "$key" | while read -r line`). */
function printedInto(command: Command): string[] {
  if (command.stdin !== 'pipe') return [];
  const printer = command.pipeFrom;
  if (!printer) return [];
  const { name, args } = effectiveCommand(printer);
  return name === 'echo' || name === 'printf' ? args.flatMap((a) => a.vars.map((v) => v.name)) : [];
}
