import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type * as Sarif from 'sarif';
import { describe, it, expect } from 'vitest';
import type { FileResult, Finding, Level, Range } from '../../src/findings.js';
import { withFingerprints } from '../../src/report/fingerprint.js';
import { MAX_GZIPPED_BYTES, MAX_RESULTS_PER_RUN, renderSarif, sarifReporter } from '../../src/report/sarif.js';
import type { ReportContext, RuleDescriptor } from '../../src/report/types.js';

// The vendored schema declares draft 2020-12, so it needs Ajv's 2020 build; formats are not checked.
const schema = JSON.parse(fs.readFileSync(new URL('../data/sarif-2.1.0.json', import.meta.url), 'utf8'));
const validateSarif = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

/** A one-line range of `length` columns starting at `offset`. */
function range(line: number, column: number, length: number, offset = 0): Range {
  return { start: { line, column, offset }, end: { line, column: column + length, offset: offset + length } };
}

function rule(id: string, level: Level, securitySeverity: number): RuleDescriptor {
  return {
    id,
    summary: `Summary of ${id}.`,
    description: `Description of ${id}.`,
    level,
    securitySeverity,
    precision: 'high',
    tags: ['security'],
    fixable: [],
    helpMarkdown: `# ${id}\n\nHelp for ${id}.`,
    helpUri: `https://example.test/rules/${id}`,
  };
}

function context(rules: RuleDescriptor[]): ReportContext {
  return { root: process.cwd(), toolVersion: '1.2.3', informationUri: 'https://example.test', rules, color: false };
}

/** A file's result as linting makes it: each finding with the fingerprint of its line in `text`. */
function linted(path: string, text: string, findings: Finding[]): FileResult {
  return { path, findings: withFingerprints(text, findings) };
}

function parseLog(output: string): Sarif.Log {
  return JSON.parse(output) as Sarif.Log;
}

function onlyRun(output: string): Sarif.Run {
  return parseLog(output).runs[0];
}

const WORKFLOW = [
  'on: push',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@main',
  '      - run: echo ${{ secrets.TOKEN }}',
  '',
].join('\n');

const secretEcho: Finding = {
  ruleId: 'secret-echo',
  level: 'error',
  message: 'Secret printed to the log',
  detail: 'Secret printed to the log: `${{ secrets.TOKEN }}`.\n\nMasking does not cover transformed values.',
  range: range(7, 14, 25),
  related: [{ message: 'Job that prints it.', range: range(3, 3, 5) }],
};
const unpinnedAction: Finding = {
  ruleId: 'unpinned-action',
  level: 'warning',
  message: 'Action pinned to a branch.',
  range: range(6, 15, 21),
  fix: { kind: 'unsafe', description: 'Pin to a commit', edits: [] },
};

