import type { Diagnostic } from '../workflow/load.js';
import { buildTimeline, jobsInOrder, StepOrder, type Elapsed } from '../workflow/graph.js';
import type { Job, Step, Workflow } from '../workflow/model.js';
import { DEFAULT_SETTINGS, type Settings } from '../config/settings.js';
import type { CalledWorkflow, CalledWorkflows, Caller } from './called-workflows.js';
import { credentialIssues, type CredentialIssue } from './credentials.js';
import { deployingJobs, findDeployment, type Deployment } from './deploy.js';
import { estimateDuration, measuredStep, type StepDuration, type WorkflowHistory } from './durations.js';
import type { LocalAction } from './local-actions.js';
import { idTokenRequests, type IdTokenRequest } from './permissions.js';
import { secretConsumption, type SecretConsumption } from './preflight.js';
import { secretReadsIn, type SecretRead } from './secret-stores.js';
import { analyzeRemoteScript, analyzeScript, type Script } from './shell/script.js';
import { TaintAnalysis } from './taint/analysis.js';
import type { StepFlow } from './taint/step-flow.js';

/**
 * What wf-lint knows about one workflow, computed once on first use and shared by every rule: step
 * order, parsed scripts, credentials, OIDC token requests, secret-store reads, durations, secret flow,
 * deployments, secrets consumed and checked, and the local workflows its jobs call.
 */
export class Facts {
  private readonly orders = new Map<Job, StepOrder>();
  private readonly scripts = new Map<Step, Script | undefined>();
  private readonly remoteScripts = new Map<Step, Script | undefined>();
  private readonly readsByStep = new Map<Step, SecretRead[]>();
  private readonly credentialsByJob = new Map<Job, CredentialIssue[]>();
  private readonly requestsByJob = new Map<Job, IdTokenRequest[]>();
  private readonly durationsByStep = new Map<Step, StepDuration>();
  private readonly deployments = new Map<Job, Deployment | undefined>();
  private readonly consumptions = new Map<Job, SecretConsumption>();
  private readonly callees = new Map<Job, CalledWorkflow | undefined>();
  private readonly localActions = new Map<Step, LocalAction | undefined>();
  private callerList?: { callers: Caller[] | undefined };
  private taintAnalysis?: TaintAnalysis;

  constructor(
    readonly workflow: Workflow,
    /** Problems found while loading: invalid YAML, schema errors, limits. */
    readonly diagnostics: Diagnostic[],
    readonly settings: Settings = DEFAULT_SETTINGS,
    /** Where called workflows are read; without it, calls to local workflows are not followed. */
    private readonly calledWorkflows?: CalledWorkflows,
    /** The workflow's measured durations (`wf-lint calibrate`), if there are any. */
    readonly history?: WorkflowHistory,
  ) {}

  /** Happens-before and elapsed-time queries for a job's steps. */
  order(job: Job): StepOrder {
    return cached(this.orders, job, () => new StepOrder(buildTimeline(job)));
  }

  /** The parsed `run:` script of a step (undefined for `uses:` steps). */
  script(step: Step): Script | undefined {
    return cached(this.scripts, step, () => analyzeScript(step, runsOnWindows(this.jobOf(step))));
  }

  /** The script an SSH action runs on its server (`appleboy/ssh-action`'s `script:`), read as bash. */
  remoteScript(step: Step): Script | undefined {
    return cached(this.remoteScripts, step, () => analyzeRemoteScript(step));
  }

  secretReads(step: Step): SecretRead[] {
    return cached(this.readsByStep, step, () => secretReadsIn(step, this.script(step)));
  }

  credentials(job: Job): CredentialIssue[] {
    return cached(this.credentialsByJob, job, () =>
      credentialIssues(job, (s) => this.script(s), this.settings.lifetimes),
    );
  }

  /** The steps of a job that ask GitHub for an OIDC token, which needs `id-token: write`. */
  idTokenRequests(job: Job): IdTokenRequest[] {
    return cached(this.requestsByJob, job, () => idTokenRequests(job, this));
  }

  duration(step: Step): StepDuration {
    return cached(this.durationsByStep, step, () =>
      estimateDuration(
        step,
        this.script(step),
        this.workflow.file,
        this.settings.durations,
        measuredStep(this.history, this.jobOf(step), step),
      ),
    );
  }

  /** How long a job's steps take from its start to its end, typical and worst case, by the durations model. */
  jobDuration(job: Job): Elapsed {
    return this.order(job).total((s) => this.duration(s));
  }

  /** Secret flow into, through and out of a step. */
  flow(step: Step): StepFlow {
    this.taintAnalysis ??= new TaintAnalysis(
      {
        workflow: this.workflow,
        scriptOf: (s) => this.script(s),
        readsOf: (s) => this.secretReads(s),
        before: (job, s) => this.order(job).before(s),
        identifierSecrets: this.settings.identifierSecrets,
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

  /** Whether a job deploys, and why. */
  deployment(job: Job): Deployment | undefined {
    return cached(this.deployments, job, () => findDeployment(job, this));
  }

  /** The deploying jobs of a workflow that a job of this one calls. */
  deployingJobs(callee: CalledWorkflow): Job[] {
    return deployingJobs(callee);
  }

  /** The secrets a job consumes, where it uses them, and the steps that check them. */
  secretConsumption(job: Job): SecretConsumption {
    return cached(this.consumptions, job, () => secretConsumption(job, this));
  }

  /** The local workflow a job calls (`uses: ./.github/workflows/deploy.yml`), if it can be read. */
  calledWorkflow(job: Job): CalledWorkflow | undefined {
    return cached(this.callees, job, () => this.calledWorkflows?.calledBy(job, this.workflow.file.path));
  }

  /** This repository's workflow at the path a call to `owner/repo/.github/workflows/x.yml@ref` names, if any. */
  sameNamedLocal(job: Job): CalledWorkflow | undefined {
    return this.calledWorkflows?.sameNamedLocal(job, this.workflow.file.path);
  }

  /** The local action a step uses (`uses: ./.github/actions/x`), if its action.yml can be read. */
  localAction(step: Step): LocalAction | undefined {
    const uses = step.uses?.text.trim();
    return uses
      ? cached(this.localActions, step, () => this.calledWorkflows?.localAction(uses, this.workflow.file.path))
      : undefined;
  }

  /** Whether a job calls a local workflow that cannot be read (a reader is set, and finds no file). */
  calleeMissing(job: Job): boolean {
    return this.calledWorkflows?.isMissing(job, this.workflow.file.path) ?? false;
  }

  /**
   * The jobs of the repository's other workflows that call this one; undefined when they cannot be known.
   * Listed once: every deploying job of a called workflow asks (reading the folder's workflows each time).
   */
  callers(): Caller[] | undefined {
    this.callerList ??= { callers: this.calledWorkflows?.callersOf(this.workflow.file.path) };
    return this.callerList.callers;
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

function runsOnWindows(job: Job): boolean {
  return /windows/i.test(job.runsOn?.value?.text ?? '');
}
