import type { Fix } from '../findings.js';
import type { Entry, Workflow } from '../workflow/model.js';
import { styleOf } from './style.js';
import { afterEntry, joinLines, lineStart, renderEntries } from './yaml-text.js';

/**
 * Replaces `secrets: inherit` with the explicit mapping of the secrets a local reusable workflow
 * declares (`NAME: ${{ secrets.NAME }}` each), or removes it when it declares none.
 */
export function explicitSecretsFix(workflow: Workflow, entry: Entry, names: string[]): Fix {
  const { file } = workflow;
  const start = lineStart(file, entry.keyRange.start.offset);
  const end = afterEntry(file, entry);
  const style = styleOf(workflow);
  const column = entry.keyRange.start.column - 1;
  const mapping = names.map((n): [string, { raw: string }] => [n, { raw: `\${{ secrets.${n} }}` }]);
  const text = names.length > 0 ? joinLines(renderEntries([[entry.key, mapping]], column, style), style) : '';
  return {
    kind: 'safe',
    description:
      names.length > 0
        ? `pass ${names.join(', ')} explicitly instead of \`secrets: inherit\``
        : 'remove `secrets: inherit`: the called workflow declares no secret',
    edits: [{ start, end, text }],
  };
}
