import type { ExprRef } from './expressions.js';
import type { Entry, Job, ScalarValue, Step, Workflow } from './model.js';

/** A value flowing from where it is produced to where it is read. */
export interface DataEdge {
  kind: 'step-output' | 'job-output' | 'github-env';
  /** Producer: a step (same job) or a job (for job outputs). */
  from: { job: string; step?: number };
  to: { job: string; step?: number };
  /** The name carried: the output name or the environment variable. */
  name: string;
}

/** Every scalar of a step whose expressions are evaluated by the runner. */
export function stepScalars(step: Step): ScalarValue[] {
  const fromEntries = (entries: Entry[]) => entries.flatMap((e) => (e.value ? [e.value] : []));
  return [
    step.run,
    step.uses,
    step.if,
    step.name,
    step.workingDirectory,
    ...fromEntries(step.with),
    ...fromEntries(step.env),
  ].filter((v): v is ScalarValue => v !== undefined);
}

export function stepRefs(step: Step): ExprRef[] {
  return stepScalars(step).flatMap((s) => s.expressions.flatMap((e) => e.refs));
}

/**
 * What a step's script does with the environment, as the script analysis reads it (the workflow
 * layer does not parse shell).
 */
export interface ScriptEnvironment {
  /** Names the step writes to `$GITHUB_ENV`. */
  envWrites(step: Step): string[];
  /** Variables the step's script reads. */
  varsRead(step: Step): Set<string>;
}

export function dataEdges(workflow: Workflow, scripts: ScriptEnvironment): DataEdge[] {
  const edges: DataEdge[] = [];
  const jobs = new Map(workflow.jobs.map((j) => [j.id, j]));
  for (const job of workflow.jobs) {
    edges.push(...stepEdges(job, scripts));
    const readers: { step?: number; refs: ExprRef[] }[] = [
      ...job.steps.map((s) => ({ step: s.index, refs: stepRefs(s) })),
      {
        refs: [...job.env, ...job.with, ...job.outputs].flatMap(
          (e) => e.value?.expressions.flatMap((x) => x.refs) ?? [],
        ),
      },
    ];
    for (const { step, refs } of readers) {
      for (const ref of refs) {
        if (ref.context !== 'needs' || ref.path[1] !== 'outputs' || !ref.path[0] || !ref.path[2]) continue;
        if (!jobs.has(ref.path[0])) continue;
        edges.push({ kind: 'job-output', from: { job: ref.path[0] }, to: { job: job.id, step }, name: ref.path[2] });
      }
    }
  }
  return edges;
}

function stepEdges(job: Job, scripts: ScriptEnvironment): DataEdge[] {
  const edges: DataEdge[] = [];
  const byId = new Map(job.steps.flatMap((s) => (s.id ? [[s.id.text, s] as const] : [])));
  const envWriters = new Map<string, Step>();
  for (const step of job.steps) {
    const into = (kind: DataEdge['kind'], from: Step, name: string) =>
      edges.push({ kind, from: { job: job.id, step: from.index }, to: { job: job.id, step: step.index }, name });
    for (const ref of stepRefs(step)) {
      if (ref.context === 'steps' && ref.path[1] === 'outputs' && ref.path[0] && ref.path[2]) {
        const producer = byId.get(ref.path[0]);
        if (producer) into('step-output', producer, ref.path[2]);
      }
      if (ref.context === 'env' && ref.path[0]) {
        const writer = envWriters.get(ref.path[0]);
        if (writer) into('github-env', writer, ref.path[0]);
      }
    }
    const read = scripts.varsRead(step);
    for (const [name, writer] of envWriters) {
      if (writer !== step && read.has(name)) into('github-env', writer, name);
    }
    for (const name of scripts.envWrites(step)) envWriters.set(name, step);
  }
  return edges;
}
