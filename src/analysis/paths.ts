/** Paths as scripts and actions write them: the files a step writes, and the `path:` of a cache or an artifact. */

/** `"out/a.json"` and `'out/a.json'` are `out/a.json`. */
export function unquote(text: string): string {
  return text.replace(/^(["'])(.*)\1$/s, '$2');
}

/** `./out/secret.json` and `out/secret.json` name the same file. */
export function normalizePath(path: string): string {
  return path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

/**
 * Where a file a step wrote sits relative to the workspace, which `path:` of actions/cache and
 * actions/upload-artifact is relative to: `out/a.json` with `working-directory: app` is
 * `app/out/a.json`, `$GITHUB_WORKSPACE/x` is `x`. Undefined outside the workspace (`/tmp`, `~`,
 * `$RUNNER_TEMP`, `$HOME`) or under a directory only known at run time (`$OUT_DIR/x`).
 */
export function workspacePath(path: string, workingDirectory?: string): string | undefined {
  const p = unquote(path.trim());
  const workspace = /^(\$\{\{\s*github\.workspace\s*\}\}|\$\{?GITHUB_WORKSPACE\}?)(\/|$)/.exec(p);
  if (workspace) {
    const rest = p.slice(workspace[0].length);
    return rest.includes('$') ? undefined : normalizePath(rest);
  }
  if (/^[/~\\]|^[A-Za-z]:|\$/.test(p)) return undefined;
  const dir = workingDirectory ? workspacePath(workingDirectory) : '';
  if (dir === undefined) return undefined;
  const relative = normalizePath(p) === '.' ? '' : normalizePath(p);
  return [dir, relative].filter((x) => x !== '').join('/');
}
