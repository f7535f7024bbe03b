import type { Job, Step, Workflow } from '../../workflow/model.js';
import { effectiveCommand } from '../match.js';
import { CREDENTIAL_ENV } from '../providers.js';
import type { SecretRead } from '../secret-stores.js';
import { identifierLike, SECRET_LIKE_NAME } from '../secret-values.js';
import type { Assignment, Command, Script } from '../shell/script.js';
import { outputFileArg, producedTaint, stdoutTaint, wordTaint } from './command.js';
import { assignsVariable, COMMAND_EFFECTS, type CommandScope } from './command-effects.js';
import { addEntries, exprTaint, type TaintContext } from './expression.js';
import type { StepFlow } from './step-flow.js';
import { extend, merge, readTaint, type Taint } from './value.js';

/** Variables the runner and the shell set: never a secret's hiding place. */
const RUNNER_ENV =
  /^(GITHUB_\w+|RUNNER_\w+|CI|HOME|PATH|PWD|USER|SHELL|HOSTNAME|RANDOM|LINENO|SECONDS|\?|#|@|\*|\d+|_)$/;

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
    const { workflow, identifierSecrets } = this.inputs;
    const base = new Map<string, Taint>();
    const outputs = new Map<string, Taint>();
    const files = new Map<string, Taint>();
    const ctx = (env: Map<string, Taint>): TaintContext => ({
      identifierSecrets,
      env,
      files,
      outputs,
      jobOutputs: this.jobOutputs,
    });
    addEntries(base, workflow.env, ctx(base));
    addEntries(base, job.env, ctx(base));
    const baseNames = new Set([...workflow.env, ...job.env].map((e) => e.key));
    for (const step of job.steps) {
      const env = new Map(base);
      const unnamedExports = this.inheritEnv(job, step, env, baseNames);
      if (unnamedExports.length > 0) addUnnamedExports(step, env, unnamedExports, baseNames, identifierSecrets);
      addEntries(env, step.env, ctx(env));
      const knownEnv = new Set([...baseNames, ...step.env.map((e) => e.key), ...env.keys()]);
      const flow = this.analyzeStep(step, env, ctx(env), knownEnv);
      this.flows.set(step, flow);
      if (step.id?.text) addStepOutputs(step.id.text, flow, outputs);
    }
    const produced = new Map<string, Taint>();
    for (const output of job.outputs) {
      const taint = merge((output.value?.expressions ?? []).map((e) => exprTaint(e, ctx(base))));
      if (taint) produced.set(output.key, extend(taint, `jobs.${job.id}.outputs.${output.key}`));
    }
    this.jobOutputs.set(job.id, produced);
  }

  /**
   * Adds to `env` what earlier steps of the job export (`$GITHUB_ENV` writes, secret reads), and
   * their names to `names`. Returns the reads that export names the workflow cannot spell out.
   */
  private inheritEnv(job: Job, step: Step, env: Map<string, Taint>, names: Set<string>): SecretRead[] {
    const unnamedExports: SecretRead[] = [];
    for (const earlier of this.inputs.before(job, step)) {
      const flow = this.flows.get(earlier);
      for (const write of flow?.envWrites ?? []) {
        if (write.file !== 'env' || !write.name) continue;
        names.add(write.name);
        if (write.taint) env.set(write.name, write.taint);
      }
      for (const read of flow?.reads ?? []) {
        for (const name of read.exportsEnv) env.set(name, readTaint(read));
        if (read.exportsEnvPrefixes.length > 0 || read.exportsUnknownEnv) unnamedExports.push(read);
      }
    }
    return unnamedExports;
  }

  private analyzeStep(
    step: Step,
    env: Map<string, Taint>,
    context: TaintContext,
    knownEnvNames: Set<string>,
  ): StepFlow {
    const script = this.inputs.scriptOf(step);
    const reads = this.inputs.readsOf(step).filter((r) => r.secret);
    // Commands and snapshots share the scope of their point in the script; an assignment copies it
    // first (a big env copied per command was a good part of the analysis's time and garbage).
    const scopes = new Map<Command, Map<string, Taint>>();
    const snapshots: { at: number; vars: Map<string, Taint> }[] = [];
    const varsBefore = (index: number) => snapshots.findLast((s) => s.at <= index)?.vars ?? env;
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
      wordTaint: (word, at) =>
        wordTaint(word, { vars: typeof at === 'number' ? varsBefore(at) : (scopes.get(at) ?? env), context, reads }),
      stdoutTaint: (command) =>
        stdoutTaint(command, { vars: scopes.get(command) ?? env, context, reads }, script?.commands ?? []),
    };
    if (!script) return flow;
    const stepRead = reads.find((r) => r.command === undefined) ?? reads[0];
    // Names the script can account for: its own variables and the environment it was given.
    const known = new Set([...knownEnvNames, ...script.assignments.map((a) => a.name)]);
    const unaccounted = (command: Command) =>
      effectiveCommand(command).args.some((a) => a.vars.some((v) => !known.has(v.name) && !RUNNER_ENV.test(v.name)));
    const scope: CommandScope = {
      flow,
      vars: env,
      context,
      reads,
      commands: script.commands,
      produced: undefined,
      stdout: undefined,
      unaccountedRead: undefined,
      readSources: new Map(),
    };
    // Walk assignments and commands in source order, tracking the script's variables.
    for (const event of inSourceOrder(script)) {
      if ('assignment' in event) {
        assignsVariable(event.assignment, scope);
        snapshots.push({ at: event.start + 1, vars: scope.vars });
        continue;
      }
      const { command } = event;
      scopes.set(command, scope.vars);
      scope.produced = producedTaint(command, scope, script.commands);
      scope.stdout = outputFileArg(command) === undefined ? scope.produced : undefined;
      scope.unaccountedRead = stepRead && unaccounted(command) ? stepRead : undefined;
      for (const effect of COMMAND_EFFECTS) effect(command, scope);
    }
    return flow;
  }
}

