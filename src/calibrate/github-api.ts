import { basename } from 'node:path';
import { PayloadError, readPayload, type RecordedRun } from './payloads.js';

/** What the client needs from its surroundings; tests give a short clock and collect the messages. */
export interface ApiEnvironment {
  /** The REST API's base URL: `GITHUB_API_URL` or `--api-url`, else https://api.github.com. */
  apiUrl: string;
  /** `GITHUB_TOKEN` or `GH_TOKEN`; `actions: read` is all it needs. */
  token?: string;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A line for the user: waits, and what failed and was skipped. */
  log(message: string): void;
}

/** A request GitHub refused or could not answer: reported and skipped by the caller. */
export class ApiError extends Error {}

/** Retries of one request after a rate-limit wait before it counts as failed. */
const MAX_RETRIES = 3;

/** GitHub's REST API, read only, paginated by `Link` headers, waiting out its rate limits. */
class GitHubApi {
  /** When the budget ran out on an answer that still succeeded: the next request waits until then. */
  private pausedUntil = 0;

  constructor(private readonly env: ApiEnvironment) {}

  /** Every page of a list, from `path` on; the caller stops when it has enough. */
  async *pages(path: string): AsyncGenerator<unknown> {
    let url: string | undefined = new URL(path.replace(/^\//, ''), this.env.apiUrl.replace(/\/?$/, '/')).href;
    while (url) {
      const response = await this.get(url);
      yield await response.json();
      url = nextPage(response.headers.get('link'), this.env.apiUrl);
    }
  }

  private async get(url: string): Promise<Response> {
    const shown = `GET ${new URL(url).pathname}`;
    for (let attempt = 0; ; attempt++) {
      await this.wait(this.pausedUntil - this.env.now(), `the rate limit to reset before ${shown}`);
      let response: Response;
      try {
        response = await fetch(url, { headers: this.headers() });
      } catch (error) {
        throw new ApiError(`${shown}: ${(error as Error).message}`);
      }
      const limited = response.status === 403 || response.status === 429;
      const delay = limited ? this.retryDelay(response.headers) : undefined;
      if (delay && attempt < MAX_RETRIES) {
        await response.body?.cancel();
        await this.wait(delay.ms, `${delay.why} (${shown} answered ${response.status})`);
        continue;
      }
      if (!response.ok) {
        const body = await response.text();
        const message = /"message"\s*:\s*"([^"]*)"/.exec(body)?.[1] ?? response.statusText;
        throw new ApiError(`${shown}: ${response.status} ${message}`);
      }
      if (response.headers.get('x-ratelimit-remaining') === '0') this.pausedUntil = resetTime(response.headers) ?? 0;
      return response;
    }
  }

  /** How long GitHub asks to wait: `Retry-After` seconds, else until `x-ratelimit-reset` when none is left. */
  private retryDelay(headers: Headers): { ms: number; why: string } | undefined {
    const retryAfter = Number(headers.get('retry-after') ?? NaN);
    if (Number.isFinite(retryAfter)) return { ms: retryAfter * 1000, why: `Retry-After: ${retryAfter}` };
    const reset = resetTime(headers);
    if (headers.get('x-ratelimit-remaining') !== '0' || reset === undefined) return undefined;
    return {
      ms: Math.max(0, reset - this.env.now()),
      why: `the rate limit to reset at ${new Date(reset).toISOString()}`,
    };
  }

  private async wait(ms: number, what: string): Promise<void> {
    if (ms <= 0) return;
    this.env.log(`waiting ${Math.ceil(ms / 1000)} s for ${what}, then resuming`);
    await this.env.sleep(ms);
  }

  private headers(): Record<string, string> {
    return {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'wf-lint-calibrate',
      ...(this.env.token ? { authorization: `Bearer ${this.env.token}` } : {}),
    };
  }
}

/** `x-ratelimit-reset` (seconds since the epoch) in milliseconds. */
function resetTime(headers: Headers): number | undefined {
  const reset = Number(headers.get('x-ratelimit-reset') ?? NaN);
  return Number.isFinite(reset) ? reset * 1000 : undefined;
}

/** The `rel="next"` URL of a `Link` header, when it is on the same server as the API. */
function nextPage(link: string | null, apiUrl: string): string | undefined {
  const next = link
    ?.split(',')
    .map((part) => /<([^>]+)>\s*;\s*rel="next"/.exec(part)?.[1])
    .find(Boolean);
  return next && new URL(next).origin === new URL(apiUrl).origin ? next : undefined;
}

function listOf(page: unknown, key: string, what: string): unknown[] {
  const list = (page as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(list)) throw new ApiError(`${what}: the answer has no "${key}" list`);
  return list;
}

export interface OnlineRequest {
  repo: string;
  /** The workflow file; GitHub knows it by its file name. */
  workflow: string;
  runs: number;
  branch?: string;
}

/**
 * The latest `runs` successful runs of a workflow in a repository, each with the jobs of its latest
 * attempt. A repository that fails is reported and gives no runs; a run that fails is reported and skipped.
 */
export async function fetchRuns(request: OnlineRequest, env: ApiEnvironment): Promise<RecordedRun[]> {
  const api = new GitHubApi(env);
  const query = new URLSearchParams({ status: 'success', per_page: '100' });
  if (request.branch) query.set('branch', request.branch);
  const listPath = `repos/${request.repo}/actions/workflows/${encodeURIComponent(basename(request.workflow))}/runs`;
  const ids: number[] = [];
  try {
    for await (const page of api.pages(`${listPath}?${query}`)) {
      for (const run of listOf(page, 'workflow_runs', listPath))
        if (ids.length < request.runs) ids.push((run as { id: number }).id);
      if (ids.length >= request.runs) break;
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    env.log(`${request.repo}: ${error.message}; the repository is skipped`);
    return [];
  }
  const runs: RecordedRun[] = [];
  for (const id of ids) {
    try {
      const jobs: unknown[] = [];
      const path = `repos/${request.repo}/actions/runs/${id}/jobs?filter=latest&per_page=100`;
      for await (const page of api.pages(path)) jobs.push(...listOf(page, 'jobs', path));
      runs.push({ ...readPayload({ jobs }, `${request.repo} run ${id}`), id: `${request.repo}#${id}` });
    } catch (error) {
      if (!(error instanceof ApiError) && !(error instanceof PayloadError)) throw error;
      env.log(`${request.repo}: run ${id}: ${error.message}; the run is skipped`);
    }
  }
  return runs;
}
