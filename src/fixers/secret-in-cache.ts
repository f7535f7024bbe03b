import type { Fix } from '../findings.js';
import type { Job, Step, Workflow } from '../workflow/model.js';
import { itemBlock } from './step-text.js';
import { lineStart, nextLineStart } from './yaml-text.js';

/**
 * Stops a cache or artifact from storing secret files: drops their lines from a multi-line `path:`,
 * or the whole step when it stores nothing else. Unsafe: a later step may expect those files.
 */
export function dropSecretPaths(workflow: Workflow, job: Job, step: Step, secretEntries: string[]): Fix | undefined {
  const path = step.with.find((e) => e.key === 'path')?.value;
  if (!path) return undefined;
  const entries = path.text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const file = workflow.file;
  if (entries.every((e) => secretEntries.includes(e) || e.startsWith('!'))) {
    if (step.group) return undefined;
    const block = itemBlock(file, job, step);
    return {
      kind: 'unsafe',
      description: `remove step '${step.label}', which stores only secret files`,
      edits: [{ start: block.start, end: block.end, text: '' }],
    };
  }
  if (path.node.type !== 'BLOCK_LITERAL') return undefined;
  const edits = secretEntries.map((entry) => {
    const index = path.text.split('\n').findIndex((l) => l.trim() === entry);
    const offset = path.map(path.text.split('\n').slice(0, index).join('\n').length + (index > 0 ? 1 : 0));
    const start = lineStart(file, offset);
    return { start, end: nextLineStart(file, start), text: '' };
  });
  return { kind: 'unsafe', description: `stop storing ${secretEntries.join(', ')}`, edits };
}
