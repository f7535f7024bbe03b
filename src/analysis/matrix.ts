import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { Job } from '../workflow/model.js';

/** One matrix combination: each key's value as written (a scalar, a list or a mapping). */
export type MatrixLeg = Map<string, YamlNode>;

/** More combinations than this and the matrix is treated as unknown: no workflow lists that many by hand. */
const MAX_LEGS = 256;

/**
 * The combinations a job's `strategy.matrix` expands to, as GitHub documents it: the product of the
 * keys' lists, less the `exclude` entries, then each `include` entry added to every combination whose
 * original values it does not change, or appended as a combination of its own when it fits none.
 * A job without a matrix has one empty combination; undefined when the matrix is computed
 * (`${{ fromJSON(…) }}`) or too large.
 */
export function matrixLegs(job: Job): MatrixLeg[] | undefined {
  const strategy = job.strategy?.valueNode;
  const matrix = isMap(strategy) ? strategy.get('matrix', true) : undefined;
  if (matrix === undefined || matrix === null) return [new Map()];
  if (!isMap(matrix)) return undefined;
  let legs: MatrixLeg[] = [new Map()];
  const original = new Set<string>();
  for (const pair of matrix.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'include' || key === 'exclude') continue;
    if (!isSeq(pair.value)) return undefined;
    original.add(key);
    const values = pair.value.items as YamlNode[];
    legs = legs.flatMap((leg) => values.map((v) => new Map([...leg, [key, v]])));
    if (legs.length > MAX_LEGS) return undefined;
  }
  if (original.size === 0) legs = [];
  const entries = (key: string): Map<string, YamlNode>[] | undefined => {
    const list = matrix.get(key, true);
    if (list === undefined || list === null) return [];
    if (!isSeq(list) || !list.items.every(isMap)) return undefined;
    return list.items.map(
      (item) => new Map(item.items.map((p) => [String((p.key as YamlNode).toJSON()), p.value as YamlNode])),
    );
  };
  const exclude = entries('exclude');
  const include = entries('include');
  if (!exclude || !include) return undefined;
  legs = legs.filter((leg) => !exclude.some((e) => [...e].every(([k, v]) => same(leg.get(k), v))));
  for (const entry of include) {
    const fits = legs.filter((leg) =>
      [...entry].every(([k, v]) => !original.has(k) || !leg.has(k) || same(leg.get(k), v)),
    );
    if (fits.length === 0 || original.size === 0) legs.push(new Map(entry));
    for (const leg of original.size === 0 ? [] : fits) for (const [k, v] of entry) if (!original.has(k)) leg.set(k, v);
  }
  return legs.length > 0 ? legs : [new Map()];
}

function same(a: unknown, b: unknown): boolean {
  const json = (n: unknown) => JSON.stringify(isScalar(n) || isMap(n) || isSeq(n) ? n.toJSON() : n);
  return json(a) === json(b);
}

const MATRIX_REF = String.raw`\$\{\{\s*matrix\.([\w-]+(?:\.[\w-]+)*)\s*\}\}`;

/** `${{ matrix.KEY }}` (or `matrix.KEY.FIELD`) as the whole of a value: the path. */
export const WHOLE_MATRIX_REF = new RegExp(`^${MATRIX_REF}$`);

/** The value at `os.runner` in a combination: a key, then fields of mappings. */
export function matrixValue(leg: MatrixLeg, path: string): YamlNode | undefined {
  const [key, ...fields] = path.split('.');
  let node: unknown = leg.get(key);
  for (const field of fields) node = isMap(node) ? node.get(field, true) : undefined;
  return node as YamlNode | undefined;
}

/** A value with its `${{ matrix.KEY }}` references replaced by the leg's scalar values; undefined when one is not. */
export function substituteMatrix(text: string, leg: MatrixLeg): string | undefined {
  let unresolved = false;
  const result = text.replace(new RegExp(MATRIX_REF, 'g'), (whole, path: string) => {
    const value = matrixValue(leg, path);
    if (!isScalar(value)) unresolved = true;
    return isScalar(value) ? String(value.value ?? '') : whole;
  });
  return unresolved ? undefined : result;
}

/** `matrix.os.runner = ["self-hosted","linux"]`: the matrix values a text reads in a combination, for messages. */
export function describeMatrixRefs(text: string, leg: MatrixLeg): string {
  const paths = new Set([...text.matchAll(new RegExp(MATRIX_REF, 'g'))].map((m) => m[1]));
  return [...paths]
    .flatMap((path) => {
      const value = matrixValue(leg, path);
      return value ? [`matrix.${path} = ${JSON.stringify(value.toJSON())}`] : [];
    })
    .join(', ');
}
