import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './config/config.js';
import type { FileResult } from './findings.js';

const DEFAULT_BASELINE_PATH = '.wf-lint-baseline.json';

/** One accepted finding. Matching uses rule, file and fingerprint; the message is for readers. */
export interface BaselineEntry {
  rule: string;
  /** The file's path as wf-lint shows it: relative to the working directory. */
  file: string;
  /** The line-content fingerprint of the finding's first line, as in SARIF, so line shifts do not matter. */
  fingerprint: string;
  message: string;
}

export interface Baseline {
  version: 1;
  findings: BaselineEntry[];
}

function entriesOf(result: FileResult): BaselineEntry[] {
  return result.findings.map((finding) => ({
    rule: finding.ruleId,
    file: result.path,
    fingerprint: finding.fingerprint ?? '',
    message: finding.message,
  }));
}

function matchKey(entry: BaselineEntry): string {
  return JSON.stringify([entry.rule, entry.file, entry.fingerprint]);
}

/**
 * The baseline of `results`. Entries of `kept` (from an earlier baseline) for files not linted this time are
 * carried over, so updating after linting some files does not forget the others.
 */
export function createBaseline(results: FileResult[], kept: BaselineEntry[] = []): Baseline {
  const linted = new Set(results.map((result) => result.path));
  const findings = [...kept.filter((entry) => !linted.has(entry.file)), ...results.flatMap(entriesOf)];
  // Stable, so one file's entries keep their order; files in code-point order keep diffs small.
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { version: 1, findings };
}

/**
 * Removes the findings the baseline accepts. Each entry accepts one finding: a problem found three times
 * on one line, with two entries, is reported once. `stale` lists the entries of linted files that matched
 * nothing: fixed problems, or changed lines.
 */
export function filterByBaseline(
  results: FileResult[],
  baseline: Baseline,
): { results: FileResult[]; stale: BaselineEntry[] } {
  const unmatched = new Map<string, BaselineEntry[]>();
  for (const entry of baseline.findings) {
    const key = matchKey(entry);
    const same = unmatched.get(key);
    if (same) same.push(entry);
    else unmatched.set(key, [entry]);
  }
  const accepts = (entry: BaselineEntry) => unmatched.get(matchKey(entry))?.pop() !== undefined;
  const filtered = results.map((result) => {
    const entries = entriesOf(result);
    return { ...result, findings: result.findings.filter((_, index) => !accepts(entries[index])) };
  });
  const linted = new Set(results.map((result) => result.path));
  const stale = [...unmatched.values()].flat().filter((entry) => linted.has(entry.file));
  return { results: filtered, stale };
}

/** Reads and checks a baseline file; problems are ConfigErrors naming `displayPath`. */
export function readBaseline(path: string, displayPath = path): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail =
      code === 'ENOENT'
        ? 'baseline file not found; create it with --update-baseline'
        : `cannot read baseline file (${code})`;
    throw new ConfigError(displayPath, detail);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(displayPath, `baseline file is not valid JSON (${(error as Error).message})`);
  }
  const problem = baselineProblem(data);
  if (problem)
    throw new ConfigError(displayPath, `not a wf-lint baseline: ${problem}; recreate it with --update-baseline`);
  return data as Baseline;
}

function baselineProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'the top level must be an object';
  const { version, findings } = data as Record<string, unknown>;
  if (version !== 1) return `unsupported version ${JSON.stringify(version)} (expected 1)`;
  if (!Array.isArray(findings)) return '"findings" must be a list';
  const index = findings.findIndex(
    (entry) =>
      typeof entry !== 'object' ||
      entry === null ||
      !['rule', 'file', 'fingerprint', 'message'].every(
        (key) => typeof (entry as Record<string, unknown>)[key] === 'string',
      ),
  );
  return index === -1 ? undefined : `findings[${index}] must have the strings rule, file, fingerprint and message`;
}

function entryCount(count: number): string {
  return count === 1 ? '1 baseline entry' : `${count} baseline entries`;
}

function staleNote(count: number): string {
  const [verb, pronoun] = count === 1 ? ['matches', 'it'] : ['match', 'them'];
  return `wf-lint: ${entryCount(count)} no longer ${verb} (fixed?); run --update-baseline to drop ${pronoun}.\n`;
}

function writeBaseline(path: string, baseline: Baseline): void {
  writeFileSync(path, `${JSON.stringify(baseline, null, 2)}\n`);
}

/**
 * `--baseline FILE` and `--update-baseline`: writes the baseline when asked, and returns the results to
 * report, those the baseline does not accept. Notes about the baseline go to stderr.
 */
export function applyBaselineOptions(
  results: FileResult[],
  options: { path?: string; update: boolean; cwd: string },
): FileResult[] {
  if (options.path === undefined && !options.update) return results;
  const displayPath = options.path ?? DEFAULT_BASELINE_PATH;
  const path = resolve(options.cwd, displayPath);
  let baseline: Baseline;
  if (options.update) {
    const previous = existsSync(path) ? readBaseline(path, displayPath).findings : [];
    baseline = createBaseline(
      results,
      previous.filter((entry) => existsSync(resolve(options.cwd, entry.file))),
    );
    writeBaseline(path, baseline);
    process.stderr.write(`wf-lint: wrote ${entryCount(baseline.findings.length)} to ${displayPath}.\n`);
  } else {
    baseline = readBaseline(path, displayPath);
  }
  const { results: unaccepted, stale } = filterByBaseline(results, baseline);
  if (stale.length > 0) process.stderr.write(staleNote(stale.length));
  return unaccepted;
}
