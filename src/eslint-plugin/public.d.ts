// The types of `wf-lint/eslint-plugin`, shipped as dist/eslint-plugin.d.ts (scripts/build.mjs), so that
// an eslint.config.ts importing the plugin type-checks. src/eslint-plugin/index.ts is checked against
// them, and test/integrations/package.test.ts type-checks such a config against the packed package.
import type { ESLint, Linter, Rule } from 'eslint';

export interface WfLintPlugin extends ESLint.Plugin {
  meta: { name: 'wf-lint'; version: string };
  /** One ESLint rule per wf-lint rule, as `wf-lint/<rule-id>`. */
  rules: Record<string, Rule.RuleModule>;
  configs: {
    /** Every rule at its default level, for the files of .github/workflows/ folders, read by yaml-eslint-parser. */
    recommended: Linter.Config;
  };
}

declare const plugin: WfLintPlugin;
export default plugin;
