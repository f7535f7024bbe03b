// Validates wf-lint's SARIF with Microsoft's SARIF multitool and GitHub's rule set ("Ghas": the checks
// code scanning applies to uploads). With no arguments it lints test/fixtures and examples with the built
// CLI; given SARIF files, it validates those. Exits 1 on any validator error or warning.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The path of the platform's native binary. The package's own bin runs it through a shell, which
// would split "Sarif;Ghas" at the semicolon.
const MULTITOOL = createRequire(import.meta.url)('@microsoft/sarif-multitool');

function runTool(command, args) {
  const { status, error } = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (error) throw error;
  return status;
}

function lintFixtures(sarifFile) {
  const args = [
    '--format',
    'sarif',
    '--output',
    sarifFile,
    '--report-unused-disable-directives',
    'test/fixtures',
    'examples',
  ];
  const status = runTool(process.execPath, [join(ROOT, 'dist/cli.js'), ...args]);
  // 1 only means findings, which the fixtures are there to produce.
  if (status !== 0 && status !== 1) throw new Error(`wf-lint exited with ${status}`);
}

/** The validator's results of level error or warning (SARIF's default level), as printable lines. */
function problemsIn(validationLog) {
  return validationLog.runs.flatMap((run) => {
    const rules = new Map((run.tool.driver.rules ?? []).map((rule) => [rule.id, rule]));
    return (run.results ?? []).flatMap((result) => {
      const rule = rules.get(result.ruleId);
      const level = result.level ?? rule?.defaultConfiguration?.level ?? 'warning';
      if (level !== 'error' && level !== 'warning') return [];
      const template = result.message.text ?? rule?.messageStrings?.[result.message.id]?.text ?? result.message.id;
      // .NET format strings: {0} is an argument, {{ and }} are literal braces.
      const text = template.replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index) =>
        index === undefined ? match[0] : (result.message.arguments?.[index] ?? ''),
      );
      return [`${level} ${result.ruleId}: ${text}`];
    });
  });
}

function validate(sarifFile, dir) {
  const logFile = join(dir, 'validation.sarif');
  const args = [
    'validate',
    sarifFile,
    '--rule-kind',
    'Sarif;Ghas',
    '--output',
    logFile,
    '--log',
    'ForceOverwrite',
    '--quiet',
  ];
  const status = runTool(MULTITOOL, args);
  if (status !== 0) throw new Error(`the SARIF multitool exited with ${status}`);
  return problemsIn(JSON.parse(readFileSync(logFile, 'utf8')));
}

const dir = mkdtempSync(join(tmpdir(), 'wf-lint-check-sarif-'));
try {
  let files = process.argv.slice(2);
  if (files.length === 0) {
    files = [join(dir, 'fixtures.sarif')];
    lintFixtures(files[0]);
  }
  let failed = false;
  for (const file of files) {
    const problems = validate(file, dir);
    for (const problem of problems) console.log(`${file}: ${problem}`);
    failed ||= problems.length > 0;
  }
  console.log(
    failed
      ? 'check:sarif: the SARIF multitool reported problems.'
      : `check:sarif: ${files.length} SARIF file(s) pass the Sarif and Ghas rules.`,
  );
  process.exitCode = failed ? 1 : 0;
} catch (error) {
  console.error(`check:sarif: ${error.message}`);
  process.exitCode = 2;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
