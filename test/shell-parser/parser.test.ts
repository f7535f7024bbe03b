import { afterEach, describe, expect, it, vi } from 'vitest';
import { Parser } from 'web-tree-sitter';
import { Facts } from '../../src/analysis/facts.js';
import { parseConfig } from '../../src/config/config.js';
import { lintBytes } from '../../src/lint.js';
import { rules } from '../../src/rules/registry.js';
import { parseBash } from '../../src/shell-parser/parser.js';
import { loadWorkflow } from '../../src/workflow/load.js';
import { DEFAULT_LINT } from '../lint-options.js';

/** Counts the scripts tree-sitter parses from here on. */
const parses = () => vi.spyOn(Parser.prototype, 'parse');
afterEach(() => vi.restoreAllMocks());

describe('parsing each script text once', () => {
  it('parses a text once however often it is asked for, and another text again', () => {
    const parse = parses();
    const first = parseBash('echo "cache test: one"\n');
    expect(parseBash('echo "cache test: one"\n')).toBe(first);
    expect(parse).toHaveBeenCalledTimes(1);
    const other = parseBash('echo "cache test: two"\n');
    expect(parse).toHaveBeenCalledTimes(2);
    expect(other).not.toBe(first);
    expect([first?.rootNode.text, other?.rootNode.text]).toEqual([
      'echo "cache test: one"\n',
      'echo "cache test: two"\n',
    ]);
  });

  it('keeps a parse cancelled for its budget as declined, and reads the next script as itself', () => {
    const slow = '2>'.repeat(4000); // past its work budget: the parse is cancelled
    const parse = parses();
    expect(parseBash(slow)).toBeUndefined();
    expect(parseBash(slow)).toBeUndefined();
    expect(parse).toHaveBeenCalledTimes(1);
    // The parser was reset after the cancel, so this is not read as the rest of the cancelled script.
    const next = parseBash('curl -u "u:$T" cache-test\n');
    expect(next?.rootNode.namedChildren.map((c) => `${c?.type} ${c?.text}`)).toEqual([
      'command curl -u "u:$T" cache-test',
    ]);
  });

  it('keeps a bounded amount of script text: the least recently used goes first', () => {
    const long = (n: number) => `echo "cache test: long ${n}"\n`.repeat(1000); // 26,000 characters each
    const parse = parses();
    parseBash(long(1));
    parseBash(long(2));
    parseBash(long(1));
    expect(parse).toHaveBeenCalledTimes(2);
    parseBash(long(3)); // past 64 KiB with the first two: long(2), the least recently used, goes
    parseBash(long(1));
    expect(parse).toHaveBeenCalledTimes(3);
    parseBash(long(2));
    expect(parse).toHaveBeenCalledTimes(4);
  });
});

describe('parsing only the scripts a rule reads', () => {
  const workflow = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: echo "read only when a rule needs it"',
    '',
  ].join('\n');
  /** Lints the workflow with only `ruleId` on. */
  const lintWith = (ruleId: string) => {
    const off = rules.filter((r) => r.meta.id !== ruleId).map((r) => `  ${r.meta.id}: off`);
    const config = parseConfig(
      ['rules:', ...off].join('\n'),
      'wf-lint.yml',
      rules.map((r) => r.meta),
    );
    return lintBytes('only.yml', Buffer.from(workflow), { ...DEFAULT_LINT, config });
  };

  it('parses no script when the enabled rules do not read scripts', () => {
    const parse = parses();
    lintWith('non-standard-yaml');
    expect(parse).not.toHaveBeenCalled();
  });

  it('parses the script once a rule that reads it is on, and once for every rule and analysis', () => {
    const parse = parses();
    lintWith('syntax-error');
    expect(parse).toHaveBeenCalledTimes(1);
    const facts = new Facts(loadWorkflow('again.yml', workflow).workflow!, []);
    facts.script(facts.workflow.jobs[0].steps[0]);
    expect(parse).toHaveBeenCalledTimes(1); // the same text, from the cache
  });
});
