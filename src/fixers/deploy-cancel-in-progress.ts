import type { Fix } from '../findings.js';
import type { ScalarValue } from '../workflow/model.js';

/**
 * `cancel-in-progress: true` becomes `false` (each value given, in one fix): a newer run then waits
 * for the running deploy instead of stopping it.
 */
export function waitInsteadOfCancel(values: ScalarValue[]): Fix {
  const edits = values.map((value) => {
    const [start, end] = value.node.range ?? [0, 0];
    return { start, end, text: 'false' };
  });
  const description = values.length === 1 ? 'set cancel-in-progress to false' : 'set each cancel-in-progress to false';
  return { kind: 'safe', description, edits };
}
