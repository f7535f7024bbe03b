import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, links } from '../../scripts/docs/markdown.js';
import { ROOT } from '../cli/run-cli.js';

/** The repository's own documents (not the test fixtures'). */
const DOCUMENTS = [
  'README.md',
  ...['docs', 'rules-docs', 'bench'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `${dir}/${f}`),
  ),
];

describe('links between the documents', () => {
  for (const document of DOCUMENTS) {
    it(`${document}: every relative link reaches a file, and a heading when it names one`, () => {
      const text = readFileSync(join(ROOT, document), 'utf8');
      const broken = links(text).flatMap(({ target, line }) => {
        if (/^[a-z]+:/i.test(target)) return []; // https:, mailto:
        const [path, anchor] = target.split('#');
        const file = path === '' ? join(ROOT, document) : join(ROOT, dirname(document), path);
        if (!existsSync(file)) return [`line ${line}: ${target}: no file ${relative(ROOT, file)}`];
        if (anchor === undefined || !file.endsWith('.md')) return [];
        return anchors(readFileSync(file, 'utf8')).has(anchor)
          ? []
          : [`line ${line}: ${target}: no heading #${anchor} in ${relative(ROOT, file)}`];
      });
      expect(broken).toEqual([]);
    });
  }
});
