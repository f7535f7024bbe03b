import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrate } from '../../src/calibrate/command.js';

export const CALIBRATE_FIXTURES = join(import.meta.dirname, '../fixtures/calibrate');

/** A copy of a fixture folder in a fresh temporary directory (outside any git repository). */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wf-lint-calibrate-'));
  cpSync(join(CALIBRATE_FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** The time the clock of `runCalibrate` starts at. */
export const CLOCK_START = Date.UTC(2026, 11, 6, 12);

/** Runs `wf-lint calibrate` in process, with a clock that only moves when it sleeps. */
export async function runCalibrate(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const sleeps: number[] = [];
  let clock = CLOCK_START;
  const code = await calibrate(argv, {
    cwd,
    env,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  });
  return { code, stdout, stderr, sleeps };
}
