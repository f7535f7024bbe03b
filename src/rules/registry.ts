import type { Rule } from './rule.js';
import { lateSecretRead } from './late-secret-read.js';
import { secretInCache } from './secret-in-cache.js';
import { secretInCliArgs } from './secret-in-cli-args.js';
import { syntaxError } from './syntax-error.js';
import { unmaskedSecretOutput } from './unmasked-secret-output.js';

/** Every rule wf-lint ships, in the order they are documented. */
export const rules: readonly Rule[] = [
  syntaxError,
  lateSecretRead,
  secretInCliArgs,
  unmaskedSecretOutput,
  secretInCache,
];

export const ruleById = new Map(rules.map((r) => [r.meta.id, r]));
