import type { Deployment } from '../analysis/deploy.js';
import type { Taint } from '../analysis/taint/value.js';
import type { Job, Step } from '../workflow/model.js';

/** `45 min`, `1 h 30 min`, `20 s`: durations as people say them. */
export function humanDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

export function stepName(step: Step): string {
  return `'${step.label}'`;
}

/**
 * A name as a first line shows it: cut after `max` characters, so that a long job id, secret or step name
 * cannot push the line past its 120 characters (the explanation has it whole).
 */
export function brief(name: string, max = 32): string {
  return name.length > max ? `${name.slice(0, max - 1)}…` : name;
}

/** A step as a first line names it: an action without its `@ref`, a long label cut. */
export function briefStepName(step: Step): string {
  const label = step.uses && step.label === step.uses.text ? step.label.replace(/@[^@]*$/, '') : step.label;
  return `'${brief(label, 40)}'`;
}

/** How the deploy rules open a finding about a job: `Job 'deploy' deploys (it sets …)`. */
export function jobDeploys(job: Job, deployment: Deployment): string {
  return `Job '${job.id}' deploys (${deployment.reason})`;
}

/** The nearest link of a value's chain back to its secret that is one word (`$TOKEN`, `secrets.X`, `env.Y`). */
export function chainHead(taint: Taint): string {
  const word = taint.chain.find((link) => !/\s/.test(link));
  return word ? `\`${brief(word)}\`` : 'A secret-derived value';
}

/**
 * A diagnostic as a first line and an explanation. Diagnostics say what is wrong, then after the first
 * `; ` or `. ` (outside backticks) what follows from it: `Unknown key \`stepz\` in \`jobs.a\`; GitHub rejects
 * this workflow.` The first line is what comes before it; the explanation is the whole text.
 */
export function splitDiagnostic(text: string): { message: string; detail?: string } {
  let inCode = false;
  for (let i = 0; i < text.length - 1; i++) {
    if (text[i] === '`') inCode = !inCode;
    else if (!inCode && (text[i] === ';' || text[i] === '.') && text[i + 1] === ' ')
      return { message: text.slice(0, i), detail: text };
  }
  return { message: text.replace(/\.$/, '') };
}

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');
}

/** `Jobs 'a', 'b' and 'c'`, or `Jobs 'a', 'b' and 19 more`. */
export function jobList(jobs: Job[]): string {
  const names = jobs.map((job) => `'${job.id}'`);
  if (names.length <= 3) return `Jobs ${listOf(names)}`;
  return `Jobs ${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
}
