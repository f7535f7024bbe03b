import { defineRule } from './rule.js';

/** Built-in: what stops a file from being read as a valid workflow. Always on. */
export const syntaxError = defineRule({
  meta: {
    id: 'syntax-error',
    summary: 'File is not a valid GitHub Actions workflow',
    description:
      'The file could not be read as a workflow: invalid YAML, a document that is not a workflow, a value GitHub\'s own workflow schema rejects, a control step (`wait`, `cancel`) naming a step that does not exist, or an input past wf-lint\'s safety limits. GitHub would refuse to run it, and the other rules can only see part of it.',
    level: 'error',
    securitySeverity: 1.0,
    precision: 'very-high',
    tags: ['correctness'],
    fixable: false,
  },
  check({ facts, workflow, report }) {
    for (const d of facts.diagnostics) report({ at: d.range, message: d.message });
    for (const job of workflow.jobs) {
      for (const p of facts.order(job).timeline.problems) report({ at: p.range, message: p.message });
    }
  },
});
