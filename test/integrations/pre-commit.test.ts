import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../cli/run-cli.js';
import { BAD_WORKFLOW, envWithoutNpmSettings, GOOD_WORKFLOW, tempDir, writeFiles } from './temp-dir.js';

const HAS_PRE_COMMIT = spawnSync('pre-commit', ['--version']).status === 0;
if (!HAS_PRE_COMMIT)
  console.warn('Skipping the pre-commit hook tests: `pre-commit` is not on PATH (apt-get install -y pre-commit).');

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

/**
 * A one-commit copy of this checkout's working tree. `try-repo` installs a repository's HEAD plus its
 * changes to tracked files, so untracked work in progress would be missing from the checkout itself.
 */
function snapshotOfCheckout(): string {
  const dir = tempDir();
  const files = git(ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0');
  for (const file of files) if (file && existsSync(join(ROOT, file))) cpSync(join(ROOT, file), join(dir, file));
  git(dir, 'init', '--quiet');
  git(dir, 'add', '--all');
  git(
    dir,
    '-c',
    'user.email=test@wf-lint.invalid',
    '-c',
    'user.name=wf-lint test',
    'commit',
    '--quiet',
    '-m',
    'snapshot',
  );
  return dir;
}

function projectRepo(files: Record<string, string>): string {
  const dir = tempDir(files);
  git(dir, 'init', '--quiet');
  git(dir, 'config', 'user.email', 'test@wf-lint.invalid');
  git(dir, 'config', 'user.name', 'wf-lint test');
  git(dir, 'add', '--all');
  return dir;
}

/** pre-commit's `language: node` runs npm install in the hook repository; the npm cache of `npm ci` serves it. */
function tryRepo(project: string, hookRepo: string) {
  const env = preCommitEnv(project);
  const args = ['try-repo', hookRepo, 'wf-lint', '--all-files', '--color', 'never'];
  const result = spawnSync('pre-commit', args, { cwd: project, env, encoding: 'utf8' });
  return { code: result.status, output: result.stdout + result.stderr };
}

/** A deploy that a newer run can cancel halfway: one deploy-cancel-in-progress warning, at 4:23. */
const WARNING_WORKFLOW =
  'on: push\nconcurrency:\n  group: deploy\n  cancel-in-progress: true\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: kubectl apply -f k8s/\n';

/** Environment for pre-commit: its own home in the project, npm without the npm_* settings of `npm test`. */
function preCommitEnv(project: string): Record<string, string | undefined> {
  return {
    ...envWithoutNpmSettings(),
    PRE_COMMIT_HOME: join(project, '.pre-commit-home'),
    npm_config_prefer_offline: 'true',
  };
}

/** `git commit` in `project`, with the hooks that `pre-commit install` put there. */
function commit(project: string, message: string) {
  const result = spawnSync('git', ['commit', '--quiet', '-m', message], {
    cwd: project,
    env: { ...preCommitEnv(project), PRE_COMMIT_COLOR: 'never' },
    encoding: 'utf8',
  });
  return { code: result.status, output: result.stdout + result.stderr };
}

describe('the pre-commit hook', () => {
  it.skipIf(!HAS_PRE_COMMIT)('is declared in a manifest that pre-commit accepts, with a --fix variant', () => {
    execFileSync('pre-commit', ['validate-manifest', join(ROOT, '.pre-commit-hooks.yaml')]);
    const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    const files = String.raw`^\.github/workflows/.*\.ya?ml$`;
    expect(hooks.map((hook) => [hook.id, hook.entry, hook.language, hook.files, hook.require_serial])).toEqual([
      ['wf-lint', 'wf-lint --max-warnings 0', 'node', files, true],
      ['wf-lint-fix', 'wf-lint --fix --max-warnings 0', 'node', files, true],
    ]);
  });

  it.skipIf(!HAS_PRE_COMMIT)(
    'fails on a broken workflow, names it, and passes once it is fixed',
    () => {
      const hookRepo = snapshotOfCheckout();
      const project = projectRepo({
        '.github/workflows/bad.yml': BAD_WORKFLOW,
        '.github/workflows/good.yaml': GOOD_WORKFLOW,
        // Not a workflow: the hook's `files` pattern leaves it alone.
        'config/app.yml': BAD_WORKFLOW,
      });

      const failing = tryRepo(project, hookRepo);
      expect(failing.output).toMatch(/^wf-lint\.+Failed$/m);
      expect(failing.output).toMatch(
        /^\.github\/workflows\/bad\.yml\n {2}2:7 {2}error {2}.+(\n +.+)* {2}syntax-error$/m,
      );
      expect(failing.output).not.toContain('good.yaml');
      expect(failing.output).not.toContain('app.yml');
      expect(failing.code).toBe(1);

      writeFiles(project, { '.github/workflows/bad.yml': GOOD_WORKFLOW });
      git(project, 'add', '--all');
      const passing = tryRepo(project, hookRepo);
      expect(passing.output).toMatch(/^wf-lint\.+Passed$/m);
      expect(passing.code).toBe(0);
    },
    300_000,
  );
  it.skipIf(!HAS_PRE_COMMIT)(
    'shows the warnings of the files being committed at commit time, in one report, and stops the commit',
    () => {
      const hookRepo = snapshotOfCheckout();
      const rev = git(hookRepo, 'rev-parse', 'HEAD').trim();
      // More files than cores: without require_serial, pre-commit would split them over processes.
      const workflows = Object.fromEntries(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => [`.github/workflows/deploy-${name}.yml`, WARNING_WORKFLOW]),
      );
      const config = (hook: string) => `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n${hook}`;
      const project = projectRepo({
        '.pre-commit-config.yaml': config('      - id: wf-lint\n'),
        ...workflows,
      });
      execFileSync('pre-commit', ['install'], { cwd: project, env: preCommitEnv(project) });

      const stopped = commit(project, 'deploy workflows');
      expect(stopped.output).toMatch(/^wf-lint\.+Failed$/m);
      // One report: every file, one summary.
      for (const name of Object.keys(workflows))
        expect(stopped.output).toMatch(
          // The first line may wrap at 100 columns: the rule id then ends the last line of the finding.
          new RegExp(
            `^${name.replace(/\./g, '\\.')}\n {2}4:23 {2}warning {2}.+(\n +.+)* {2}deploy-cancel-in-progress$`,
            'm',
          ),
        );
      expect(stopped.output.match(/^✖ /gm)).toEqual(['✖ ']);
      expect(stopped.output).toContain('✖ 12 problems (0 errors, 12 warnings, 0 notes)');
      expect(stopped.output).toContain('wf-lint: 12 warnings, more than --max-warnings 0.');
      expect(stopped.code).toBe(1);
      expect(spawnSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: project }).status).not.toBe(0);

      // The documented switch: warnings pass, and verbose still shows them.
      writeFiles(project, {
        '.pre-commit-config.yaml': config(
          '      - id: wf-lint\n        args: [--max-warnings=-1]\n        verbose: true\n',
        ),
      });
      git(project, 'add', '--all');
      const passed = commit(project, 'deploy workflows');
      expect(passed.output).toMatch(/^wf-lint\.+Passed$/m);
      expect(passed.output).toContain('✖ 12 problems (0 errors, 12 warnings, 0 notes)');
      expect(passed.output.match(/^✖ /gm)).toEqual(['✖ ']);
      expect(passed.code).toBe(0);
    },
    300_000,
  );
});
