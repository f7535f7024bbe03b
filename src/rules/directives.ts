import { INVALID_DIRECTIVE, UNUSED_DIRECTIVE } from '../config/suppressions.js';
import type { RuleMeta } from './rule.js';

/**
 * Findings about `# wf-lint-disable…` comments themselves. They are produced while suppressions are
 * applied, not by a check over the workflow, so they have metadata (for --list-rules, SARIF and
 * the docs) but no rule module.
 */
export const directiveMetas: RuleMeta[] = [
  {
    id: INVALID_DIRECTIVE,
    summary: 'A wf-lint-disable comment names a rule that does not exist',
    description:
      'A suppression comment names an unknown rule id, usually a typo, ' +
      'so it suppresses nothing and the finding it was meant for is still reported.',
    level: 'error',
    securitySeverity: 1.0,
    precision: 'very-high',
    tags: ['correctness'],
    fixable: [],
  },
  {
    id: UNUSED_DIRECTIVE,
    summary: 'A wf-lint-disable comment suppresses nothing',
    description:
      'A suppression comment (or one rule id in it) matched no finding, typically because the problem was fixed. ' +
      'Stale suppressions hide future findings on that line; remove them. ' +
      'Reported only with --report-unused-disable-directives.',
    level: 'warning',
    securitySeverity: 1.0,
    precision: 'very-high',
    tags: ['maintainability'],
    fixable: [],
  },
];
