import type { Deployment } from '../analysis/deploy.js';
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

/** How the deploy rules open a finding about a job: `Job 'deploy' deploys (it sets …)`. */
export function jobDeploys(job: Job, deployment: Deployment): string {
  return `Job '${job.id}' deploys (${deployment.reason})`;
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
