import { dirname, join, resolve } from 'node:path';
import type { Settings } from '../config/settings.js';
import { decodeWorkflow } from '../workflow/load.js';
import type { Job, Workflow } from '../workflow/model.js';
import { Facts } from './facts.js';
import { localAction, type LocalAction } from './local-actions.js';
import { basename } from './match.js';

/** A local reusable workflow a job calls, with its own facts. */
export interface CalledWorkflow {
  path: string;
  workflow: Workflow;
  facts: Facts;
  /** Maps the workflow's jobs, or gives nothing when they are already being mapped further up (a cycle). */
  mapJobs<T>(each: (job: Job) => T[]): T[];
}

/** A workflow file's bytes by absolute path; undefined when it is missing or cannot be read. */
export type ReadWorkflow = (path: string) => Uint8Array | undefined;

/** The absolute paths of the workflow files of a folder; undefined when it cannot be listed. */
export type ListWorkflows = (folder: string) => string[] | undefined;

/** A job of another local workflow that calls this one. */
export interface Caller {
  called: CalledWorkflow;
  job: Job;
}

/**
 * A reusable workflow of the same repository: `./.github/workflows/x.yml`, or the self-repository form
 * `$/.github/workflows/x.yml` (the running commit, github.blog changelog 2026-07-30).
 */
export const LOCAL_WORKFLOW = /^[.$]\//;

/** Called workflows kept: a small cache, oldest out first. */
const CACHE_SIZE = 64;

/**
 * The local workflows that jobs call, shared by the files of a run (one per configuration: the called
 * workflows' facts use its settings). Files come from `read`, which the caller provides (the CLI reads
 * the disk), and are kept while their bytes stay the same: `--fix` may rewrite a called workflow after
 * linting its caller.
 */
export class CalledWorkflows {
  private readonly known = new Map<string, { bytes: Uint8Array | undefined; called: CalledWorkflow | undefined }>();
  /** Paths of the called workflows being examined, to stop at cycles (a.yml calls b.yml calls a.yml). */
  private readonly examining = new Set<string>();

  constructor(
    private readonly settings: Settings,
    private readonly read: ReadWorkflow,
    /** Without it, the callers of a workflow are unknown. */
    private readonly list: ListWorkflows = () => undefined,
  ) {}

  /**
   * The local workflow a job calls (`uses: ./.github/workflows/deploy.yml`, or `$/…`), read relative to the
   * repository root: the part of the caller's path before `.github/workflows/`. A caller outside such
   * a folder (a copied file) looks for the called file beside itself. Missing or unreadable files
   * give undefined.
   */
  calledBy(job: Job, callerPath: string): CalledWorkflow | undefined {
    const uses = job.uses?.text.trim();
    if (!uses || !LOCAL_WORKFLOW.test(uses)) return undefined;
    return this.load(calledPath(callerPath, uses.slice(2)));
  }

  /**
   * The workflow of the caller's repository at the path a call to a repository named in full gives
   * (`owner/repo/.github/workflows/ci-info.yml@master`, and a local `.github/workflows/ci-info.yml`): a
   * repository that calls its own workflow by its full name, or a copy of the workflow it calls. Not the
   * caller itself, and only a reusable workflow.
   */
  sameNamedLocal(job: Job, callerPath: string): CalledWorkflow | undefined {
    const path = /^[\w.-]+\/[\w.-]+\/(\.github\/workflows\/[^@/]+)@/.exec(job.uses?.text.trim() ?? '')?.[1];
    const local = path && calledPath(callerPath, path);
    // A wrapper named like the workflow it calls is not a copy of it: a copy is a reusable workflow.
    if (!local || local === resolve(callerPath).replace(/\\/g, '/')) return undefined;
    const called = this.load(local);
    return called?.workflow.triggers.some((t) => t.event === 'workflow_call') ? called : undefined;
  }

  private load(path: string): CalledWorkflow | undefined {
    const bytes = this.read(path);
    const known = this.known.get(path);
    if (known && sameBytes(known.bytes, bytes)) return known.called;
    if (!known && this.known.size >= CACHE_SIZE) this.known.delete(this.known.keys().next().value!);
    const called = bytes && this.decode(path, bytes);
    this.known.set(path, { bytes, called });
    return called;
  }

  /**
   * The jobs of the other workflows of the repository (the caller's folder: `.github/workflows/`, or the
   * folder of a copied file) that call the workflow at `path`; undefined when the folder cannot be listed.
   */
  callersOf(path: string): Caller[] | undefined {
    const self = resolve(path).replace(/\\/g, '/');
    const files = this.list(dirname(self));
    if (!files) return undefined;
    return files.flatMap((listed) => {
      const file = resolve(listed).replace(/\\/g, '/');
      const called = file === self ? undefined : this.load(file);
      if (!called) return [];
      const calls = (job: Job) => {
        const uses = job.uses?.text.trim();
        return uses !== undefined && LOCAL_WORKFLOW.test(uses) && calledPath(called.path, uses.slice(2)) === self;
      };
      return called.workflow.jobs.filter(calls).map((job) => ({ called, job }));
    });
  }

  /**
   * The local action a step uses (`uses: ./.github/actions/db-actions`), from its action.yml (or
   * action.yaml) in the repository, found as a called workflow is; undefined when it is missing or not
   * a mapping.
   */
  localAction(uses: string, callerPath: string): LocalAction | undefined {
    if (!uses.startsWith('./')) return undefined;
    const folder = calledPath(callerPath, uses.slice(2).replace(/\/+$/, ''));
    for (const file of ['action.yml', 'action.yaml']) {
      const bytes = this.read(join(folder, file));
      if (bytes) return localAction(uses, new TextDecoder().decode(bytes));
    }
    return undefined;
  }

  /** Whether a job calls a local workflow that is not there (or cannot be read) to look at. */
  isMissing(job: Job, callerPath: string): boolean {
    const uses = job.uses?.text.trim();
    return uses?.startsWith('./') === true && this.read(calledPath(callerPath, uses.slice(2))) === undefined;
  }

  private decode(path: string, bytes: Uint8Array): CalledWorkflow | undefined {
    const { workflow, diagnostics } = decodeWorkflow(path, bytes);
    if (!workflow) return undefined;
    const mapJobs = <T>(each: (job: Job) => T[]): T[] => {
      if (this.examining.has(path)) return [];
      this.examining.add(path);
      try {
        return workflow.jobs.flatMap(each);
      } finally {
        this.examining.delete(path);
      }
    };
    return { path, workflow, facts: new Facts(workflow, diagnostics, this.settings, this), mapJobs };
  }
}

/**
 * Where a local called workflow is: relative to the repository root, the part of the caller's path
 * before `.github/workflows/`, else beside the caller.
 */
export function calledPath(callerPath: string, relative: string): string {
  const caller = resolve(callerPath).replace(/\\/g, '/');
  const marker = caller.lastIndexOf('/.github/workflows/');
  return marker >= 0 ? join(caller.slice(0, marker), relative) : join(dirname(caller), basename(relative));
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
