import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { parseConfig } from '../../src/config/config.js';
import { PR_CHECK_WORKFLOW } from '../../src/init.js';
import { directiveMetas } from '../../src/rules/directives.js';
import { rules } from '../../src/rules/registry.js';
import { ROOT, runCli } from '../cli/run-cli.js';
import { GOOD_WORKFLOW, tempDir } from './temp-dir.js';

const metas = rules.map((rule) => rule.meta);

function gitRepo(files: Record<string, string>): string {
  const dir = tempDir(files);
  execFileSync('git', ['init', '--quiet'], { cwd: dir });
  return dir;
}

describe('wf-lint init', () => {
  it('writes a .wf-lint.yml that passes config validation and keeps the defaults', () => {
    const dir = gitRepo({ '.github/workflows/ci.yml': GOOD_WORKFLOW });
    const r = runCli(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    const path = join(dir, '.wf-lint.yml');
    const config = parseConfig(readFileSync(path, 'utf8'), path, metas);
    expect(config).toMatchObject({ ignore: [], settings: {} });
    expect(config.rules.size).toBe(0);
    expect(runCli([], { cwd: dir }).code).toBe(0);
  });

  it('lists every rule at its default level; uncommented, the rule lines are valid config', () => {
    const dir = gitRepo({});
    runCli(['init'], { cwd: dir });
    const text = readFileSync(join(dir, '.wf-lint.yml'), 'utf8');
    for (const meta of [...metas, ...directiveMetas]) {
      const ruleLine = text.split('\n').find((line) => line.includes(` ${meta.id}: ${meta.level} `));
      expect(ruleLine).toMatch(/^( {2}# |# {3})/);
      expect(ruleLine).toContain(`  # ${meta.summary}`);
    }
    expect(text).toMatch(/^ignore:\n {2}# - .+\n/m);
    expect(text).toMatch(/^settings: \{\}$/m);

    const uncommented = text.replace(/^ {2}# (?=[\w-]+: \w+ +#)/gm, '  ');
    const config = parseConfig(uncommented, join(dir, '.wf-lint.yml'), metas);
    expect(Object.fromEntries([...config.rules].map(([id, setting]) => [id, setting.level]))).toEqual(
      Object.fromEntries(metas.map((meta) => [meta.id, meta.level])),
    );
  });

  it('prints the pre-commit and pull-request snippets, with paths from the working directory to the git root', () => {
    const dir = gitRepo({ '.github/workflows/ci.yml': GOOD_WORKFLOW });
    mkdirSync(join(dir, 'tools'));
    const r = runCli(['init'], { cwd: join(dir, 'tools') });
    expect(r.stdout).toContain('pre-commit: Create ../.pre-commit-config.yaml:');
    expect(r.stdout).toContain(
      `  - repo: https://github.com/wf-lint/wf-lint\n    rev: v${pkg.version}\n    hooks:\n      - id: wf-lint\n`,
    );
    expect(r.stdout).toContain('save as ../.github/workflows/wf-lint.yml; it is examples/pr-check.yml');
    expect(r.stdout).toContain(PR_CHECK_WORKFLOW);
    expect(r.code).toBe(0);
  });

  it('says when there is no git repository, no workflows folder or already a pre-commit config', () => {
    const outside = runCli(['init'], { cwd: tempDir() });
    expect(outside.stdout).toContain('(not in a git repository: pre-commit and pull-request checks need one)');
    expect(outside.stdout).toContain('save as .github/workflows/wf-lint.yml (there is no .github/workflows/ yet)');

    const withPreCommit = runCli(['init'], { cwd: gitRepo({ '.pre-commit-config.yaml': 'repos: []\n' }) });
    expect(withPreCommit.stdout).toContain('pre-commit: Add the hook to the repos: of .pre-commit-config.yaml:');
  });

  it('refuses to overwrite an existing config, with exit code 2', () => {
    for (const name of ['.wf-lint.yml', '.wf-lint.yaml']) {
      const dir = gitRepo({ [name]: 'rules: {}\n' });
      const r = runCli(['init'], { cwd: dir });
      expect(r.stderr).toBe(`wf-lint: ${name}: already exists; wf-lint init does not overwrite it\n`);
      expect(r.code).toBe(2);
      expect(readFileSync(join(dir, name), 'utf8')).toBe('rules: {}\n');
    }
    expect(runCli(['init', 'extra'], { cwd: tempDir() }).code).toBe(2);
  });

  it('suggests the workflow that examples/pr-check.yml holds', () => {
    expect(readFileSync(join(ROOT, 'examples/pr-check.yml'), 'utf8')).toBe(PR_CHECK_WORKFLOW);
  });
});
