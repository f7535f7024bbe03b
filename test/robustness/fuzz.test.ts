import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import type { FileResult } from '../../src/findings.js';
import { fixText } from '../../src/fixers/apply.js';
import { lintBytes, lintLoaded, type LintOptions } from '../../src/lint.js';
import { rules } from '../../src/rules/registry.js';
import { decodeWorkflow, loadWorkflow, type Diagnostic } from '../../src/workflow/load.js';
import { CLI } from '../cli/run-cli.js';
import { checkProperty, FUZZ, loadSeeds } from './fuzz-settings.js';
import { applyMutations, mutatedInput, type MutatedInput } from './mutations.js';

const seeds = loadSeeds(FUZZ.corpus);
const lint: LintOptions = {
  config: parseConfig(
    '',
    'default',
    rules.map((r) => r.meta),
  ),
  rules,
  onInternalError(ruleId, path, error) {
    throw new Error(`rule ${ruleId} threw on ${path}: ${error instanceof Error ? error.stack : String(error)}`);
  },
};
const inputBytes = (input: MutatedInput) => applyMutations(seeds[input.seed].bytes, input.mutations);
/** The text `--fix` would work on: it skips files that are not UTF-8 or hold NUL bytes. */
const fixableText = (bytes: Buffer) => new TextDecoder().decode(bytes).replaceAll('\0', '');

const STACK_TRACE = /\n\s+at .+:\d+:\d+|TypeError|RangeError|ReferenceError|Maximum call stack/;
const PER_FILE_MS = 1000;

function expectWellFormed(result: FileResult, text: string): void {
  for (const f of result.findings) {
    for (const range of [f.range, ...(f.related ?? []).map((r) => r.range)]) {
      expect(range.start.line).toBeGreaterThanOrEqual(1);
      expect(range.start.column).toBeGreaterThanOrEqual(1);
      expect(range.start.offset).toBeLessThanOrEqual(range.end.offset);
      expect(range.end.offset).toBeLessThanOrEqual(text.length);
    }
  }
}

/**
 * Whether a script was past the shell parser's work budget (a warning): a fix elsewhere in the file
 * can change the script, so that it is read in one pass and not in the next, and its fixes with it.
 */
const pastParseBudget = (findings: { message: string }[]) =>
  findings.some((f) => f.message.startsWith('The shell parser would take too long on this script'));

/** Messages of the load diagnostics of a text (invalid YAML, schema errors, limits). */
/** What a fix must not add: refusals, compared by the problem rather than the message, which names its place. */
const problemOf = (d: Diagnostic) => d.problem ?? d.message;
const refusals = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.kind === 'refused');
const diagnosticsOf = (text: string) => new Set(refusals(loadWorkflow('fuzz.yml', text).diagnostics).map(problemOf));

function runCli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Batches of mutated files for the CLI (spawning it once per input would cost more than linting):
 * one batch in `npm test`, batches with fresh inputs until the time share is spent when fuzzing.
 */
