import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/json.js';
import { ROOT, runCli } from './run-cli.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'test/data/sarif-2.1.0.json'), 'utf8'));
const validateSarif = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

/** The examples hold safe and unsafe fixes, and findings no fix removes. */
const EXAMPLES = 'examples/';
const DIFF_HEADER = /^--- a\/examples\/.+\n\+\+\+ b\/examples\/.+\n@@ /m;

function copyOfExamples(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wf-lint-fix-output-'));
  cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
  return dir;
}

describe('--fix-dry-run output streams', () => {
  it('-f sarif: stdout is one SARIF log that the SARIF 2.1.0 schema accepts, the diff is on stderr', () => {
    const r = runCli(['--fix-dry-run', '-f', 'sarif', EXAMPLES]);
    const log = JSON.parse(r.stdout) as Sarif.Log;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
    expect(log.runs[0].results!.length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(DIFF_HEADER);
    expect(r.stderr).toMatch(/^wf-lint --fix-dry-run: 5 files scanned, \d+ would change$/m);
    expect(r.code).toBe(1);
  });

  it('-f json: stdout is one JSON document, the diff is on stderr', () => {
    const r = runCli(['--fix-dry-run', '-f', 'json', EXAMPLES]);
    expect((JSON.parse(r.stdout) as JsonReport).files).toHaveLength(5);
    expect(r.stderr).toMatch(DIFF_HEADER);
  });

  it('-f github: stdout holds workflow commands only', () => {
    const r = runCli(['--fix-dry-run', '-f', 'github', EXAMPLES]);
    expect(
      r.stdout
        .trimEnd()
        .split('\n')
        .every((line) => line.startsWith('::')),
    ).toBe(true);
    expect(r.stderr).toMatch(DIFF_HEADER);
  });

  it('stylish: the diff comes before the report on stdout, unless -o takes the report to a file', () => {
    const onStdout = runCli(['--fix-dry-run', EXAMPLES]);
    expect(onStdout.stdout).toMatch(DIFF_HEADER);
    expect(onStdout.stdout.indexOf('@@ ')).toBeLessThan(onStdout.stdout.indexOf('✖'));
    expect(onStdout.stderr).not.toMatch(DIFF_HEADER);

    const dir = copyOfExamples();
    const toFile = runCli(['--fix-dry-run', '-o', 'report.txt', 'examples'], { cwd: dir });
    expect(toFile.stdout).toBe('');
    expect(toFile.stderr).toMatch(DIFF_HEADER);
    const report = readFileSync(join(dir, 'report.txt'), 'utf8');
    expect(report).not.toMatch(DIFF_HEADER);
    expect(report).toContain('✖');
  });

  it('--fix-diff FILE takes the diff, of a dry run or of --fix, and the streams keep only the report and summary', () => {
    const dir = copyOfExamples();
    const dry = runCli(['--fix-dry-run', '--fix-diff', 'fixes.diff', '-f', 'sarif', 'examples'], { cwd: dir });
    expect(() => JSON.parse(dry.stdout)).not.toThrow();
    expect(dry.stderr).not.toMatch(DIFF_HEADER);
    const dryDiff = readFileSync(join(dir, 'fixes.diff'), 'utf8');
    expect(dryDiff).toMatch(DIFF_HEADER);

    const fixed = runCli(['--fix', '--fix-diff', 'applied.diff', 'examples'], { cwd: dir });
    expect(readFileSync(join(dir, 'applied.diff'), 'utf8')).toBe(dryDiff);
    expect(fixed.stdout).not.toMatch(DIFF_HEADER);
    expect(fixed.stderr).not.toMatch(DIFF_HEADER);
  });
});

describe('findings after --fix-dry-run', () => {
  /** Each result as `rule file start-end fingerprint`. */
  const located = (log: Sarif.Log) =>
    log.runs[0].results!.map((result) => {
      const { artifactLocation, region } = result.locations![0].physicalLocation!;
      const where = `${region!.startLine}:${region!.startColumn}-${region!.endLine}:${region!.endColumn}`;
      return `${result.ruleId} ${artifactLocation!.uri} ${where} ${result.partialFingerprints!.primaryLocationLineHash}`;
    });

  it.each([[[]], [['--unsafe-fixes']]])(
    'are where they are in the file on disk, with its lines fingerprints (%j)',
    (extra: string[]) => {
      for (const target of [EXAMPLES, 'test/fixtures/corpus/']) {
        const onDisk = located(JSON.parse(runCli(['-f', 'sarif', target]).stdout));
        const dry = runCli(['--fix-dry-run', ...extra, '-f', 'sarif', target]);
        const left = located(JSON.parse(dry.stdout));
        expect(dry.stderr).toMatch(/would change/);
        // The fixes remove findings, and move lines: every finding left is one of the file as it is.
        expect(left.length).toBeLessThan(onDisk.length);
        expect(left.filter((finding) => !onDisk.includes(finding))).toEqual([]);
      }
    },
  );
});

describe('fix counts', () => {
  it('agree between the report and the summary, and --fix leaves nothing it calls fixable with --fix', () => {
    const dir = copyOfExamples();
    const before = runCli(['examples'], { cwd: dir });
    expect(before.stdout).toMatch(/^ {2}\d+ fixable with --fix, 1 more with --fix --unsafe-fixes$/m);

    const fixed = runCli(['--fix', 'examples'], { cwd: dir });
    const problems = Number(/^✖ (\d+) problems/m.exec(fixed.stdout)?.[1]);
    expect(fixed.stderr).toContain(`  findings left: ${problems}\n`);
    expect(fixed.stdout).toMatch(/^ {2}1 fixable with --fix --unsafe-fixes$/m);
    expect(fixed.stderr).toMatch(/^ {4}1 fixable with --fix --unsafe-fixes$/m);
    expect(fixed.stderr).toContain(`    ${problems - 1} need a human\n`);
    expect(fixed.stdout + fixed.stderr).not.toMatch(/fixable with --fix(,|$)/m);

    const json = JSON.parse(runCli(['-f', 'json', 'examples'], { cwd: dir }).stdout) as JsonReport;
    expect(json.summary).toMatchObject({ fixable: 1, fixableSafe: 0, fixableUnsafe: 1 });
  });

  it('say that every finding left needs a human once --fix --unsafe-fixes has applied all it can', () => {
    const dir = copyOfExamples();
    const r = runCli(['--fix', '--unsafe-fixes', 'examples'], { cwd: dir });
    const problems = Number(/^✖ (\d+) problems/m.exec(r.stdout)?.[1]);
    expect(r.stderr).toContain(`  findings left: ${problems}\n    ${problems} need a human\n`);
    expect(r.stdout).not.toMatch(/fixable with/);
  });
});
