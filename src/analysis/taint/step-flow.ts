import type { ExprSpan } from '../../workflow/expressions.js';
import type { Step } from '../../workflow/model.js';
import type { SecretRead } from '../secret-stores.js';
import type { Command, Script, Word } from '../shell/script.js';
import type { Taint } from './value.js';

/** Secret flow facts for one step: what rules ask about its values and its writes. */
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
  stdoutTaint(command: Command): Taint | undefined;
  envWrites: EnvFileWrite[];
  fileWrites: FileWrite[];
  summaryWrites: SummaryWrite[];
  masks: MaskRegistration[];
  reads: SecretRead[];
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
  return (
    vars.every((v) => before.some((m) => m.vars.has(v.name))) &&
    exprs.every((e) => before.some((m) => m.exprs.has(e.text)))
  );
}
