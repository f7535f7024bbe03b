import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/workflow/load.js';
import type { ScalarValue } from '../../src/workflow/model.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/model/${name}`, import.meta.url), 'utf8');
const load = (name: string) => {
  const loaded = loadWorkflow(name, fixture(name));
  expect(loaded.diagnostics).toEqual([]);
  return loaded.workflow!;
};
/** Line and column of the first reference to `secrets.<name>` in a scalar. */
const secretAt = (value: ScalarValue | undefined, name: string) => {
  const ref = value?.expressions.flatMap((e) => e.refs).find((r) => r.context === 'secrets' && r.path[0] === name);
  return ref && [ref.range.start.line, ref.range.start.column, ref.range.end.line, ref.range.end.column];
};

describe('model source ranges', () => {
  const wf = load('four-space-indentless.yml');
  const job = wf.jobs[0];

  it('gives the job key position with 4-space indentation', () => {
    expect(job.id).toBe('build');
    expect([job.keyRange.start.line, job.keyRange.start.column]).toEqual([4, 5]);
  });

  it('locates steps of an indentless sequence', () => {
    expect(job.steps.map((s) => [s.range.start.line, s.range.start.column])).toEqual([
      [8, 11],
      [9, 11],
      [11, 11],
      [15, 11],
      [19, 11],
    ]);
  });

  it('maps expressions inside a flow mapping', () => {
    const token = job.env.find((e) => e.key === 'TOKEN');
    expect([token!.keyRange.start.line, token!.keyRange.start.column]).toEqual([6, 16]);
    expect(secretAt(token!.value, 'NPM_TOKEN')).toEqual([6, 28, 6, 45]);
  });

  it('maps expressions inside a double-quoted scalar', () => {
    expect(secretAt(job.steps[1].run, 'API_KEY')).toEqual([10, 26, 10, 41]);
  });

  it('maps expressions inside a literal block scalar', () => {
    expect(secretAt(job.steps[2].run, 'TOKEN')).toEqual([14, 50, 14, 63]);
  });

  it('maps expressions inside a folded block scalar', () => {
    expect(job.steps[3].run!.text).toBe('deploy --token ${{ secrets.DEPLOY }}');
    expect(secretAt(job.steps[3].run, 'DEPLOY')).toEqual([18, 19, 18, 33]);
  });

  it('maps expressions in a flow-mapping step', () => {
    const ref = job.steps[4].run!.expressions[0].refs[0];
    expect([ref.context, ref.path, ref.range.start.line, ref.range.start.column]).toEqual(['env', ['MODE'], 19, 44]);
  });

  it('maps each value index of a quoted scalar back to the file', () => {
    const name = job.steps[1].name!;
    expect(name.text).toBe('Quoted ${{ matrix.os }}');
    expect(name.rangeOf(0, 6)).toMatchObject({ start: { line: 9, column: 18 }, end: { line: 9, column: 24 } });
  });
});

describe('line endings and BOM', () => {
  it('keeps positions exact with CRLF line endings', () => {
    const wf = load('crlf.yml');
    expect(wf.file.eol).toBe('\r\n');
    expect(secretAt(wf.jobs[0].steps[0].run, 'X')).toEqual([8, 20, 8, 29]);
  });

  it('strips a BOM and keeps columns relative to the visible text', () => {
    const wf = load('bom.yml');
    expect(wf.file.hasBom).toBe(true);
    expect(secretAt(wf.jobs[0].steps[0].run, 'B')).toEqual([6, 23, 6, 32]);
  });
});

describe('anchors and aliases', () => {
  it('resolves aliases and merge keys', () => {
    const text = [
      'on: push',
      'env: &common',
      '  REGION: eu-west-1',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    env:',
      '      <<: *common',
      '      TOKEN: ${{ secrets.T }}',
      '    steps: &steps',
      '      - run: echo hi',
      '  b:',
      '    runs-on: ubuntu-latest',
      '    steps: *steps',
      '',
    ].join('\n');
    const wf = loadWorkflow('anchors.yml', text).workflow!;
    expect(wf.jobs[0].env.map((e) => e.key)).toEqual(['REGION', 'TOKEN']);
    expect(wf.jobs[1].steps.map((s) => [s.label, s.range.start.line])).toEqual([['echo hi', 11]]);
  });
});

describe('expressions', () => {
  const refsOf = (expr: string) => {
    const wf = loadWorkflow(
      'e.yml',
      `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo "${expr}"\n`,
    ).workflow!;
    return wf.jobs[0].steps[0]
      .run!.expressions.flatMap((e) => e.refs)
      .map((r) => `${r.context}:${r.path.map((p) => p ?? '*').join('.')}${r.via.length ? `<${r.via.join(',')}` : ''}`);
  };

  it('finds references inside function calls and index accesses', () => {
    expect(refsOf('${{ fromJSON(secrets.CFG).host }}')).toEqual(['secrets:CFG<fromjson']);
    expect(refsOf("${{ format('{0}', secrets['API-KEY']) }}")).toEqual(['secrets:API-KEY<format']);
    expect(refsOf('${{ toJSON(secrets) }}')).toEqual(['secrets:<tojson']);
    expect(refsOf('${{ secrets[matrix.name] }}')).toEqual(['secrets:*', 'matrix:name']);
    expect(refsOf('${{ steps.load.outputs.token }} ${{ github.token }}')).toEqual([
      'steps:load.outputs.token',
      'github:token',
    ]);
  });

  it('still finds references in an expression the parser rejects', () => {
    expect(refsOf('${{ secrets.A && unknownfn(secrets.B) }}')).toEqual(['secrets:A', 'secrets:B']);
  });
});
