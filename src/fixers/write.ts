import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file's content atomically: the new text goes to a temporary file in the same directory
 * (same filesystem, so the rename is atomic), keeps the original mode, and replaces the original
 * only if the original still holds what was read. A failure leaves the original untouched.
 */
export function writeAtomically(path: string, expected: Buffer, text: string): void {
  const mode = statSync(path).mode & 0o7777;
  const temp = join(dirname(path), `.${basename(path)}.wf-lint-${process.pid}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (!readFileSync(path).equals(expected)) throw new Error('it changed on disk while wf-lint was fixing it; not overwritten');
    renameSync(temp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
}
