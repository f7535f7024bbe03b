import { OWN_PREFLIGHT_ERROR, OWN_PREFLIGHT_NAME } from '../analysis/preflight.js';
import type { Fix, TextEdit } from '../findings.js';
import type { Job, Step, Workflow } from '../workflow/model.js';
import { itemBlock } from './step-text.js';
import { styleOf } from './style.js';
import { itemLayout, itemStart, joinLines, renderItem, type YamlValue } from './yaml-text.js';

/** GitHub's default job timeout, when the job sets none. */
const DEFAULT_TIMEOUT_MINUTES = 360;

/** A secret the preflight checks, and the `if:` of its uses when it is needed only then. */
export interface PlannedCheck {
  secret: string;
  /** An expression (without `${{ }}`) a first step evaluates as the using steps do. */
  condition?: string;
}

/** What the fix does to one job: the checks it needs, and the preflight steps wf-lint wrote there before. */
export interface JobPreflight {
  job: Job;
  checks: PlannedCheck[];
  own: Step[];
}

/** Environment names must be shell identifiers: `secrets.aws-key` is checked as AWS_KEY. */
export const envName = (secret: string) => secret.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

/**
 * The preflight script: fail on the first empty secret; for a value shaped like a JWT, fail when
 * its `exp` claim falls before the job could time out.
 */
function preflightScript(names: string[], timeoutMinutes: number): string {
  const list = names.join(' ');
  return [
    `for name in ${list}; do`,
    '  if [ -z "${!name}" ]; then',
    `    echo "${OWN_PREFLIGHT_ERROR}"`,
    '    exit 1',
    '  fi',
    '  value="${!name}"',
    '  if [[ "$value" =~ ^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$ ]]; then',
    "    payload=$(cut -d. -f2 <<< \"$value\" | tr '_-' '/+')",
    '    while (( ${#payload} % 4 )); do payload="$payload="; done',
    '    exp=$(base64 -d <<< "$payload" 2>/dev/null | jq -r \'.exp // empty\' 2>/dev/null)',
    `    if [ -n "$exp" ] && [ "$exp" -lt $(( $(date +%s) + ${timeoutMinutes} * 60 )) ]; then`,
    `      echo "::error::Secret $name expires before the job's ${timeoutMinutes}-minute timeout"`,
    '      exit 1',
    '    fi',
    '  fi',
    'done',
  ].join('\n');
}

/** The checks as steps: one for the secrets every run needs, then one per condition, in order of first use. */
function stepsOf(checks: PlannedCheck[]): { condition?: string; secrets: string[] }[] {
  const groups = new Map<string, string[]>();
  groups.set('', []);
  for (const check of checks) {
    const key = check.condition ?? '';
    if (!groups.has(key)) groups.set(key, []);
    if (!groups.get(key)!.includes(check.secret)) groups.get(key)!.push(check.secret);
  }
  return [...groups]
    .filter(([, secrets]) => secrets.length > 0)
    .map(([condition, secrets]) => ({ condition: condition || undefined, secrets }));
}

/** The text of a job's preflight steps, ready to go before `target` (the job's first step item). */
function preflightText(workflow: Workflow, job: Job, checks: PlannedCheck[]): string {
  const file = workflow.file;
  const style = styleOf(workflow);
  const timeout = Number(job.timeoutMinutes?.text) || DEFAULT_TIMEOUT_MINUTES;
  const { dashColumn, contentOffset } = itemLayout(file, job.items[0]);
  // On Windows runners (or with a non-bash default shell) `run:` is not bash: say so.
  const defaultShell = job.steps.find((st) => st.run && !st.entries.some((e) => e.key === 'shell'))?.shell;
  const needsShell =
    /windows/i.test(job.runsOn?.value?.text ?? '') || (defaultShell !== undefined && !/^bash\b/.test(defaultShell));
  // Keep the file's habit of blank lines between steps.
  const steps = file.text.slice(job.stepsRange?.start.offset ?? 0, job.stepsRange?.end.offset ?? 0);
  const gap = /\n[ \t]*\r?\n[ \t]*-/.test(steps) ? style.eol : '';
  return stepsOf(checks)
    .map(({ condition, secrets }) => {
      const entries: [string, YamlValue][] = [
        ['name', OWN_PREFLIGHT_NAME],
        ...(condition ? [['if', condition] as [string, YamlValue]] : []),
        ['env', secrets.map((s) => [envName(s), { raw: `\${{ secrets.${s} }}` }])],
        ...(needsShell ? [['shell', 'bash'] as [string, YamlValue]] : []),
        ['run', { block: preflightScript(secrets.map(envName), timeout) }],
      ];
      return joinLines(renderItem(entries, dashColumn, contentOffset, style), style) + gap;
    })
    .join('');
}

/**
 * The edits that give a job exactly the preflight `checks` ask for, as its first steps: the steps
 * wf-lint wrote there before are replaced (or removed, when nothing is left to check), never duplicated.
 */
export function preflightEdits(workflow: Workflow, { job, checks, own }: JobPreflight): TextEdit[] | undefined {
  const first = job.items[0];
  if (!first || (checks.length === 0 && own.length === 0)) return undefined;
  // A job whose only steps are wf-lint's preflight has nothing to check before: leave it alone.
  if (checks.length === 0 && own.length === job.items.length) return undefined;
  const file = workflow.file;
  const text = checks.length > 0 ? preflightText(workflow, job, checks) : '';
  const edits: TextEdit[] = [];
  const firstIsOwn = own.includes(first as Step);
  if (!firstIsOwn) {
    const at = itemStart(file, first);
    if (text) edits.push({ start: at, end: at, text });
  }
  own.forEach((step, i) => {
    const block = itemBlock(file, job, step);
    edits.push({ start: block.start, end: block.end, text: firstIsOwn && i === 0 ? text : '' });
  });
  return edits;
}

/** One fix for the preflights of one or more jobs (those that lack the same checks). */
export function preflightFix(workflow: Workflow, jobs: JobPreflight[], description: string): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const job of jobs) {
    const jobEdits = preflightEdits(workflow, job);
    if (!jobEdits) return undefined;
    edits.push(...jobEdits);
  }
  return edits.length > 0 ? { kind: 'safe', description, edits, last: true } : undefined;
}
