import { existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError, findGitRoot } from './config/config.js';
import { REPOSITORY_URL } from './rules/docs.js';
import { directiveMetas } from './rules/directives.js';
import { rules } from './rules/registry.js';
import type { RuleMeta } from './rules/rule.js';

const CONFIG_FILE = '.wf-lint.yml';

/** The pull-request check that `init` suggests; examples/pr-check.yml holds the same text. */
export const PR_CHECK_WORKFLOW = `\
# Lints the repository's workflows on each pull request and shows the findings as code scanning alerts.
# Save it as .github/workflows/wf-lint.yml. Code scanning compares a pull request with its base branch,
# so the workflow also runs on pushes to main. Pull requests from forks get a read-only token, which
# cannot upload the SARIF: there the log and the step's exit code still report the findings.
# wf-lint/wf-lint@v1 becomes a real reference with wf-lint's first release; your policy may ask you to
# pin it to a commit SHA, as tools such as zizmor do for actions outside GitHub's own.
name: wf-lint

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  wf-lint:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v7
        with:
          # The lint only reads files: checkout keeps no token for the later steps.
          persist-credentials: false

      - name: Lint workflows
        uses: wf-lint/wf-lint@v1
        with:
          format: stylish
          sarif-file: wf-lint.sarif

      - name: Upload findings to code scanning
        if: always()
        uses: github/codeql-action/upload-sarif@v4
        with:
          sarif_file: wf-lint.sarif
          category: wf-lint
`;

function ruleLines(metas: readonly RuleMeta[], prefix: string, width: number): string[] {
  return metas.map((meta) => `${prefix}${`${meta.id}: ${meta.level}`.padEnd(width)}  # ${meta.summary}`);
}

/** A commented `.wf-lint.yml` with every rule at its default level, commented out so defaults still apply. */
function configTemplate(): string {
  const ruleMetas = rules.map((rule) => rule.meta);
  const width = Math.max(...[...ruleMetas, ...directiveMetas].map((meta) => `${meta.id}: ${meta.level}`.length));
  return [
    `# wf-lint configuration: ${REPOSITORY_URL}#configuration`,
    '# yaml-language-server: $schema=./node_modules/wf-lint/schema/wf-lint.schema.json',
    '',
    '# Rule levels: off, note, warning or error. Each rule is listed at its default level; uncomment a',
    '# line to change it.',
    'rules:',
    ...ruleLines(ruleMetas, '  # ', width),
    '',
    '# Findings about wf-lint-disable comments themselves, not set here (unused-directive is reported',
    '# only with --report-unused-disable-directives):',
    ...ruleLines(directiveMetas, '#   ', width),
    '',
    '# Files not to lint: glob patterns, relative to this file.',
    'ignore:',
    '  # - .github/workflows/generated-*.yml',
    '',
    '# Settings that rules share (token lifetimes, durations, ...): see each rule in rules-docs/.',
    'settings: {}',
    '',
  ].join('\n');
}

function preCommitAdvice(cwd: string, root: string, version: string): string {
  const configPath = join(root, '.pre-commit-config.yaml');
  const action = existsSync(configPath) ? 'Add the hook to the repos: of' : 'Create';
  const snippet = [
    'repos:',
    `  - repo: ${REPOSITORY_URL}`,
    `    rev: v${version}`,
    '    hooks:',
    '      - id: wf-lint',
  ].join('\n');
  return `pre-commit: ${action} ${relative(cwd, configPath)}:\n\n${snippet}\n`;
}

function prCheckAdvice(cwd: string, root: string): string {
  const workflowsDir = join(root, '.github/workflows');
  const path = relative(cwd, join(workflowsDir, 'wf-lint.yml'));
  const note = existsSync(workflowsDir) ? '' : ' (there is no .github/workflows/ yet)';
  return (
    `Pull-request check with code scanning alerts: save as ${path}${note}; it is examples/pr-check.yml ` +
    `in ${REPOSITORY_URL}:\n\n${PR_CHECK_WORKFLOW}`
  );
}

/**
 * `wf-lint init`: writes `.wf-lint.yml` in `cwd` (never over an existing config) and returns what to tell
 * the user: the pre-commit and pull-request snippets, placed for the git repository around `cwd`.
 */
export function init(cwd: string, version: string): string {
  const existing = [CONFIG_FILE, '.wf-lint.yaml'].find((name) => existsSync(join(cwd, name)));
  if (existing) throw new ConfigError(existing, 'already exists; wf-lint init does not overwrite it');
  writeFileSync(join(cwd, CONFIG_FILE), configTemplate());

  const gitRoot = findGitRoot(cwd);
  const root = gitRoot ?? cwd;
  const where = gitRoot === undefined ? ' (not in a git repository: pre-commit and pull-request checks need one)' : '';
  return [
    `Wrote ${CONFIG_FILE}: every rule at its default level, as comments to edit${where}.\n`,
    preCommitAdvice(cwd, root, version),
    prCheckAdvice(cwd, root),
  ].join('\n');
}
