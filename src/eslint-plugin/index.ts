// wf-lint's rules as an ESLint plugin (flat config), for editors and `eslint --fix`.
import type { Linter } from 'eslint';
import * as yamlParser from 'yaml-eslint-parser';
import pkg from '../../package.json' with { type: 'json' };
import { initShellParser } from '../shell-parser/parser.js';
import { UNUSED_DIRECTIVE } from '../config/suppressions.js';
import type { RuleMeta } from '../rules/rule.js';
import { ruleMetas } from './linted-source.js';
import type { WfLintPlugin } from './public.js';
import { eslintRule } from './rule.js';

// ESLint rules are synchronous, and tree-sitter loads asynchronously: load it while ESLint imports
// the config (it imports flat configs dynamically, so top-level await is fine).
await initShellParser();

// Typed as the declarations that ship with the package (public.d.ts), so that the two cannot drift.
const plugin: WfLintPlugin = {
  meta: { name: 'wf-lint', version: pkg.version },
  rules: Object.fromEntries(ruleMetas.map((meta) => [meta.id, eslintRule(meta)])),
  configs: {} as { recommended: Linter.Config },
};

/** The CLI's default levels; unused directives are reported only on request there, so off here. */
function recommendedLevel(meta: RuleMeta): Linter.RuleSeverity {
  if (meta.id === UNUSED_DIRECTIVE) return 'off';
  return meta.level === 'error' ? 'error' : 'warn';
}

plugin.configs.recommended = {
  name: 'wf-lint/recommended',
  // Nested .github/workflows/ folders too (templates, vendored repositories); the CLI lints them when pointed at them.
  files: ['**/.github/workflows/*.{yml,yaml}'],
  languageOptions: { parser: yamlParser },
  plugins: { 'wf-lint': plugin },
  rules: Object.fromEntries(ruleMetas.map((meta) => [`wf-lint/${meta.id}`, recommendedLevel(meta)])),
};

export default plugin;
