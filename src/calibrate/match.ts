import type { MeasuredStats, WorkflowHistory } from '../analysis/durations.js';
import { jobRunName, matchesJobName, matchesStepName, stepRunName } from '../analysis/run-names.js';
import type { Job, Step, Workflow } from '../workflow/model.js';
import type { RecordedJob, RecordedRun, RecordedStep } from './payloads.js';

/** A workflow file the runs are matched against: `key` is its path from the repository root. */
export interface KnownWorkflow {
  key: string;
  workflow: Workflow;
  /** The local workflow a job calls (`uses: ./…`), when it can be read. */
  called(job: Job): KnownWorkflow | undefined;
}

/**
 * Steps the runner adds around the workflow's own: the job's set-up and clean-up, the pre and post
 * parts of actions, and the service containers' start and stop.
 */
const SYNTHETIC_STEP = /^(Set up job|Complete job|Post .+|Pre .+|Initialize containers|Stop containers)$/;

/** What one workflow's runs gave. */
interface Samples {
  workflow: KnownWorkflow;
  runs: number;
  durations: number[];
  jobs: Map<Job, number[]>;
  steps: Map<Step, number[]>;
  /** Steps seen in at least one run, skipped ones included. */
  seen: Set<Step>;
  /** Jobs and steps of the runs that match nothing in the workflow, with how many runs had them. */
  unknownJobs: Map<string, number>;
  unknownSteps: Map<string, number>;
}

export interface WorkflowReport {
  workflow: string;
  runs: number;
  steps: number;
  matched: number;
  /** YAML steps that no run showed, as `job: 'step'`. */
  unmatched: { job: string; step: string }[];
  /** Names in the runs that match no job, or no step of their job (`job: name`). */
  unknownJobs: { name: string; runs: number }[];
  unknownSteps: { job: string; name: string; runs: number }[];
}

/** Seconds between two recorded times (whole seconds: GitHub records times to the second). */
function seconds(start: number | undefined, end: number | undefined): number | undefined {
  return start === undefined || end === undefined || end < start ? undefined : Math.round((end - start) / 1000);
}

/** From the first job's start to the last one's end. */
function span(jobs: RecordedJob[]): number | undefined {
  const starts = jobs.flatMap((j) => (j.startedAt === undefined ? [] : [j.startedAt]));
  const ends = jobs.flatMap((j) => (j.completedAt === undefined ? [] : [j.completedAt]));
  return starts.length === 0 || ends.length === 0 ? undefined : seconds(Math.min(...starts), Math.max(...ends));
}

function push<K>(map: Map<K, number[]>, key: K, value: number | undefined): void {
  if (value === undefined) return;
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}

export function statsOf(values: number[]): MeasuredStats | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const max = sorted[sorted.length - 1];
  return { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), max, samples: sorted.length };
}

/** A parallel group's entry stands for its steps: they are matched, the entry is not a YAML step. */
function flatten(steps: RecordedStep[]): RecordedStep[] {
  return steps.flatMap((step) => (step.children.length > 0 ? flatten(step.children) : [step]));
}

/**
 * Matches recorded runs to workflow files, job by job and step by step, and gathers the durations:
 * per workflow, per job (matrix legs and called jobs counted apart) and per YAML step.
 */
export class Calibration {
  private readonly samples = new Map<string, Samples>();

  constructor(private readonly workflows: KnownWorkflow[]) {}

  /** Adds a run; `forced` is the workflow it is known to be of. Gives the workflow, or undefined when none fits. */
  add(run: RecordedRun, forced?: KnownWorkflow): KnownWorkflow | undefined {
    const workflow = forced ?? this.workflowOf(run);
    if (!workflow) return undefined;
    const samples = this.samplesOf(workflow);
    // The jobs of the run each workflow got: this one, and the local workflows it calls.
    const runJobs = new Map<Samples, RecordedJob[]>([[samples, run.jobs]]);
    const unknownJobs = new Set<string>();
    const unknownSteps = new Set<string>();
    const callerSpans = new Map<string, { job: Job; jobs: RecordedJob[] }>();
    for (const recorded of run.jobs) {
      const job = this.jobNamed(workflow, recorded.name);
      if (job) {
        this.addJob(samples, job, recorded, unknownSteps);
        continue;
      }
      const call = this.calledJob(workflow, recorded, unknownSteps);
      if (call?.samples) runJobs.set(call.samples, [...(runJobs.get(call.samples) ?? []), recorded]);
      if (call) {
        const span = callerSpans.get(call.caller) ?? { job: call.job, jobs: [] };
        span.jobs.push(recorded);
        callerSpans.set(call.caller, span);
      } else unknownJobs.add(recorded.name);
    }
    // A job that calls a workflow lasts from its first called job's start to its last one's end.
    for (const { job, jobs } of callerSpans.values()) push(samples.jobs, job, span(jobs));
    for (const [touched, jobs] of runJobs) {
      touched.runs++;
      const duration = span(jobs);
      if (duration !== undefined) touched.durations.push(duration);
    }
    for (const name of unknownJobs) samples.unknownJobs.set(name, (samples.unknownJobs.get(name) ?? 0) + 1);
    for (const key of unknownSteps) samples.unknownSteps.set(key, (samples.unknownSteps.get(key) ?? 0) + 1);
    return workflow;
  }

