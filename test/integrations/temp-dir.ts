import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const GOOD_WORKFLOW = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';
/** One syntax-error finding, at 2:7. */
export const BAD_WORKFLOW = 'on: push\njobs: 3\n';

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** A new temporary directory holding `files` (paths relative to it). */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'wf-lint-integration-'));
  writeFiles(dir, files);
  return dir;
}

/**
 * The environment a user's own npm runs in: npm passes its settings to scripts (`npm test`) as npm_*
 * variables, which must not reach the npm that a test starts.
 */
export function envWithoutNpmSettings(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
}
