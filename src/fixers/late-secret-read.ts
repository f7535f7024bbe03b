import type { Facts } from '../analysis/facts.js';
import type { CredentialIssue } from '../analysis/credentials.js';
import { effectiveCommand, hasFlag } from '../analysis/match.js';
import { WORKSPACE_FREE } from '../analysis/shell/commands.js';
import type { SecretRead } from '../analysis/secret-stores.js';
import type { Assignment, Command, Script } from '../analysis/shell/script.js';
import { unquote } from '../analysis/paths.js';
import { stepRefs } from '../workflow/dataflow.js';
import type { Fix, TextEdit } from '../findings.js';
import type { Job, Step, StepItem, Workflow } from '../workflow/model.js';
import { maskEachLine } from './script-edit.js';
import { dashColumnOf, insertionAfter, itemBlock, reindent, separatorAfter } from './step-text.js';
import { styleOf, type FileStyle } from './style.js';
import { itemLayout, joinLines, lineStart, nextLineStart, renderItem } from './yaml-text.js';

/** A late read, with the credential it depends on. */
export interface LateRead {
  read: SecretRead;
  issue: CredentialIssue;
}

/** The top-level item that holds a step (its parallel group, or the step itself). */
function itemOf(step: Step): StepItem {
  return step.group ?? step;
}

/**
 * Builds the early-load fix for the late reads of one job (one fix shared by all of them):
 * move self-contained reading steps right after their credential step; extract `NAME=$(read)`
 * lines into a new masked, exported "Load secrets early" step (SSM parameters batched into
 * get-parameters calls of at most 10 names); otherwise refresh the credentials before the read.
 */
