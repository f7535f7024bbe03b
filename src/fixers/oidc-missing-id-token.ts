import type { Fix, TextEdit } from '../findings.js';
import type { Job, Permissions, Workflow } from '../workflow/model.js';
import { styleOf } from './style.js';
import { insertEntries, isFlow } from './yaml-text.js';

/** Edits that add `id-token: write` to an existing block `permissions:` mapping, or undefined. */
function grantIn(workflow: Workflow, permissions: Permissions): TextEdit | undefined {
  const existing = permissions.scopes.get('id-token');
  if (existing?.value) {
    const [start, end] = existing.value.node.range ?? [0, 0];
    return { start, end, text: 'write' };
  }
  const scopes = [...permissions.scopes.values()];
  const last = scopes.at(-1);
  if (!last || isFlow(workflow.file, last.range.start.offset - 1) || permissions.all !== undefined) return undefined;
  // A flow mapping's entries sit on the `permissions:` line: no line-based insertion there.
  if (last.keyRange.start.line === permissions.range.start.line) return undefined;
  return insertEntries(workflow.file, styleOf(workflow), { after: last }, [['id-token', { raw: 'write' }]]);
}

/**
 * Grants `id-token: write` where the job's permissions are decided: its own `permissions:`, else
 * the workflow's (safe: only adds a scope). With no permissions anywhere, a job-level block is
 * created; that narrows the token's defaults to what it lists, so it is unsafe.
 */
export function grantIdToken(workflow: Workflow, job: Job): Fix | undefined {
  const target = job.permissions ?? workflow.permissions;
  if (target) {
    const edit = grantIn(workflow, target);
    return edit && { kind: 'safe', description: 'add id-token: write to the existing permissions', edits: [edit] };
  }
  const anchor = job.entries.find((e) => e.key === 'runs-on') ?? job.entries.find((e) => e.key === 'uses');
  if (!anchor || isFlow(workflow.file, job.node.range?.[0] ?? 0)) return undefined;
  const edit = insertEntries(workflow.file, styleOf(workflow), { after: anchor }, [
    [
      'permissions',
      [
        ['id-token', { raw: 'write' }],
        ['contents', { raw: 'read' }],
      ],
    ],
  ]);
  return {
    kind: 'unsafe',
    description:
      'add a job permissions block with id-token: write and contents: read (narrows the default token permissions)',
    edits: [edit],
  };
}
