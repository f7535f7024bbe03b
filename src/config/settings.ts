import { isMap, isScalar } from 'yaml';
import { DEFAULT_LIFETIMES, parseSeconds, type Lifetimes } from '../analysis/credentials.js';
import { labelPattern } from '../analysis/runners.js';
import { IDENTIFIER_SECRET_NAMES } from '../analysis/secret-values.js';
import { DEFAULT_FIX_SETTINGS, readFixSettings, type FixSettings } from './fix-settings.js';
import {
  describe,
  entriesOf,
  firstProblem,
  isEmpty,
  itemsOf,
  regExpOf,
  stringOf,
  wordsOf,
  type Attempt,
  type Fail,
} from './nodes.js';

/**
 * `settings:` in .wf-lint.yml: what the analysis cannot know by itself, read once, over the
 * defaults. Every key is optional:
 *
 *   settings:
 *     lifetimes: { aws: 1800 }                # seconds OIDC credentials last, per provider
 *     durations:                              # step durations, before the built-in classes
 *       - { match: "detox test", typical: 40m, worst: 75m }
 *     identifierSecrets: "^(DESTINATION|.*_USERNAME)$"
 *     deploy: { commands: ["./ship.sh", "make release"], actions: ["my-org/deploy-action"] }
 *     deploy: { runners: { production: [[self-hosted, production, primary]] } }
 *     repository: { visibility: public }     # else from the event payload in the GitHub Action
 *     runners: { selfHosted: ["gpu-*"] }      # labels of self-hosted runners beyond `self-hosted`
 *     preflight: { actions: ["my-org/require-secrets"], failFast: { "my-org/login": [token] } }
 *     fix: { lateSecretRead: refresh }        # config/fix-settings.ts
 */
export interface Settings {
  /** Seconds OIDC credentials can be used for, per provider. */
  lifetimes: Lifetimes;
  /** Step durations by pattern, tried in order before the built-in step classes. */
  durations: DurationSetting[];
  /** Names of secrets that hold identifiers rather than confidential values (case-insensitive). */
  identifierSecrets: RegExp;
  /**
   * Deploy commands (`program subcommands --flags`) and actions, beyond the built-in tables; and the
   * runner label sets allowed to deploy to each environment-name pattern (`runners`).
   */
  deploy: { commands: string[]; actions: string[]; runners: RunnerPolicy[] };
  /** What the workflow files cannot say about their repository; unknown when not given. */
  repository: { visibility?: Visibility };
  /** Labels (`*` for any characters) of self-hosted runners that do not carry the `self-hosted` label. */
  runners: { selfHosted: string[] };
  /**
   * Actions that fail the job when a secret they are given is empty (`actions`), and actions that
   * fail at once on an empty value of some inputs (`failFast`: action to inputs), beyond the built-in table.
   */
  preflight: { actions: string[]; failFast: Record<string, string[]> };
  fix: FixSettings;
}

export const VISIBILITIES = ['public', 'private', 'internal'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** `production: [[self-hosted, production, primary], …]`: an environment-name pattern and its allowed label sets. */
export interface RunnerPolicy {
  /** As written: `production`, `prod-*`. */
  environment: string;
  /** Matches environment names, case-insensitively (`*` for any characters). */
  pattern: RegExp;
  labelSets: string[][];
}

/** The first pattern whose `match` finds a step's `uses:`, name, script or inputs gives its duration. */
export interface DurationSetting {
  match: RegExp;
  /** Seconds. */
  typical: number;
  worst: number;
}

export const DEFAULT_SETTINGS: Settings = {
  lifetimes: DEFAULT_LIFETIMES,
  durations: [],
  identifierSecrets: IDENTIFIER_SECRET_NAMES,
  deploy: { commands: [], actions: [], runners: [] },
  repository: {},
  runners: { selfHosted: [] },
  preflight: { actions: [], failFast: {} },
  fix: DEFAULT_FIX_SETTINGS,
};

type Reader<T> = (node: unknown, where: string, fail: Fail) => T;

const READERS: { [K in keyof Settings]: Reader<Settings[K]> } = {
  lifetimes: readLifetimes,
  durations: (node, where, fail) =>
    itemsOf(node, where, fail).map((item, index) => readDuration(item, `${where}[${index}]`, fail)),
  identifierSecrets: (node, where, fail) => regExpOf(node, where, 'i', fail),
  deploy: readDeploy,
  repository: readRepository,
  runners: wordLists(['selfHosted']),
  preflight: readPreflight,
  fix: readFixSettings,
};

const SETTING_KEYS = Object.keys(READERS) as (keyof Settings)[];

/**
 * Reads the `settings:` node (a mapping, or nothing) over the defaults. Each key is read through
 * `attempt`: a bad one keeps its default, and its problem is reported with those of the others.
 */
export function readSettings(node: unknown, fail: Fail, attempt: Attempt = firstProblem): Settings {
  const settings = { ...DEFAULT_SETTINGS };
  for (const [key, value] of entriesOf(node, 'settings', SETTING_KEYS, fail, attempt))
    attempt(() => readSetting(settings, key, value, fail), undefined);
  return settings;
}

function readSetting<K extends keyof Settings>(settings: Settings, key: K, node: unknown, fail: Fail): void {
  settings[key] = READERS[key](node, `settings.${key}`, fail);
}

function readLifetimes(node: unknown, where: string, fail: Fail): Lifetimes {
  const lifetimes = { ...DEFAULT_LIFETIMES };
  for (const [provider, value] of entriesOf(node, where, Object.keys(DEFAULT_LIFETIMES) as (keyof Lifetimes)[], fail)) {
    const seconds = scalarValue(value);
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0)
      fail(value, `${where}.${provider}: must be a number of seconds greater than 0 (got ${describe(value)})`);
    lifetimes[provider] = seconds;
  }
  return lifetimes;
}

