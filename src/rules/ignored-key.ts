import { defineRule } from './rule.js';
import { splitDiagnostic } from './wording.js';

/** What GitHub loads and silently ignores under `on:`: the workflow runs, but not as written. */
export const ignoredKey = defineRule({
  meta: {
    id: 'ignored-key',
    summary: 'Trigger setting that GitHub loads and ignores',
    description:
      'GitHub reads `on:` loosely: an unknown event, a filter an event does not take, ' +
      'a trigger indented under another event or an activity type that does not exist is accepted and ignored. ' +
      'The workflow runs, but not when its author meant it to: unfiltered, or never for the nested trigger.',
    level: 'warning',
    securitySeverity: 2.0,
    precision: 'very-high',
    tags: ['correctness'],
    fixable: [],
  },
  check({ facts, report }) {
    for (const d of facts.diagnostics) if (d.kind === 'ignored') report({ at: d.range, ...splitDiagnostic(d.message) });
  },
});
