import { actionName } from '../analysis/match.js';
import { describeTaint, normalizePath, type FileWrite } from '../analysis/taint.js';
import type { Step } from '../workflow/model.js';
import { defineRule } from './rule.js';
import { stepName } from './wording.js';

/** Steps that store files where other workflow runs can read them. */
const STORING_ACTIONS: Record<string, string> = {
  'actions/cache': 'cache',
  'actions/cache/save': 'cache',
  'actions/upload-artifact': 'artifact',
};

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split(/(\*\*\/?|\*|\?)/)
    .map((part) => (part.startsWith('**') ? '(?:.*/)?' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** Whether a `path:` entry (file, directory or glob) covers a written file. */
export function pathCovers(entry: string, file: string): boolean {
  const pattern = normalizePath(entry.trim());
  const target = normalizePath(file);
  if (pattern === '' || pattern === '.' || pattern === '*' || pattern === '**') return !target.startsWith('/') && !target.startsWith('~');
  if (/[*?]/.test(pattern)) return globToRegExp(pattern).test(target) || globToRegExp(`${pattern}/**`).test(target);
  return target === pattern || target.startsWith(`${pattern}/`);
}

function storedPaths(step: Step): string[] {
  const entry = step.with.find((e) => e.key === 'path');
  return (entry?.value?.text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('!') && !l.startsWith('#'));
}

export const secretInCache = defineRule({
  meta: {
    id: 'secret-in-cache',
    summary: 'Secret saved into a cache or an artifact',
    description:
      'A file that received secret content is stored with actions/cache or actions/upload-artifact. Caches and artifacts are readable by other workflow runs, including pull requests from other branches, and artifacts can be downloaded by anyone with read access to the repository. Keep secrets in memory (environment variables) and load them again where they are needed.',
    level: 'error',
    securitySeverity: 8.0,
    precision: 'high',
    tags: ['security', 'secrets'],
    fixable: 'unsafe',
  },
  check({ workflow, facts, report }) {
    for (const job of workflow.jobs) {
      const order = facts.order(job);
      for (const step of job.steps) {
        const name = actionName(step);
        const kind = name ? STORING_ACTIONS[name] : undefined;
        if (!kind || !step.uses) continue;
        const paths = storedPaths(step);
        const leaked: FileWrite[] = [];
        for (const earlier of order.before(step)) {
          for (const write of facts.flow(earlier).fileWrites) {
            if (paths.some((p) => pathCovers(p, write.path)) && !leaked.some((l) => l.path === write.path)) leaked.push(write);
          }
        }
        if (leaked.length === 0) continue;
        const first = leaked[0];
        report({
          at: step.uses.range,
          message:
            `Secret file${leaked.length > 1 ? 's' : ''} ${leaked.map((l) => `\`${l.path}\``).join(', ')} saved into the ${kind} by step ${stepName(step)}: ${describeTaint(first.path, first.taint)}. ` +
            `A ${kind} can be read by other workflow runs, including pull requests from other branches. Keep the secret in memory and load it again where it is needed.`,
          related: leaked.map((l) => ({ range: l.command.range, message: `\`${l.path}\` written with secret content here` })),
        });
      }
    }
  },
});
