import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'test/data/sarif-2.1.0.json'), 'utf8'));
const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

const sarifOf = (args: string[], cwd?: string): Sarif.Log =>
  JSON.parse(runCli(['--format', 'sarif', ...args], { cwd }).stdout);
const hashes = (log: Sarif.Log) =>
  log.runs[0]
    .results!.map(
      (r) =>
        `${r.ruleId} ${r.locations![0].physicalLocation!.artifactLocation!.uri} ${r.partialFingerprints!.primaryLocationLineHash}`,
    )
    .sort();

describe('SARIF output of the CLI', () => {
  it('validates against the SARIF 2.1.0 schema for the examples and the bad inputs', () => {
    for (const target of ['examples/', 'test/fixtures/bad-input/']) {
      const log = sarifOf([target]);
      expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    }
  });

  it('keeps every primaryLocationLineHash when a blank line is inserted at the top of each file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-lint-sarif-'));
    cpSync(join(ROOT, 'examples'), join(dir, 'examples'), { recursive: true });
    cpSync(join(ROOT, 'test/fixtures/bad-input'), join(dir, 'bad'), { recursive: true });
    const before = sarifOf(['examples', 'bad'], dir);
    expect(before.runs[0].results!.length).toBeGreaterThan(0);
    for (const sub of ['examples', 'bad']) {
      for (const f of readdirSync(join(dir, sub))) {
        const path = join(dir, sub, f);
        const text = readFileSync(path);
        // Keep the BOM first; binary and empty files are left alone (a blank line changes what they hold).
        if (text.includes(0) || text.length === 0) continue;
        const bom = text[0] === 0xef ? 3 : 0;
        writeFileSync(path, Buffer.concat([text.subarray(0, bom), Buffer.from('\n'), text.subarray(bom)]));
      }
    }
    const after = sarifOf(['examples', 'bad'], dir);
    const lines = (log: Sarif.Log) =>
      log.runs[0].results!.map((r) => r.locations![0].physicalLocation!.region!.startLine!);
    expect(lines(after).filter((l, i) => l !== lines(before)[i] + 1 && l !== 1)).toEqual([]);
    expect(hashes(after)).toEqual(hashes(before));
  });
});
