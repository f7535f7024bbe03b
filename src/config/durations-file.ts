import { readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { MeasuredStats, WorkflowHistory } from '../analysis/durations.js';
import { displayPath } from '../workflow/discover.js';
import { findGitRoot } from './config.js';
import { ConfigError } from './validate.js';

/**
 * `.wf-lint/durations.json`: the measured durations `wf-lint calibrate` writes and lint runs read
 * (docs/durations-format.md, schema/durations.schema.json). Workflows are keyed by their path from the
 * repository root (the git root, else the directory calibrate ran in).
 */
export const DURATIONS_FILE = '.wf-lint/durations.json';

export interface DurationsFile {
  version: 1;
  workflows: Record<string, WorkflowHistory>;
}

/** The root workflow paths in the durations file are relative to. */
export function historyRoot(cwd: string): string {
  return findGitRoot(resolve(cwd)) ?? resolve(cwd);
}

/**
 * The measured durations for a lint run, from `.wf-lint/durations.json` in `cwd`, else at the
 * repository root; none without the file. They are keyed as the lint names files: by `pathOf` the
 * absolute path, by default the path from `cwd` (the CLI's display path).
 */
export function loadHistory(
  cwd: string,
  pathOf: (abs: string) => string = (abs) => displayPath(abs, resolve(cwd)),
): Record<string, WorkflowHistory> | undefined {
  const root = historyRoot(cwd);
  const path = [join(resolve(cwd), DURATIONS_FILE), join(root, DURATIONS_FILE)].find(
    (candidate) => statSync(candidate, { throwIfNoEntry: false })?.isFile() ?? false,
  );
  if (path === undefined) return undefined;
  const shown = relative(cwd, path).split('\\').join('/');
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(shown, code ? `cannot be read (${code})` : `is not JSON: ${(error as Error).message}`);
  }
  const file = checkDurationsFile(data, (where, problem) => {
    throw new ConfigError(shown, `${where}: ${problem}; run wf-lint calibrate again to rewrite it`);
  });
  const history: Record<string, WorkflowHistory> = {};
  for (const [key, workflow] of Object.entries(file.workflows)) history[pathOf(join(root, key))] = workflow;
  return history;
}

type Problem = (where: string, problem: string) => never;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkStats(value: unknown, where: string, problem: Problem): MeasuredStats {
  if (!isObject(value)) return problem(where, 'must be an object with p50, p90, max and samples');
  for (const key of ['p50', 'p90', 'max', 'samples']) {
    const number = value[key];
    if (typeof number !== 'number' || !Number.isFinite(number) || number < 0)
      problem(`${where}.${key}`, 'must be a number of 0 or more');
  }
  return value as unknown as MeasuredStats;
}

/** The file's shape, checked where lint reads it (the schema says the same for other readers). */
export function checkDurationsFile(data: unknown, problem: Problem): DurationsFile {
  if (!isObject(data) || data.version !== 1) return problem('version', 'must be 1');
  if (!isObject(data.workflows)) return problem('workflows', 'must be an object');
  for (const [key, workflow] of Object.entries(data.workflows)) {
    const at = `workflows[${JSON.stringify(key)}]`;
    if (!isObject(workflow) || !isObject(workflow.jobs)) problem(at, 'must be an object with jobs');
    const { duration, jobs } = workflow as Record<string, unknown>;
    if (duration !== undefined) checkStats(duration, `${at}.duration`, problem);
    for (const [id, job] of Object.entries(jobs as Record<string, unknown>)) {
      const jobAt = `${at}.jobs.${id}`;
      if (!isObject(job) || !Array.isArray(job.steps)) return problem(jobAt, 'must be an object with steps');
      if (job.duration !== undefined) checkStats(job.duration, `${jobAt}.duration`, problem);
      job.steps.forEach((step: unknown, i) => {
        if (!isObject(step) || typeof step.name !== 'string' || typeof step.index !== 'number')
          problem(`${jobAt}.steps[${i}]`, 'must be an object with an index, a name and a duration');
        checkStats((step as Record<string, unknown>).duration, `${jobAt}.steps[${i}].duration`, problem);
      });
    }
  }
  return data as unknown as DurationsFile;
}
