import type { Range } from '../findings.js';
import type { Job, Step, Workflow } from './model.js';

/**
 * The timeline of one job's steps as a DAG of events. Each runnable step has a start and an end
 * event joined by an edge weighted with its duration; control steps add zero-weight edges:
 * - a foreground step starts when the previous foreground point ends;
 * - `background: true` starts there, but the job's foreground moves on without waiting;
 * - `wait` / `wait-all` join the foreground with the ends of the named / all pending background steps;
 * - `parallel:` starts its members together and joins their ends;
 * - `cancel` stops a background step: it ends there at the latest and no later wait waits for it.
 */
export interface JobTimeline {
  job: Job;
  /** Runnable steps, same order as job.steps. */
  steps: Step[];
  /** Steps that run with `background:`. */
  background: Set<Step>;
  /** Where each cancelled background step was cancelled (the foreground event node). */
  cancelledAt: Map<Step, number>;
  /** Event graph: node ids 0..nodeCount-1; node 0 is the job start. */
  nodeCount: number;
  edges: TimelineEdge[];
  startNode: Map<Step, number>;
  endNode: Map<Step, number>;
  /** Problems in control steps (wait/cancel on unknown ids), reported as syntax errors. */
  problems: { message: string; range: Range }[];
}

export interface TimelineEdge {
  from: number;
  to: number;
  /** The step whose duration weighs this edge (start -> end), or undefined for a zero-weight edge. */
  step?: Step;
}

export interface Duration {
  typical: number;
  worst: number;
}

/** When something happens, in seconds from the job's start. */
export interface Span {
  start: number;
  end: number;
}

export interface Elapsed {
  /** Seconds from the end of `from` to the start of `to`, with typical and worst-case step durations. */
  typical: number;
  worst: number;
  /** The steps on the critical (longest) path between the two, in execution order. */
  path: Step[];
}

export function buildTimeline(job: Job): JobTimeline {
  const t: JobTimeline = {
    job,
    steps: job.steps,
    background: new Set(),
    cancelledAt: new Map(),
    nodeCount: 1,
    edges: [],
    startNode: new Map(),
    endNode: new Map(),
    problems: [],
  };
  const node = () => t.nodeCount++;
  const edge = (from: number, to: number, step?: Step) => t.edges.push({ from, to, step });
  const addStep = (step: Step, after: number) => {
    const start = node();
    const end = node();
    edge(after, start);
    edge(start, end, step);
    t.startNode.set(step, start);
    t.endNode.set(step, end);
    return end;
  };
  const join = (inputs: number[]) => {
    const j = node();
    for (const i of inputs) edge(i, j);
    return j;
  };
  let cursor = 0;
  // Background steps started and not yet joined or cancelled, by id (and in start order).
  const pending: Step[] = [];
  const byId = (id: string) => job.steps.find((s) => s.id?.text === id);

  for (const item of job.items) {
    switch (item.kind) {
      case 'step': {
        if (isBackground(item)) {
          addStep(item, cursor);
          t.background.add(item);
          pending.push(item);
        } else cursor = addStep(item, cursor);
        break;
      }
      case 'parallel':
        cursor = join(item.steps.map((s) => addStep(s, cursor)));
        break;
      case 'wait': {
        const ends = [cursor];
        for (const target of item.targets) {
          const step = byId(target.text);
          const names = `\`wait\` names "${target.text}"`;
          if (!step) {
            t.problems.push({
              message: `${names}, which is not the id of a step in job "${job.id}".`,
              range: target.range,
            });
            continue;
          }
          if (!t.background.has(step)) {
            t.problems.push({
              message: `${names}, which is not a background step; it has already finished by then.`,
              range: target.range,
            });
            continue;
          }
          const i = pending.indexOf(step);
          if (i >= 0) {
            pending.splice(i, 1);
            ends.push(t.endNode.get(step)!);
          }
        }
        cursor = join(ends);
        break;
      }
      case 'wait-all':
        cursor = join([cursor, ...pending.splice(0).map((s) => t.endNode.get(s)!)]);
        break;
      case 'cancel': {
        const target = item.target;
        const step = target && byId(target.text);
        cursor = join([cursor]);
        if (!target || !step) {
          t.problems.push({
            message: `\`cancel\` names "${target?.text ?? ''}", which is not the id of a step in job "${job.id}".`,
            range: target?.range ?? item.range,
          });
          break;
        }
        const i = pending.indexOf(step);
        if (i >= 0) pending.splice(i, 1);
        t.cancelledAt.set(step, cursor);
        break;
      }
    }
  }
  return t;
}

function isBackground(step: Step): boolean {
  const v = step.background?.text.trim().toLowerCase();
  // An expression may be true at run time: treat it as background, the conservative reading for timing.
  return v !== undefined && v !== 'false' && v !== '';
}

/** Happens-before and elapsed-time queries over one job's timeline. */
export class StepOrder {
  private readonly successors: number[][];
  private readonly reach = new Map<number, Uint8Array>();

  constructor(readonly timeline: JobTimeline) {
    this.successors = Array.from({ length: timeline.nodeCount }, () => []);
    for (const e of timeline.edges) this.successors[e.from].push(e.to);
  }

  /** True when `a` has ended before `b` starts, in every run. */
  happensBefore(a: Step, b: Step): boolean {
    if (a === b) return false;
    const t = this.timeline;
    const bStart = t.startNode.get(b);
    const aEnd = t.endNode.get(a);
    if (bStart === undefined || aEnd === undefined) return false;
    if (this.reachable(aEnd, bStart)) return true;
    const cancelled = t.cancelledAt.get(a);
    return cancelled !== undefined && this.reachable(cancelled, bStart);
  }

