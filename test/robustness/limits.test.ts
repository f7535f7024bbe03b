import { DEFAULT_LINT } from '../lint-options.js';
import { Alias, isAlias, parseDocument, visit } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MAX_SCRIPT_LENGTH } from '../../src/analysis/shell/script.js';
import { lintBytes } from '../../src/lint.js';
import { pinAliasTargets } from '../../src/workflow/aliases.js';
import { MAX_EXPRESSION_VALUE_LENGTH } from '../../src/workflow/expression-length.js';
import { DEFAULT_LIMITS, loadWorkflow } from '../../src/workflow/load.js';

const HEAD =
  'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: x/y@v1\n        with:\n          v: ';
/** Mappings and sequences around the `v:` value above: the workflow, jobs, a, steps, the step, with. */
const HEAD_DEPTH = 6;

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: performance.now() - started };
}

const positionOf = (loaded: ReturnType<typeof loadWorkflow>) =>
  loaded.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`);

describe('nesting depth limit', () => {
  const tooDeep = `YAML nests deeper than ${DEFAULT_LIMITS.maxDepth} levels of mappings and sequences here; it was not linted.`;
  // The first collection past the limit is the (maxDepth - HEAD_DEPTH + 1)th opened on the `v:` line.
  const first = DEFAULT_LIMITS.maxDepth - HEAD_DEPTH;

  it('reports 10,000 nested flow sequences at the first one too deep, quickly and without a stack overflow', () => {
    const n = 10_000;
    const { value, ms } = timed(() => loadWorkflow('deep.yml', HEAD + '['.repeat(n) + ']'.repeat(n) + '\n'));
    expect(positionOf(value)).toEqual([`8:${14 + first} ${tooDeep}`]);
    expect(ms).toBeLessThan(1000);
  });

  it('stops reading at the limit: 5 MB of `[` does not exhaust memory', () => {
    const { value, ms } = timed(() =>
      loadWorkflow('deep.yml', HEAD + '['.repeat(DEFAULT_LIMITS.maxFileBytes - HEAD.length)),
    );
    expect(positionOf(value)).toEqual([`8:${14 + first} ${tooDeep}`]);
    expect(ms).toBeLessThan(1000);
  });

  it('counts flow mappings, block mappings and compact block sequences alike', () => {
    const flowMap = HEAD + '{a: '.repeat(200) + '1' + '}'.repeat(200) + '\n';
    expect(positionOf(loadWorkflow('m.yml', flowMap))).toEqual([`8:${14 + 4 * first} ${tooDeep}`]);
    const block =
      HEAD +
      '\n' +
      Array.from({ length: 200 }, (_, i) => `${' '.repeat(12 + i)}k:\n`).join('') +
      `${' '.repeat(212)}x\n`;
    expect(positionOf(loadWorkflow('b.yml', block))).toEqual([`${9 + first}:${13 + first} ${tooDeep}`]);
    const compact = HEAD + '\n' + '            ' + '- '.repeat(200) + 'x\n';
    expect(positionOf(loadWorkflow('s.yml', compact))).toEqual([`9:${13 + 2 * first} ${tooDeep}`]);
  });

  it('accepts nesting right at the limit', () => {
    const text = HEAD + '['.repeat(first) + ']'.repeat(first) + '\n';
    expect(loadWorkflow('ok.yml', text).diagnostics.map((d) => d.message)).not.toContain(tooDeep);
  });

  it('takes the limit from LoadLimits', () => {
    const loaded = loadWorkflow('x.yml', 'on: push\njobs: { a: { steps: [] } }\n', { ...DEFAULT_LIMITS, maxDepth: 2 });
    expect(positionOf(loaded)).toEqual([
      '2:12 YAML nests deeper than 2 levels of mappings and sequences here; it was not linted.',
    ]);
  });

  it('reports nesting that only aliases make too deep, at the alias', () => {
    const chain = [
      'x0: &a0 [1]',
      ...Array.from({ length: 99 }, (_, i) => `x${i + 1}: &a${i + 1} [*a${i}]`),
      'on: push',
      'jobs: {}',
    ].join('\n');
    const { value, ms } = timed(() => loadWorkflow('chain.yml', chain));
    // x63's sequence is at level 2 and *a62 expands to 63 more levels.
    expect(positionOf(value)).toEqual([
      '64:12 YAML aliases nest this document deeper than 64 levels of mappings and sequences; it was not linted.',
    ]);
    expect(ms).toBeLessThan(1000);
  });

  it('reports an alias inside the node it names as an expansion past the limit', () => {
    const loaded = loadWorkflow('cycle.yml', 'on: push\njobs: &j { a: [*j] }\n');
    expect(positionOf(loaded)).toEqual([
      '2:16 YAML aliases expand this document past 100,000 nodes (an alias bomb?); it was not linted.',
    ]);
  });

  it('says so when the file holds a second YAML document', () => {
    const loaded = loadWorkflow('two.yml', 'on: push\njobs: {}\n---\non: pull_request\n');
    expect(positionOf(loaded)).toEqual([
      '3:1 Invalid YAML: The file holds more than one YAML document (a `---` line); a workflow is one document.',
    ]);
  });
});

describe("expression value length (GitHub's own limit)", () => {
  const withRun = (run: string) =>
    `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${run}\n`;
  const messagesOf = (run: string) =>
    loadWorkflow('x.yml', withRun(run)).diagnostics.map(
      (d) => `${d.range.start.line}:${d.range.start.column} ${d.message}`,
    );

  it('reports a value with an expression over 21,000 characters, where GitHub refuses the file', () => {
    const run = 'echo ${{ github.sha }}'.padEnd(MAX_EXPRESSION_VALUE_LENGTH + 1, 'x');
    expect(messagesOf(run)).toEqual([
      '6:14 This value holds a `${{ }}` expression and is 21,001 characters long; GitHub refuses to load a workflow with such a value over 21,000 characters ("Exceeded max expression length"). Pass the expressions through `env:` instead. The schema check was skipped.',
    ]);
    expect(messagesOf(run.slice(0, -1))).toEqual([]);
    expect(messagesOf('echo '.padEnd(MAX_EXPRESSION_VALUE_LENGTH + 1, 'x'))).toEqual([]);
  });

  it('skips the schema check there, which is quadratic in such a value: 200 KB of expressions in a second', () => {
    const { value, ms } = timed(() =>
      loadWorkflow('x.yml', withRun('|\n' + '          echo ${{ secrets.TOKEN }}\n'.repeat(6000))),
    );
    expect(value.diagnostics.map((d) => d.message.split(';')[0])).toEqual([
      'This value holds a `${{ }}` expression and is 156,000 characters long',
    ]);
    expect(ms).toBeLessThan(1000);
  });
});

describe('alias resolution', () => {
  it('pins the target yaml itself resolves, redefined anchors included', () => {
    const doc = parseDocument('a: &x 1\nb: *x\nc: &x [2]\nd: *x\ne: &y { f: *x, g: *y }\n');
    const expected: unknown[] = [];
    visit(doc, { Alias: (_, node) => void expected.push(Alias.prototype.resolve.call(node, doc)) });
    const aliases = pinAliasTargets(doc);
    expect(aliases.every((a) => isAlias(a))).toBe(true);
    expect(aliases.map((a) => a.resolve(doc))).toEqual(expected);
    expect(expected).toHaveLength(4);
  });

  it('loads 10,000 aliases in linear time (each used to walk the whole document: 18 s)', () => {
    const text =
      'on: push\nenv:\n  A: &a hello\n  L: [' +
      Array(10_000).fill('*a').join(', ') +
      ']\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n';
    const { ms } = timed(() => loadWorkflow('aliases.yml', text));
    expect(ms).toBeLessThan(2000);
  });
});

describe('script length limit', () => {
  const lint = DEFAULT_LINT;
  const withScript = (script: string, shell = 'bash') =>
    Buffer.from(
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - shell: ${shell}\n        env:\n          T: \${{ secrets.T }}\n        run: |\n${script
        .split('\n')
        .map((l) => `          ${l}`)
        .join('\n')}\n`,
    );
  const line = 'curl -u "user:$T" https://example.com/upload\n';
  const scriptOf = (length: number) => line.repeat(Math.ceil(length / line.length)).slice(0, length - 1) + '\n';

  it('does not parse a script over the limit, and says so with a warning at its first line', () => {
    const { value, ms } = timed(() => lintBytes('long.yml', withScript(scriptOf(MAX_SCRIPT_LENGTH + 1)), lint));
    expect(
      value.findings.map((f) => `${f.ruleId} ${f.level} ${f.range.start.line}:${f.range.start.column} ${f.message}`),
    ).toEqual(['syntax-error warning 10:11 This script is 65 KiB, over the 64 KiB wf-lint analyses']);
    expect(value.findings[0].detail).toMatch(/; the rules did not look inside it\.$/);
    expect(ms).toBeLessThan(1000);
  });

  it('analyses a script right at the limit', () => {
    const findings = lintBytes('limit.yml', withScript(scriptOf(MAX_SCRIPT_LENGTH)), lint).findings;
    expect(findings.some((f) => f.ruleId === 'secret-in-cli-args')).toBe(true);
    expect(findings.some((f) => f.ruleId === 'syntax-error')).toBe(false);
  });

  it('gives up on a script the shell parser is slow on, with a warning, well within a second', () => {
    // tree-sitter's error recovery is quadratic on a run of heredoc operators: 4.5 s unbounded.
    const { value, ms } = timed(() => lintBytes('slow.yml', withScript('<<'.repeat(8000)), lint));
    expect(
      value.findings.map((f) => `${f.ruleId} ${f.level} ${f.range.start.line}:${f.range.start.column} ${f.message}`),
    ).toEqual([
      'syntax-error warning 10:11 The shell parser would take too long on this script (some broken syntax slows it down)',
    ]);
    expect(value.findings[0].detail).toMatch(/, and the rules did not look inside it\.$/);
    expect(ms).toBeLessThan(1000);
  });

  it('reads the script after one it gave up on by itself (tree-sitter resumes a cancelled parse unless reset)', () => {
    // `2>` × 4,000 runs past its work budget, so its parse is cancelled; the curl line is the next script.
    const file =
      withScript('2>'.repeat(4000)).toString() +
      '      - env:\n          T: ${{ secrets.T }}\n        run: curl -u "u:$T" x\n';
    expect(
      lintBytes('two.yml', Buffer.from(file), lint).findings.map(
        (f) => `${f.ruleId} ${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}`,
      ),
    ).toEqual(['syntax-error 10:11-10:8011', 'secret-in-cli-args 13:22-13:28']);
  });

  it('says nothing of a long script in a shell wf-lint never reads', () => {
    expect(lintBytes('py.yml', withScript(scriptOf(MAX_SCRIPT_LENGTH + 1), 'python'), lint).findings).toEqual([]);
  });
});
