import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileResult } from '../../src/findings.js';
import { jsonReporter, type JsonReport } from '../../src/report/json.js';
import { directiveMetas } from '../../src/rules/directives.js';
import { rules } from '../../src/rules/registry.js';
import { ROOT } from '../cli/run-cli.js';

const page = readFileSync(join(ROOT, 'docs/json-format.md'), 'utf8');
const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(page)![1]) as JsonReport;

/** The example read back into results, to be written again by the reporter. */
const results: FileResult[] = example.files.map(({ file, findings }) => ({
  path: file,
  findings: findings.map((f) => {
    const at = (p: { line: number; column: number }) => ({ ...p, offset: 0 });
    return {
      ruleId: f.rule,
      level: f.level,
      message: f.message,
      ...(f.detail !== f.message ? { detail: f.detail } : {}),
      range: { start: at(f.start), end: at(f.end) },
      related: f.related.map((r) => ({ message: r.message, range: { start: at(r.start), end: at(r.end) } })),
      ...(f.fixKind ? { fix: { kind: f.fixKind } } : {}),
    };
  }),
}));

describe('docs/json-format.md', () => {
  it("names rules that exist in the example, with each one's kind of fix", () => {
    const metas = new Map([...rules.map((r) => r.meta), ...directiveMetas].map((meta) => [meta.id, meta]));
    for (const finding of example.files.flatMap((file) => file.findings)) {
      const meta = metas.get(finding.rule);
      expect(meta, finding.rule).toBeDefined();
      if (finding.fixKind) expect(meta!.fixable).toContain(finding.fixKind);
      else expect(meta!.fixable).toEqual([]);
    }
  });

  it('shows the fields, and the summary, that the reporter writes', () => {
    const written = JSON.parse(
      jsonReporter(results, {
        root: ROOT,
        toolVersion: example.tool.version,
        informationUri: '',
        rules: [],
        color: false,
      }),
    );
    expect(written).toEqual(example);
  });

  it('describes every summary field in its table', () => {
    for (const field of Object.keys(example.summary)) expect(page).toMatch(new RegExp(`^\\| \`${field}\` +\\|`, 'm'));
  });
});
