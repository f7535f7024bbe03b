import { MAX_SCRIPT_LENGTH } from '../analysis/shell/script.js';
import type { Range } from '../findings.js';
import type { ScalarValue } from '../workflow/model.js';
import { defineRule } from './rule.js';
import { splitDiagnostic } from './wording.js';

/** Built-in: what GitHub refuses to load or run. */
export const syntaxError = defineRule({
  meta: {
    id: 'syntax-error',
    summary: 'File is not a valid GitHub Actions workflow',
    description:
      'What GitHub refuses to load or run: invalid YAML, a document that is not a workflow, ' +
      "a value GitHub's own workflow schema rejects outside `on:` (which GitHub reads loosely, see ignored-key), " +
      'an expression over 21,000 characters, a control step (`wait`, `cancel`) naming a step that does not exist; ' +
      "and files past wf-lint's safety limits. " +
      'The other rules still run on every part of the file wf-lint could read.',
    level: 'error',
    securitySeverity: 1.0,
    precision: 'very-high',
    tags: ['correctness'],
    fixable: [],
  },
  check({ facts, workflow, report }) {
    for (const d of facts.diagnostics) if (d.kind === 'refused') report({ at: d.range, ...splitDiagnostic(d.message) });
    for (const job of workflow.jobs) {
      for (const p of facts.order(job).timeline.problems) report({ at: p.range, ...splitDiagnostic(p.message) });
      for (const step of job.steps) {
        const script = facts.script(step);
        // A warning: GitHub runs the script; only wf-lint's view of it is missing.
        if (script?.unread)
          report({
            at: firstLineRange(script.value),
            level: 'warning',
            ...splitDiagnostic(unreadMessage(script.unread, script.value.text)),
          });
      }
    }
  },
});

function firstLineRange(value: ScalarValue): Range {
  const end = value.text.indexOf('\n');
  return value.rangeOf(0, end < 0 ? value.text.length : end);
}

const SLOW_PARSE = 'The shell parser would take too long on this script (some broken syntax slows it down)';
const SLOW_PARSE_WHY = "wf-lint bounds the parser's work by the size of the script, so this does not depend on load";

function unreadMessage(reason: 'too-long' | 'too-slow', text: string): string {
  const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
  const why =
    reason === 'too-long'
      ? `This script is ${kib(text.length)}, over the ${kib(MAX_SCRIPT_LENGTH)} wf-lint analyses`
      : SLOW_PARSE;
  return `${why}; ${reason === 'too-slow' ? `${SLOW_PARSE_WHY}, and ` : ''}the rules did not look inside it.`;
}
