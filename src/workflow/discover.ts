import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { globSync } from 'tinyglobby';
import { findGitRoot } from '../config/config.js';

export interface Discovery {
  /** Absolute paths of the workflow files to lint, sorted, without duplicates. */
  files: string[];
  /** Paths that could not be used, with the reason (exit code 2, but the other files are still linted). */
  errors: string[];
}

const WORKFLOW_GLOB = '**/*.{yml,yaml}';
const PASS_PATHS = 'Pass the workflow files or directories to lint.';

/**
 * Expands CLI paths to workflow files: a file is taken as is; a repository root means its
 * `.github/workflows/`; any other directory means every YAML file below it. Without paths, the
 * `.github/workflows/` of `cwd`, else of the git repository `cwd` is in (as git finds it, from a
 * subdirectory too).
 */
export function discoverWorkflows(
  paths: string[],
  cwd: string,
  ignore: { patterns: string[]; baseDir: string },
): Discovery {
  const files = new Set<string>();
  const errors: string[] = [];
  const targets = paths.length > 0 ? paths : [defaultWorkflowsDir(cwd)];
  for (const p of targets) {
    const abs = resolve(cwd, p);
    let stat;
    try {
      stat = statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      errors.push(
        paths.length === 0
          ? `No paths given and ${p} does not exist. ${PASS_PATHS}`
          : code === 'ENOENT'
            ? `${p}: no such file or directory.`
            : `${p}: cannot be read (${code}).`,
      );
      continue;
    }
    if (stat.isFile()) {
      files.add(abs);
      continue;
    }
    const workflowsDir = join(abs, '.github', 'workflows');
    const root = existsSync(workflowsDir) ? workflowsDir : abs;
    const found = globSync(WORKFLOW_GLOB, {
      cwd: root,
      absolute: true,
      dot: true,
      ignore: ['**/node_modules/**', '**/.git/**'],
    });
    if (found.length === 0) errors.push(`${p}: no workflow files (*.yml, *.yaml) found.`);
    for (const f of found) files.add(resolve(f));
  }
  const ignored = ignoredSet([...files], ignore);
  return { files: [...files].filter((f) => !ignored.has(f)).sort(), errors };
}

/** `.github/workflows` of `cwd` when it exists, else of the enclosing git repository's root when that one does. */
function defaultWorkflowsDir(cwd: string): string {
  const here = join(resolve(cwd), '.github', 'workflows');
  if (existsSync(here)) return here;
  const root = findGitRoot(resolve(cwd));
  const atRoot = root === undefined ? undefined : join(root, '.github', 'workflows');
  return atRoot !== undefined && existsSync(atRoot) ? atRoot : here;
}

function ignoredSet(files: string[], ignore: { patterns: string[]; baseDir: string }): Set<string> {
  if (ignore.patterns.length === 0 || files.length === 0) return new Set();
  const matched = globSync(ignore.patterns, { cwd: ignore.baseDir, absolute: true, dot: true });
  return new Set(matched.map((f) => resolve(f)).filter((f) => files.includes(f)));
}

/** Path shown to the user: relative to cwd when inside it, forward slashes. */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  const shown = rel && !rel.startsWith('..') ? rel : abs;
  return shown.split(sep).join('/');
}
