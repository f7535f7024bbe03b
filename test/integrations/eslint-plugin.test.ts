import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { CalledWorkflows } from '../../src/analysis/called-workflows.js';
import plugin from '../../src/eslint-plugin/index.js';
import { ruleMetas } from '../../src/eslint-plugin/linted-source.js';
import { applyEdits } from '../../src/fixers/edits.js';
import { fixText } from '../../src/fixers/apply.js';
import { lintBytes, listWorkflowFolder, readCalledWorkflow, type LintOptions } from '../../src/lint.js';
import { rules } from '../../src/rules/registry.js';
import { ROOT } from '../cli/run-cli.js';
import { FIXTURES, fixtureConfig, fixtureConfigText, fixtureFiles } from '../rules/harness.js';
import { tempDir } from './temp-dir.js';

/** The recommended config on every fixture path, with every rule on (unused-directive included). */
const everyRuleOn: Linter.Config = {
  ...plugin.configs.recommended,
  files: ['**/*.{yml,yaml}'],
  rules: Object.fromEntries(ruleMetas.map((meta) => [`wf-lint/${meta.id}`, 'error'])),
};

const eslintInstances = new Map<string, ESLint>();
function eslintIn(cwd: string, fix = false): ESLint {
  const key = `${cwd}\0${fix}`;
  if (!eslintInstances.has(key))
    eslintInstances.set(key, new ESLint({ cwd, fix, overrideConfigFile: true, overrideConfig: [everyRuleOn] }));
  return eslintInstances.get(key)!;
}

/**
 * Where ESLint lints a fixture, and from which cwd. The plugin reads .wf-lint.yml from ESLint's cwd
 * as the CLI does from its own, so a fixture with a `# config:` line is copied beside that config.
 */
function placed(path: string, text: string): { cwd: string; path: string } {
  const config = fixtureConfigText(text);
  if (config === '') return { cwd: FIXTURES, path };
  const cwd = tempDir({ '.wf-lint.yml': `${config}\n` });
  const copy = join(cwd, 'workflow.yml');
  copyFileSync(path, copy);
  return { cwd, path: copy };
}

function cliOptions(text: string): LintOptions {
  const config = fixtureConfig(text);
  return {
    config,
    rules,
    calledWorkflows: new CalledWorkflows(config.settings, readCalledWorkflow, listWorkflowFolder),
    reportUnusedDirectives: true,
    onInternalError: (rule, file, error) => {
      throw new Error(`rule ${rule} failed on ${file}: ${String(error)}`);
    },
  };
}

const withoutBom = (text: string) => text.replace(/^\uFEFF/, '');
const applyEslintFix = (text: string, fix: Linter.LintMessage['fix']) =>
  fix && text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);
const byPosition = <T extends { line: number; column: number; ruleId: string | null; message: string }>(list: T[]) =>
  [...list].sort(
    (a, b) =>
      a.line - b.line ||
      a.column - b.column ||
      String(a.ruleId).localeCompare(String(b.ruleId)) ||
      a.message.localeCompare(b.message),
  );

/** ESLint's view of wf-lint's findings on `path`: ids, positions, messages and each finding's fix. */
async function eslintFindings(path: string) {
  const raw = readFileSync(path, 'utf8');
  const target = placed(path, raw);
  const [result] = await eslintIn(target.cwd).lintFiles([target.path]);
  const text = withoutBom(raw);
  return {
    fatal: result.messages.find((m) => m.fatal),
    findings: byPosition(
      result.messages.map((m) => ({
        ruleId: m.ruleId,
        line: m.line,
        column: m.column,
        endLine: m.endLine,
        endColumn: m.endColumn,
        message: m.message,
        safeFix: applyEslintFix(text, m.fix),
        unsafeFix: applyEslintFix(text, m.suggestions?.[0]?.fix),
      })),
    ),
  };
}

/** The CLI's findings on `path`, in the same shape. */
function cliFindings(path: string) {
  const bytes = readFileSync(path);
  const text = withoutBom(bytes.toString('utf8'));
  const { findings } = lintBytes(path, bytes, cliOptions(text));
  // A fix marked `last` is offered once no other safe fix is left (wf-lint --fix's pass order).
  const deferred = findings.some((f) => f.fix?.kind === 'safe' && !f.fix.last);
  return byPosition(
    findings.map((f) => ({
      ruleId: `wf-lint/${f.ruleId}`,
      line: f.range.start.line,
      column: f.range.start.column,
      endLine: f.range.end.line,
      endColumn: f.range.end.column,
      message: f.message,
      safeFix: f.fix?.kind === 'safe' && !(f.fix.last && deferred) ? applyEdits(text, f.fix.edits) : undefined,
      unsafeFix: f.fix?.kind === 'unsafe' ? applyEdits(text, f.fix.edits) : undefined,
    })),
  );
}

