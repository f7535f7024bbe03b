import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { Range } from '../findings.js';
import type { Job } from '../workflow/model.js';
import type { SourceFile } from '../workflow/source.js';
import {
  describeMatrixRefs,
  matrixLegs,
  matrixValue,
  substituteMatrix,
  WHOLE_MATRIX_REF,
  type MatrixLeg,
} from './matrix.js';

/** A runner label as the job asks for it, and where it is written. */
export interface RunnerLabel {
  text: string;
  range: Range;
}

/** One runner request of a job: for a matrix, one per distinct request among its combinations. */
export interface RunnerRequest {
  labels: RunnerLabel[];
  /** `runs-on: { group: NAME }`: the runner group. */
  group?: RunnerLabel;
  /** `matrix.os = self-hosted`: the combination that asks for it, for messages; empty without a matrix. */
  leg: string;
}

/** What a job's `runs-on:` asks for: every request it can make, and what could not be read. */
export interface RunsOn {
  /** The `runs-on:` value. */
  range: Range;
  requests: RunnerRequest[];
  /** Why some requests are unknown (an input, a computed matrix), when some are. */
  unresolved?: string;
}

/**
 * The runner requests of a job's `runs-on:` (a label, a list of labels, `{ group, labels }`), each
 * matrix combination read through `${{ matrix.KEY }}`. An expression that chooses between quoted
 * labels (`cond && 'self-hosted' || 'ubuntu-latest'`) gives one request per label. Undefined for a
 * job without `runs-on:` (a reusable-workflow call).
 */
export function runsOn(job: Job, file: SourceFile): RunsOn | undefined {
  const node = job.runsOn?.valueNode;
  if (!job.runsOn || !node) return undefined;
  const range = rangeOf(node, file);
  const legs = matrixLegs(job);
  if (!legs) return { range, requests: [], unresolved: 'its matrix is computed' };
  const requests = new Map<string, RunnerRequest>();
  const unresolved = new Set<string>();
  for (const leg of legs) {
    const found = requestsOf(node, leg, file, range);
    if (typeof found === 'string') unresolved.add(found);
    else for (const r of found) requests.set(keyOf(r), r);
  }
  return { range, requests: [...requests.values()], ...(unresolved.size ? { unresolved: [...unresolved][0] } : {}) };
}

/** The runner requests of one matrix combination, or why they cannot be read (undefined without `runs-on:`). */
export function runnerRequestsOf(job: Job, leg: MatrixLeg, file: SourceFile): RunnerRequest[] | string | undefined {
  const node = job.runsOn?.valueNode;
  return node ? requestsOf(node, leg, file, rangeOf(node, file)) : undefined;
}

function keyOf(r: RunnerRequest): string {
  return JSON.stringify([r.group?.text.toLowerCase(), ...r.labels.map((l) => l.text.toLowerCase()).sort()]);
}

/** The requests one value makes in one combination, or why it cannot be read. */
function requestsOf(node: YamlNode, leg: MatrixLeg, file: SourceFile, at: Range): RunnerRequest[] | string {
  const from = describeLeg(leg, node);
  if (isScalar(node)) {
    const text = String(node.value ?? '');
    const whole = WHOLE_MATRIX_REF.exec(text.trim());
    const value = whole ? matrixValue(leg, whole[1]) : undefined;
    // The matrix gives a list or a mapping: read it in place of the expression, positions at `runs-on:`.
    if (value && !isScalar(value)) {
      const inner = requestsOf(value, new Map(), file, at);
      return typeof inner === 'string' ? inner : inner.map((r) => relocate(r, at, from));
    }
    const labels = labelsOf(node, leg, file);
    return typeof labels === 'string' ? labels : labels.map((l) => ({ labels: [l], leg: from }));
  }
  if (isSeq(node)) {
    const labels: RunnerLabel[] = [];
    for (const item of node.items as YamlNode[]) {
      const read = isScalar(item) ? labelsOf(item, leg, file) : 'a label is not a string';
      if (typeof read === 'string') return read;
      if (read.length !== 1) return 'a label is chosen by an expression';
      labels.push(read[0]);
    }
    return [{ labels, leg: from }];
  }
  if (isMap(node)) {
    const group = node.get('group', true);
    const labels = node.get('labels', true);
    const groupLabel = isScalar(group) ? labelsOf(group, leg, file) : [];
    const inner = labels ? requestsOf(labels as YamlNode, leg, file, at) : [{ labels: [], leg: from }];
    if (typeof groupLabel === 'string') return groupLabel;
    if (typeof inner === 'string') return inner;
    return inner.map((r) => ({ ...r, leg: from, ...(groupLabel[0] ? { group: groupLabel[0] } : {}) }));
  }
  return 'it is not a label, a list or a group';
}

/** A scalar label, with `${{ matrix.KEY }}` replaced; several when an expression picks one of quoted labels. */
function labelsOf(node: YamlNode, leg: MatrixLeg, file: SourceFile): RunnerLabel[] | string {
  const raw = isScalar(node) ? String(node.value ?? '') : '';
  const range = rangeOf(node, file);
  const text = substituteMatrix(raw, leg);
  if (text === undefined) return 'it reads a matrix value that is not written in the workflow as a label';
  if (!text.includes('${{')) return [{ text: text.trim(), range }];
  const choices = [...text.matchAll(/(?:&&|\|\|)\s*'([^']*)'/g)].map((m) => m[1]);
  if (/^\s*\$\{\{[^}]*\}\}\s*$/.test(text) && choices.length > 0) return choices.map((c) => ({ text: c, range }));
  const context = /\$\{\{\s*([a-z_]+)/i.exec(text)?.[1] ?? 'an expression';
  return `it is chosen by \`${context}\` at run time`;
}

function relocate(r: RunnerRequest, at: Range, leg: string): RunnerRequest {
  const move = (l: RunnerLabel) => ({ text: l.text, range: at });
  return { labels: r.labels.map(move), ...(r.group ? { group: move(r.group) } : {}), leg };
}

function describeLeg(leg: MatrixLeg, node: YamlNode): string {
  return describeMatrixRefs(JSON.stringify(node.toJSON()), leg);
}

function rangeOf(node: YamlNode, file: SourceFile): Range {
  const [start, end] = node.range ?? [0, 0];
  return file.range(start, end);
}

/** A runner label pattern as actionlint's `self-hosted-runner.labels` takes them: `*` for any characters. */
export function labelPattern(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}
