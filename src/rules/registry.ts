import type { Rule } from './rule.js';
import { syntaxError } from './syntax-error.js';

/** Every rule wf-lint ships, in the order they are documented. */
export const rules: readonly Rule[] = [syntaxError];

export const ruleById = new Map(rules.map((r) => [r.meta.id, r]));
