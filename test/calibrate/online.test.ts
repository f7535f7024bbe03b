import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_START, copyFixture, runCalibrate } from './calibrate-io.js';

/**
 * The REST path against a local server that replays recorded pages: the runs list in two pages (the
 * second answered once with 429 and Retry-After), the jobs of run 7200 in two pages (the first spends
 * the last request of the hour), the jobs of run 7201 answered once with 403 and an exhausted rate
 * limit, run 7202 gone (404), and a repository that does not exist. No request leaves the machine.
 */
const RUNS = join(import.meta.dirname, '../fixtures/calibrate/repo/runs/rest');
const page = (name: string) => readFileSync(join(RUNS, name), 'utf8');

let server: ReturnType<typeof createServer>;
let base = '';
const requests: { url: string; authorization?: string }[] = [];
const refusedOnce = new Set<string>();

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

/** Each route once refused (when `refusal` is given), then answered. */
function route(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url!, base);
  requests.push({ url: url.pathname + url.search, authorization: req.headers.authorization });
  const key = url.pathname + url.search;
  const refuse = (status: number, headers: Record<string, string>) => {
    if (refusedOnce.has(key)) return false;
    refusedOnce.add(key);
    send(res, status, '{"message":"API rate limit exceeded"}', headers);
    return true;
  };
  const runsList = '/repos/acme/shop/actions/workflows/ci.yml/runs';
  if (url.pathname === runsList && url.searchParams.get('page') === '2') {
    if (refuse(429, { 'retry-after': '7' })) return;
    return send(res, 200, JSON.stringify({ total_count: 3, workflow_runs: [{ id: 7202 }] }));
  }
  if (url.pathname === runsList) {
    const next = `${base}${runsList}?status=success&per_page=100&branch=main&page=2`;
    const runs = JSON.stringify({ total_count: 3, workflow_runs: [{ id: 7200 }, { id: 7201 }] });
    return send(res, 200, runs, { link: `<${next}>; rel="next", <${next}>; rel="last"` });
  }
  if (url.pathname === '/repos/acme/shop/actions/runs/7200/jobs') {
    if (url.searchParams.get('page') === '2') return send(res, 200, page('run-7200-page-2.json'));
    const next = `${base}${url.pathname}?filter=latest&per_page=100&page=2`;
    // The last request of the hour: the next one waits for the reset.
    const exhausted = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(CLOCK_START / 1000 + 40) };
    return send(res, 200, page('run-7200-page-1.json'), { link: `<${next}>; rel="next"`, ...exhausted });
  }
  if (url.pathname === '/repos/acme/shop/actions/runs/7201/jobs') {
    const reset = String(CLOCK_START / 1000 + 60);
    if (refuse(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset })) return;
    return send(res, 200, page('run-7201-attempt-2.json'), { 'x-ratelimit-remaining': '4999' });
  }
  send(res, 404, '{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}');
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('wf-lint calibrate --repo (REST)', () => {
  it('pages, waits out the rate limits, and skips what fails', async () => {
    const dir = copyFixture('repo');
    const args = ['--repo', 'acme/missing', '--repo', 'acme/shop', '--workflow', '.github/workflows/ci.yml'];
    const options = ['--runs', '3', '--branch', 'main', '--format', 'json'];
    const result = await runCalibrate([...args, ...options], dir, { GITHUB_API_URL: base, GH_TOKEN: 'test-token' });
    expect(result.code, result.stderr).toBe(0);
    const log = result.stderr.split('\n');
    expect(log).toContain(
      'wf-lint calibrate: acme/missing: GET /repos/acme/missing/actions/workflows/ci.yml/runs: 404 Not Found; ' +
        'the repository is skipped',
    );
    expect(log).toContain(
      'wf-lint calibrate: waiting 7 s for Retry-After: 7 ' +
        '(GET /repos/acme/shop/actions/workflows/ci.yml/runs answered 429), then resuming',
    );
    expect(log).toContain(
      'wf-lint calibrate: waiting 33 s for the rate limit to reset before GET /repos/acme/shop/actions/runs/7200/jobs, ' +
        'then resuming',
    );
    expect(log).toContain(
      'wf-lint calibrate: waiting 20 s for the rate limit to reset at 2026-12-06T12:01:00.000Z ' +
        '(GET /repos/acme/shop/actions/runs/7201/jobs answered 403), then resuming',
    );
    expect(log).toContain(
      'wf-lint calibrate: acme/shop: run 7202: GET /repos/acme/shop/actions/runs/7202/jobs: 404 Not Found; ' +
        'the run is skipped',
    );
    // The clock stands at 12:00:07 after the first wait, at 12:00:40 after the second.
    expect(result.sleeps).toEqual([7000, 33_000, 20_000]);

    const report = JSON.parse(result.stdout);
    expect(report.workflows.map((w: { workflow: string; runs: number }) => [w.workflow, w.runs])).toEqual([
      ['.github/workflows/ci.yml', 2],
      ['.github/workflows/deploy.yml', 2],
    ]);
    const history = JSON.parse(readFileSync(join(dir, '.wf-lint/durations.json'), 'utf8'));
    expect(history.workflows['.github/workflows/ci.yml'].jobs.test.duration.samples).toBe(8);
  });

  it('asks only for successful runs and the latest attempt, 100 a page, with the token', () => {
    const lists = requests.filter((r) => r.url.includes('/workflows/ci.yml/runs') && r.url.includes('/shop/'));
    expect(lists[0].url).toBe('/repos/acme/shop/actions/workflows/ci.yml/runs?status=success&per_page=100&branch=main');
    const jobs = requests.filter((r) => r.url.includes('/jobs'));
    expect(jobs[0].url).toBe('/repos/acme/shop/actions/runs/7200/jobs?filter=latest&per_page=100');
    expect(jobs.map((r) => new URL(r.url, base).searchParams.get('per_page'))).toEqual(jobs.map(() => '100'));
    expect(new Set(requests.map((r) => r.authorization))).toEqual(new Set(['Bearer test-token']));
  });
});
