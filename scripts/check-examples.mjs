// Checks that the workflow users copy (examples/pr-check.yml, and the one `wf-lint init` prints) is
// clean under wf-lint and under actionlint. Usage: node scripts/check-examples.mjs [--actionlint PATH]
// actionlint comes from --actionlint, else $ACTIONLINT, else ../shared/peers/actionlint beside the
// checkout (the reference build of the environment wf-lint is developed in), else the PATH.
// Prints one line per workflow and linter; exits 1 when one reports anything, 2 when one cannot run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');

function actionlintPath(args) {
  const index = args.indexOf('--actionlint');
  if (index >= 0) return args[index + 1];
  if (process.env.ACTIONLINT) return process.env.ACTIONLINT;
  const beside = join(ROOT, '../shared/peers/actionlint');
  return existsSync(beside) ? beside : 'actionlint';
}

/** The workflow `wf-lint init` prints, in a scratch git repository. */
function initWorkflow() {
  const dir = mkdtempSync(join(tmpdir(), 'wf-lint-check-examples-'));
  mkdirSync(join(dir, '.git'));
  const init = spawnSync(process.execPath, [CLI, 'init'], { cwd: dir, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`wf-lint init exited with ${init.status}: ${init.stderr}`);
  const start = init.stdout.indexOf('\n# Lints the repository');
  if (start < 0) throw new Error('wf-lint init printed no pull-request workflow');
  const path = join(dir, 'init-pr-check.yml');
  writeFileSync(path, init.stdout.slice(start + 1));
  return path;
}

/** Runs one linter on one file: what it printed when it found something, '' when clean. */
function lint(name, command, args, file) {
  const r = spawnSync(command, [...args, file], { cwd: ROOT, encoding: 'utf8' });
  if (r.error) throw new Error(`${name} cannot run (${command}): ${r.error.message}`);
  if (r.status === 0) return '';
  // Both exit 1 for findings; anything else is a failure to lint.
  if (r.status !== 1) throw new Error(`${name} exited with ${r.status} on ${file}: ${r.stderr}`);
  return (r.stdout + r.stderr).trim();
}

function main() {
  const actionlint = actionlintPath(process.argv.slice(2));
  const linters = [
    ['wf-lint', process.execPath, [CLI, '--no-color']],
    ['actionlint', actionlint, ['-no-color', '-shellcheck=', '-pyflakes=']],
  ];
  const files = [
    ['examples/pr-check.yml', join(ROOT, 'examples/pr-check.yml')],
    ['wf-lint init', initWorkflow()],
  ];
  let dirty = false;
  for (const [what, file] of files) {
    for (const [name, command, args] of linters) {
      const found = lint(name, command, args, file);
      console.log(`${what}: ${name}: ${found ? `findings\n${found}` : 'clean'}`);
      dirty ||= found !== '';
    }
  }
  return dirty ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`check-examples: ${error.message}`);
  process.exitCode = 2;
}