describe('sarifReporter', () => {
  it('writes one run with every rule and the results', () => {
    const results: FileResult[] = [
      linted('.github/workflows/ci.yml', WORKFLOW, [secretEcho, unpinnedAction]),
      linted('.github/workflows/clean.yml', 'on: push\n', []),
    ];
    const rules = [rule('unpinned-action', 'warning', 6.5), rule('secret-echo', 'error', 8)];
    const artifactLocation = { uri: '.github/workflows/ci.yml', uriBaseId: '%SRCROOT%' };
    const expected: Sarif.Log = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'wf-lint',
              version: '1.2.3',
              semanticVersion: '1.2.3',
              informationUri: 'https://example.test',
              rules: [
                {
                  id: 'unpinned-action',
                  name: 'UnpinnedAction',
                  shortDescription: { text: 'Summary of unpinned-action.' },
                  fullDescription: { text: 'Description of unpinned-action.' },
                  help: {
                    text: 'Description of unpinned-action.\n\nDocumentation: https://example.test/rules/unpinned-action',
                    markdown: '# unpinned-action\n\nHelp for unpinned-action.',
                  },
                  helpUri: 'https://example.test/rules/unpinned-action',
                  defaultConfiguration: { level: 'warning' },
                  properties: {
                    tags: ['security'],
                    precision: 'high',
                    'security-severity': '6.5',
                    'problem.severity': 'warning',
                  },
                },
                {
                  id: 'secret-echo',
                  name: 'SecretEcho',
                  shortDescription: { text: 'Summary of secret-echo.' },
                  fullDescription: { text: 'Description of secret-echo.' },
                  help: {
                    text: 'Description of secret-echo.\n\nDocumentation: https://example.test/rules/secret-echo',
                    markdown: '# secret-echo\n\nHelp for secret-echo.',
                  },
                  helpUri: 'https://example.test/rules/secret-echo',
                  defaultConfiguration: { level: 'error' },
                  properties: {
                    tags: ['security'],
                    precision: 'high',
                    'security-severity': '8.0',
                    'problem.severity': 'error',
                  },
                },
              ],
            },
          },
          invocations: [{ executionSuccessful: true }],
          originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(process.cwd()).href}/` } },
          columnKind: 'utf16CodeUnits',
          results: [
            {
              ruleId: 'secret-echo',
              ruleIndex: 1,
              level: 'error',
              // The explanation as Markdown, which viewers show instead of the first line when they can.
              message: {
                text: 'Secret printed to the log',
                markdown:
                  'Secret printed to the log: `${{ secrets.TOKEN }}`.\n\nMasking does not cover transformed values.',
              },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation,
                    region: { startLine: 7, startColumn: 14, endLine: 7, endColumn: 39 },
                  },
                },
              ],
              partialFingerprints: { primaryLocationLineHash: 'fc308614845d7298:1' },
              relatedLocations: [
                {
                  id: 1,
                  physicalLocation: {
                    artifactLocation,
                    region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 8 },
                  },
                  message: { text: 'Job that prints it.' },
                },
              ],
            },
            {
              ruleId: 'unpinned-action',
              ruleIndex: 0,
              level: 'warning',
              message: { text: 'Action pinned to a branch.' },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation,
                    region: { startLine: 6, startColumn: 15, endLine: 6, endColumn: 36 },
                  },
                },
              ],
              partialFingerprints: { primaryLocationLineHash: 'ca160d84bd656b40:1' },
              properties: { fixAvailable: true, fixKind: 'unsafe' },
            },
          ],
        },
      ],
    };
    expect(sarifReporter(results, context(rules))).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('validates against the SARIF 2.1.0 schema', () => {
    const results: FileResult[] = [
      linted('.github/workflows/ci.yml', WORKFLOW, [secretEcho, unpinnedAction]),
      linted('workflows with spaces/déploy #1.yml', 'on: push\n', [
        { ruleId: 'parse-error', level: 'error', message: 'Not a workflow.', range: range(1, 1, 0) },
      ]),
      linted(path.join(path.dirname(process.cwd()), 'elsewhere.yml'), '', [unpinnedAction]),
    ];
    const rules = [rule('unpinned-action', 'warning', 6.5), rule('secret-echo', 'error', 8)];
    const output = sarifReporter(results, context(rules));
    expect(validateSarif(JSON.parse(output)), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
  });

  it('points ruleIndex at the rule with the result’s ruleId, and leaves it out for unknown rules', () => {
    const rules = [rule('a-rule', 'note', 1), rule('unpinned-action', 'warning', 6.5), rule('secret-echo', 'error', 8)];
    const unknown: Finding = { ...unpinnedAction, ruleId: 'not-a-rule' };
    const run = onlyRun(
      sarifReporter([linted('ci.yml', WORKFLOW, [unpinnedAction, secretEcho, unknown])], context(rules)),
    );
    const driverRules = run.tool.driver.rules ?? [];
    expect(driverRules.map((descriptor) => descriptor.id)).toEqual(['a-rule', 'unpinned-action', 'secret-echo']);
    for (const result of run.results ?? []) {
      if (result.ruleId === 'not-a-rule') expect(result.ruleIndex).toBeUndefined();
      else expect(driverRules[result.ruleIndex ?? -1].id).toBe(result.ruleId);
    }
  });

  it('writes security-severity as a string with one decimal', () => {
    const rules = [rule('a', 'error', 7), rule('b', 'warning', 6.5), rule('c', 'note', 0.1)];
    const run = onlyRun(sarifReporter([], context(rules)));
    const severities = (run.tool.driver.rules ?? []).map((descriptor) => descriptor.properties?.['security-severity']);
    expect(severities).toEqual(['7.0', '6.5', '0.1']);
  });

  it('keeps primaryLocationLineHash when a line is inserted above the finding', () => {
    const before = onlyRun(sarifReporter([linted('ci.yml', WORKFLOW, [secretEcho])], context([])));
    const shifted: Finding = { ...secretEcho, range: range(8, 14, 25) };
    const after = onlyRun(sarifReporter([linted('ci.yml', `\n${WORKFLOW}`, [shifted])], context([])));
    const fingerprint = (run: Sarif.Run) => run.results?.[0].partialFingerprints?.primaryLocationLineHash;
    expect(fingerprint(before)).toMatch(/^[0-9a-f]+:1$/);
    expect(fingerprint(after)).toBe(fingerprint(before));
  });

  it('widens an empty range to one column', () => {
    const empty: Finding = { ...unpinnedAction, range: range(1, 9, 0) };
    const run = onlyRun(sarifReporter([linted('ci.yml', WORKFLOW, [empty])], context([])));
    expect(run.results?.[0].locations?.[0].physicalLocation?.region).toEqual({
      startLine: 1,
      startColumn: 9,
      endLine: 1,
      endColumn: 10,
    });
  });

  it('encodes path segments relative to the root, and uses a file URI outside it', () => {
    const inside = 'workflows with spaces/déploy #1.yml';
    const outside = path.join(path.dirname(process.cwd()), 'elsewhere.yml');
    const run = onlyRun(
      sarifReporter(
        [linted(inside, WORKFLOW, [unpinnedAction]), linted(outside, WORKFLOW, [unpinnedAction])],
        context([]),
      ),
    );
    const locations = (run.results ?? []).map((result) => result.locations?.[0].physicalLocation?.artifactLocation);
    expect(locations).toEqual([
      { uri: 'workflows%20with%20spaces/d%C3%A9ploy%20%231.yml', uriBaseId: '%SRCROOT%' },
      { uri: pathToFileURL(outside).href },
    ]);
  });

  it(`keeps the ${MAX_RESULTS_PER_RUN} most severe results and reports how many were dropped`, () => {
    const lines = MAX_RESULTS_PER_RUN + 3;
    const finding = (line: number, level: Level): Finding => ({
      ruleId: 'r',
      level,
      message: `Finding ${line}.`,
      range: range(line, 1, 1),
    });
    // File order: notes first, the errors and warnings that must survive last.
    const findings = Array.from({ length: lines }, (_, index) => {
      const line = index + 1;
      if (line > lines - 2) return finding(line, 'error');
      if (line > lines - 5) return finding(line, 'warning');
      return finding(line, 'note');
    });
    const output = sarifReporter([linted('big.yml', 'x: 1\n'.repeat(lines), findings)], context([]));
    expect(validateSarif(JSON.parse(output))).toBe(true);

    const run = onlyRun(output);
    const kept = run.results ?? [];
    expect(kept).toHaveLength(MAX_RESULTS_PER_RUN);
    const startLine = (result: Sarif.Result) => result.locations?.[0].physicalLocation?.region?.startLine;
    expect(kept.slice(0, 5).map((result) => [result.level, startLine(result)])).toEqual([
      ['error', lines - 1],
      ['error', lines],
      ['warning', lines - 4],
      ['warning', lines - 3],
      ['warning', lines - 2],
    ]);
    const keptNoteLines = kept.slice(5).map(startLine);
    expect(keptNoteLines[0]).toBe(1);
    expect(keptNoteLines.at(-1)).toBe(MAX_RESULTS_PER_RUN - 5);

    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'warning',
            message: {
              text:
                `3 of ${lines} results were left out: GitHub code scanning accepts at most ` +
                `${MAX_RESULTS_PER_RUN} results per run, so only the most severe were kept.`,
            },
          },
        ],
      },
    ]);
  });

  it('drops the least severe results until the gzipped log fits, and says so', () => {
    const lines = 40;
    // Random hex barely compresses, so every result adds to the gzipped size. The errors come last in
    // file order, so keeping them proves the drop goes by severity.
    const findings = Array.from({ length: lines }, (_, index): Finding => ({
      ruleId: 'r',
      level: index >= lines - 3 ? 'error' : 'note',
      message: randomBytes(200).toString('hex'),
      range: range(index + 1, 1, 1),
    }));
    const results: FileResult[] = [linted('big.yml', 'x: 1\n'.repeat(lines), findings)];
    const maxGzippedBytes = Math.floor(gzipSync(sarifReporter(results, context([]))).length / 2);

    const output = renderSarif(results, context([]), maxGzippedBytes);
    expect(gzipSync(output).length).toBeLessThanOrEqual(maxGzippedBytes);
    expect(validateSarif(JSON.parse(output))).toBe(true);
    const run = onlyRun(output);
    const kept = run.results ?? [];
    expect(kept.length).toBeGreaterThan(3);
    expect(kept.length).toBeLessThan(lines);
    expect(kept.slice(0, 3).map((result) => result.level)).toEqual(['error', 'error', 'error']);
    expect(run.invocations?.[0].toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: {
          text:
            `${lines - kept.length} of ${lines} results were left out: GitHub code scanning accepts at most ` +
            `${maxGzippedBytes / 1_000_000} MB of gzipped SARIF, so only the most severe were kept.`,
        },
      },
    ]);
  });

  it(`holds code scanning's real limit of ${MAX_GZIPPED_BYTES / 1_000_000} MB gzipped`, () => {
    // 25,000 results of 1,000 random hex characters gzip to about 13 MB.
    const count = MAX_RESULTS_PER_RUN;
    const findings = Array.from({ length: count }, (_, index): Finding => ({
      ruleId: 'r',
      level: 'warning',
      message: randomBytes(500).toString('hex'),
      range: range(index + 1, 1, 1),
    }));
    const output = sarifReporter([linted('big.yml', 'x: 1\n'.repeat(count), findings)], context([]));
    expect(gzipSync(output).length).toBeLessThanOrEqual(MAX_GZIPPED_BYTES);
    const run = onlyRun(output);
    expect(run.results?.length).toBeLessThan(count);
    expect(run.invocations?.[0].toolExecutionNotifications?.[0].message.text).toMatch(/MB of gzipped SARIF/);
  });
});
