import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { literalPattern } from '../../src/analysis/match.js';
import { rules } from '../../src/rules/registry.js';
import { runCli } from './run-cli.js';

const BAD = 'test/fixtures/bad-input';
const STACK_TRACE = /\n\s+at .+:\d+:\d+|TypeError|RangeError|ReferenceError/;

function tempRepo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wf-lint-cli-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const GOOD = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n';

describe('bad input', () => {
  const cases: [string, number, RegExp][] = [
    // Wrapped at 100 columns, with the rule id after the message's last word.
    ['invalid-yaml.yml', 1, /^ {2}5:5 {2}error {2}Invalid YAML: .*\n {14}with a \] {2}syntax-error$/m],
    [
      'not-a-workflow.yml',
      1,
      /2:1 {2}error {2}Not a GitHub Actions workflow: it has neither `on:` nor `jobs:` {2}syntax-error$/m,
    ],
    ['empty.yml', 1, /1:1 {2}error {2}File is empty/],
    ['binary.yml', 1, /1:1 {2}error {2}File is binary/],
    ['alias-bomb.yml', 1, /3:8 {2}error {2}YAML aliases expand this document past 100,000 nodes/],
    [
      'schema-error.yml',
      1,
      /5:5 {2}error {2}Unknown key `stepz` in `jobs\.a` \(did you mean `steps`\?\) {2}syntax-error$/m,
    ],
    ['unclosed.yml', 1, /8:1 {2}error {2}Invalid YAML/],
    ['bom-crlf.yml', 0, /^$/],
  ];
  for (const [file, code, output] of cases) {
    it(`reports ${file} with exit code ${code} and no stack trace`, () => {
      const r = runCli([`${BAD}/${file}`]);
      expect(r.stdout).toMatch(output);
      expect(r.stderr).not.toMatch(STACK_TRACE);
      expect(r.code).toBe(code);
    });
  }

  it('lints every file even when some are broken', () => {
    const r = runCli(['--format', 'json', BAD]);
    const report = JSON.parse(r.stdout);
    expect(report.files).toHaveLength(8);
    expect(report.summary.errors).toBe(7);
    expect(r.code).toBe(1);
  });

  it('exits 2 for a path that does not exist, and still lints the others', () => {
    const r = runCli(['no/such/file.yml', `${BAD}/empty.yml`]);
    expect(r.stderr).toContain('wf-lint: no/such/file.yml: no such file or directory.');
    expect(r.stdout).toContain('File is empty');
    expect(r.code).toBe(2);
  });

  it('exits 2 for a directory without workflows', () => {
    const dir = tempRepo({ 'README.md': 'nothing here' });
    const r = runCli([dir]);
    expect(r.stderr).toContain('no workflow files (*.yml, *.yaml) found.');
    expect(r.code).toBe(2);
  });

  it('exits 2 for an unreadable file found in a directory', () => {
    const dir = tempRepo({ 'ok.yml': GOOD });
    symlinkSync(join(dir, 'missing-target.yml'), join(dir, 'dangling.yml'));
    const r = runCli([join(dir, 'dangling.yml'), join(dir, 'ok.yml')]);
    expect(r.stderr).toMatch(/dangling\.yml: (no such file or directory|cannot be read)/);
    expect(r.code).toBe(2);
  });

  it('exits 2 with a clear message when there is no .github/workflows and no path', () => {
    const dir = tempRepo({ 'x.txt': '' });
    const r = runCli([], { cwd: dir });
    expect(r.stderr).toMatch(/No paths given and .*\.github\/workflows does not exist/);
    expect(r.code).toBe(2);
  });
});

