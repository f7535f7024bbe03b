import type { Diagnostic } from '../workflow/load.js';
import { buildTimeline, jobsInOrder, StepOrder } from '../workflow/graph.js';
import type { Job, Step, Workflow } from '../workflow/model.js';
import { credentialIssues, DEFAULT_LIFETIMES, type CredentialIssue, type Lifetimes } from './credentials.js';
import { durationSettings, estimateDuration, type DurationSetting, type StepDuration } from './durations.js';
import { secretReadsIn, type SecretRead } from './secret-stores.js';
import { IDENTIFIER_SECRET_NAMES } from './secret-values.js';
import { analyzeScript, type Script } from './shell/script.js';
import { TaintAnalysis } from './taint/analysis.js';
import type { StepFlow } from './taint/step-flow.js';

/**
 * Facts about one workflow, computed once on first use and shared by every rule:
 * step order, parsed scripts, credentials, secret-store reads, durations and secret flow.
 */
export class Facts {
  private readonly orders = new Map<Job, StepOrder>();
  private readonly scripts = new Map<Step, Script | undefined>();
  private readonly readsByStep = new Map<Step, SecretRead[]>();
  private readonly credentialsByJob = new Map<Job, CredentialIssue[]>();
  private readonly durationsByStep = new Map<Step, StepDuration>();
  private taintAnalysis?: TaintAnalysis;
  readonly lifetimes: Lifetimes;
  private readonly durationHints: DurationSetting[];

  constructor(
    readonly workflow: Workflow,
    /** Problems found while loading: invalid YAML, schema errors, limits. */
    readonly diagnostics: Diagnostic[],
    readonly settings: Record<string, unknown> = {},
  ) {
    this.lifetimes = { ...DEFAULT_LIFETIMES, ...numberSettings(settings.lifetimes) };
    this.durationHints = durationSettings(settings);
  }

  /** Happens-before and elapsed-time queries for a job's steps. */
  order(job: Job): StepOrder {
    return cached(this.orders, job, () => new StepOrder(buildTimeline(job)));
  }

  /** The parsed `run:` script of a step (undefined for `uses:` steps). */
  script(step: Step): Script | undefined {
    return cached(this.scripts, step, () => analyzeScript(step, runsOnWindows(this.jobOf(step))));
  }

  secretReads(step: Step): SecretRead[] {
    return cached(this.readsByStep, step, () => secretReadsIn(step, this.script(step)));
  }

  credentials(job: Job): CredentialIssue[] {
    return cached(this.credentialsByJob, job, () => credentialIssues(job, (s) => this.script(s), this.lifetimes));
  }

  duration(step: Step): StepDuration {
    return cached(this.durationsByStep, step, () => estimateDuration(step, this.script(step), this.workflow.file, this.durationHints));
  }

  /** Secret flow into, through and out of a step. */
  flow(step: Step): StepFlow {
    this.taintAnalysis ??= new TaintAnalysis(
      {
        workflow: this.workflow,
        scriptOf: (s) => this.script(s),
        readsOf: (s) => this.secretReads(s),
        before: (job, s) => this.order(job).before(s),
        identifierSecrets: identifierPattern(this.settings.identifierSecrets),
      },
      jobsInOrder(this.workflow),
    );
    return this.taintAnalysis.flow(step);
  }

  /** Every step whose `run:` script wf-lint reads (bash or PowerShell), with its script and secret flow. */
  *scriptedSteps(): Generator<{ job: Job; step: Step; script: Script; flow: StepFlow }> {
    for (const job of this.workflow.jobs) {
      for (const step of job.steps) {
        const script = this.script(step);
        if (script && script.kind !== 'unsupported') yield { job, step, script, flow: this.flow(step) };
      }
    }
  }

  jobOf(step: Step): Job {
    return this.workflow.jobs.find((j) => j.steps.includes(step))!;
  }
}

function cached<K, V>(map: Map<K, V>, key: K, compute: () => V): V {
  if (map.has(key)) return map.get(key)!;
  const value = compute();
  map.set(key, value);
  return value;
}

function numberSettings(value: unknown): Record<string, number> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'number' && v > 0)) as Record<string, number>;
}

function identifierPattern(setting: unknown): RegExp {
  if (typeof setting === 'string') {
    try {
      return new RegExp(setting, 'i');
    } catch {
      // An invalid pattern falls back to the default; config validation cannot know rule settings' shapes.
    }
  }
  return IDENTIFIER_SECRET_NAMES;
}

function runsOnWindows(job: Job): boolean {
  return /windows/i.test(job.runsOn?.value?.text ?? '');
}