const ruleFixtureDirs = [...ruleMetas.map((m) => m.id), 'bad-input'].filter((id) => existsSync(join(FIXTURES, id)));

describe('the ESLint plugin reports what the CLI reports', () => {
  for (const dir of ruleFixtureDirs) {
    for (const file of fixtureFiles(dir)) {
      it(`${dir}/${file}`, async () => {
        const path = join(FIXTURES, dir, file);
        const eslint = await eslintFindings(path);
        const cli = cliFindings(path);
        if (eslint.fatal) {
          // yaml-eslint-parser rejects invalid YAML before any rule runs; ESLint reports that itself.
          // It follows YAML 1.2, so it also rejects what GitHub (and the CLI) read (non-standard-yaml),
          // and duplicate keys, which GitHub refuses as well (a syntax-error at the second key).
          expect(eslint.findings).toHaveLength(1);
          const fatalLine = eslint.fatal.line;
          const atFatal = cli.find((f) => f.line === fatalLine || f.line === fatalLine + 1);
          if (atFatal?.ruleId === 'wf-lint/non-standard-yaml') {
            // The parser stops at the string the tab-indented line continues: the line before, or that line.
            expect(atFatal.message).toMatch(/^This line continues a quoted string/);
            return;
          }
          const expected = cli.some((f) => f.message.includes('is defined twice'))
            ? /is defined twice/
            : /^Invalid YAML/;
          const first = cli.find((f) => expected.test(f.message));
          expect(first?.ruleId).toBe('wf-lint/syntax-error');
          expect(eslint.fatal.line).toBe(first?.line);
          return;
        }
        expect(eslint.findings).toEqual(cli);
      });
    }
  }
});

const FIX = join(FIXTURES, 'fix');
const fixCases = readdirSync(FIX, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yml') && !f.endsWith('.fixed.yml'))
  .sort();

describe('eslint --fix writes what wf-lint --fix writes', () => {
  const cases = [
    ...fixCases.map((f) => join('fix', f)),
    ...ruleFixtureDirs.flatMap((dir) => fixtureFiles(dir).map((f) => join(dir, f))),
  ];
  for (const name of cases) {
    it(name, async () => {
      const path = join(FIXTURES, name);
      const raw = readFileSync(path, 'utf8');
      const target = placed(path, raw);
      const [result] = await eslintIn(target.cwd, true).lintFiles([target.path]);
      const cli = fixText(target.path, raw, { lint: cliOptions(raw), unsafe: false });
      expect(result.output ?? raw).toBe(cli.text);
    });
  }
});

describe('measured durations', () => {
  it('the plugin reads .wf-lint/durations.json from its cwd, as the CLI does', async () => {
    const build = { index: 2, name: 'Build', duration: { p50: 4200, p90: 4320, max: 4400, samples: 40 } };
    const history = { version: 1, workflows: { 'workflow.yml': { runs: 40, jobs: { deploy: { steps: [build] } } } } };
    const cwd = tempDir({
      'workflow.yml': readFileSync(join(FIXTURES, 'seed/robust-solution.yml'), 'utf8'),
      '.wf-lint/durations.json': JSON.stringify(history),
    });
    const [result] = await eslintIn(cwd).lintFiles([join(cwd, 'workflow.yml')]);
    const late = result.messages.find((m) => m.ruleId === 'wf-lint/late-secret-read');
    // ESLint shows the first line: its time is the measured 70-minute build's, not the class estimate's.
    expect(late?.message).toBe(
      '`aws ssm get-parameters --with-decryption` runs about 1 h 40 min after AWS credentials that last 1 h',
    );
  });
});

describe('the built package', () => {
  it('exports the plugin as wf-lint/eslint-plugin', () => {
    const resolved = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "process.stdout.write(import.meta.resolve('wf-lint/eslint-plugin'))"],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(resolved.stdout).toBe(pathToFileURL(join(ROOT, 'dist/eslint-plugin.js')).href);
  });

  it('runs under the eslint command with the README configuration', () => {
    const dir = tempDir({
      'package.json': '{ "type": "module" }\n',
      'eslint.config.js':
        "import wfLint from 'wf-lint/eslint-plugin';\n\nexport default [wfLint.configs.recommended];\n",
      '.github/workflows/release.yml':
        'on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm publish --token ${{ secrets.NPM_TOKEN }}\n',
    });
    // As if installed: node_modules/wf-lint is this checkout.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'wf-lint'), 'dir');
    const eslint = join(ROOT, 'node_modules/eslint/bin/eslint.js');
    const run = spawnSync(process.execPath, [eslint, '--format', 'json', '.'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const [result] = JSON.parse(run.stdout) as ESLint.LintResult[];
    expect(result.filePath).toBe(join(dir, '.github/workflows/release.yml'));
    expect(result.messages.map((m) => [m.ruleId, m.line, m.column, m.severity])).toEqual([
      ['wf-lint/secret-in-cli-args', 6, 34, 2],
    ]);
  });
});
