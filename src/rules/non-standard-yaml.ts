import { defineRule } from './rule.js';
import { splitDiagnostic } from './wording.js';

/** YAML that GitHub reads although the YAML specification forbids it: the workflow runs, other tools may choke. */
export const nonStandardYaml = defineRule({
  meta: {
    id: 'non-standard-yaml',
    summary: 'YAML that GitHub accepts but the YAML specification forbids',
    description:
      "GitHub's YAML reader is more lenient than YAML 1.2: " +
      'it accepts, for example, tabs at the start of a line that continues a quoted string. ' +
      'The workflow runs, and wf-lint reads it the way GitHub does; ' +
      'editors, formatters and other linters that follow the specification may reject the file.',
    level: 'warning',
    securitySeverity: 0.1,
    precision: 'very-high',
    tags: ['portability'],
    fixable: [],
  },
  check({ facts, report }) {
    for (const d of facts.diagnostics)
      if (d.kind === 'non-standard') report({ at: d.range, ...splitDiagnostic(d.message) });
  },
});