function forEachBatch(size: number, share: number, check: (dir: string, inputs: MutatedInput[]) => void): void {
  const until = Date.now() + FUZZ.timeLimitMs * share;
  let batch = 0;
  do {
    const inputs = fc.sample(mutatedInput(seeds.length, 4, 0), { seed: FUZZ.seed + batch, numRuns: size });
    const dir = mkdtempSync(join(tmpdir(), 'wf-lint-fuzz-'));
    inputs.forEach((input, i) => writeFileSync(join(dir, `m${String(i).padStart(3, '0')}.yml`), inputBytes(input)));
    try {
      check(dir, inputs);
    } catch (err) {
      throw new Error(`batch ${batch} (seed ${FUZZ.seed + batch}), files kept in ${dir}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    rmSync(dir, { recursive: true, force: true });
    batch++;
  } while (Date.now() < until);
  if (FUZZ.timeLimitMs > 0)
    console.log(`CLI batches: ${batch} of ${size} files, seeds ${FUZZ.seed}..${FUZZ.seed + batch - 1}`);
}

describe(`wf-lint on damaged workflows (fast-check, seed ${FUZZ.seed}, ${seeds.length} seed files)`, () => {
  beforeAll(() => {
    // Some seeds, undamaged, first: it warms the JIT before anything is timed.
    for (const { name, bytes } of seeds.slice(0, 30)) lintBytes(name, bytes, lint);
  }, 60_000);

  it(
    'lints any damaged file without an exception, within 1 s, with findings inside the file',
    () => {
      const property = fc.property(mutatedInput(seeds.length), (input) => {
        const bytes = inputBytes(input);
        const started = performance.now();
        const loaded = decodeWorkflow('fuzz.yml', bytes);
        const result = lintLoaded(loaded, lint);
        expect(performance.now() - started).toBeLessThan(PER_FILE_MS);
        expectWellFormed(result, loaded.file.text);
      });
      checkProperty('lint', property, 800, 0.4);
    },
    FUZZ.testTimeoutMs,
  );

  it(
    'fixes a damaged file only into one that parses as well as before, and a second fix changes nothing',
    () => {
      const property = fc.property(mutatedInput(seeds.length, 3, 0), (input) => {
        const text = fixableText(inputBytes(input));
        const fixed = fixText('fuzz.yml', text, { lint, unsafe: true });
        if (!fixed.changed) return;
        const before = diagnosticsOf(text);
        const after = loadWorkflow('fuzz.yml', fixed.text);
        expect(refusals(after.diagnostics).filter((d) => !before.has(problemOf(d)))).toEqual([]);
        expect(after.workflow).toBeDefined();
        const again = fixText('fuzz.yml', fixed.text, { lint, unsafe: true });
        if (!pastParseBudget(fixed.result.findings) && !pastParseBudget(again.result.findings))
          expect(again.changed).toBe(false);
      });
      checkProperty('fix', property, 200, 0.4);
    },
    FUZZ.testTimeoutMs,
  );

  it(
    'the CLI exits 0, 1 or 2 on damaged files, with a diagnostic for 2 and never a stack trace',
    () => {
      forEachBatch(60, 0.1, (dir, inputs) => {
        const r = runCli(['--format', 'json', '.'], dir);
        expect([0, 1, 2]).toContain(r.code);
        expect(r.stderr + r.stdout).not.toMatch(STACK_TRACE);
        if (r.code === 2) expect(r.stderr).toMatch(/^wf-lint: /m);
        expect(JSON.parse(r.stdout).files).toHaveLength(inputs.length);
      });
    },
    FUZZ.testTimeoutMs,
  );

  it(
    'the CLI --fix writes only files that still parse, a second --fix changes nothing, no temp file is left',
    () => {
      forEachBatch(30, 0.1, (dir) => {
        const names = readdirSync(dir);
        const originals = new Map(names.map((n) => [n, readFileSync(join(dir, n))]));
        const first = runCli(['--fix', '--unsafe-fixes', '--format', 'json', '.'], dir);
        expect([0, 1, 2]).toContain(first.code);
        expect(first.stderr).not.toMatch(STACK_TRACE);
        const report = JSON.parse(first.stdout) as { files: { file: string; findings: { message: string }[] }[] };
        const pastBudget = new Set(report.files.filter((f) => pastParseBudget(f.findings)).map((f) => f.file));
        const fixed = new Map(names.map((n) => [n, readFileSync(join(dir, n))]));
        for (const [name, bytes] of fixed) {
          const original = originals.get(name)!;
          if (bytes.equals(original)) continue;
          const before = diagnosticsOf(original.toString('utf8'));
          const after = loadWorkflow(name, bytes.toString('utf8'));
          expect(
            after.diagnostics.filter((d) => !before.has(d.message)),
            name,
          ).toEqual([]);
        }
        const second = runCli(['--fix', '--unsafe-fixes', '--format', 'json', '.'], dir);
        for (const f of (JSON.parse(second.stdout) as typeof report).files)
          if (pastParseBudget(f.findings)) pastBudget.add(f.file);
        for (const [name, bytes] of fixed) {
          if (!pastBudget.has(name))
            expect(readFileSync(join(dir, name)).equals(bytes), `${name} changed on a second --fix`).toBe(true);
        }
        expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      });
    },
    FUZZ.testTimeoutMs,
  );
});
