import type { Duration } from '../workflow/graph.js';
import type { Step } from '../workflow/model.js';
import type { SourceFile } from '../workflow/source.js';
import { CLASSES, DURATION_RULES, type DurationClass } from './duration-classes.js';
import { parseSeconds } from './credentials.js';
import { actionName, effectiveCommand } from './match.js';
import type { Script } from './shell/script.js';

export interface StepDuration extends Duration {
  /** Why: "hint", "settings.durations", "timeout-minutes", "sleep 600", or a class name. */
  basis: string;
}

/** A user's pattern from `settings.durations`: `{ match: "regex", typical: "20m", worst: "1h" }`. */
export interface DurationSetting {
  match: RegExp;
  typical: number;
  worst: number;
}

export function durationSettings(settings: Record<string, unknown>): DurationSetting[] {
  const list = settings.durations;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => {
    if (!entry || typeof entry !== 'object') return [];
    const e = entry as Record<string, unknown>;
    const typical = parseSeconds(String(e.typical ?? ''));
    const worst = parseSeconds(String(e.worst ?? e.typical ?? ''));
    if (typeof e.match !== 'string' || typical === undefined || worst === undefined) return [];
    try {
      return [{ match: new RegExp(e.match), typical, worst }];
    } catch {
      return [];
    }
  });
}

const HINT = /#\s*wf-lint:\s*duration=(\S+?)(?:\s*,\s*worst=(\S+))?\s*$/;

/** A `# wf-lint: duration=45m[, worst=2h]` comment on one of the step's lines or the line above it. */
function hint(step: Step, file: SourceFile): Duration | undefined {
  for (let line = step.range.start.line - 1; line <= step.range.end.line; line++) {
    const m = HINT.exec(file.lineText(line));
    if (!m) continue;
    const typical = parseSeconds(m[1]);
    if (typical === undefined) continue;
    return { typical, worst: parseSeconds(m[2]) ?? typical };
  }
  return undefined;
}

function classify(step: Step, script: Script | undefined): DurationClass {
  const action = actionName(step);
  const lines = step.run?.text.split('\n') ?? [];
  for (const rule of DURATION_RULES) {
    if (action && rule.actions?.test(action)) return CLASSES[rule.class];
    if (rule.script && lines.some((l) => rule.script!.test(l))) return CLASSES[rule.class];
  }
  // A script made only of short commands is short.
  if (script && script.commands.length > 0 && script.commands.every((c) => DURATION_RULES[2].script!.test(c.name))) return CLASSES.short;
  return CLASSES.unknown;
}

/** `sleep N` commands add exactly N seconds. */
function sleeps(script: Script | undefined): number {
  let total = 0;
  for (const c of script?.commands ?? []) {
    const { name, args } = effectiveCommand(c);
    if (name === 'sleep' || name === 'Start-Sleep') total += parseSeconds(args.find((a) => !a.text.startsWith('-'))?.text) ?? 0;
  }
  return total;
}

export function estimateDuration(step: Step, script: Script | undefined, file: SourceFile, settings: DurationSetting[]): StepDuration {
  const hinted = hint(step, file);
  if (hinted) return { ...hinted, basis: 'a wf-lint duration hint' };
  const subject = [step.uses?.text, step.name?.text, step.run?.text].filter(Boolean).join('\n');
  const configured = settings.find((s) => s.match.test(subject));
  if (configured) return { typical: configured.typical, worst: configured.worst, basis: 'settings.durations' };
  const slept = sleeps(script);
  const cls = classify(step, script);
  const timeout = parseSeconds(step.timeoutMinutes?.text) !== undefined ? parseSeconds(step.timeoutMinutes!.text)! * 60 : undefined;
  const typical = cls.typical * 60 + slept;
  // timeout-minutes bounds the step: it is the worst case, and the typical run fits in it.
  if (timeout !== undefined) return { typical: Math.min(typical, timeout), worst: timeout, basis: `timeout-minutes: ${step.timeoutMinutes!.text}` };
  return { typical, worst: cls.worst * 60 + slept, basis: slept > 0 && cls === CLASSES.unknown ? `sleep ${slept}` : `${cls.name} step` };
}
