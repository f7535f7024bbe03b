import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const DIR = 'test/fixtures/parse-budget';
const OVER_BUDGET = 'The shell parser would take too long on this script (some broken syntax slows it down)';

/** Starts `n` processes that spin on a CPU each until killed. */
function busyLoops(n: number): ChildProcess[] {
  return Array.from({ length: n }, () => spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' }));
}

describe('the shell parse budget', () => {
  it('declines the scripts the shell parser is slow on quickly, and reads dense valid code', () => {
    const started = Date.now();
    const r = runCli(['--format', 'json', DIR], { env: { WF_LINT_THREADS: '1' } });
    expect(Date.now() - started).toBeLessThan(5000);
    const files = (JSON.parse(r.stdout) as { files: { file: string; findings: { rule: string; message: string }[] }[] })
      .files;
    const summary = files.map((f) => `${f.file.split('/').pop()}: ${f.findings.map((x) => x.rule).join(' ')}`);
    expect(summary).toEqual([
      'closing-parentheses.yml: syntax-error',
      'dense-valid.yml: secret-in-cli-args',
      'heredoc-operators.yml: syntax-error',
      'heredocs-on-one-line.yml: syntax-error',
      'long-pipeline.yml: syntax-error',
      'nested-expansions.yml: syntax-error',
      // Read: its time was near the wall-clock budget wf-lint once had, and under load it gained a warning.
      'nested-functions.yml: ',
      'unopened-parentheses.yml: syntax-error',
      'words-and-pipes.yml: syntax-error',
    ]);
    for (const f of files)
      for (const x of f.findings) if (x.rule === 'syntax-error') expect(x.message).toBe(OVER_BUDGET);
  });

  it('counts work, not time: the report is byte for byte the same beside four CPU-bound processes', async () => {
    const alone = runCli(['--format', 'json', DIR]);
    const loops = busyLoops(4);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const loaded = runCli(['--format', 'json', DIR]);
      expect(loaded.stdout).toBe(alone.stdout);
      expect(loaded.code).toBe(alone.code);
    } finally {
      for (const loop of loops) loop.kill();
    }
  });
});
