import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixtureFiles, lintFixture } from '../rules/harness.js';
import { CONCURRENT, SEED, timelineOf } from './load.js';

describe('the timeline model', () => {
  it('puts the seed workflow’s AWS session from the end of the credential step to 60 minutes later', () => {
    const [job] = timelineOf(SEED).jobs;
    expect(job.id).toBe('deploy');
    const [session] = job.sessions;
    expect(job.sessions).toHaveLength(1);
    expect(session).toMatchObject({ provider: 'AWS', lifetime: 3600, stepIndex: 1 });
    // checkout and the login are short steps: 15 s each typically, 1 min in the worst case.
    expect(session.at).toEqual({ typical: { start: 30, end: 3630 }, worst: { start: 120, end: 3720 } });
    expect(job.steps[1].at.typical.end).toBe(session.at.typical.start);
  });

  it('places the SSM read inside the session typically and after it in the worst case, as late-secret-read says', () => {
    const [job] = timelineOf(SEED).jobs;
    expect(job.reads).toHaveLength(1);
    const [read] = job.reads;
    expect(job.steps[read.stepIndex].name).toBe('Load ALL SSM Parameters Early');
    expect(read).toMatchObject({ label: 'aws ssm get-parameters --with-decryption', provider: 'AWS', line: 51 });
    // After build, unit and integration tests: 3 × 15 min typically, 3 × 45 min in the worst case.
    expect(read.at).toEqual({ typical: 30 + 45 * 60, worst: 120 + 135 * 60 });
    expect(read.status).toEqual({ typical: 'inside', worst: 'outside' });
    expect(job.length).toEqual({ typical: 30 + 45 * 60 + 15 + 60 + 60, worst: 120 + 135 * 60 + 60 + 300 + 300 });
  });

  it('runs background steps and parallel groups beside the foreground steps', () => {
    const [e2e] = timelineOf(CONCURRENT).jobs;
    const step = (name: string) => e2e.steps.find((s) => s.name === name)!;
    const [server, lint, typecheck, tests] = ['Start the dev server', 'Lint', 'Type check', 'End-to-end tests'].map(
      step,
    );
    expect(server.mode).toBe('background');
    expect([lint.mode, lint.group, typecheck.mode, typecheck.group]).toEqual(['parallel', 1, 'parallel', 1]);
    expect(step('Azure login').mode).toBe('foreground');
    for (const c of ['typical', 'worst'] as const) {
      expect(lint.at[c].start).toBe(typecheck.at[c].start);
      expect(server.at[c].start).toBe(lint.at[c].start);
      // The group ends with its slowest member, then the tests start; the server runs on.
      expect(tests.at[c].start).toBe(Math.max(lint.at[c].end, typecheck.at[c].end));
    }
  });

  it('has an Azure session of 10 minutes, a read inside it and one after it, and no marker for a plain parameter', () => {
    const [e2e, deploy] = timelineOf(CONCURRENT).jobs;
    expect(e2e.name).toBe('End-to-end: #1; all');
    expect(e2e.sessions.map((s) => [s.provider, s.lifetime])).toEqual([['Azure', 600]]);
    expect(e2e.reads.map((r) => [e2e.steps[r.stepIndex].name, r.status.typical, r.status.worst])).toEqual([
      ['Read the API key right after the login', 'inside', 'inside'],
      ['title: read the database password; #2', 'outside', 'outside'],
    ]);
    expect(deploy).toMatchObject({ id: 'deploy', calls: './.github/workflows/deploy.yml', steps: [], reads: [] });
  });

  it('gives a read no session when no credential step of its provider ends before it', () => {
    const [job] = timelineOf(join(FIXTURES, 'late-secret-read', 'credentials-in-another-job.ok.yml')).jobs.filter(
      (j) => j.reads.length > 0,
    );
    expect(job.reads.every((r) => r.session === undefined && r.status.worst === 'no-session')).toBe(true);
  });

  // The picture must say what the rule says: a read is drawn after its session in the worst case
  // exactly where late-secret-read reports it, and typically after it exactly where that is an error.
  for (const file of fixtureFiles('late-secret-read')) {
    it(`agrees with late-secret-read on ${file}`, () => {
      const path = join(FIXTURES, 'late-secret-read', file);
      const findings = lintFixture(path, 'late-secret-read').findings.map((f) => `${f.range.start.line} ${f.level}`);
      const late = timelineOf(path)
        .jobs.flatMap((j) => j.reads)
        .filter((r) => r.status.worst === 'outside')
        .map((r) => `${r.line} ${r.status.typical === 'outside' ? 'error' : 'warning'}`);
      expect(late).toEqual(findings);
    });
  }
});