  /** The workflow a run is of: by its file, its name, else the one most of its jobs' names match. */
  private workflowOf(run: RecordedRun): KnownWorkflow | undefined {
    const byPath = this.workflows.find((w) => run.workflowPath && w.key === run.workflowPath);
    if (byPath) return byPath;
    // A workflow without a name shows as its path.
    const byName = this.workflows.find((w) => run.workflowName === (w.workflow.name?.text ?? w.key));
    if (byName) return byName;
    let best: { workflow: KnownWorkflow; score: number } | undefined;
    for (const workflow of this.workflows) {
      const score = run.jobs.filter(
        (j) => this.jobNamed(workflow, j.name) || this.callerOf(workflow, j.name.split(' / ')[0]),
      ).length;
      if (score > 0 && (!best || score > best.score)) best = { workflow, score };
    }
    return best?.workflow;
  }

  private samplesOf(workflow: KnownWorkflow): Samples {
    let samples = this.samples.get(workflow.key);
    if (!samples) {
      samples = {
        workflow,
        runs: 0,
        durations: [],
        jobs: new Map(),
        steps: new Map(),
        seen: new Set(),
        unknownJobs: new Map(),
        unknownSteps: new Map(),
      };
      this.samples.set(workflow.key, samples);
    }
    return samples;
  }

  /** The job with steps whose run name (matrix values aside) is `name`. */
  private jobNamed(workflow: KnownWorkflow, name: string): Job | undefined {
    const jobs = workflow.workflow.jobs.filter((j) => !j.uses);
    return jobs.find((j) => jobRunName(j) === name) ?? jobs.find((j) => matchesJobName(jobRunName(j), name));
  }

  private callerOf(workflow: KnownWorkflow, name: string): Job | undefined {
    return workflow.workflow.jobs.find((j) => j.uses && matchesJobName(jobRunName(j), name));
  }

  /**
   * A job of a called workflow shows as `caller / callee`: the caller's run name (matrix values
   * included), then the called job's. Its steps count for the called workflow when it is a local file.
   */
  private calledJob(workflow: KnownWorkflow, recorded: RecordedJob, unknownSteps: Set<string>) {
    const parts = recorded.name.split(' / ');
    for (let cut = 1; cut < parts.length; cut++) {
      const caller = parts.slice(0, cut).join(' / ');
      const job = this.callerOf(workflow, caller);
      if (!job) continue;
      const called = workflow.called(job);
      const callee = called && this.jobNamed(called, parts.slice(cut).join(' / '));
      if (!called || !callee) return { caller, job };
      const samples = this.samplesOf(called);
      this.addJob(samples, callee, recorded, unknownSteps);
      return { caller, job, samples };
    }
    return undefined;
  }

  private addJob(samples: Samples, job: Job, recorded: RecordedJob, unknownSteps: Set<string>): void {
    push(
      samples.jobs,
      job,
      recorded.conclusion === 'skipped' ? undefined : seconds(recorded.startedAt, recorded.completedAt),
    );
    const used = new Set<Step>();
    let cursor = 0;
    for (const step of flatten(recorded.steps)) {
      const candidates = job.steps.filter((s) => !used.has(s) && matchesStepName(stepRunName(s), step.name));
      const exact = candidates.some((s) => stepRunName(s) === step.name);
      if (candidates.length === 0 || (SYNTHETIC_STEP.test(step.name) && !exact)) {
        if (!SYNTHETIC_STEP.test(step.name)) unknownSteps.add(`${job.id}\0${step.name}`);
        continue;
      }
      // In YAML order, but the steps of a parallel group may be listed in any order.
      const yaml = candidates.find((s) => s.index >= cursor) ?? candidates[0];
      used.add(yaml);
      cursor = yaml.index + 1;
      samples.seen.add(yaml);
      if (step.conclusion !== 'skipped') push(samples.steps, yaml, seconds(step.startedAt, step.completedAt));
    }
  }

  /** The measured durations of every workflow that runs gave, by its key. */
  history(): Record<string, WorkflowHistory> {
    const history: Record<string, WorkflowHistory> = {};
    for (const [key, samples] of [...this.samples].sort(([a], [b]) => a.localeCompare(b))) {
      const jobs: WorkflowHistory['jobs'] = {};
      for (const job of samples.workflow.workflow.jobs) {
        const duration = statsOf(samples.jobs.get(job) ?? []);
        const steps = job.steps.flatMap((step) => {
          const stats = statsOf(samples.steps.get(step) ?? []);
          return stats ? [{ index: step.index, name: stepRunName(step), duration: stats }] : [];
        });
        if (duration || steps.length > 0) jobs[job.id] = { ...(duration ? { duration } : {}), steps };
      }
      const duration = statsOf(samples.durations);
      history[key] = { runs: samples.runs, ...(duration ? { duration } : {}), jobs };
    }
    return history;
  }

  /** Per workflow: its YAML steps that the runs showed and those they did not, and what matched nothing. */
  report(): WorkflowReport[] {
    return [...this.samples.values()]
      .sort((a, b) => a.workflow.key.localeCompare(b.workflow.key))
      .map((samples) => {
        const jobs = samples.workflow.workflow.jobs;
        const steps = jobs.flatMap((job) => job.steps.map((step) => ({ job, step })));
        return {
          workflow: samples.workflow.key,
          runs: samples.runs,
          steps: steps.length,
          matched: steps.filter(({ step }) => samples.seen.has(step)).length,
          unmatched: steps
            .filter(({ step }) => !samples.seen.has(step))
            .map(({ job, step }) => ({ job: job.id, step: step.label })),
          unknownJobs: [...samples.unknownJobs].map(([name, runs]) => ({ name, runs })),
          unknownSteps: [...samples.unknownSteps].map(([key, runs]) => {
            const [job, name] = key.split('\0');
            return { job, name, runs };
          }),
        };
      });
  }
}