/** A script's assignments and commands by where they start; an assignment first when both start together. */
function inSourceOrder(
  script: Script,
): ({ start: number; assignment: Assignment } | { start: number; command: Command })[] {
  return [
    ...script.assignments.map((a) => ({ start: a.start, assignment: a })),
    ...script.commands.map((c) => ({ start: c.start, command: c })),
  ].sort((a, b) => a.start - b.start);
}

/**
 * Names a read exported but the workflow cannot spell out (JSON keys, dynamic secret ids): the
 * names this step uses that nothing else defines, and that the read's naming allows.
 */
function addUnnamedExports(
  step: Step,
  env: Map<string, Taint>,
  unnamedExports: SecretRead[],
  baseNames: Set<string>,
  identifierSecrets: RegExp,
): void {
  const defined = new Set([...baseNames, ...step.env.map((e) => e.key), ...env.keys()]);
  for (const name of referencedNames(step)) {
    if (defined.has(name) || RUNNER_ENV.test(name) || CREDENTIAL_ENV.test(name)) continue;
    const upper = name.toUpperCase();
    // `DB_PASSWORD` from the JSON keys of secret DB is a secret; `DB_HOST` is an identifier.
    const keyOf = (prefix: string) => (upper.startsWith(prefix) ? upper.slice(prefix.length) : undefined);
    const read = unnamedExports.find(
      (r) =>
        r.exportsEnvPrefixes.some(
          (p) => keyOf(p) !== undefined && !identifierLike(keyOf(p) || name, identifierSecrets),
        ) ||
        (r.exportsUnknownEnv && SECRET_LIKE_NAME.test(name) && !identifierLike(name, identifierSecrets)),
    );
    if (read) env.set(name, readTaint(read));
  }
}

/** The outputs a step sets that may carry a secret, as `stepId.name` (`stepId.*` for any). */
function addStepOutputs(id: string, flow: StepFlow, outputs: Map<string, Taint>): void {
  for (const write of flow.envWrites)
    if (write.file === 'output' && write.name && write.taint) outputs.set(`${id}.${write.name}`, write.taint);
  for (const read of flow.reads) {
    for (const name of read.exportsOutputs) outputs.set(`${id}.${name}`, readTaint(read));
    // An action's outputs may all carry what it read; a script's are known by name, unless it
    // writes some the script does not spell out.
    const unnamed =
      read.command === undefined
        ? read.exportsOutputs.length === 0
        : flow.envWrites.some((w) => w.file === 'output' && !w.name);
    if (unnamed) outputs.set(`${id}.*`, readTaint(read));
  }
}

/** Every name a step may read from its environment: `$X`, `${X}`, `$env:X`, `${{ env.X }}`. */
function referencedNames(step: Step): Set<string> {
  const names = new Set<string>();
  const texts = [
    step.run?.text ?? '',
    ...step.with.map((e) => e.value?.text ?? ''),
    ...step.env.map((e) => e.value?.text ?? ''),
  ];
  for (const text of texts) for (const m of text.matchAll(/(?:\$\{?|\$env:|\benv\.)([A-Za-z_]\w*)/gi)) names.add(m[1]);
  return names;
}
