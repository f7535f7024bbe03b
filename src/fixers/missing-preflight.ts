import type { Fix } from '../findings.js';
import type { Job, Workflow } from '../workflow/model.js';
import { styleOf } from './style.js';
import { itemLayout, itemStart, joinLines, renderItem } from './yaml-text.js';

/** GitHub's default job timeout, when the job sets none. */
const DEFAULT_TIMEOUT_MINUTES = 360;

/**
 * The preflight script: fail on the first empty secret; for a value shaped like a JWT, fail when
 * its `exp` claim falls before the job could time out.
 */
function preflightScript(names: string[], timeoutMinutes: number): string {
  const list = names.join(' ');
  return [
    `for name in ${list}; do`,
    '  if [ -z "${!name}" ]; then',
    '    echo "::error::Required secret $name is not set"',
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

/** Inserts "Preflight: required secrets" as the job's first step, mapping each secret into its env. */
export function addPreflight(workflow: Workflow, job: Job, secrets: string[]): Fix | undefined {
  const first = job.items[0];
  if (!first || secrets.length === 0) return undefined;
  const file = workflow.file;
  const style = styleOf(workflow);
  const timeout = Number(job.timeoutMinutes?.text) || DEFAULT_TIMEOUT_MINUTES;
  // Environment names must be shell identifiers: `secrets.aws-key` is checked as AWS_KEY.
  const envName = (secret: string) => secret.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const { dashColumn, contentOffset } = itemLayout(file, first);
  // On Windows runners (or with a non-bash default shell) `run:` is not bash: say so.
  const defaultShell = job.steps.find((st) => st.run && !st.entries.some((e) => e.key === 'shell'))?.shell;
  const needsShell =
    /windows/i.test(job.runsOn?.value?.text ?? '') || (defaultShell !== undefined && !/^bash\b/.test(defaultShell));
  const lines = renderItem(
    [
      ['name', 'Preflight: required secrets'],
      ['env', secrets.map((s) => [envName(s), { raw: `\${{ secrets.${s} }}` }])],
      ...(needsShell ? [['shell', 'bash'] as [string, string]] : []),
      ['run', { block: preflightScript(secrets.map(envName), timeout) }],
    ],
    dashColumn,
    contentOffset,
    style,
  );
  const at = itemStart(file, first);
  // Keep the file's habit of blank lines between steps.
  const gap = /\n[ \t]*\r?\n[ \t]*-/.test(
    file.text.slice(job.stepsRange?.start.offset ?? 0, job.stepsRange?.end.offset ?? 0),
  )
    ? style.eol
    : '';
  return {
    kind: 'safe',
    description: `add a preflight step checking ${secrets.join(', ')}`,
    edits: [{ start: at, end: at, text: joinLines(lines, style) + gap }],
    last: true,
  };
}
