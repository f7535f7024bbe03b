import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../integrations/temp-dir.js';
import { runCli } from './run-cli.js';

const SEED = 'test/fixtures/seed/robust-solution.yml';
const CONCURRENT = 'test/fixtures/timeline/concurrent-azure.yml';

describe('wf-lint timeline', () => {
  it('is listed in --help, and has its own', () => {
    expect(runCli(['--help']).stdout).toContain('wf-lint timeline [-f mermaid|html] [-o FILE] [paths...]');
    const help = runCli(['timeline', '--help']);
    expect(help.stdout).toMatch(/^Usage: wf-lint timeline \[options\] \[paths\.\.\.\]\n/);
    expect(help.stdout).toContain('--late-only');
    expect(help.code).toBe(0);
  });

  it('writes Markdown with a Mermaid chart per job by default', () => {
    const r = runCli(['timeline', SEED, CONCURRENT]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^## `test\/fixtures\/seed\/robust-solution\.yml`\n\n### Job `deploy`\n/);
    expect(r.stdout).toContain('\n## `test/fixtures/timeline/concurrent-azure.yml`\n');
    expect(r.stdout.match(/^```mermaid\ngantt\n/gm)).toHaveLength(2);
  });

  it('writes a self-contained HTML page with -f html -o FILE: inline SVG, no script, no request', () => {
    const dir = tempDir();
    const out = join(dir, 'timeline.html');
    const r = runCli(['timeline', '--format', 'html', '-o', out, SEED]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    const page = readFileSync(out, 'utf8');
    expect(page).toMatch(/^<!doctype html>\n/);
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'none'">`,
    );
    expect(page.match(/<svg class="timeline"/g)).toHaveLength(1);
    expect(page).not.toMatch(/<script|<link|<img|src=|url\(/);
    // The only URL is SVG's namespace.
    expect(page.match(/https?:\/\/[^"]*/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('keeps only the jobs with a late-secret-read finding with --late-only, as its config says', () => {
    const dir = tempDir({
      '.github/workflows/deploy.yml': readFileSync(SEED, 'utf8'),
      '.github/workflows/e2e.yml': readFileSync(CONCURRENT, 'utf8'),
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n',
      'off.yml': 'rules:\n  late-secret-read: off\n',
    });
    const r = runCli(['timeline', '--late-only'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^## .*$/gm)).toEqual([
      '## `.github/workflows/deploy.yml`',
      '## `.github/workflows/e2e.yml`',
    ]);
    expect(r.stdout.match(/^### .*$/gm)).toEqual(['### Job `deploy`', '### Job `e2e` (`End-to-end: #1; all`)']);
    expect(runCli(['timeline', '--late-only', '-c', 'off.yml'], { cwd: dir }).stdout).toBe('');
  });

  it('says which files have no timeline, draws the others, and exits 2', () => {
    const dir = tempDir({ 'labels.yml': 'bug:\n  - "src/**"\n', 'ci.yml': readFileSync(SEED, 'utf8') });
    const r = runCli(['timeline', 'labels.yml', 'ci.yml', 'missing.yml'], { cwd: dir });
    expect(r.stderr).toContain('wf-lint: labels.yml: not a workflow (1:1: Not a GitHub Actions workflow');
    expect(r.stderr).toContain('missing.yml');
    expect(r.stdout).toContain('## `ci.yml`');
    expect(r.code).toBe(2);
  });

  it('refuses an unknown format or option with exit code 2', () => {
    const format = runCli(['timeline', '-f', 'svg', SEED]);
    expect(format.stderr).toBe(
      'wf-lint: Unknown timeline format "svg". Use one of: mermaid, html.\nRun wf-lint --help for usage.\n',
    );
    expect(format.code).toBe(2);
    const option = runCli(['timeline', '--fix', SEED]);
    expect(option.stderr).toContain("Unknown option '--fix'");
    expect(option.code).toBe(2);
  });

  it('is loaded only by the commands that draw: a lint run never loads dist/timeline.cjs', () => {
    // NODE_DEBUG=module logs each CommonJS module Node loads.
    const loads = (args: string[]) => {
      const { stderr } = runCli(args, { env: { NODE_DEBUG: 'module' } });
      expect(stderr).toMatch(/load "[^"]*[\\/]dist[\\/]cli\.cjs"/);
      return /load "[^"]*[\\/]dist[\\/]timeline\.cjs"/.test(stderr);
    };
    expect(loads([SEED])).toBe(false);
    expect(loads(['--format', 'json', SEED])).toBe(false);
    expect(loads(['timeline', SEED])).toBe(true);
    expect(loads(['--format', 'html', SEED])).toBe(true);
  });
});

describe('wf-lint --format html', () => {
  it('writes the findings per file, each linked to its job’s timeline', () => {
    const r = runCli(['--format', 'html', SEED, CONCURRENT]);
    expect(r.code).toBe(1);
    const page = r.stdout;
    expect(page).toContain('<h1>wf-lint report</h1>');
    expect(page).toContain(
      '<p>2 files, 5 errors, 3 warnings, 0 notes; 5 fixable with --fix, 1 more with --fix --unsafe-fixes.',
    );
    expect(page.match(/<section class="file" id="f\d+">/g)).toEqual([
      '<section class="file" id="f1">',
      '<section class="file" id="f2">',
    ]);
    // Every finding in a job links to that job's timeline, which is in the page.
    const links = [...page.matchAll(/<a class="open-timeline" href="#([^"]+)">/g)].map((m) => m[1]);
    expect(new Set(links)).toEqual(new Set(['f1-job-deploy', 'f2-job-e2e']));
    for (const id of links) expect(page).toContain(`<details class="lane" id="${id}">`);
    expect(page).toContain(
      '<a href="https://github.com/wf-lint/wf-lint/blob/main/rules-docs/late-secret-read.md">late-secret-read</a>',
    );
  });
});
