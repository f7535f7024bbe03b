/**
 * Recorded runs, read from the two shapes GitHub gives a run's jobs in: `gh run view <id> --json jobs`
 * (camelCase: `databaseId`, `startedAt`, …) and the REST API's `GET /repos/{owner}/{repo}/actions/runs/{id}/jobs`
 * pages (snake_case: `run_id`, `run_attempt`, `started_at`, …).
 */

export interface RecordedStep {
  name: string;
  conclusion: string | null;
  /** Milliseconds since the epoch; undefined when GitHub did not set it (a skipped step). */
  startedAt?: number;
  completedAt?: number;
  /** The steps of a parallel group, when the payload lists them under the group's entry. */
  children: RecordedStep[];
}

export interface RecordedJob {
  id?: number;
  name: string;
  conclusion: string | null;
  startedAt?: number;
  completedAt?: number;
  steps: RecordedStep[];
}

export interface RecordedRun {
  /** The run's id, or for a payload that does not say it, the file it came from. */
  id: string;
  attempt: number;
  /** The run's workflow, when the payload says it: its name (`workflowName`, `workflow_name`) or file (`path`). */
  workflowName?: string;
  workflowPath?: string;
  jobs: RecordedJob[];
}

/** A payload that is not one of the two shapes: what is wrong, for a message with the file's name. */
export class PayloadError extends Error {}

type Fields = Record<string, unknown>;

/** gh writes an unset time as the zero time of Go; the REST API writes null. */
const UNSET_TIME = /^0001-01-01T00:00:00/;

function time(value: unknown, where: string): number | undefined {
  if (value === null || value === undefined || (typeof value === 'string' && UNSET_TIME.test(value))) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new PayloadError(`${where}: not a time: ${JSON.stringify(value)}`);
  return ms;
}

/** A field by its camelCase (gh) or snake_case (REST) name. */
function field(object: Fields, camel: string): unknown {
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return object[camel] ?? object[snake];
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(object: Fields, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== 'string') throw new PayloadError(`${where}.${key}: must be a string`);
  return value;
}

function conclusion(object: Fields): string | null {
  const value = object.conclusion;
  return typeof value === 'string' ? value : null;
}

function readStep(value: unknown, where: string): RecordedStep {
  if (!isObject(value)) throw new PayloadError(`${where}: must be an object`);
  const children = value.steps;
  return {
    name: text(value, 'name', where),
    conclusion: conclusion(value),
    startedAt: time(field(value, 'startedAt'), `${where}.startedAt`),
    completedAt: time(field(value, 'completedAt'), `${where}.completedAt`),
    children: Array.isArray(children) ? children.map((c, i) => readStep(c, `${where}.steps[${i}]`)) : [],
  };
}

function readJob(value: unknown, where: string): RecordedJob {
  if (!isObject(value)) throw new PayloadError(`${where}: must be an object`);
  const steps = value.steps ?? [];
  if (!Array.isArray(steps)) throw new PayloadError(`${where}.steps: must be a list`);
  const id = value.databaseId ?? value.id;
  return {
    ...(typeof id === 'number' ? { id } : {}),
    name: text(value, 'name', where),
    conclusion: conclusion(value),
    startedAt: time(field(value, 'startedAt'), `${where}.startedAt`),
    completedAt: time(field(value, 'completedAt'), `${where}.completedAt`),
    steps: steps.map((s, i) => readStep(s, `${where}.steps[${i}]`)),
  };
}

/** The run id a job payload names: REST's `run_id`, else the `/runs/<id>/` of gh's job URL. */
function runIdOf(jobs: Fields[]): string | undefined {
  for (const job of jobs) {
    if (typeof job.run_id === 'number') return String(job.run_id);
    const url = typeof job.url === 'string' ? job.url : undefined;
    const id = url && /\/runs\/(\d+)/.exec(url)?.[1];
    if (id) return id;
  }
  return undefined;
}

/**
 * One payload: a gh output or a REST page of a run's jobs. `source` (the file) names runs whose payload
 * does not carry their id.
 */
export function readPayload(payload: unknown, source: string): RecordedRun {
  if (!isObject(payload) || !Array.isArray(payload.jobs))
    throw new PayloadError('not the jobs of a run: expected an object with a "jobs" list');
  const rawJobs = payload.jobs as unknown[];
  const objects = rawJobs.filter(isObject);
  const id = typeof payload.databaseId === 'number' ? String(payload.databaseId) : runIdOf(objects);
  const attempt = payload.attempt ?? objects.find((j) => typeof j.run_attempt === 'number')?.run_attempt ?? 1;
  const workflowName = payload.workflowName ?? objects.find((j) => typeof j.workflow_name === 'string')?.workflow_name;
  return {
    id: id ?? source,
    attempt: typeof attempt === 'number' ? attempt : 1,
    ...(typeof workflowName === 'string' ? { workflowName } : {}),
    ...(typeof payload.path === 'string' ? { workflowPath: payload.path } : {}),
    jobs: rawJobs.map((job, i) => readJob(job, `jobs[${i}]`)),
  };
}

/**
 * The runs of many payloads: the pages of one run joined, and of a run recorded at several attempts
 * only the latest (a re-run's jobs replace the first attempt's, as `filter=latest` gives them).
 */
export function latestAttempts(payloads: RecordedRun[]): RecordedRun[] {
  const runs = new Map<string, RecordedRun>();
  for (const payload of payloads) {
    const known = runs.get(payload.id);
    if (!known || payload.attempt > known.attempt) runs.set(payload.id, { ...payload, jobs: [...payload.jobs] });
    else if (payload.attempt === known.attempt) {
      const ids = new Set(known.jobs.map((j) => j.id).filter((id) => id !== undefined));
      known.jobs.push(...payload.jobs.filter((j) => j.id === undefined || !ids.has(j.id)));
    }
  }
  return [...runs.values()];
}
