import type { DurationSetting } from '../config/settings.js';
import type { Duration } from '../workflow/graph.js';
import type { Job, Step } from '../workflow/model.js';
import type { SourceFile } from '../workflow/source.js';
import { CLASSES, DURATION_RULES, type DurationClass } from './duration-classes.js';
import { parseSeconds } from './credentials.js';
import { actionName, effectiveCommand } from './match.js';
import { stepRunName } from './run-names.js';
import { NO_WORK } from './shell/commands.js';
import type { Script } from './shell/script.js';

export interface StepDuration extends Duration {
  /**
   * Why: "hint", "settings.durations", "timeout-minutes", "sleep 600", a class name, or "measured over
   * 40 runs".
   */
  basis: string;
  /** Where the numbers come from: measured runs (`wf-lint calibrate`), or an estimate from the YAML. */
  provenance: DurationProvenance;
}

export type DurationProvenance = ({ source: 'measured' } & MeasuredStats) | { source: 'estimate' };

/** Seconds a workflow, job or step took over recorded runs (`.wf-lint/durations.json`, docs/durations-format.md). */
export interface MeasuredStats {
  p50: number;
  p90: number;
  max: number;
  /** How many runs (matrix legs counted apart) the numbers come from. */
  samples: number;
}

/** A step's measured durations, found by its name in a run and its place among the job's steps of that name. */
export interface MeasuredStep {
  /** The step's position in the job's runnable steps when it was recorded. */
  index: number;
  /** Its name in a run, as a template (`stepRunName`). */
  name: string;
  duration: MeasuredStats;
}

export interface MeasuredJob {
  duration?: MeasuredStats;
  steps: MeasuredStep[];
}

/** One workflow's measured durations, by job id. */
export interface WorkflowHistory {
  runs: number;
  duration?: MeasuredStats;
  jobs: Record<string, MeasuredJob>;
}

/** The recorded durations of a step, if the history has them: the nth step of its name, n its place among them. */
export function measuredStep(history: WorkflowHistory | undefined, job: Job, step: Step): MeasuredStats | undefined {
  const recorded = history?.jobs[job.id]?.steps;
  if (!recorded) return undefined;
  const name = stepRunName(step);
  const nth = job.steps.slice(0, step.index).filter((s) => stepRunName(s) === name).length;
  return recorded.filter((s) => s.name === name)[nth]?.duration;
}

/** A measured step's typical and worst case: its median and its 90th percentile. */
function fromMeasured(stats: MeasuredStats): StepDuration {
  return {
    typical: stats.p50,
    worst: stats.p90,
    basis: `measured over ${runsCount(stats.samples)}`,
    provenance: { source: 'measured', ...stats },
  };
}

/** `1 run`, `40 runs`. */
export function runsCount(samples: number): string {
  return `${samples} ${samples === 1 ? 'run' : 'runs'}`;
}

const ESTIMATE: DurationProvenance = { source: 'estimate' };

const HINT = /#\s*wf-lint:\s*duration=(\S+?)(?:\s*,\s*worst=(\S+))?\s*$/;

/** A `# wf-lint: duration=45m[, worst=2h]` comment on one of the step's lines or on a comment line just above it. */
function hint(step: Step, file: SourceFile): Duration | undefined {
  // A range that ends at the start of a line does not own that line (it belongs to the next step).
  const last = step.range.end.column <= 1 ? step.range.end.line - 1 : step.range.end.line;
  for (let line = step.range.start.line - 1; line <= last; line++) {
    const text = file.lineText(line);
    if (line < step.range.start.line && !/^\s*#/.test(text)) continue;
    const m = HINT.exec(text);
    if (!m) continue;
    const typical = parseSeconds(m[1]);
    if (typical === undefined) continue;
    return { typical, worst: parseSeconds(m[2]) ?? typical };
  }
  return undefined;
}

/** The commands of a script as text, or its non-blank lines when the shell is not read. */
function commandTexts(step: Step, script: Script | undefined): { text: string; printer: boolean }[] {
  if (!script || script.kind === 'unsupported')
    return (step.run?.text.split('\n') ?? []).filter((l) => l.trim() !== '').map((text) => ({ text, printer: false }));
  const text = script.value.text;
  return script.commands.map((c) => ({
    text: text.slice(c.start, c.end),
    printer: NO_WORK.has(effectiveCommand(c).name),
  }));
}

function classify(step: Step, script: Script | undefined): DurationClass {
  const action = actionName(step);
  const commands = commandTexts(step, script);
  for (const rule of DURATION_RULES) {
    if (action && rule.actions?.test(action)) return CLASSES[rule.class];
    if (!rule.script || commands.length === 0) continue;
    // One long (or medium) command makes the step long (or medium), printed text aside; a step is
    // short only when every command is.
    const matches =
      rule.class === 'short'
        ? commands.every((c) => rule.script!.test(c.text))
        : commands.some((c) => !c.printer && rule.script!.test(c.text));
    if (matches) return CLASSES[rule.class];
  }
  return CLASSES.unknown;
}

/** `sleep N` commands add exactly N seconds. */
function sleeps(script: Script | undefined): number {
  let total = 0;
  for (const c of script?.commands ?? []) {
    const { name, args } = effectiveCommand(c);
    if (name === 'sleep' || name === 'Start-Sleep')
      total += parseSeconds(args.find((a) => !a.text.startsWith('-'))?.text) ?? 0;
  }
  return total;
}

/**
 * A step's duration: a `# wf-lint: duration=` hint on it, else its measured durations (`measured`,
 * from `wf-lint calibrate`), else `settings.durations`, `timeout-minutes`, and the class table.
 */
export function estimateDuration(
  step: Step,
  script: Script | undefined,
  file: SourceFile,
  settings: DurationSetting[],
  measured?: MeasuredStats,
): StepDuration {
  const hinted = hint(step, file);
  if (hinted) return { ...hinted, basis: 'a wf-lint duration hint', provenance: ESTIMATE };
  if (measured) return fromMeasured(measured);
  // Patterns match the step's `uses:`, name, script and inputs (an action's `script:` input is often what runs).
  const subject = [step.uses?.text, step.name?.text, step.run?.text, ...step.with.map((e) => e.value?.text)]
    .filter(Boolean)
    .join('\n');
  const configured = settings.find((s) => s.match.test(subject));
  if (configured)
    return { typical: configured.typical, worst: configured.worst, basis: 'settings.durations', provenance: ESTIMATE };
  const slept = sleeps(script);
  const cls = classify(step, script);
  const timeout =
    parseSeconds(step.timeoutMinutes?.text) !== undefined ? parseSeconds(step.timeoutMinutes!.text)! * 60 : undefined;
  const typical = cls.typical * 60 + slept;
  // timeout-minutes bounds the step: it is the worst case, and the typical run fits in it.
  if (timeout !== undefined)
    return {
      typical: Math.min(typical, timeout),
      worst: timeout,
      basis: `timeout-minutes: ${step.timeoutMinutes!.text}`,
      provenance: ESTIMATE,
    };
  return {
    typical,
    worst: cls.worst * 60 + slept,
    basis: slept > 0 && cls === CLASSES.unknown ? `sleep ${slept}` : `${cls.name} step`,
    provenance: ESTIMATE,
  };
}
