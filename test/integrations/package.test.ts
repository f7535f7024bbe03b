import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { ROOT } from '../cli/run-cli.js';
import { envWithoutNpmSettings, tempDir, writeFiles } from './temp-dir.js';

/** npm as a user runs it. */
function npm(args: string[], cwd: string) {
  const r = spawnSync('npm', args, { cwd, env: envWithoutNpmSettings(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  return r.stdout;
}

const RELEASE_WORKFLOW =
  'on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm publish --token ${{ secrets.NPM_TOKEN }}\n';

/**
 * The README's "install from a tarball": `npm pack` of this checkout (its dist/, which `npm test` has
 * just built), installed with `npm install --offline` in a new project. Offline: what the package
 * needs at run time is in the tarball, nothing comes from a registry or a cache.
 */
describe('the package installed from a tarball', () => {
  let project: string;
  let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };

  beforeAll(() => {
    const packDir = tempDir();
    [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], ROOT));
    project = tempDir({
      'package.json': '{ "name": "scratch", "private": true, "type": "module" }\n',
      '.github/workflows/release.yml': RELEASE_WORKFLOW,
    });
    npm(['install', '--offline', '--no-audit', '--no-fund', '--save-dev', join(packDir, packed.filename)], project);
  }, 120_000);

  it('has no runtime dependencies: dist/ bundles them, with the shell parser WASM', () => {
    expect(pkg).not.toHaveProperty('dependencies');
    expect(readdirSync(join(project, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual(['wf-lint']);
    const files = packed.files.map((file) => file.path);
    expect(files.filter((file) => file.startsWith('dist/')).sort()).toEqual([
      'dist/action.js',
      'dist/cli-main.js',
      'dist/cli.cjs',
      'dist/cli.js',
      'dist/eslint-plugin.d.ts',
      'dist/eslint-plugin.js',
      'dist/timeline.cjs',
      'dist/tree-sitter-bash.wasm',
      'dist/tree-sitter.wasm',
    ]);
    // Under 1 MB to download (1.6 MB, and 32 MB installed with its dependencies, before issue 17).
    expect(packed.size).toBeLessThan(1_000_000);
  });

  it('runs as npx wf-lint: shell scripts parsed, rule pages read for SARIF', () => {
    const bin = join(project, 'node_modules/.bin/wf-lint');
    const stylish = spawnSync(bin, ['--no-color'], { cwd: project, encoding: 'utf8' });
    expect(stylish.stdout).toMatch(/^ {2}6:34 {2}error {2}.+(\n +.+)* {2}secret-in-cli-args$/m);
    expect(stylish.status).toBe(1);
    const sarif = JSON.parse(spawnSync(bin, ['-f', 'sarif'], { cwd: project, encoding: 'utf8' }).stdout);
    const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'secret-in-cli-args');
    expect(rule.help.markdown).toContain('# secret-in-cli-args');
  });

  it('gives an eslint.config.ts that imports the plugin types that type-check, and runs under eslint', () => {
    // The peers, as the user installs them: eslint and yaml-eslint-parser (here, this checkout's).
    for (const peer of ['eslint', 'yaml-eslint-parser'])
      symlinkSync(join(ROOT, 'node_modules', peer), join(project, 'node_modules', peer), 'dir');
    writeFiles(project, {
      'eslint.config.ts': [
        "import type { Linter } from 'eslint';",
        "import wfLint from 'wf-lint/eslint-plugin';",
        '',
        "const severity: Linter.RuleSeverity = wfLint.configs.recommended.rules?.['wf-lint/secret-in-cli-args'] as Linter.RuleSeverity;",
        'export default [',
        '  wfLint.configs.recommended,',
        "  { files: ['**/.github/workflows/*.yml'], rules: { 'wf-lint/missing-preflight': severity } },",
        '] satisfies Linter.Config[];',
        '',
      ].join('\n'),
      'tsconfig.json': JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, types: [] },
        include: ['eslint.config.ts'],
      }),
    });
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);

    // A misspelt config key is a type error: the declarations are real, not `any`.
    writeFiles(project, {
      'eslint.config.ts': readFileSync(join(project, 'eslint.config.ts'), 'utf8').replace(
        'configs.recommended,',
        'configs.recomended,',
      ),
    });
    const typo = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(typo.stdout).toContain("Property 'recomended' does not exist");

    writeFiles(project, {
      'eslint.config.js':
        "import wfLint from 'wf-lint/eslint-plugin';\n\nexport default [wfLint.configs.recommended];\n",
    });
    const eslint = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--config', 'eslint.config.js', '--format', 'json', '.'],
      {
        cwd: project,
        encoding: 'utf8',
      },
    );
    const [result] = JSON.parse(eslint.stdout) as ESLint.LintResult[];
    expect(result.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['wf-lint/secret-in-cli-args', 6, 34]]);
  });
});
