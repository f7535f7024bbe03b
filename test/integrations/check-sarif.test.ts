import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli.js';
import { tempDir } from './temp-dir.js';

const SCRIPT = join(ROOT, 'scripts/check-sarif.mjs');

function checkSarif(files: string[] = []) {
  const result = spawnSync(process.execPath, [SCRIPT, ...files], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('check:sarif (the SARIF multitool with GitHub rules)', () => {
  it('passes on the SARIF of every fixture and example', () => {
    const r = checkSarif();
    expect(r.stdout).toBe('check:sarif: 1 SARIF file(s) pass the Sarif and Ghas rules.\n');
    expect(r.code).toBe(0);
    // A lint of every fixture and the .NET multitool: over 30 s when the machine is shared.
  }, 120_000);

  it('fails, listing each problem, on SARIF that code scanning would reject', () => {
    const result = {
      ruleId: 'r',
      message: { text: 'm' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'a.yml' } } }],
    };
    const log = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [result] }] };
    const file = join(tempDir({ 'bad.sarif': JSON.stringify(log) }), 'bad.sarif');
    const r = checkSarif([file]);
    expect(r.stdout).toContain(
      `${file}: error GH1018: runs[0].tool.driver: The 'driver' object in this tool does not provide a 'rules' array.`,
    );
    expect(r.stdout).toContain(
      `${file}: warning SARIF2017: runs[0].results[0].locations[0].physicalLocation: The 'region' property is absent.`,
    );
    expect(r.stdout).toMatch(/check:sarif: the SARIF multitool reported problems\.\n$/);
    expect(r.code).toBe(1);
  });
});
