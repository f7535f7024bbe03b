import { isMap, isScalar, isSeq } from 'yaml';
import { didYouMean } from './names.js';

/**
 * Values read out of the config's YAML nodes, which are kept at hand so that a bad value is reported
 * at its position. `where` names the value in messages: `settings.lifetimes.aws`.
 */

/** Reports a bad value at its node: throws a ConfigError with the node's line and column. */
export type Fail = (node: unknown, detail: string) => never;

/**
 * Reads one part of the config that does not depend on the others. The config reader keeps the
 * ConfigError of a bad part, goes on with `fallback` and reports every problem at the end;
 * `firstProblem` stops at the first.
 */
export type Attempt = <T>(read: () => T, fallback: T) => T;

export const firstProblem: Attempt = (read) => read();

/** No value at all: an empty document, or `key:` with nothing after it. */
export function isEmpty(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** A node as messages show it: `a mapping`, `a list`, or the scalar's value as JSON. */
export function describe(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return JSON.stringify(node.value);
  return 'an alias';
}

/**
 * The entries of a mapping, none when it is empty; every key must be one of `known`. A bad key is
 * read through `attempt`, which leaves it out when the caller goes on after a problem.
 */
export function entriesOf<K extends string>(
  node: unknown,
  where: string,
  known: readonly K[],
  fail: Fail,
  attempt: Attempt = firstProblem,
): [K, unknown][] {
  if (isEmpty(node)) return [];
  if (!isMap(node)) return fail(node, `${where}: must be a mapping (got ${describe(node)})`);
  return node.items.flatMap((pair) =>
    attempt((): [K, unknown][] => {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'string')
        return fail(pair.key, `${where}: keys must be strings (got ${describe(pair.key)})`);
      const key = pair.key.value;
      if (!(known as readonly string[]).includes(key))
        return fail(
          pair.key,
          `${where}.${key}: unknown setting (expected one of ${known.join(', ')})${didYouMean(key, known)}`,
        );
      return [[key as K, pair.value]];
    }, []),
  );
}

/** The items of a list, none when it is empty. */
export function itemsOf(node: unknown, where: string, fail: Fail): unknown[] {
  if (isEmpty(node)) return [];
  if (!isSeq(node)) return fail(node, `${where}: must be a list (got ${describe(node)})`);
  return node.items;
}

export function stringOf(node: unknown, where: string, fail: Fail): string {
  if (isScalar(node) && typeof node.value === 'string') return node.value;
  return fail(node, `${where}: must be a string (got ${describe(node)})`);
}

/** A list of strings with something in them, none when it is empty. */
export function wordsOf(node: unknown, where: string, fail: Fail): string[] {
  return itemsOf(node, where, fail).map((item, index) => {
    if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') return item.value;
    return fail(item, `${where}[${index}]: must be a non-empty string (got ${describe(item)})`);
  });
}

export function regExpOf(node: unknown, where: string, flags: string, fail: Fail): RegExp {
  const source = stringOf(node, where, fail);
  try {
    return new RegExp(source, flags);
  } catch (error) {
    return fail(node, `${where}: not a valid regular expression (${(error as Error).message})`);
  }
}
