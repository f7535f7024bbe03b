import { dirname } from 'node:path';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Pair } from 'yaml';
import type { WorkflowHistory } from '../analysis/durations.js';
import { LEVELS, type Level } from '../findings.js';
import type { RuleMeta } from '../rules/rule.js';
import { didYouMean } from './names.js';
import { describe, isEmpty, type Attempt, type Fail } from './nodes.js';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './settings.js';

export interface RuleSetting {
  level: Level | 'off';
}

export interface Config {
  /** Absolute path of the config file, or undefined when defaults are used. */
  path?: string;
  /** Only rules mentioned in the config file or in CLI overrides. */
  rules: Map<string, RuleSetting>;
  /** Glob patterns of files not to lint, relative to `baseDir`. */
  ignore: string[];
  /** Directory the `ignore` globs are relative to: the config file's directory, or cwd. */
  baseDir: string;
  /** The `settings:` section, over the defaults. */
  settings: Settings;
  /**
   * Measured durations (`.wf-lint/durations.json`, written by `wf-lint calibrate`), by the path of the
   * workflow as it is linted (`displayPath`); none when there is no such file.
   */
  history?: Record<string, WorkflowHistory>;
}

export class ConfigError extends Error {
  /** Every problem found, this one first: a config is checked whole, so that one run shows them all. */
  problems: readonly ConfigError[] = [this];

  constructor(
    /** Where the bad setting came from: a config file path, or a CLI option such as `--rule`. */
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? `${file}: ${detail}` : `${file}:${line}:${column}: ${detail}`);
    this.name = 'ConfigError';
  }
}

/** One error for several problems: the first one's place, and a message with one line per problem. */
function combineConfigErrors(problems: readonly ConfigError[]): ConfigError {
  const [first] = problems;
  if (problems.length === 1) return first;
  const combined = new ConfigError(first.file, first.detail, first.line, first.column);
  combined.problems = problems;
  combined.message = problems.map((problem) => problem.message).join('\n');
  return combined;
}

/**
 * Checks parts of a configuration that do not depend on each other, so that one run reports every
 * problem: `attempt` keeps the ConfigError of a part that fails and goes on with its fallback, and
 * `check` throws them all as one ConfigError.
 */
export function problemCollector(): { attempt: Attempt; check(): void } {
  const problems: ConfigError[] = [];
  return {
    attempt: (read, fallback) => {
      try {
        return read();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(...error.problems);
        return fallback;
      }
    },
    check() {
      if (problems.length > 0) throw combineConfigErrors(problems);
    },
  };
}

const LEVEL_CHOICES: readonly (Level | 'off')[] = ['off', ...LEVELS];

export function isLevelChoice(value: unknown): value is Level | 'off' {
  return (LEVEL_CHOICES as readonly unknown[]).includes(value);
}

/** `got` describes the rejected value, e.g. `"fatal"` (quoted) or `a list`. */
export function levelProblem(got: string): string {
  return `level must be one of ${LEVEL_CHOICES.join(', ')} (got ${got})`;
}

const TOP_LEVEL_KEYS = ['rules', 'ignore', 'settings'];
const RULE_KEYS = ['level'];

/**
 * Parses and validates `.wf-lint.yml` text. `path` should be absolute (it becomes `Config.path` and
 * sets `baseDir`); `displayPath` is what error messages show. An empty file yields the defaults.
 */
export function parseConfig(text: string, path: string, knownRules: RuleMeta[], displayPath = path): Config {
  const reader = new ConfigReader(text, displayPath, knownRules);
  return { path, baseDir: dirname(path), ...reader.read() };
}

type ConfigSections = Pick<Config, 'rules' | 'ignore' | 'settings'>;

class ConfigReader {
  private readonly lineCounter = new LineCounter();
  private readonly doc: Document.Parsed;
  private readonly rulesById: Map<string, RuleMeta>;
  /** Throws a ConfigError at a node: how the settings readers report a bad value. */
  private readonly fail: Fail = (node, detail) => {
    throw this.error(node, detail);
  };
  private readonly problems = problemCollector();
  /** Reads one part that does not depend on the others; a problem in it is kept, and reading goes on. */
  private readonly attempt: Attempt = this.problems.attempt;

