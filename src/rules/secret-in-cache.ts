import { actionName, withInput } from '../analysis/match.js';
import { normalizePath, unquote, workspacePath } from '../analysis/paths.js';
import type { FileWrite } from '../analysis/taint/step-flow.js';
import { describeTaint } from '../analysis/taint/value.js';
import type { Facts } from '../analysis/facts.js';
import type { StepOrder } from '../workflow/graph.js';
import { isMap } from 'yaml';
import type { Job, Step, Workflow } from '../workflow/model.js';
import { dropSecretPaths } from '../fixers/secret-in-cache.js';
import { defineRule } from './rule.js';
import { brief, briefStepName, stepName } from './wording.js';

/** Steps that store files where other workflow runs can read them. */
const STORING_ACTIONS: Record<string, { kind: 'cache' | 'artifact'; postJobSave?: boolean }> = {
  // actions/cache restores at its step and saves in a post-job step: files written later are saved too.
  'actions/cache': { kind: 'cache', postJobSave: true },
  'actions/cache/save': { kind: 'cache' },
  'actions/upload-artifact': { kind: 'artifact' },
};

const OTHER_RUNS = 'can be read by other workflow runs, including pull requests from other branches';
/** Who can read a secret once it is stored, by kind of store. */
const EXPOSURE = {
  cache: `A cache ${OTHER_RUNS}.`,
  artifact: `An artifact ${OTHER_RUNS}, and downloaded by anyone with read access to the repository.`,
};
const REMEDY = 'Keep the secret in memory and load it again where it is needed, or delete the file before it is saved.';

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split(/(\*\*\/?|\*|\?)/)
    // `**/` is any number of directories, a final `**` anything below.
    .map((part) =>
      part === '**/'
        ? '(?:.*/)?'
        : part === '**'
          ? '.*'
          : part === '*'
            ? '[^/]*'
            : part === '?'
              ? '[^/]'
              : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * A path as the cache and artifact actions resolve it: relative to the workspace, or absolute
 * (`~/x`, `/tmp/x`, `@runner.temp/x`). Undefined when only known at run time (`$OUT_DIR/x`).
 */
export function storedForm(path: string, workingDirectory?: string): string | undefined {
  const inWorkspace = workspacePath(path, workingDirectory);
  if (inWorkspace !== undefined) return inWorkspace;
  const p = unquote(path.trim())
    .replace(/^(\$\{?HOME\}?|\$\{\{\s*env\.HOME\s*\}\})(?=\/|$)/, '~')
    .replace(/^(\$\{?RUNNER_TEMP\}?|\$\{\{\s*runner\.temp\s*\}\})(?=\/|$)/, '@runner.temp');
  if (p.includes('$')) return undefined;
  return /^[/~@]/.test(p) ? p.replace(/\/+$/, '') : undefined;
}

/** Whether a `path:` entry (file, directory or glob, already in stored form) covers a file. */
export function pathCovers(entry: string, file: string): boolean {
  const pattern = normalizePath(entry);
  const target = normalizePath(file);
  const inWorkspace = !/^[/~@]/.test(target);
  if (pattern === '' || pattern === '.' || pattern === '*' || pattern === '**') return inWorkspace;
  if (/[*?]/.test(pattern)) return globToRegExp(pattern).test(target) || globToRegExp(`${pattern}/**`).test(target);
  return target === pattern || target.startsWith(`${pattern}/`);
}

/**
 * actions/upload-artifact (v4.4 and later) leaves out hidden files and directories, those whose name
 * starts with a dot below the searched path, unless `include-hidden-files: true`.
 */
function hiddenBelow(entry: string, file: string): boolean {
  const segments = normalizePath(entry).split('/');
  const firstGlob = segments.findIndex((s) => /[*?]/.test(s));
  const root = (firstGlob < 0 ? segments : segments.slice(0, firstGlob)).filter((s) => s !== '' && s !== '.');
  const rest = normalizePath(file).split('/').slice(root.length);
  const names = rest.length > 0 ? rest : [normalizePath(file).split('/').pop() ?? ''];
  return names.some((n) => n.startsWith('.') && n !== '.' && n !== '..');
}

/** upload-artifact before v4.4 (v1 to v3, v4.0 to v4.3) uploaded hidden files too. */
function uploadsHiddenFiles(step: Step, workflow: Workflow): boolean {
  if ((withInput(step, 'include-hidden-files')?.text ?? '').trim().toLowerCase() === 'true') return true;
  const line = workflow.file.lineText(step.uses!.range.start.line);
  const version = /@v?(\d+)(?:\.(\d+))?\b/.exec(step.uses!.text) ?? /#\s*v?(\d+)(?:\.(\d+))?/.exec(line);
  if (!version) return false;
  const major = Number(version[1]);
  const minor = version[2] === undefined ? undefined : Number(version[2]);
  return major < 4 || (major === 4 && minor !== undefined && minor < 4);
}

/** The `path:` entries in order: `!pattern` excludes what earlier entries included. */
function storedPaths(step: Step): { pattern: string; exclude: boolean }[] {
  const entry = step.with.find((e) => e.key === 'path');
  return (entry?.value?.text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .flatMap((l) => {
      const exclude = l.startsWith('!');
      const form = storedForm(exclude ? l.slice(1) : l);
      return form === undefined ? [] : [{ pattern: form, exclude }];
    });
}

/**
 * The directory a step's script runs in: its `working-directory`, else the job's, else the workflow's
 * `defaults.run.working-directory`.
 */
function workingDirectoryOf(step: Step, job: Job, workflow: Workflow): string | undefined {
  if (step.workingDirectory) return step.workingDirectory.text;
  const fromDefaults = (node: unknown) => {
    const value = isMap(node) ? node.getIn(['defaults', 'run', 'working-directory']) : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  return step.run ? (fromDefaults(job.node) ?? fromDefaults(workflow.doc.contents)) : undefined;
}

/**
 * Whether `rm`/`shred -u` removes the file (or a directory holding it) after it is written and before
 * `until` runs.
 */
function removedBefore(
  write: FileWrite,
  writer: Step,
  until: Step | undefined,
  job: Job,
  workflow: Workflow,
  facts: Facts,
  order: StepOrder,
): boolean {
  const file = storedForm(write.path, workingDirectoryOf(writer, job, workflow));
  if (file === undefined) return false;
  for (const step of job.steps) {
    const after = step === writer || order.happensBefore(writer, step);
    const before = until === undefined || order.happensBefore(step, until);
    if (!after || !before) continue;
    for (const command of facts.script(step)?.commands ?? []) {
      if (step === writer && command.start < write.command.start) continue;
      const shredding = command.name === 'shred' && command.args.some((a) => /^-\w*u/.test(a.text));
      if (command.name !== 'rm' && command.name !== 'mv' && !shredding) continue;
      // `mv a b` removes a (b is recorded as a write of its own).
      const operands =
        command.name === 'mv' ? command.args.filter((a) => !a.text.startsWith('-')).slice(0, -1) : command.args;
      for (const arg of operands) {
        if (arg.text.startsWith('-')) continue;
        const removed = storedForm(arg.text, workingDirectoryOf(step, job, workflow));
        if (removed !== undefined && pathCovers(removed, file)) return true;
      }
    }
  }
  return false;
}

export const secretInCache = defineRule({
  meta: {
    id: 'secret-in-cache',
    summary: 'Secret saved into a cache or an artifact',
    description:
      'A file that received secret content is stored with actions/cache or actions/upload-artifact. ' +
      'Caches and artifacts are readable by other workflow runs, including pull requests from other branches, ' +
      'and artifacts can be downloaded by anyone with read access to the repository. ' +
      'Keep secrets in memory (environment variables) and load them again where they are needed.',
    level: 'error',
    securitySeverity: 8.0,
    precision: 'high',
    tags: ['security', 'secrets'],
    fixable: ['unsafe'],
  },
  check({ workflow, facts, report }) {
    for (const job of workflow.jobs) {
      const order = facts.order(job);
      for (const step of job.steps) {
        const name = actionName(step);
        const storing = name ? STORING_ACTIONS[name] : undefined;
        if (!storing || !step.uses) continue;
        const { kind, postJobSave } = storing;
        const paths = storedPaths(step);
        const hiddenToo = kind === 'cache' || uploadsHiddenFiles(step, workflow);
        const covered = (file: string) => {
          let included = false;
          for (const p of paths) {
            if (!pathCovers(p.pattern, file)) continue;
            included = p.exclude ? false : hiddenToo || !hiddenBelow(p.pattern, file);
          }
          return included;
        };
        const leaked: { write: FileWrite; file: string; later: boolean }[] = [];
        for (const writer of job.steps) {
          const later = postJobSave === true && writer !== step && !order.happensBefore(writer, step);
          if (!order.happensBefore(writer, step) && !later) continue;
          for (const write of facts.flow(writer).fileWrites) {
            const file = storedForm(write.path, workingDirectoryOf(writer, job, workflow));
            if (file === undefined || !covered(file) || leaked.some((l) => l.file === file)) continue;
            if (removedBefore(write, writer, later ? undefined : step, job, workflow, facts, order)) continue;
            leaked.push({ write, file, later });
          }
        }
        if (leaked.length === 0) continue;
        const first = leaked[0].write;
        const files = leaked.map((l) => `\`${l.file}\``).join(', ');
        const when = leaked.every((l) => l.later) ? ' (saved by its post-job step)' : '';
        const saved = `saved into the ${kind} by step ${stepName(step)}${when}`;
        const stored =
          leaked.length > 1 ? `${leaked.length} secret files` : `Secret file \`${brief(leaked[0].file, 40)}\``;
        const what = `Secret file${leaked.length > 1 ? 's' : ''} ${files} ${saved}`;
        report({
          at: step.uses.range,
          message: `${stored} saved into the ${kind} by step ${briefStepName(step)}`,
          detail: `${what}: ${describeTaint(`file ${first.path}`, first.taint)}. ${EXPOSURE[kind]} ${REMEDY}`,
          related: leaked.map((l) => ({
            range: l.write.command.range,
            message: `\`${l.write.path}\` written with secret content here`,
          })),
          fix: dropSecretPaths(
            workflow,
            job,
            step,
            paths.filter((p) => !p.exclude && leaked.some((l) => pathCovers(p.pattern, l.file))).map((p) => p.pattern),
          ),
        });
      }
    }
  },
});