export function earlyLoadFix(
  workflow: Workflow,
  facts: Facts,
  job: Job,
  late: LateRead[],
  mode: 'early-load' | 'refresh',
): Fix | undefined {
  const style = styleOf(workflow);
  const edits: TextEdit[] = [];
  const handled = new Set<Step>();
  const extracted: Extraction[] = [];
  const byStep = groupBy(late, (l) => l.read.step);
  for (const [step, reads] of byStep) {
    const issue = reads[0].issue;
    if (mode === 'early-load' && movable(facts, job, step, issue)) {
      edits.push(...moveStep(workflow, job, step, issue.step, style));
      handled.add(step);
      continue;
    }
    const extractions = mode === 'early-load' ? reads.map((r) => extraction(facts, r)) : [];
    if (extractions.length > 0 && extractions.every((e) => e !== undefined)) {
      extracted.push(...(extractions as Extraction[]));
      handled.add(step);
      continue;
    }
    const refresh = refreshBefore(workflow, job, step, issue.step, style);
    if (refresh) {
      edits.push(refresh);
      handled.add(step);
    }
  }
  if (extracted.length > 0) {
    const issueStep = extracted[0].issue.step;
    edits.push(...extractionEdits(workflow, facts, job, issueStep, extracted, style));
  }
  if (edits.length === 0) return undefined;
  const moved = [...handled].map((s) => `'${s.label}'`).join(', ');
  return { kind: 'safe', description: `load secrets right after the credential step (${moved})`, edits };
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

/** Steps that run between the credential step and the read, whose outputs the read must not need. */
function between(job: Job, from: Step, to: Step): Step[] {
  const start = job.items.indexOf(itemOf(from));
  const end = job.items.indexOf(itemOf(to));
  return job.items
    .slice(start + 1, end)
    .flatMap((i) => (i.kind === 'step' ? [i] : i.kind === 'parallel' ? i.steps : []));
}

/** Whether anything the step refers to is produced by `steps` (outputs, `$GITHUB_ENV` names). */
function dependsOn(facts: Facts, step: Step, steps: Step[], script: Script | undefined): boolean {
  const ids = new Set(steps.flatMap((s) => (s.id ? [s.id.text] : [])));
  const envNames = new Set(
    steps.flatMap((s) => facts.flow(s).envWrites.flatMap((w) => (w.file === 'env' && w.name ? [w.name] : []))),
  );
  for (const ref of stepRefs(step)) {
    if (ref.context === 'steps' && ref.path[0] && ids.has(ref.path[0])) return true;
    if (ref.context === 'env' && ref.path[0] && envNames.has(ref.path[0])) return true;
  }
  const vars = (script?.commands ?? []).flatMap((c) =>
    [...c.args, ...(c.nameWord ? [c.nameWord] : [])].flatMap((w) => w.vars.map((v) => v.name)),
  );
  return vars.some((v) => envNames.has(v));
}

/** A reading step can move when it needs nothing that the steps it would jump over produce. */
function movable(facts: Facts, job: Job, step: Step, issue: CredentialIssue): boolean {
  if (step.group || step.background || issue.step.background) return false;
  const script = facts.script(step);
  if (step.run) {
    if (!script || script.kind !== 'bash') return false;
    const written = new Set(facts.flow(step).fileWrites.map((w) => w.path));
    for (const command of script.commands) {
      const { name, args } = effectiveCommand(command);
      if (!WORKSPACE_FREE.has(name)) return false;
      // cat and jq may only read files the step writes itself: the workspace is not there yet.
      const operands = args.filter((a) => !a.text.startsWith('-'));
      const files = name === 'cat' ? operands : name === 'jq' ? operands.slice(1) : [];
      if (files.some((f) => !written.has(unquote(f.text)))) return false;
    }
  } else if (facts.secretReads(step).length === 0) return false;
  return !dependsOn(facts, step, between(job, issue.step, step), script);
}

function moveStep(workflow: Workflow, job: Job, step: Step, after: Step, style: FileStyle): TextEdit[] {
  const file = workflow.file;
  const block = itemBlock(file, job, step);
  const contentEnd = insertionAfter(file, job, step);
  let text = file.text.slice(block.start, contentEnd);
  if (!text.endsWith('\n')) text += style.eol;
  const anchor = itemOf(after);
  text = reindent(text, dashColumnOf(file, step), dashColumnOf(file, anchor));
  // The last step takes the blank lines before it along, so that no blank line is left at the end.
  let deleteStart = block.start;
  if (job.items.at(-1) === step) {
    while (deleteStart > 0 && file.text.slice(lineStart(file, deleteStart - 1), deleteStart).trim() === '')
      deleteStart = lineStart(file, deleteStart - 1);
  }
  const at = insertionAfter(file, job, anchor);
  return [
    { start: at, end: at, text: separatorAfter(file, job, anchor) + text },
    { start: deleteStart, end: block.end, text: '' },
  ];
}

interface Extraction {
  read: SecretRead;
  issue: CredentialIssue;
  /** The `NAME=$(read)` line to take out of the late step. */
  assignment: Assignment;
  name: string;
  /** For SSM reads of a plain value: the parameter name, so the read can be batched. */
  ssmParameter?: string;
}

/** A read written as its own line, `NAME=$(<read>)` (optionally exported), that can move as is. */
function extraction(facts: Facts, late: LateRead): Extraction | undefined {
  const { read } = late;
  const script = read.command && facts.script(read.step);
  if (!script || !read.command || read.step.run?.node.type !== 'BLOCK_LITERAL') return undefined;
  const assignment = script.assignments.find(
    (a) => a.value?.substitutions.length === 1 && a.value.substitutions[0] === read.command,
  );
  if (!assignment || !/^\s*"?\$\(.*\)"?\s*$/s.test(assignment.value!.text)) return undefined;
  const text = read.step.run.text;
  const lineBegin = text.lastIndexOf('\n', assignment.start - 1) + 1;
  if (!/^\s*(export\s+)?$/.test(text.slice(lineBegin, assignment.start))) return undefined;
  // The read may only use the environment, not variables the script set before it.
  const scriptVars = new Set(script.assignments.filter((a) => a.start < assignment.start).map((a) => a.name));
  const words = [...read.command.args, ...(read.command.nameWord ? [read.command.nameWord] : [])];
  if (words.some((w) => w.vars.some((v) => scriptVars.has(v.name)) || w.substitutions.length > 0)) return undefined;
  if (words.some((w) => w.exprs.some((e) => e.refs.some((r) => r.context === 'steps')))) return undefined;
  return { read, issue: late.issue, assignment, name: assignment.name, ssmParameter: plainSsmParameter(read.command) };
}

/** `aws ssm get-parameter --name N --with-decryption --query Parameter.Value --output text` with a literal N. */
function plainSsmParameter(command: Command): string | undefined {
  const { args } = effectiveCommand(command);
  const texts = args.map((a) => a.text.replace(/^["']|["']$/g, ''));
  if (texts[0] !== 'ssm' || texts[1] !== 'get-parameter' || !hasFlag(args, '--with-decryption')) return undefined;
  const value = (flag: string) => {
    const i = texts.findIndex((t) => t === flag);
    return i >= 0 ? texts[i + 1] : texts.find((t) => t.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  const name = value('--name');
  const allowed = new Set([
    'ssm',
    'get-parameter',
    '--with-decryption',
    '--name',
    name,
    '--query',
    'Parameter.Value',
    '--output',
    'text',
  ]);
  if (!name || /[$`]/.test(name) || value('--query') !== 'Parameter.Value' || value('--output') !== 'text')
    return undefined;
  return texts.every((t) => allowed.has(t)) ? name : undefined;
}

const SSM_BATCH = 10;

function extractionEdits(
  workflow: Workflow,
  facts: Facts,
  job: Job,
  issueStep: Step,
  items: Extraction[],
  style: FileStyle,
): TextEdit[] {
  const file = workflow.file;
  const lines: string[] = [];
  const ssm = items.filter((e) => e.ssmParameter);
  for (let i = 0; i < ssm.length; i += SSM_BATCH) {
    const batch = ssm.slice(i, i + SSM_BATCH);
    const variable = ssm.length > SSM_BATCH ? `ssm_parameters_${i / SSM_BATCH + 1}` : 'ssm_parameters';
    lines.push(
      `${variable}=$(aws ssm get-parameters --with-decryption --output json --query 'Parameters[].[Name,Value]' \\`,
      `  --names ${batch.map((e) => `'${e.ssmParameter}'`).join(' ')})`,
    );
    for (const e of batch)
      lines.push(
        `${e.name}=$(jq -r --arg name '${e.ssmParameter}' '.[] | select(.[0] == $name) | .[1]' <<< "$${variable}")`,
      );
  }
  for (const e of items.filter((x) => !x.ssmParameter)) lines.push(`${e.name}=${e.assignment.value!.text}`);
  for (const e of items) {
    lines.push(maskEachLine(e.name));
    lines.push(`{ echo "${e.name}<<WF_LINT_EOF"; echo "$${e.name}"; echo "WF_LINT_EOF"; } >> "$GITHUB_ENV"`);
  }
  const anchor = itemOf(issueStep);
  const { dashColumn, contentOffset } = itemLayout(file, anchor);
  const step = renderItem(
    [
      ['name', 'Load secrets early'],
      ['run', { block: lines.join('\n') }],
    ],
    dashColumn,
    contentOffset,
    style,
  );
  const at = insertionAfter(file, job, anchor);
  const edits: TextEdit[] = [{ start: at, end: at, text: separatorAfter(file, job, anchor) + joinLines(step, style) }];
  for (const [step, extractions] of groupBy(items, (e) => e.read.step))
    edits.push(...removeLines(workflow, facts, job, step, extractions));
  return edits;
}

/**
 * Takes the extracted `NAME=$(read)` lines out of the late step, along with lines that only
 * re-export or mask those names (the early step does that now); an emptied step is removed.
 */
function removeLines(workflow: Workflow, facts: Facts, job: Job, step: Step, items: Extraction[]): TextEdit[] {
  const run = step.run!;
  const file = workflow.file;
  const names = new Set(items.map((e) => e.name));
  const redundant = facts.script(step)!.commands.filter((c) => {
    const { name, args } = effectiveCommand(c);
    if (name !== 'echo' && name !== 'printf') return false;
    const vars = args
      .flatMap((a) => a.vars.map((v) => v.name))
      .filter((v) => v !== 'GITHUB_ENV' && v !== 'GITHUB_OUTPUT');
    const masks = args.some((a) => a.text.includes('::add-mask::'));
    return (
      vars.length > 0 &&
      vars.every((v) => names.has(v)) &&
      (masks || c.redirects.some((r) => r.target?.vars.some((v) => v.name === 'GITHUB_ENV')))
    );
  });
  // Whole lines, from the line a statement starts on to the line it ends on.
  const spans = [...items.map((e) => e.assignment.range), ...redundant.map((c) => c.range)].map((r) => ({
    start: lineStart(file, r.start.offset),
    end: nextLineStart(file, Math.max(r.start.offset, r.end.offset - 1)),
  }));
  const [scriptStart, scriptEnd] = run.node.range ?? [0, 0];
  const kept = file.text
    .slice(scriptStart, scriptEnd)
    .split('\n')
    .map((line, i, all) => ({ line, at: scriptStart + all.slice(0, i).join('\n').length + (i > 0 ? 1 : 0) }))
    .filter(
      ({ line, at }) =>
        line.trim() !== '' && !line.trim().startsWith('#') && !spans.some((s) => at >= s.start && at < s.end),
    );
  if (kept.length === 0) {
    const block = itemBlock(file, job, step);
    return [{ start: block.start, end: block.end, text: '' }];
  }
  return spans.map((s) => ({ ...s, text: '' }));
}

/** A copy of the credential step, named as a refresh, inserted right before the read's step (or its group). */
function refreshBefore(
  workflow: Workflow,
  job: Job,
  step: Step,
  credential: Step,
  style: FileStyle,
): TextEdit | undefined {
  const file = workflow.file;
  if (!credential.uses || credential.run) return undefined;
  const target = itemOf(step);
  const { dashColumn, contentOffset } = itemLayout(file, target);
  const withEntry = credential.entries.find((e) => e.key === 'with');
  if (!withEntry) return undefined;
  const withText = reindent(
    file.text.slice(
      lineStart(file, withEntry.keyRange.start.offset),
      nextLineStart(file, Math.max(withEntry.range.start.offset, withEntry.range.end.offset - 1)),
    ),
    withEntry.keyRange.start.column - 1,
    dashColumn + contentOffset,
  );
  const head = renderItem(
    [
      ['name', credential.name ? `${credential.name.text} (refresh)` : 'Refresh credentials'],
      ['uses', credential.uses.text],
    ],
    dashColumn,
    contentOffset,
    style,
  );
  const body = withText.endsWith('\n') ? withText : withText + style.eol;
  const at = itemBlock(file, job, target).start;
  return { start: at, end: at, text: joinLines(head, style) + body + separatorAfter(file, job, credential) };
}
