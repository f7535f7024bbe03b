import { parseConfig } from '../src/config/config.js';
import type { LintOptions } from '../src/lint.js';
import { rules } from '../src/rules/registry.js';

/** Every rule at its default level, as with no config file; a rule that throws fails the test. */
export const DEFAULT_LINT: LintOptions = {
  config: parseConfig(
    '',
    'default',
    rules.map((r) => r.meta),
  ),
  rules,
  onInternalError(ruleId, _path, error): never {
    throw new Error(`rule ${ruleId} threw: ${String(error)}`);
  },
};
