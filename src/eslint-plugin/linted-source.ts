import type { Rule, SourceCode } from 'eslint';
import { loadConfig } from '../config/config.js';
import { loadHistory } from '../config/durations-file.js';
import type { Finding } from '../findings.js';
import { CalledWorkflows } from '../analysis/called-workflows.js';
import { lintBytes, listWorkflowFolder, readCalledWorkflow } from '../lint.js';
import { directiveMetas } from '../rules/directives.js';
import { rules } from '../rules/registry.js';
import type { RuleMeta } from '../rules/rule.js';

/** Everything that can produce a finding: the rules and the `# wf-lint-disable` directive checks. */
export const ruleMetas: readonly RuleMeta[] = [...rules.map((r) => r.meta), ...directiveMetas];

export interface LintedSource {
  findings: Finding[];
  /** What a rule's check threw (a bug in wf-lint), by rule id. */
  internalErrors: Map<string, unknown>;
}

/** ESLint runs each plugin rule on a file with the same SourceCode: the file is linted once for all of them. */
const lintedBySource = new WeakMap<SourceCode, LintedSource>();

/** wf-lint's findings for the file ESLint is linting, as `wf-lint FILE` run from ESLint's cwd would find them. */
export function lintedSource(context: Rule.RuleContext): LintedSource {
  let linted = lintedBySource.get(context.sourceCode);
  if (!linted) {
    linted = lintSource(context.filename, context.sourceCode.text, context.cwd);
    lintedBySource.set(context.sourceCode, linted);
  }
  return linted;
}

function lintSource(filename: string, text: string, cwd: string): LintedSource {
  const internalErrors = new Map<string, unknown>();
  // ESLint has already removed a BOM from the text, so wf-lint's offsets are ESLint's. The bytes go
  // through the CLI's own entry, with its file-size limit.
  // Read on every lint, like the CLI on every run, so an edited .wf-lint.yml applies at once.
  const config = { ...loadConfig({ cwd, knownRules: [...ruleMetas] }), history: loadHistory(cwd, (abs) => abs) };
  const { findings } = lintBytes(filename, Buffer.from(text, 'utf8'), {
    config,
    rules,
    calledWorkflows: new CalledWorkflows(config.settings, readCalledWorkflow, listWorkflowFolder),
    // Always collected: the ESLint rule `wf-lint/unused-directive` decides whether they are shown.
    reportUnusedDirectives: true,
    onInternalError: (ruleId, _path, error) => internalErrors.set(ruleId, error),
  });
  return { findings, internalErrors };
}
