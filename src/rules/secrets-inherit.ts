import { defineRule } from './rule.js';

// An example check, with its metadata, rules-docs page and fixtures: replace all four with the real rule.
export const secretsInherit = defineRule({
  meta: {
    id: 'secrets-inherit',
    summary: 'Job without `timeout-minutes`',
    description:
      'A job that sets no `timeout-minutes:` runs for up to 6 hours when a step hangs, holding a runner all that time.',
    level: 'warning',
    securitySeverity: 1.0,
    precision: 'high',
    tags: [],
    fixable: [],
  },
  check({ workflow, report }) {
    for (const job of workflow.jobs) {
      if (job.timeoutMinutes || job.uses) continue;
      report({
        at: job.keyRange,
        message: `Job '${job.id}' sets no \`timeout-minutes:\`, so a hung step holds the runner for 6 hours.`,
      });
    }
  },
});
