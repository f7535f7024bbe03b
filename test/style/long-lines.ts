import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli/run-cli.js';

/**
 * Prettier keeps code within its print width but never breaks a string or a comment: a long message
 * is built from short named parts instead, and the tests keep it that way.
 */
export const { printWidth: PRINT_WIDTH } = JSON.parse(readFileSync(join(ROOT, '.prettierrc.json'), 'utf8')) as {
  printWidth: number;
};

/** `file:line: N characters` for each line of `text` wider than Prettier's print width. */
export function longLines(file: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    const length = [...line].length;
    return length > PRINT_WIDTH ? [`${file}:${i + 1}: ${length} characters`] : [];
  });
}
