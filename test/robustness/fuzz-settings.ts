import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';

/**
 * How long the property suite runs. `npm test` runs a bounded number of cases with a fixed seed, so a
 * failure replays exactly; `npm run fuzz` (scripts/fuzz.mjs) sets these variables to run for minutes
 * with a fresh seed, optionally over another corpus.
 */
const env = process.env;
const minutes = Number(env.WF_LINT_FUZZ_MINUTES ?? 0);

export const FUZZ = {
  seed: Number(env.WF_LINT_FUZZ_SEED ?? 20261123),
  /** Directory of seed workflows: every *.yml / *.yaml below it. */
  corpus: resolve(env.WF_LINT_FUZZ_CORPUS ?? new URL('../fixtures/corpus/', import.meta.url).pathname),
  /** In fuzz mode each property runs until its share of the time is spent, not to a number of runs. */
  timeLimitMs: minutes * 60_000,
  /** vitest's timeout for one property. */
  testTimeoutMs: minutes > 0 ? minutes * 60_000 + 300_000 : 120_000,
};

export function loadSeeds(dir: string): { name: string; bytes: Buffer }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((name) => ({ name, bytes: readFileSync(join(dir, name)) }));
}

/**
 * Runs a property: `numRuns` cases in `npm test`, or for `share` of the fuzz time. Throws fast-check's
 * report (seed, counterexample path, shrunk input) on a failure.
 */
export function checkProperty<T>(name: string, property: fc.IProperty<T>, numRuns: number, share: number): void {
  const fuzzing = FUZZ.timeLimitMs > 0;
  const details = fc.check(property, {
    seed: FUZZ.seed,
    numRuns: fuzzing ? Number.MAX_SAFE_INTEGER : numRuns,
    plugins: fuzzing ? [fc.interruptAfterTimeLimit(FUZZ.timeLimitMs * share)] : [],
  });
  if (fuzzing)
    console.log(`${name}: ${details.numRuns} runs, seed ${FUZZ.seed}, ${details.failed ? 'FAILED' : 'no failure'}`);
  if (details.failed) throw new Error(`${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`);
}
