/**
 * The timeline of a workflow, per job: when each step runs in a typical run and in the worst case,
 * each credential session as a band from its credential step to its expiry, and each secret-store
 * read with whether it falls inside that band. Computed from the analysis facts only (the step
 * order, the durations, the credentials and the reads late-secret-read uses), so that the picture
 * and the rule agree; the renderers (mermaid.ts, svg.ts) draw it.
 */
import type { Facts } from '../analysis/facts.js';
import { PROVIDERS } from '../analysis/providers.js';
import type { Span } from '../workflow/graph.js';
import type { Job, Step, Workflow } from '../workflow/model.js';

export type { Span };

/** The two schedules: every step at its typical duration, and every step at its worst case. */
export type Case = 'typical' | 'worst';
export const CASES: readonly Case[] = ['typical', 'worst'];

export interface TimelineStep {
  /** Position among the job's runnable steps. */
  index: number;
  name: string;
  line: number;
  /** Foreground steps run one after another; background steps and parallel groups run beside them. */
  mode: 'foreground' | 'background' | 'parallel';
  /** For a member of a parallel group, the group's number in the job (1, 2, …). */
  group?: number;
  /** Seconds, and where the estimate comes from ("long step", "timeout-minutes: 30", …). */
  duration: { typical: number; worst: number; basis: string };
  at: Record<Case, Span>;
}

export interface TimelineSession {
  /** "AWS", "Azure", "Google Cloud". */
  provider: string;
  /** The step that issues the credentials; the session starts when it ends. */
  stepIndex: number;
  /** Seconds the credentials last, and why ("the default role-duration-seconds"). */
  lifetime: number;
  lifetimeReason: string;
  how: string;
  at: Record<Case, Span>;
}

/**
 * A read is `outside` when it starts after the end of the session it depends on, `inside` when
 * before, and has `no-session` when no credential step of its provider ends before it starts.
 */
export type ReadStatus = 'inside' | 'outside' | 'no-session';

export interface TimelineRead {
  stepIndex: number;
  /** `aws ssm get-parameters --with-decryption`. */
  label: string;
  provider: string;
  line: number;
  /** When the reading step starts. */
  at: Record<Case, number>;
  /** The session the read depends on: the latest of its provider ended before it (index into sessions). */
  session?: number;
  status: Record<Case, ReadStatus>;
}

export interface TimelineJob {
  id: string;
  name?: string;
  line: number;
  /** Offsets of the job in the file, to place findings in it. */
  offsets: { start: number; end: number };
  /** A reusable-workflow call has no steps of its own: what it calls. */
  calls?: string;
  steps: TimelineStep[];
  sessions: TimelineSession[];
  reads: TimelineRead[];
  /** When the job's last step ends. */
  length: Record<Case, number>;
}

export interface Timeline {
  path: string;
  jobs: TimelineJob[];
}

/** The job whose text holds an offset of the file (where a finding starts). */
export function jobAt(timeline: Timeline, offset: number): TimelineJob | undefined {
  return timeline.jobs.find((j) => j.offsets.start <= offset && offset < j.offsets.end);
}

export function workflowTimeline(workflow: Workflow, facts: Facts): Timeline {
  return { path: workflow.file.path, jobs: workflow.jobs.map((job) => jobTimeline(job, facts)) };
}

function jobTimeline(job: Job, facts: Facts): TimelineJob {
  const order = facts.order(job);
  const spans = {
    typical: order.spans((s) => facts.duration(s).typical),
    worst: order.spans((s) => facts.duration(s).worst),
  };
  const at = (step: Step): Record<Case, Span> => ({ typical: spans.typical.get(step)!, worst: spans.worst.get(step)! });
  const groups = job.items.filter((item) => item.kind === 'parallel');
  const steps = job.steps.map((step): TimelineStep => {
    const { typical, worst, basis } = facts.duration(step);
    return {
      index: step.index,
      name: step.label,
      line: step.range.start.line,
      mode: step.group ? 'parallel' : order.timeline.background.has(step) ? 'background' : 'foreground',
      ...(step.group ? { group: groups.indexOf(step.group) + 1 } : {}),
      duration: { typical, worst, basis },
      at: at(step),
    };
  });
  const issues = facts.credentials(job);
  const sessions = issues.map((issue): TimelineSession => {
    const issued = at(issue.step);
    return {
      provider: PROVIDERS[issue.provider].displayName,
      stepIndex: issue.step.index,
      lifetime: issue.lifetime,
      lifetimeReason: issue.lifetimeReason,
      how: issue.how,
      at: {
        typical: { start: issued.typical.end, end: issued.typical.end + issue.lifetime },
        worst: { start: issued.worst.end, end: issued.worst.end + issue.lifetime },
      },
    };
  });
  const reads = job.steps.flatMap((step) =>
    facts
      .secretReads(step)
      // The reads late-secret-read checks: a plain parameter (`aws ssm get-parameter` without
      // --with-decryption) is not a secret.
      .filter((read) => read.secret)
      .map((read): TimelineRead => {
        const start = { typical: spans.typical.get(step)!.start, worst: spans.worst.get(step)!.start };
        // As late-secret-read does: the latest session of the provider issued before the step.
        let session: number | undefined;
        issues.forEach((issue, i) => {
          if (issue.provider !== read.provider || !order.happensBefore(issue.step, step)) return;
          if (session === undefined || sessions[i].at.typical.start > sessions[session].at.typical.start) session = i;
        });
        const status = (c: Case): ReadStatus =>
          session === undefined ? 'no-session' : start[c] > sessions[session].at[c].end ? 'outside' : 'inside';
        return {
          stepIndex: step.index,
          label: read.label,
          provider: PROVIDERS[read.provider].displayName,
          line: read.range.start.line,
          at: start,
          ...(session !== undefined ? { session } : {}),
          status: { typical: status('typical'), worst: status('worst') },
        };
      }),
  );
  const length = (c: Case) => Math.max(0, ...steps.map((s) => s.at[c].end));
  return {
    id: job.id,
    ...(job.name ? { name: job.name.text } : {}),
    line: job.keyRange.start.line,
    offsets: { start: job.keyRange.start.offset, end: job.range.end.offset },
    ...(job.uses ? { calls: job.uses.text } : {}),
    steps,
    sessions,
    reads,
    length: { typical: length('typical'), worst: length('worst') },
  };
}
