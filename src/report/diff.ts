import { createTwoFilesPatch } from 'diff';

/** A unified diff of one file's fix, coloured for a terminal when asked. */
export function unifiedDiff(path: string, before: string, after: string, color: boolean): string {
  const patch = createTwoFilesPatch(
    `a/${path.replace(/^\/+/, '')}`,
    `b/${path.replace(/^\/+/, '')}`,
    before,
    after,
    undefined,
    undefined,
    { context: 3 },
  );
  const body = patch.split('\n').slice(1).join('\n');
  if (!color) return body;
  return body
    .split('\n')
    .map((l) =>
      l.startsWith('+') && !l.startsWith('+++')
        ? `\u001b[32m${l}\u001b[39m`
        : l.startsWith('-') && !l.startsWith('---')
          ? `\u001b[31m${l}\u001b[39m`
          : l.startsWith('@@')
            ? `\u001b[36m${l}\u001b[39m`
            : l,
    )
    .join('\n');
}
