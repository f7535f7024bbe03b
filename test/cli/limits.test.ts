import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const STACK_TRACE = /\n\s+at .+:\d+:\d+|TypeError|RangeError|ReferenceError|Maximum call stack/;
const HEAD = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n';

/** One file per limit, each past it; the CLI is spawned once per file and timed. */
const cases: { name: string; text: string; code: number; output: RegExp }[] = [
  {
    name: 'too-large.yml',
    text: HEAD + '      - run: echo\n' + '#'.repeat(5 * 1024 * 1024),
    code: 1,
    output: /^ {2}1:1 {2}error {2}File is 5\.0 MB, over the 5\.0 MB limit {2}syntax-error$/m,
  },
  {
    name: 'too-deep-flow.yml',
    text: HEAD + '      - uses: x/y@v1\n        with:\n          v: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n',
    code: 1,
    output: /^ {2}8:72 {2}error {2}YAML nests deeper than 64 levels of mappings and sequences here {2}syntax-error$/m,
  },
  {
    name: 'too-deep-block.yml',
    text:
      HEAD +
      '      - uses: x/y@v1\n        with:\n' +
      Array.from({ length: 100 }, (_, i) => `${' '.repeat(10 + 2 * i)}k${i}:\n`).join('') +
      ' '.repeat(210) +
      'x\n',
    code: 1,
    output: /^ {2}67:129 {2}error {2}YAML nests deeper than 64 levels/m,
  },
  {
    name: 'too-deep-aliases.yml',
    text: [
      'x0: &a0 [1]',
      ...Array.from({ length: 99 }, (_, i) => `x${i + 1}: &a${i + 1} [*a${i}]`),
      'on: push',
      'jobs: {}',
      '',
    ].join('\n'),
    code: 1,
    output: /^ {2}64:12 {2}error {2}YAML aliases nest this document deeper than 64 levels of mappings and sequences$/m,
  },
  {
    name: 'long-script.yml',
    text: HEAD + '      - run: |\n' + '          echo "a line of a generated script"\n'.repeat(2500),
    code: 0,
    output: /^ {2}7:11 {2}warning {2}This script is 88 KiB, over the 64 KiB wf-lint analyses {2}syntax-error$/m,
  },
  {
    name: 'long-expression-value.yml',
    text: HEAD + '      - run: |\n' + '          echo "${{ secrets.TOKEN }}" | tool --stdin\n'.repeat(600),
    code: 1,
    output: /^ {2}6:14 {2}error {2}This value holds a `\$\{\{ \}\}` expression and is 25,800 characters long/m,
  },
  {
    name: 'slow-script.yml',
    text: HEAD + '      - run: |\n          ' + '<<'.repeat(8000) + '\n',
    code: 0,
    output:
      /^ {2}7:11 {2}warning {2}The shell parser would take too long on this script \(some broken syntax slows it\n {17}down\) {2}syntax-error$/m,
  },
];

describe('limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wf-lint-limits-'));
  for (const { name, text } of cases) writeFileSync(join(dir, name), text);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const { name, code, output } of cases) {
    it(`reports ${name} as a finding with its position, exit code ${code}, quickly and without a stack trace`, () => {
      const started = Date.now();
      const r = runCli([join(dir, name)]);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(r.stdout).toMatch(output);
      expect(r.stderr + r.stdout).not.toMatch(STACK_TRACE);
      expect(r.code).toBe(code);
    });
  }

  it('lints the files past a limit and the others in one run', () => {
    writeFileSync(join(dir, 'fine.yml'), HEAD + '      - run: echo fine\n');
    const r = runCli(['--format', 'json', dir]);
    const report = JSON.parse(r.stdout) as { files: { file: string; findings: unknown[] }[] };
    expect(report.files).toHaveLength(cases.length + 1);
    expect(report.files.find((f) => f.file.endsWith('fine.yml'))?.findings).toEqual([]);
    expect(r.code).toBe(1);
  });
});
