import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Level } from '../findings.js';
import type { RuleMeta } from '../rules/rule.js';
import { didYouMean } from './names.js';
import { DEFAULT_SETTINGS } from './settings.js';
import { ConfigError, isLevelChoice, levelProblem, parseConfig, problemCollector, type Config } from './validate.js';

export { ConfigError, parseConfig, problemCollector, type Config, type RuleSetting } from './validate.js';

const CONFIG_FILE_NAMES = ['.wf-lint.yml', '.wf-lint.yaml'];

/** The config file in `cwd`, else the one at the enclosing git root (the nearest directory holding `.git`). */
export function findConfigFile(cwd: string): string | undefined {
  const start = resolve(cwd);
  const inStart = configFileIn(start);
  if (inStart) return inStart;
  const gitRoot = findGitRoot(start);
  return gitRoot === undefined || gitRoot === start ? undefined : configFileIn(gitRoot);
}

function configFileIn(dir: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => join(dir, name)).find(
    (path) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false,
  );
}

export function findGitRoot(dir: string): string | undefined {
  // `.git` is a file in worktrees and submodules, so any kind of entry counts.
  for (let current = dir; ; current = dirname(current)) {
    if (statSync(join(current, '.git'), { throwIfNoEntry: false })) return current;
    if (dirname(current) === current) return undefined;
  }
}

/** The configuration without a config file: every rule at its default level. */
export function defaultConfig(cwd: string): Config {
  return { rules: new Map(), ignore: [], baseDir: resolve(cwd), settings: DEFAULT_SETTINGS };
}

/** Loads `explicitPath` (relative to `cwd`) or the file `findConfigFile` finds; without either, the defaults. */
export function loadConfig(options: { cwd: string; explicitPath?: string; knownRules: RuleMeta[] }): Config {
  const cwd = resolve(options.cwd);
  const path = options.explicitPath === undefined ? findConfigFile(cwd) : resolve(cwd, options.explicitPath);
  if (path === undefined) return defaultConfig(cwd);

  const displayPath = relative(cwd, path).split(sep).join('/');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      displayPath,
      code === 'ENOENT' ? 'config file not found' : `cannot read config file (${code})`,
    );
  }
  return parseConfig(text.replace(/^\uFEFF/, ''), path, options.knownRules, displayPath);
}

/**
 * Applies CLI `--rule ID[=LEVEL]` (a bare id enables the rule at its default level) and `--disable ID`;
 * `--disable` wins over `--rule`. A ConfigError lists every bad option at once.
 */
export function applyRuleOverrides(
  config: Config,
  overrides: { rule: string[]; disable: string[] },
  knownRules: RuleMeta[],
): Config {
  const rulesById = new Map(knownRules.map((meta) => [meta.id, meta]));
  const rules = new Map(config.rules);
  const setLevel = (id: string, level: Level | 'off') => rules.set(id, { level });
  const lookUp = (id: string, option: string): RuleMeta => {
    const meta = rulesById.get(id);
    if (!meta) throw new ConfigError(option, `unknown rule "${id}"${didYouMean(id, rulesById.keys())}`);
    return meta;
  };

  const { attempt, check } = problemCollector();
  for (const spec of overrides.rule) {
    attempt(() => {
      const option = `--rule ${spec}`;
      const [id, level] = splitAtFirst(spec, '=');
      const meta = lookUp(id, option);
      if (level === undefined) setLevel(meta.id, meta.level);
      else if (isLevelChoice(level)) setLevel(meta.id, level);
      else throw new ConfigError(option, levelProblem(JSON.stringify(level)));
    }, undefined);
  }
  for (const id of overrides.disable) attempt(() => setLevel(lookUp(id, `--disable ${id}`).id, 'off'), undefined);
  check();
  return { ...config, rules };
}

function splitAtFirst(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + separator.length)];
}

export function effectiveLevel(config: Config, meta: RuleMeta): Level | 'off' {
  return config.rules.get(meta.id)?.level ?? meta.level;
}