function readDuration(node: unknown, where: string, fail: Fail): DurationSetting {
  const given = new Map(entriesOf(node, where, ['match', 'typical', 'worst'], fail));
  if (!given.has('match') || !given.has('typical'))
    fail(node, `${where}: must have a match (a regular expression) and a typical duration`);
  const typical = readSeconds(given.get('typical'), `${where}.typical`, fail);
  const worst = given.has('worst') ? readSeconds(given.get('worst'), `${where}.worst`, fail) : typical;
  return { match: regExpOf(given.get('match'), `${where}.match`, '', fail), typical, worst };
}

/** A duration: seconds, or a number with s, m or h. */
function readSeconds(node: unknown, where: string, fail: Fail): number {
  const value = scalarValue(node);
  const seconds = typeof value === 'string' || typeof value === 'number' ? parseSeconds(String(value)) : undefined;
  return seconds ?? fail(node, `${where}: must be a duration such as 90s, 20m or 1h (got ${describe(node)})`);
}

/** A mapping of `keys` to lists of non-empty strings, each empty when not given. */
function wordLists<K extends string>(keys: K[]): Reader<Record<K, string[]>> {
  return (node, where, fail) => {
    const lists = Object.fromEntries(keys.map((key) => [key, []])) as unknown as Record<K, string[]>;
    for (const [key, value] of entriesOf(node, where, keys, fail)) lists[key] = wordsOf(value, `${where}.${key}`, fail);
    return lists;
  };
}

function readDeploy(node: unknown, where: string, fail: Fail): Settings['deploy'] {
  const deploy: Settings['deploy'] = { commands: [], actions: [], runners: [] };
  for (const [key, value] of entriesOf(node, where, ['commands', 'actions', 'runners'], fail)) {
    if (key === 'runners') deploy.runners = readRunnerPolicies(value, `${where}.runners`, fail);
    else deploy[key] = wordsOf(value, `${where}.${key}`, fail);
  }
  return deploy;
}

/** `{ "prod-*": [[self-hosted, production]] }`: each pattern with a non-empty list of non-empty label lists. */
function readRunnerPolicies(node: unknown, where: string, fail: Fail): RunnerPolicy[] {
  if (isEmpty(node)) return [];
  if (!isMap(node))
    return fail(node, `${where}: must map environment names to lists of label lists (got ${describe(node)})`);
  return node.items.map((pair) => {
    const environment = stringOf(pair.key, `${where}: an environment name`, fail);
    const sets = itemsOf(pair.value, `${where}.${environment}`, fail).map((set, i) =>
      wordsOf(set, `${where}.${environment}[${i}]`, fail),
    );
    if (sets.length === 0 || sets.some((s) => s.length === 0))
      fail(pair.value, `${where}.${environment}: must list label lists such as [[self-hosted, production]]`);
    return { environment, pattern: labelPattern(environment), labelSets: sets };
  });
}

function readRepository(node: unknown, where: string, fail: Fail): Settings['repository'] {
  const repository: Settings['repository'] = {};
  for (const [, value] of entriesOf(node, where, ['visibility'], fail)) {
    const visibility = stringOf(value, `${where}.visibility`, fail);
    if (!(VISIBILITIES as readonly string[]).includes(visibility))
      fail(value, `${where}.visibility: must be one of ${VISIBILITIES.join(', ')} (got ${describe(value)})`);
    repository.visibility = visibility as Visibility;
  }
  return repository;
}

function readPreflight(node: unknown, where: string, fail: Fail): Settings['preflight'] {
  const preflight: Settings['preflight'] = { actions: [], failFast: {} };
  for (const [key, value] of entriesOf(node, where, ['actions', 'failFast'], fail)) {
    if (key === 'actions') preflight.actions = wordsOf(value, `${where}.actions`, fail);
    else preflight.failFast = readFailFast(value, `${where}.failFast`, fail);
  }
  return preflight;
}

/** `{ "owner/action": [input, …] }`: any action name as key, each with a non-empty list of inputs. */
function readFailFast(node: unknown, where: string, fail: Fail): Record<string, string[]> {
  if (isEmpty(node)) return {};
  if (!isMap(node)) return fail(node, `${where}: must be a mapping of actions to inputs (got ${describe(node)})`);
  const table: Record<string, string[]> = {};
  for (const pair of node.items) {
    const action = stringOf(pair.key, `${where}: an action`, fail);
    const inputs = wordsOf(pair.value, `${where}.${action}`, fail);
    if (inputs.length === 0) fail(pair.value, `${where}.${action}: must list at least one input`);
    table[action] = inputs;
  }
  return table;
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}