  constructor(
    text: string,
    private readonly displayPath: string,
    knownRules: RuleMeta[],
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, prettyErrors: false });
    this.rulesById = new Map(knownRules.map((meta) => [meta.id, meta]));
  }

  /** The sections, or a ConfigError with every problem that one reading finds. */
  read(): ConfigSections {
    // Only the first: what a YAML parser finds after a syntax error often follows from it.
    const [syntaxError] = this.doc.errors;
    if (syntaxError) throw this.errorAt(syntaxError.pos[0], `invalid YAML: ${syntaxError.message}`);

    const sections: ConfigSections = { rules: new Map(), ignore: [], settings: DEFAULT_SETTINGS };
    const root = this.doc.contents;
    if (isEmpty(root)) return sections;
    if (!isMap(root)) throw this.error(root, `the top level must be a mapping (got ${describe(root)})`);

    for (const pair of root.items) {
      this.attempt(() => {
        const key = this.keyOf(pair);
        if (key === 'rules') sections.rules = this.readRules(pair.value);
        else if (key === 'ignore') sections.ignore = this.readIgnore(pair.value);
        else if (key === 'settings') sections.settings = readSettings(pair.value, this.fail, this.attempt);
        else
          throw this.error(pair.key, `unknown top-level key "${key}" (expected one of ${TOP_LEVEL_KEYS.join(', ')})`);
      }, undefined);
    }
    this.problems.check();
    return sections;
  }

  private readRules(node: unknown): Map<string, RuleSetting> {
    const rules = new Map<string, RuleSetting>();
    if (isEmpty(node)) return rules;
    if (!isMap(node)) throw this.error(node, `rules: must be a mapping from rule id to level (got ${describe(node)})`);

    for (const pair of node.items) {
      this.attempt(() => {
        const id = this.keyOf(pair, 'rules');
        const meta = this.rulesById.get(id);
        if (!meta) throw this.error(pair.key, `rules.${id}: unknown rule${didYouMean(id, this.rulesById.keys())}`);
        rules.set(id, this.readRuleSetting(pair, meta));
      }, undefined);
    }
    return rules;
  }

  /** A rule's value is either a bare level or a mapping with `level`. */
  private readRuleSetting(rulePair: Pair, meta: RuleMeta): RuleSetting {
    const where = `rules.${meta.id}`;
    if (!isMap(rulePair.value)) return { level: this.readLevel(rulePair, where) };

    const setting: RuleSetting = { level: meta.level };
    for (const pair of rulePair.value.items) {
      const key = this.keyOf(pair, where);
      if (key === 'level') setting.level = this.readLevel(pair, where);
      // Rules take no options of their own: what they share is under `settings:`.
      else if (key === 'options')
        throw this.error(pair.key, `${where}.options: rules take no options; shared settings go under \`settings:\``);
      else throw this.error(pair.key, `${where}: unknown key "${key}" (expected ${RULE_KEYS.join(', ')})`);
    }
    return setting;
  }

  private readLevel(pair: Pair, where: string): Level | 'off' {
    if (isScalar(pair.value) && isLevelChoice(pair.value.value)) return pair.value.value;
    // `id:` with no value has a zero-width value node after the colon; point at the key instead.
    const node = isEmpty(pair.value) ? pair.key : pair.value;
    throw this.error(node, `${where}: ${levelProblem(describe(pair.value))}`);
  }

  private readIgnore(node: unknown): string[] {
    if (isEmpty(node)) return [];
    if (!isSeq(node)) throw this.error(node, `ignore: must be a list of glob patterns (got ${describe(node)})`);
    return node.items.flatMap((item, index) =>
      this.attempt(() => {
        if (isScalar(item) && typeof item.value === 'string') return [item.value];
        throw this.error(item, `ignore[${index}]: must be a string glob pattern (got ${describe(item)})`);
      }, []),
    );
  }

  private keyOf(pair: Pair, where?: string): string {
    if (isScalar(pair.key) && typeof pair.key.value === 'string') return pair.key.value;
    const detail = `keys must be strings (got ${describe(pair.key)})`;
    throw this.error(pair.key, where ? `${where}: ${detail}` : detail);
  }

  private error(node: unknown, detail: string): ConfigError {
    return this.errorAt(isNode(node) ? (node.range?.[0] ?? 0) : 0, detail);
  }

  private errorAt(offset: number, detail: string): ConfigError {
    const { line, col } = this.lineCounter.linePos(offset);
    return new ConfigError(this.displayPath, detail, line, col);
  }
}
