import type { Fix } from '../findings.js';
import type { Job, Workflow } from '../workflow/model.js';
import { styleOf } from './style.js';
import { insertEntries, isFlow } from './yaml-text.js';

/**
 * Adds a job-level `concurrency:` that queues deploys per environment. It goes after `environment:`
 * (the group is keyed by it), else after `runs-on:`, else before `steps:`.
 */
export function addConcurrency(workflow: Workflow, job: Job, group: string): Fix | undefined {
  const start = job.node.range?.[0] ?? 0;
  if (isFlow(workflow.file, start)) return undefined;
  const entry = (key: string) => job.entries.find((e) => e.key === key);
  const after = entry('environment') ?? entry('runs-on');
  const before = entry('steps') ?? job.entries[0];
  const at = after ? { after } : before ? { before } : undefined;
  if (!at) return undefined;
  const edit = insertEntries(workflow.file, styleOf(workflow), at, [
    [
      'concurrency',
      [
        ['group', group],
        ['cancel-in-progress', { raw: 'false' }],
      ],
    ],
  ]);
  return { kind: 'safe', description: `add concurrency group ${group}, queued`, edits: [edit] };
}