describe('discovery', () => {
  it('lints .github/workflows/ of the current directory by default', () => {
    const dir = tempRepo({
      '.github/workflows/ci.yml': GOOD,
      '.github/workflows/bad.yaml': 'on: push\njobs: 3\n',
      'other.yml': 'not: linted',
    });
    const r = runCli(['--format', 'json'], { cwd: dir });
    expect(JSON.parse(r.stdout).files.map((f: { file: string }) => f.file)).toEqual([
      '.github/workflows/bad.yaml',
      '.github/workflows/ci.yml',
    ]);
    expect(r.code).toBe(1);
  });

  it('lints a repository root through its .github/workflows/', () => {
    const dir = tempRepo({ '.github/workflows/ci.yml': GOOD, 'docker-compose.yml': 'services: {}' });
    const r = runCli(['--format', 'json', dir]);
    expect(JSON.parse(r.stdout).files).toHaveLength(1);
    expect(r.code).toBe(0);
  });

  it("lints the repository root's .github/workflows/ from a subdirectory, as git finds the root", () => {
    const dir = tempRepo({
      '.github/workflows/ci.yml': 'on: push\njobs: 3\n',
      '.wf-lint.yml': 'rules:\n  syntax-error: warning\n',
      'src/app/main.ts': '',
    });
    execFileSync('git', ['init', '--quiet'], { cwd: dir });
    const r = runCli(['--format', 'json'], { cwd: join(dir, 'src/app') });
    const report = JSON.parse(r.stdout);
    // A file outside the working directory is shown with its absolute path.
    expect(report.files.map((f: { file: string }) => f.file)).toEqual([join(dir, '.github/workflows/ci.yml')]);
    // The config at the root applies too.
    expect(report.summary.warnings).toBe(1);
    expect(r.code).toBe(0);
  });

  it('skips files matched by the config ignore globs', () => {
    const dir = tempRepo({
      '.github/workflows/ci.yml': GOOD,
      '.github/workflows/generated.yml': 'on: push\njobs: 3\n',
      '.wf-lint.yml': 'ignore:\n  - .github/workflows/generated.yml\n',
    });
    const r = runCli(['--format', 'json'], { cwd: dir });
    expect(JSON.parse(r.stdout).files.map((f: { file: string }) => f.file)).toEqual(['.github/workflows/ci.yml']);
  });
});

