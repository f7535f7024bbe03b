import type { Document, Node as YamlNode, Pair, Scalar } from 'yaml';
import type { Range } from '../findings.js';
import type { ExprSpan } from './expressions.js';
import { findExpressions, parseCondition } from './expressions.js';
import { scalarOffsetMap, type OffsetMap } from './scalar-map.js';
import type { SourceFile } from './source.js';

/**
 * A scalar from the workflow with its exact source range. The offset map and the expressions are
 * computed on first use: most scalars are never asked for them.
 */
export class ScalarValue {
  private cachedMap?: OffsetMap;
  private cachedExprs?: ExprSpan[];

  constructor(
    readonly node: Scalar,
    readonly file: SourceFile,
    /** `if:` values are expressions even without `${{ }}`. */
    private readonly isCondition = false,
  ) {}

  get text(): string {
    const v = this.node.value;
    return v === null || v === undefined ? '' : String(v);
  }

  get range(): Range {
    const [start, end] = this.node.range ?? [0, 0];
    return this.file.range(start, end);
  }

  /** Maps an index of `text` to a file offset. */
  get map(): OffsetMap {
    return (this.cachedMap ??= scalarOffsetMap(this.node, this.file.text));
  }

  get expressions(): ExprSpan[] {
    if (this.cachedExprs) return this.cachedExprs;
    const text = this.text;
    if (this.isCondition) return (this.cachedExprs = text ? parseCondition(text, this.map, this.file) : []);
    return (this.cachedExprs = text.includes('${{') ? findExpressions(text, this.map, this.file) : []);
  }

  /** The file range of value[from, to). */
  rangeOf(from: number, to: number): Range {
    const map = this.map;
    return this.file.range(map(from), to > from ? map(to - 1) + 1 : map(from));
  }

  /** True when the value is exactly one expression, e.g. `${{ inputs.environment }}`. */
  get isExpression(): boolean {
    const e = this.expressions;
    return e.length === 1 && e[0].valueStart === 0 && e[0].valueEnd === this.text.trimEnd().length;
  }
}

/** A `key: value` pair of a mapping. `value` is set when the value is a scalar. */
export interface Entry {
  key: string;
  keyRange: Range;
  /** Range of the whole pair, key to end of value. */
  range: Range;
  value?: ScalarValue;
  /** The value node, whatever its kind (for non-scalar values such as `with:` maps in matrices). */
  valueNode: YamlNode | null;
  pair: Pair;
}

export interface Trigger {
  event: string;
  range: Range;
  /** For `schedule`: each `cron:` expression, as written. */
  crons?: ScalarValue[];
}

export interface Permissions {
  range: Range;
  /** `read-all`, `write-all` or `{}` (none) when permissions is a single scalar or empty map. */
  all?: 'read-all' | 'write-all' | 'none' | string;
  scopes: Map<string, Entry>;
}

export interface Concurrency {
  range: Range;
  /** `concurrency: group-name` gives only a group. */
  group?: ScalarValue;
  cancelInProgress?: ScalarValue;
}

export interface Environment {
  range: Range;
  name?: ScalarValue;
  url?: ScalarValue;
}

export interface Step {
  kind: 'step';
  /** Position among the job's runnable steps (`job.steps`), in source order. */
  index: number;
  id?: ScalarValue;
  name?: ScalarValue;
  uses?: ScalarValue;
  with: Entry[];
  run?: ScalarValue;
  /** Effective shell: the step's, else job/workflow `defaults.run.shell`, else undefined (bash/pwsh by runner). */
  shell?: string;
  env: Entry[];
  if?: ScalarValue;
  timeoutMinutes?: ScalarValue;
  workingDirectory?: ScalarValue;
  continueOnError?: ScalarValue;
  /** `background: true` (or an expression): starts and lets the job move on. */
  background?: ScalarValue;
  /** The parallel group this step is a member of. */
  group?: ParallelGroup;
  /** The sequence item's range (from the first key to the end of the mapping). */
  range: Range;
  node: YamlNode;
  /** The step's name, `uses`, or the first line of its script: how messages refer to it. */
  label: string;
  /** Every key of the step mapping, as written (for fixes that insert next to them). */
  entries: Entry[];
}

/** `- wait: id` or `- wait: [a, b]`: joins the named background steps. */
export interface WaitStep {
  kind: 'wait';
  targets: ScalarValue[];
  range: Range;
  node: YamlNode;
}

/** `- wait-all:`: joins every earlier background step. */
export interface WaitAllStep {
  kind: 'wait-all';
  range: Range;
  node: YamlNode;
}

/** `- cancel: id`: stops a background step. */
export interface CancelStep {
  kind: 'cancel';
  target?: ScalarValue;
  range: Range;
  node: YamlNode;
}

/** `- parallel: [steps]`: members start together; the group ends when the last one ends. */
export interface ParallelGroup {
  kind: 'parallel';
  steps: Step[];
  range: Range;
  node: YamlNode;
}

/** A top-level item of a job's `steps:` sequence. */
export type StepItem = Step | WaitStep | WaitAllStep | CancelStep | ParallelGroup;

export interface Job {
  id: string;
  keyRange: Range;
  range: Range;
  node: YamlNode;
  name?: ScalarValue;
  needs: ScalarValue[];
  if?: ScalarValue;
  environment?: Environment;
  concurrency?: Concurrency;
  permissions?: Permissions;
  env: Entry[];
  runsOn?: Entry;
  /** A reusable-workflow call (`jobs.<id>.uses`). */
  uses?: ScalarValue;
  with: Entry[];
  /** `secrets: inherit` or explicit secrets passed to a reusable workflow. */
  secrets: Entry[];
  secretsInherit: boolean;
  outputs: Entry[];
  timeoutMinutes?: ScalarValue;
  strategy?: Entry;
  /** The `steps:` sequence as written: runnable steps, control steps and parallel groups. */
  items: StepItem[];
  /** Every runnable step, including members of parallel groups, in source order. */
  steps: Step[];
  stepsRange?: Range;
  /** Every key of the job mapping, as written. */
  entries: Entry[];
}

export interface Workflow {
  file: SourceFile;
  doc: Document;
  name?: ScalarValue;
  triggers: Trigger[];
  onRange?: Range;
  env: Entry[];
  permissions?: Permissions;
  concurrency?: Concurrency;
  jobs: Job[];
  jobsKeyRange?: Range;
  /** Every top-level key, as written. */
  entries: Entry[];
}

export function isStep(item: StepItem): item is Step {
  return item.kind === 'step';
}
