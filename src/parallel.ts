import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { Config } from './config/config.js';
import type { FileResult } from './findings.js';
import { initShellParser } from './shell-parser/parser.js';
import { CalledWorkflows } from './analysis/called-workflows.js';
import { lintFiles, listWorkflowFolder, readCalledWorkflow, type LintOptions } from './lint.js';
import { rules } from './rules/registry.js';

/** What a worker needs to lint like the main thread: plain data, copied to it once. */
interface WorkerSetup {
  config: Config;
  reportUnusedDirectives: boolean;
  /** Whether to follow calls to local workflows, which a worker then reads from disk. */
  followCalls: boolean;
}

type FileRef = { abs: string; path: string };

interface BatchResult {
  batch: number;
  results: FileResult[];
  unreadable: { path: string; reason: string }[];
  internalErrors: { ruleId: string; path: string; message: string }[];
}

/**
 * Below this many files the threads' start (each loads the bundle, GitHub's schema and the shell
 * parser: ~150 ms) costs more than they save; bench/RESULTS.md has the measurement.
 */
export const PARALLEL_THRESHOLD = 150;

/** Files handed out at a time: small enough to balance the threads, large enough that messages are rare. */
const BATCH_SIZE = 32;

/**
 * How many threads lint `fileCount` files: `WF_LINT_THREADS` when set (1 turns threads off), else one
 * per core once there are enough files to pay for starting them.
 */
export function threadCount(fileCount: number, env = process.env): number {
  const forced = Number.parseInt(env.WF_LINT_THREADS ?? '', 10);
  if (Number.isInteger(forced) && forced >= 1) return Math.min(forced, Math.max(1, Math.ceil(fileCount / BATCH_SIZE)));
  return fileCount >= PARALLEL_THRESHOLD ? availableParallelism() : 1;
}

/**
 * Each worker's heap limit. V8 also reads it to decide how far a heap may grow past what survived the
 * last full collection before the next one: up to 4x when the limit is 2 GB or more (its default on
 * machines with a few GB of memory), 1.3-2x below that (about 1.6x at 1 GB). On the 10x corpus each
 * worker's heap stayed at ~80 MB instead of 140-150 MB, for a few more collections. A worker that runs
 * out (a 5 MB workflow with 24,000 findings did not fit in 512 MB) leaves its batch to the main
 * thread, which has V8's default limit.
 */
const WORKER_HEAP_MB = 1024;

/**
 * Lints files on `threads` worker threads, which take batches from one queue, so a slow batch does not
 * hold the others up. Results come back in the files' order. The main thread only hands out batches
 * and keeps the results: when it linted too, V8 sized its heap for the garbage of linting on top of
 * every result (220 MB of a 470 MB peak RSS on the 10x corpus). `workerScript` is the CLI bundle
 * itself, which serves batches when it starts as a worker; `workerHeapMb` is there for tests.
 */
export async function lintFilesInParallel(
  files: FileRef[],
  options: LintOptions,
  threads: number,
  workerScript: URL,
  workerHeapMb = WORKER_HEAP_MB,
) {
  const batches: FileRef[][] = [];
  for (let i = 0; i < files.length; i += BATCH_SIZE) batches.push(files.slice(i, i + BATCH_SIZE));
  const done: BatchResult[] = [];
  let next = 0;
  const take = () => (next < batches.length ? next++ : undefined);

  /**
   * Lints batches on the main thread from `first` on, yielding between them so that the workers'
   * results are received.
   */
  const lintHere = async (first: number | undefined) => {
    for (let batch = first; batch !== undefined; batch = take()) {
      done.push(lintBatch(batch, batches[batch], options));
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  /**
   * Feeds a worker batches until the queue is empty, then ends it; rejects if the worker fails,
   * unless it ran out of heap.
   */
  const runWorker = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      let batch: number | undefined;
      const feed = () => {
        batch = take();
        if (batch === undefined) void worker.terminate().then(() => resolve());
        else worker.postMessage({ batch, files: batches[batch] });
      };
      worker.on('message', (result: BatchResult | 'ready') => {
        if (result !== 'ready') done.push(result);
        feed();
      });
      worker.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') lintHere(batch ?? take()).then(resolve, reject);
        else reject(err);
      });
    });

  const setup: WorkerSetup = {
    config: options.config,
    reportUnusedDirectives: options.reportUnusedDirectives ?? false,
    followCalls: options.calledWorkflows !== undefined,
  };
  const resourceLimits = { maxOldGenerationSizeMb: workerHeapMb };
  await Promise.all(
    Array.from({ length: threads }, () => runWorker(new Worker(workerScript, { workerData: setup, resourceLimits }))),
  );

  done.sort((a, b) => a.batch - b.batch);
  for (const { internalErrors } of done)
    for (const e of internalErrors) options.onInternalError(e.ruleId, e.path, new Error(e.message));
  return { results: done.flatMap((d) => d.results), unreadable: done.flatMap((d) => d.unreadable) };
}

/** Lints one batch, keeping internal errors as data: a worker cannot pass on the callback's call. */
function lintBatch(batch: number, files: FileRef[], options: Omit<LintOptions, 'onInternalError'>): BatchResult {
  const internalErrors: BatchResult['internalErrors'] = [];
  const linted = lintFiles(files, {
    ...options,
    onInternalError: (ruleId, path, error) =>
      internalErrors.push({ ruleId, path, message: error instanceof Error ? error.message : String(error) }),
  });
  return { batch, ...linted, internalErrors };
}

/** A worker's side: set up once, then lint each batch the main thread sends. */
export async function serveBatches(): Promise<void> {
  const setup = workerData as WorkerSetup;
  await initShellParser();
  const port = parentPort!;
  const calledWorkflows = setup.followCalls
    ? new CalledWorkflows(setup.config.settings, readCalledWorkflow, listWorkflowFolder)
    : undefined;
  const options = {
    config: setup.config,
    rules,
    reportUnusedDirectives: setup.reportUnusedDirectives,
    calledWorkflows,
  };
  port.on('message', ({ batch, files }: { batch: number; files: FileRef[] }) =>
    port.postMessage(lintBatch(batch, files, options)),
  );
  port.postMessage('ready');
}

/** True in a worker thread started by lintFilesInParallel (the bundle is its own worker script). */
export function isLintWorker(): boolean {
  return !isMainThread && (workerData as WorkerSetup | undefined)?.config !== undefined;
}
