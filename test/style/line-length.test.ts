import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli.js';
import { longLines, PRINT_WIDTH } from './long-lines.js';

/** The TypeScript and JavaScript sources of these folders (not the JSON schema snapshot or shell scripts). */
const FOLDERS = ['src', 'scripts'];
const SOURCE = /\.(ts|mjs|js)$/;

describe(`lines of at most ${PRINT_WIDTH} characters`, () => {
  for (const folder of FOLDERS) {
    it(`${folder}/`, () => {
      const files = readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
        .filter((f) => SOURCE.test(f))
        .sort();
      expect(files.length).toBeGreaterThan(0);
      const long = files.flatMap((f) => longLines(`${folder}/${f}`, readFileSync(join(ROOT, folder, f), 'utf8')));
      expect(long).toEqual([]);
    });
  }
});
