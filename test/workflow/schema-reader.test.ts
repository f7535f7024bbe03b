import { readFileSync } from 'node:fs';
import { globSync } from 'tinyglobby';
import { YamlObjectReader } from '@actions/workflow-parser/workflows/yaml-object-reader';
import type { ObjectReader } from '@actions/workflow-parser/templates/object-reader';
import { Document, LineCounter, parseDocument, YAMLSeq } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DocumentReader } from '../../src/workflow/schema-reader.js';

/** Every event a reader gives, read the way the template reader reads: try each kind in turn. */
function drain(reader: ObjectReader): unknown[] {
  const events: unknown[] = [];
  reader.validateStart();
  for (;;) {
    const token = reader.allowLiteral() ?? reader.allowSequenceStart() ?? reader.allowMappingStart();
    if (token) events.push(token);
    else if (reader.allowSequenceEnd()) events.push('seq-end');
    else if (reader.allowMappingEnd()) events.push('map-end');
    else break;
  }
  reader.validateEnd();
  return events;
}

const ALIASES = ['x: &a {k: [1, *a]}', 'y: *a', 'z: &b [*b, 2]', 'w: &c', '  - *c', ''].join('\n');

describe('DocumentReader', () => {
  // The alias bomb would take GitHub's reader hours: wf-lint refuses it before validation.
  const files = globSync(['test/fixtures/**/*.{yml,yaml}'], { absolute: true, ignore: ['**/alias-bomb*'] });

  it("gives the same events and tokens as GitHub's YamlObjectReader, on every fixture", () => {
    expect(files.length).toBeGreaterThan(200);
    for (const file of files) {
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { lineCounter, keepSourceTokens: true, uniqueKeys: false });
      expect(drain(new DocumentReader(doc, lineCounter, 7)), file).toEqual(drain(new YamlObjectReader(7, text)));
    }
  });

  it("expands aliases like GitHub's reader and skips a cycle", () => {
    const lineCounter = new LineCounter();
    const doc = parseDocument(ALIASES, { lineCounter, keepSourceTokens: true, uniqueKeys: false });
    expect(drain(new DocumentReader(doc, lineCounter, 1))).toEqual(drain(new YamlObjectReader(1, ALIASES)));
  });

  it('reads a document nested 2,000 deep without recursion', () => {
    // Built node by node: the yaml package's own parser and createNode recurse.
    const doc = new Document();
    let nested = new YAMLSeq();
    for (let i = 1; i < 2000; i++) {
      const outer = new YAMLSeq();
      outer.items.push(nested);
      nested = outer;
    }
    doc.contents = nested;
    expect(drain(new DocumentReader(doc, new LineCounter(), 1))).toHaveLength(4000);
  });
});
