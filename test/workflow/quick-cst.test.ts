import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Parser } from 'yaml';
import { quickCst } from '../../src/workflow/quick-cst.js';
import { checkProperty, FUZZ, loadSeeds } from '../robustness/fuzz-settings.js';
import { applyMutations, mutatedInput } from '../robustness/mutations.js';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/** yaml's own syntax tree, as plain data (key order and absent-vs-undefined fields do not matter). */
const yamlCst = (text: string) => JSON.parse(JSON.stringify([...new Parser().parse(text)]));
const quick = (text: string) => {
  const tokens = quickCst(text, 64);
  return tokens && JSON.parse(JSON.stringify(tokens));
};

describe('quickCst', () => {
  it.each([
    ['as written', (text: string) => text],
    ['with CRLF line ends', (text: string) => text.replace(/\r?\n/g, '\r\n')],
  ])(
    "builds yaml's syntax tree, token for token, for every fixture it reads (%s), and reads most of them",
    (_name, lineEnds) => {
      const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
      let read = 0;
      for (const file of files) {
        const text = lineEnds(readFileSync(join(FIXTURES, file), 'utf8').replace(/^\uFEFF/, ''));
        const tokens = quick(text);
        if (!tokens) continue;
        read++;
        expect(tokens, file).toEqual(yamlCst(text));
      }
      expect(files.length).toBeGreaterThan(300);
      expect(read / files.length).toBeGreaterThan(0.9);
    },
  );

  // Each case is where yaml's parser files comments, blank lines and empty values in a non-obvious place.
  it.each([
    ['comments and blank lines between keys', 'a: 1  # one\n\n# about b\nb: 2\n'],
    ['a comment indented under a value', 'a:\n  b: 1\n    # under b\n\n    # again\n  c: 2\n'],
    ['an empty value followed by comments', 'on:\n  push:\n\n  # manual\n  workflow_dispatch:\n# end\n\njobs: {}\n'],
    ['an empty value followed by an indented comment', 'a:\n  b:\n    # nothing yet\n  c: d\n'],
    ['an indentless sequence', 'steps:\n- run: a\n- uses: b\n  with:\n    x: y\nnext: 1\n'],
    ['an indented sequence of mappings', 'steps:\n  - name: a\n    run: echo\n\n  # between\n  - run: b\n'],
    ['nested sequences', 'a:\n  - - x\n    - y\n  -\n    - z\n'],
    [
      'block scalars: clip, strip and keep, with trailing blank lines',
      'a: |\n  x\n\n  y\n\n\nb: >-\n  folded\n  text\n\n  more\nc: |+\n  kept\n\n\nd: 1\n',
    ],
    [
      'a block scalar with more indented lines and a comment after it',
      'run: |\n    one\n      two\n\n  # not part of it\nx: 1\n',
    ],
    ['a block scalar at the end of the file without a newline', 'run: |\n  echo hi'],
    ['an empty block scalar', 'a: |\nb: 1\n'],
    ['quoted keys and values', "\"on\": 'push'\n'a b': \"c \\\" d\"\nx: 'it''s'\n"],
    [
      'flow collections',
      'branches: [main, "release/*", \'x\']\nwith: { a: b, c: "d" }\nempty: []\nnone: {}\ntrail: [a, b, ]\n',
    ],
    ['a document start and a comment after it', '--- # start\nname: x\n'],
    ['a plain scalar with colons, hashes and dashes', 'a: http://x:80/#frag -x\nb: c#d\n'],
    ['a plain scalar continued by nothing but blank lines and a comment', 'a: b\n\n  # comment\nc: d\n'],
    [
      'CRLF line ends',
      '# c\r\n\r\na: 1 # one\r\nrun: |\r\n  x\r\n\r\n  y\r\n\r\nb: >-\r\n  f\r\n  g\r\nif: a\r\n  b\r\nl: [x, y]\r\n',
    ],
    ['multi-line quoted scalars', 'a: "b\n  c\n\n  d"\ne: \'f\n  g\'\n'],
    [
      'multi-line and nested flow collections',
      'a: [b,\n  c, # note\n\n  [d, {e: f}]\n]\nm: {\n  x: [1, 2],\n  y: "z" }\n',
    ],
    ['multi-line plain scalars', 'if: a &&\n  b\n\n  c # end\nlist:\n- x\n  y\n-  z\n\n   w\nk: v\n'],
  ])('%s', (_name, text) => {
    const tokens = quick(text);
    expect(tokens).toBeDefined();
    expect(tokens).toEqual(yamlCst(text));
  });

  it.each([
    ['a quoted scalar with a line indented less than its parent', 'a:\n  b: "c\nd"\n'],
    ['a flow sequence with a line indented less than its parent', 'a:\n  b: [c,\nd]\n'],
    ['a flow sequence never closed', 'a: [b, c\n'],
    ['anchors and aliases', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['tabs', 'a:\n\tb: 1\n'],
    ['a CR on its own', 'a: 1\rb: 2\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
    ['an explicit key', '? a\n: b\n'],
    ['a block scalar indentation indicator', 'a: |2\n   x\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a comment-only file', '# nothing\n'],
  ])('leaves %s to yaml', (_name, text) => {
    expect(quickCst(text, 64)).toBeUndefined();
  });

  it('leaves a document nested deeper than the limit to yaml', () => {
    const deep = Array.from({ length: 10 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' v\n';
    expect(quickCst(deep, 64)).toEqual(yamlCst(deep));
    expect(quickCst(deep, 5)).toBeUndefined();
  });

  it("equals yaml's tree on damaged workflows whenever it reads them", () => {
    const seeds = loadSeeds(FUZZ.corpus);
    checkProperty(
      'quickCst',
      fc.property(mutatedInput(seeds.length), (input) => {
        const text = applyMutations(seeds[input.seed].bytes, input.mutations).toString('utf8');
        const tokens = quick(text);
        if (tokens) expect(tokens).toEqual(yamlCst(text));
      }),
      400,
      0.05,
    );
  });
});
