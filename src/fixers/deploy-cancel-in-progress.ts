import type { Fix } from '../findings.js';
import type { ScalarValue } from '../workflow/model.js';

/** `cancel-in-progress: true` becomes `false`: a new run queues behind the deploy instead of killing it. */
export function queueInsteadOfCancel(value: ScalarValue): Fix {
  const [start, end] = value.node.range ?? [0, 0];
  return { kind: 'safe', description: 'set cancel-in-progress to false', edits: [{ start, end, text: 'false' }] };
}