  /** True when neither step is ordered before the other: they may run at the same time. */
  mayOverlap(a: Step, b: Step): boolean {
    return a !== b && !this.happensBefore(a, b) && !this.happensBefore(b, a);
  }

  /** Steps that happen before `step`, in source order. */
  before(step: Step): Step[] {
    return this.timeline.steps.filter((s) => this.happensBefore(s, step));
  }

  /**
   * Time from the end of `from` to the start of `to` when every event happens as early as it can;
   * undefined unless `from` happens before `to`.
   */
  elapsed(from: Step, to: Step, duration: (s: Step) => Duration): Elapsed | undefined {
    if (!this.happensBefore(from, to)) return undefined;
    const typical = this.schedule((s) => duration(s).typical);
    const worst = this.schedule((s) => duration(s).worst);
    const t = this.timeline;
    const fromEnd = t.cancelledAt.get(from) ?? t.endNode.get(from)!;
    const toStart = t.startNode.get(to)!;
    return {
      typical: Math.max(0, typical.time[toStart] - typical.time[fromEnd]),
      worst: Math.max(0, worst.time[toStart] - worst.time[fromEnd]),
      path: this.criticalPath(typical, fromEnd, toStart),
    };
  }

  /**
   * When each step starts and ends, in seconds from the job's start, when every event happens as early
   * as it can: the schedule elapsed() measures. A cancelled step ends at its `cancel` at the latest.
   */
  spans(weight: (s: Step) => number): Map<Step, Span> {
    const { time } = this.schedule(weight);
    const t = this.timeline;
    return new Map(
      t.steps.map((s) => {
        const end = time[t.endNode.get(s)!];
        const cancelled = t.cancelledAt.get(s);
        return [
          s,
          { start: time[t.startNode.get(s)!], end: cancelled === undefined ? end : Math.min(end, time[cancelled]) },
        ];
      }),
    );
  }

  /** Time from the job's start to the end of its last step, when every event happens as early as it can. */
  total(duration: (s: Step) => Duration): Elapsed {
    const typical = this.schedule((s) => duration(s).typical);
    const worst = this.schedule((s) => duration(s).worst);
    const last = (times: Float64Array) => times.reduce((m, t, node) => (t > times[m] ? node : m), 0);
    return {
      typical: typical.time[last(typical.time)],
      worst: worst.time[last(worst.time)],
      path: this.criticalPath(worst, 0, last(worst.time)),
    };
  }

  private schedule(weight: (s: Step) => number): Schedule {
    const t = this.timeline;
    // Nodes are created in an order where every edge goes from a lower to a higher id.
    const time = new Float64Array(t.nodeCount);
    const via: (TimelineEdge | undefined)[] = new Array(t.nodeCount);
    const sorted = [...t.edges].sort((x, y) => x.from - y.from || x.to - y.to);
    for (const e of sorted) {
      const candidate = time[e.from] + (e.step ? weight(e.step) : 0);
      if (via[e.to] === undefined || candidate > time[e.to]) {
        time[e.to] = candidate;
        via[e.to] = e;
      }
    }
    return { time, via };
  }

  private criticalPath(s: Schedule, fromNode: number, toNode: number): Step[] {
    const path: Step[] = [];
    let n = toNode;
    while (n !== fromNode && n !== 0 && s.time[n] > s.time[fromNode]) {
      const e = s.via[n];
      if (!e) break;
      if (e.step) path.push(e.step);
      n = e.from;
    }
    return path.reverse();
  }

  private reachable(from: number, to: number): boolean {
    if (from === to) return true;
    let seen = this.reach.get(from);
    if (!seen) {
      seen = new Uint8Array(this.timeline.nodeCount);
      const stack = [from];
      while (stack.length) {
        const n = stack.pop()!;
        for (const m of this.successors[n]) {
          if (!seen[m]) {
            seen[m] = 1;
            stack.push(m);
          }
        }
      }
      this.reach.set(from, seen);
    }
    return seen[to] === 1;
  }
}

interface Schedule {
  time: Float64Array;
  via: (TimelineEdge | undefined)[];
}

/** Jobs in an order where every job comes after the jobs it needs (cycles are broken in file order). */
/** The jobs a job needs, directly or through others, nearest first. */
export function upstreamJobs(workflow: Workflow, job: Job): Job[] {
  const byId = new Map(workflow.jobs.map((j) => [j.id, j]));
  const seen = new Set<Job>([job]);
  const out: Job[] = [];
  for (let i = -1; i < out.length; i++) {
    for (const need of (i < 0 ? job : out[i]).needs) {
      const dep = byId.get(need.text);
      if (!dep || seen.has(dep)) continue;
      seen.add(dep);
      out.push(dep);
    }
  }
  return out;
}

export function jobsInOrder(workflow: Workflow): Job[] {
  const byId = new Map(workflow.jobs.map((j) => [j.id, j]));
  const out: Job[] = [];
  const state = new Map<Job, 'visiting' | 'done'>();
  const visit = (job: Job) => {
    if (state.has(job)) return;
    state.set(job, 'visiting');
    for (const need of job.needs) {
      const dep = byId.get(need.text);
      if (dep) visit(dep);
    }
    state.set(job, 'done');
    out.push(job);
  };
  workflow.jobs.forEach(visit);
  return out;
}
