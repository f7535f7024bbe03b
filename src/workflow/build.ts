import { isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import type { Range } from '../findings.js';
import {
  ScalarValue,
  type CancelStep,
  type Concurrency,
  type Entry,
  type Environment,
  type Job,
  type ParallelGroup,
  type Permissions,
  type Step,
  type StepItem,
  type Trigger,
  type Workflow,
} from './model.js';
import type { SourceFile } from './source.js';

/**
 * Builds the typed model from a parsed YAML document. Lenient: malformed parts are skipped (the
 * schema check reports them).
 */
export function buildWorkflow(doc: Document, file: SourceFile): Workflow {
  const b = new Builder(doc, file);
  const root = b.map(doc.contents);
  const workflow: Workflow = { file, doc, triggers: [], env: [], jobs: [], entries: [] };
  if (!root) return workflow;
  workflow.entries = b.entries(root);
  const get = (key: string) => workflow.entries.find((e) => e.key === key);
  workflow.name = b.scalar(get('name')?.valueNode ?? null);
  const on = get('on');
  if (on) {
    workflow.onRange = on.range;
    workflow.triggers = b.triggers(on.valueNode);
  }
  workflow.env = b.entries(get('env')?.valueNode ?? null);
  workflow.permissions = b.permissions(get('permissions'));
  workflow.concurrency = b.concurrency(get('concurrency'));
  const workflowShell = b.defaultShell(get('defaults')?.valueNode ?? null);
  const jobs = get('jobs');
  if (jobs) {
    workflow.jobsKeyRange = jobs.keyRange;
    for (const entry of b.entries(jobs.valueNode)) {
      const job = b.job(entry, workflowShell);
      if (job) workflow.jobs.push(job);
    }
  }
  return workflow;
}

class Builder {
  constructor(
    private readonly doc: Document,
    private readonly file: SourceFile,
  ) {}

  resolve(node: unknown): YamlNode | null {
    let n = node as YamlNode | null;
    for (let hops = 0; n && isAlias(n) && hops < 32; hops++) n = (n.resolve(this.doc) as YamlNode | undefined) ?? null;
    return n && !isAlias(n) ? n : null;
  }

  map(node: unknown): YAMLMap | undefined {
    const n = this.resolve(node);
    return n && isMap(n) ? n : undefined;
  }

  range(node: unknown): Range {
    const r = (node as YamlNode | null)?.range;
    return r ? this.file.range(r[0], r[1]) : this.file.range(0, 0);
  }

  scalar(node: unknown, isCondition = false): ScalarValue | undefined {
    const n = this.resolve(node);
    return n && isScalar(n) ? new ScalarValue(n, this.file, isCondition) : undefined;
  }

  entryOf(pair: Pair): Entry | undefined {
    const keyNode = this.resolve(pair.key);
    if (!keyNode || !isScalar(keyNode)) return undefined;
    const valueNode = this.resolve(pair.value);
    const keyRange = this.range(pair.key);
    const end = (pair.value as YamlNode | null)?.range?.[1] ?? (pair.key as YamlNode).range?.[1] ?? 0;
    return {
      key: String(keyNode.value),
      keyRange,
      range: this.file.range(keyRange.start.offset, end),
      value: valueNode && isScalar(valueNode) ? new ScalarValue(valueNode, this.file) : undefined,
      valueNode,
      pair,
    };
  }

  /** The entries of a mapping, merge keys (`<<: *anchor`) expanded. */
  entries(node: unknown): Entry[] {
    const m = this.map(node);
    if (!m) return [];
    const out: Entry[] = [];
    for (const pair of m.items) {
      const key = this.resolve(pair.key);
      if (key && isScalar(key) && key.value === '<<') {
        const merged = this.resolve(pair.value);
        const sources = merged && isSeq(merged) ? merged.items : [merged];
        for (const src of sources)
          for (const e of this.entries(src)) if (!out.some((o) => o.key === e.key)) out.push(e);
        continue;
      }
      const entry = this.entryOf(pair);
      if (!entry) continue;
      const existing = out.findIndex((o) => o.key === entry.key);
      if (existing >= 0) out.splice(existing, 1);
      out.push(entry);
    }
    return out;
  }

  entry(node: YAMLMap, key: string): Entry | undefined {
    return this.entries(node).find((e) => e.key === key);
  }

  triggers(node: YamlNode | null): Trigger[] {
    if (!node) return [];
    if (isScalar(node)) return [{ event: String(node.value), range: this.range(node) }];
    if (isSeq(node)) {
      return node.items.flatMap((item) => {
        const s = this.scalar(item);
        return s ? [{ event: s.text, range: s.range }] : [];
      });
    }
    return this.entries(node).map((e) =>
      e.key === 'schedule'
        ? { event: e.key, range: e.keyRange, crons: this.crons(e.valueNode) }
        : { event: e.key, range: e.keyRange },
    );
  }

  /** The `cron:` of each item of a `schedule:` sequence. */
  crons(node: YamlNode | null): ScalarValue[] {
    const seq = this.resolve(node);
    if (!seq || !isSeq(seq)) return [];
    return seq.items.flatMap((item) => {
      const m = this.map(item);
      const cron = m && this.scalar(this.entry(m, 'cron')?.valueNode);
      return cron ? [cron] : [];
    });
  }

  permissions(entry: Entry | undefined): Permissions | undefined {
    if (!entry) return undefined;
    const scopes = new Map<string, Entry>();
    if (entry.value) return { range: entry.range, all: entry.value.text, scopes };
    const items = this.entries(entry.valueNode);
    for (const e of items) scopes.set(e.key, e);
    return { range: entry.range, all: items.length === 0 ? 'none' : undefined, scopes };
  }

  concurrency(entry: Entry | undefined): Concurrency | undefined {
    if (!entry) return undefined;
    if (entry.value) return { range: entry.range, group: entry.value };
    const m = this.map(entry.valueNode);
    if (!m) return { range: entry.range };
    return {
      range: entry.range,
      group: this.scalar(this.entry(m, 'group')?.valueNode),
      cancelInProgress: this.scalar(this.entry(m, 'cancel-in-progress')?.valueNode),
    };
  }

  environment(entry: Entry | undefined): Environment | undefined {
    if (!entry) return undefined;
    if (entry.value) return { range: entry.range, name: entry.value };
    const m = this.map(entry.valueNode);
    return {
      range: entry.range,
      name: m && this.scalar(this.entry(m, 'name')?.valueNode),
      url: m && this.scalar(this.entry(m, 'url')?.valueNode),
    };
  }

  defaultShell(defaults: YamlNode | null): string | undefined {
    const run = this.map(defaults) && this.entry(this.map(defaults)!, 'run');
    const shell = run && this.map(run.valueNode) && this.entry(this.map(run.valueNode)!, 'shell');
    return shell?.value?.text;
  }

  job(entry: Entry, workflowShell: string | undefined): Job | undefined {
    const m = this.map(entry.valueNode);
    if (!m) return undefined;
    const jobEntries = this.entries(m);
    const fields = new Map(jobEntries.map((e) => [e.key, e]));
    const f = (key: string) => fields.get(key);
    const needsNode = f('needs')?.valueNode ?? null;
    const needs =
      needsNode && isSeq(needsNode)
        ? needsNode.items.map((i) => this.scalar(i)).filter((s) => s !== undefined)
        : [this.scalar(needsNode)].filter((s) => s !== undefined);
    const secretsEntry = f('secrets');
    const shell = this.defaultShell(f('defaults')?.valueNode ?? null) ?? workflowShell;
    const job: Job = {
      id: entry.key,
      keyRange: entry.keyRange,
      range: entry.range,
      node: m,
      name: f('name')?.value,
      needs,
      if: this.scalar(f('if')?.valueNode, true),
      environment: this.environment(f('environment')),
      concurrency: this.concurrency(f('concurrency')),
      permissions: this.permissions(f('permissions')),
      env: this.entries(f('env')?.valueNode ?? null),
      runsOn: f('runs-on'),
      uses: f('uses')?.value,
      with: this.entries(f('with')?.valueNode ?? null),
      secrets: secretsEntry?.value ? [] : this.entries(secretsEntry?.valueNode ?? null),
      secretsInherit: secretsEntry?.value?.text === 'inherit',
      outputs: this.entries(f('outputs')?.valueNode ?? null),
      timeoutMinutes: f('timeout-minutes')?.value,
      strategy: f('strategy'),
      items: [],
      steps: [],
      stepsRange: f('steps')?.range,
      entries: jobEntries,
    };
    const stepsNode = this.resolve(f('steps')?.valueNode);
    if (stepsNode && isSeq(stepsNode)) {
      for (const item of stepsNode.items) {
        const built = this.stepItem(item, job, shell);
        if (built) job.items.push(built);
      }
    }
    return job;
  }

  stepItem(node: unknown, job: Job, shell: string | undefined): StepItem | undefined {
    const m = this.map(node);
    if (!m) return undefined;
    const range = this.range(m);
    const fields = new Map(this.entries(m).map((e) => [e.key, e]));
    const parallel = fields.get('parallel');
    if (parallel) {
      const group: ParallelGroup = { kind: 'parallel', steps: [], range, node: m };
      const members = this.resolve(parallel.valueNode);
      if (members && isSeq(members)) {
        for (const member of members.items) {
          const step = this.stepItem(member, job, shell);
          if (step?.kind === 'step') {
            step.group = group;
            group.steps.push(step);
          }
        }
      }
      return group;
    }
    const wait = fields.get('wait');
    if (wait) {
      const v = wait.valueNode;
      const targets =
        v && isSeq(v)
          ? v.items.map((i) => this.scalar(i)).filter((s) => s !== undefined)
          : [this.scalar(v)].filter((s) => s !== undefined);
      return { kind: 'wait', targets, range, node: m };
    }
    if (fields.has('wait-all')) return { kind: 'wait-all', range, node: m };
    const cancel = fields.get('cancel');
    if (cancel) return { kind: 'cancel', target: cancel.value, range, node: m } satisfies CancelStep;
    return this.step(m, fields, job, shell, range);
  }

  step(node: YAMLMap, fields: Map<string, Entry>, job: Job, jobShell: string | undefined, range: Range): Step {
    const f = (key: string) => fields.get(key)?.value;
    const id = f('id');
    const name = f('name');
    const uses = f('uses');
    const run = f('run');
    const step: Step = {
      kind: 'step',
      index: job.steps.length,
      id,
      name,
      uses,
      with: this.entries(fields.get('with')?.valueNode ?? null),
      run,
      shell: f('shell')?.text ?? (run ? jobShell : undefined),
      env: this.entries(fields.get('env')?.valueNode ?? null),
      if: this.scalar(fields.get('if')?.valueNode, true),
      timeoutMinutes: f('timeout-minutes'),
      workingDirectory: f('working-directory'),
      continueOnError: f('continue-on-error'),
      background: f('background'),
      range,
      node,
      label: stepLabel(name, uses, run, job.steps.length),
      entries: [...fields.values()],
    };
    job.steps.push(step);
    return step;
  }
}

function stepLabel(
  name: ScalarValue | undefined,
  uses: ScalarValue | undefined,
  run: ScalarValue | undefined,
  index: number,
): string {
  if (name?.text) return name.text;
  if (uses?.text) return uses.text;
  const firstLine = run?.text
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
  if (firstLine) return firstLine.length > 60 ? `${firstLine.slice(0, 57)}...` : firstLine;
  return `step ${index + 1}`;
}