describe('options', () => {
  it('prints the version and help', () => {
    expect(runCli(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(runCli(['--help']).stdout).toContain('Usage: wf-lint [options] [paths...]');
  });

  it('rejects an unknown option and an unknown format with exit 2', () => {
    expect(runCli(['--frobnicate']).code).toBe(2);
    const r = runCli(['--format', 'xml', 'examples']);
    expect(r.stderr).toContain('Unknown format "xml". Use one of:');
    expect(r.code).toBe(2);
  });

  it('lists the rules', () => {
    const r = runCli(['--list-rules']);
    expect(r.stdout).toMatch(/^rule +level +fix +summary$/m);
    expect(r.stdout).toMatch(/^syntax-error +error +- +File is not a valid GitHub Actions workflow$/m);
    expect(r.stdout).toMatch(/^oidc-missing-id-token +error +safe, unsafe +OIDC credential step/m);
  });

  it('lists every registered rule, and describes each in SARIF rules[] with its security-severity', () => {
    // Registering a rule is all it takes: --list-rules and SARIF come from the registry's metadata.
    const listed = runCli(['--list-rules']).stdout;
    const dir = tempRepo({ '.github/workflows/ci.yml': GOOD });
    const sarif = JSON.parse(runCli(['-f', 'sarif', '.'], { cwd: dir }).stdout) as {
      runs: { tool: { driver: { rules: { id: string; properties: Record<string, string> }[] } } }[];
    };
    const described = new Map(sarif.runs[0].tool.driver.rules.map((d) => [d.id, d.properties['security-severity']]));
    for (const { meta } of rules) {
      expect(listed).toMatch(new RegExp(`^${meta.id} +${meta.level} +.* ${literalPattern(meta.summary)}$`, 'm'));
      expect(described.get(meta.id)).toBe(meta.securitySeverity.toFixed(1));
    }
  });

  it('answers a bad config with its position and exit 2', () => {
    const dir = tempRepo({ '.github/workflows/ci.yml': GOOD, '.wf-lint.yml': 'rules:\n  syntax-error: fatal\n' });
    const r = runCli([], { cwd: dir });
    expect(r.stderr).toMatch(/\.wf-lint\.yml:2:17: .*syntax-error/);
    expect(r.code).toBe(2);
  });

  it('answers a typo in settings with its position, the key meant and exit 2', () => {
    const dir = tempRepo({
      '.github/workflows/ci.yml': GOOD,
      '.wf-lint.yml': 'settings:\n  lifetime:\n    aws: 1800\n',
    });
    const r = runCli([], { cwd: dir });
    expect(r.stderr).toBe(
      'wf-lint: .wf-lint.yml:2:3: settings.lifetime: unknown setting (expected one of lifetimes, durations, identifierSecrets, deploy, repository, runners, preflight, fix); did you mean "lifetimes"?\n',
    );
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('prints the effective config', () => {
    const r = runCli(['--print-config']);
    const printed = JSON.parse(r.stdout);
    expect(printed.rules['syntax-error']).toBe('error');
    expect(printed.settings.lifetimes.aws).toBe(3600);
    expect(typeof printed.settings.identifierSecrets).toBe('string');
  });

  it('turns rules off from the command line, and --exit-zero keeps exit 0', () => {
    expect(runCli([`${BAD}/empty.yml`, '--exit-zero']).code).toBe(0);
    const r = runCli([`${BAD}/empty.yml`, '--disable', 'syntax-error']);
    expect(r.code).toBe(0);
  });

  it('filters to errors with --quiet and enforces --max-warnings', () => {
    const dir = tempRepo({
      'w.yml': GOOD,
      '.wf-lint.yml': 'rules:\n  syntax-error: warning\n',
      'bad.yml': 'on: push\njobs: 3\n',
    });
    expect(runCli(['--quiet', '--format', 'json', '.'], { cwd: dir }).stdout).toContain('"warnings": 0');
    expect(runCli(['.'], { cwd: dir }).code).toBe(0);
    expect(runCli(['--max-warnings', '0', '.'], { cwd: dir }).code).toBe(1);
  });

  it('writes the report to --output', () => {
    const dir = tempRepo({ 'w.yml': GOOD });
    const out = join(dir, 'report.sarif');
    const r = runCli(['--format', 'sarif', '-o', out, join(dir, 'w.yml')]);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(0);
  });

  it('colours stylish output only when asked', () => {
    const colored = runCli([`${BAD}/empty.yml`, '--color']).stdout;
    expect(colored).toContain('\u001b[');
    expect(runCli([`${BAD}/empty.yml`]).stdout).not.toContain('\u001b[');
    expect(runCli([`${BAD}/empty.yml`], { env: { FORCE_COLOR: '1', NO_COLOR: '' } }).stdout).toContain('\u001b[');
  });

  it('prints the step graph of a workflow', () => {
    const graph = JSON.parse(runCli(['--print-graph', 'examples/concurrent-steps.yml']).stdout);
    const job = graph.jobs[0];
    expect(job.steps.map((s: { label: string }) => s.label)).toEqual([
      'actions/checkout@v4',
      'npm ci',
      'Start the dev server',
      'Lint',
      'Type check',
      'End-to-end tests',
    ]);
    expect(job.happensBefore).toContainEqual([1, 3]);
    expect(job.happensBefore).toContainEqual([4, 5]);
    expect(job.happensBefore).not.toContainEqual([2, 5]);
  });
});

describe('usage and I/O errors', () => {
  it('name the file and the reason once, without a doubled code', () => {
    const dir = tempRepo({ '.github/workflows/ci.yml': GOOD });
    const missingDir = runCli(['-o', 'no/such/dir/report.json'], { cwd: dir });
    expect(missingDir.stderr).toBe(
      'wf-lint: --output no/such/dir/report.json: cannot be written: no such file or directory (ENOENT)\n',
    );
    expect(missingDir.code).toBe(2);
    const directory = runCli(['-o', '.github'], { cwd: dir });
    expect(directory.stderr).toBe('wf-lint: --output .github: cannot be written: is a directory\n');
    expect(runCli(['--print-graph', '.github'], { cwd: dir }).stderr).toBe(
      'wf-lint: .github: cannot be read: is a directory\n',
    );
    expect(runCli(['--print-graph', 'nope.yml'], { cwd: dir }).stderr).toBe(
      'wf-lint: nope.yml: cannot be read: no such file or directory (ENOENT)\n',
    );
  });

  it('refuses --print-graph with more than one file instead of dropping the others', () => {
    const r = runCli(['--print-graph', 'examples/concurrent-steps.yml', 'examples/safe-deploy.yml']);
    expect(r.stderr).toContain('--print-graph prints the graph of one file; run it once per file');
    expect(r.stderr).toContain('examples/safe-deploy.yml');
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('checks --fix-rule ids as --rule and --disable do', () => {
    const r = runCli(['--fix', '--fix-rule', 'late-secret-reed', '--fix-rule', 'syntax-error', 'examples/']);
    expect(r.stderr).toContain(
      'wf-lint: --fix-rule late-secret-reed: unknown rule "late-secret-reed"; did you mean "late-secret-read"?\n',
    );
    expect(r.stderr).toMatch(
      /^wf-lint: --fix-rule syntax-error: the rule has no fix \(rules with fixes: late-secret-read, /m,
    );
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('takes --repository-visibility over the config, and refuses a value it does not know', () => {
    const r = runCli(['--repository-visibility', 'secret', 'examples/']);
    expect(r.stderr).toBe('wf-lint: --repository-visibility: must be one of public, private, internal, not "secret"\n');
    expect(r.code).toBe(2);
    const printed = runCli(['--repository-visibility', 'public', '--print-config']);
    expect(JSON.parse(printed.stdout).settings.repository).toEqual({ visibility: 'public' });
  });

  it('reports every problem of the config and the rule options in one run', () => {
    const dir = tempRepo({
      '.github/workflows/ci.yml': GOOD,
      '.wf-lint.yml': [
        'rules:',
        '  late-secret-reed: off',
        '  missing-concurrency: fatal',
        'ignore:',
        '  - {a: 1}',
        'settings:',
        '  lifetime: {}',
        '  durations: 3',
        'foo: 1',
        '',
      ].join('\n'),
    });
    const r = runCli(['--rule', 'nope', '--disable', 'syntax-eror'], { cwd: dir });
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'wf-lint: .wf-lint.yml:2:3: rules.late-secret-reed: unknown rule; did you mean "late-secret-read"?',
      'wf-lint: .wf-lint.yml:3:24: rules.missing-concurrency: level must be one of off, note, warning, error (got "fatal")',
      'wf-lint: .wf-lint.yml:5:5: ignore[0]: must be a string glob pattern (got a mapping)',
      'wf-lint: .wf-lint.yml:7:3: settings.lifetime: unknown setting (expected one of lifetimes, durations, identifierSecrets, deploy, repository, runners, preflight, fix); did you mean "lifetimes"?',
      'wf-lint: .wf-lint.yml:8:14: settings.durations: must be a list (got 3)',
      'wf-lint: .wf-lint.yml:9:1: unknown top-level key "foo" (expected one of rules, ignore, settings)',
      'wf-lint: --rule nope: unknown rule "nope"',
      'wf-lint: --disable syntax-eror: unknown rule "syntax-eror"; did you mean "syntax-error"?',
    ]);
    expect(r.code).toBe(2);
  });

  it('takes --max-warnings -1 as no limit, as ESLint does', () => {
    const dir = tempRepo({ 'bad.yml': 'on: push\njobs: 3\n', '.wf-lint.yml': 'rules:\n  syntax-error: warning\n' });
    // The last one wins: a hook's `args:` come after its entry's options.
    expect(runCli(['--max-warnings', '0', '--max-warnings=-1', '.'], { cwd: dir }).code).toBe(0);
    expect(runCli(['--max-warnings=-1', '--max-warnings', '0', '.'], { cwd: dir }).code).toBe(1);
    expect(runCli(['--max-warnings=-2', '.'], { cwd: dir }).code).toBe(2);
  });
});

describe('inline suppressions', () => {
  it('suppresses with a directive and reports unknown rule ids and unused directives', () => {
    const dir = tempRepo({
      'w.yml': 'on: push\n# wf-lint-disable-next-line syntax-error -- generated file\njobs: 3\n',
      'x.yml':
        '# wf-lint-disable-next-line no-such-rule\non: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo # wf-lint-disable-line syntax-error\n',
    });
    const w = runCli(['--format', 'json', join(dir, 'w.yml')]);
    expect(JSON.parse(w.stdout).summary.errors).toBe(0);
    const x = JSON.parse(runCli(['--format', 'json', '--report-unused-disable-directives', join(dir, 'x.yml')]).stdout);
    expect(x.files[0].findings.map((f: { rule: string }) => f.rule)).toEqual(['invalid-directive', 'unused-directive']);
  });
});
