import {
  accessSync,
  closeSync,
  constants,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces a file's content atomically: the new text goes to a temporary file in the same directory
 * (same filesystem, so the rename is atomic), keeps the original mode, and replaces the original
 * only if the original still holds what was read. A failure leaves the original untouched.
 */
export function writeAtomically(path: string, expected: Buffer, text: string): void {
  // A rename needs write access to the directory only: without this check a read-only file would be
  // replaced, where an in-place write fails.
  accessSync(path, constants.W_OK);
  const mode = statSync(path).mode & 0o7777;
  const temp = join(dirname(path), `.${basename(path)}.wf-lint-${process.pid}.tmp`);
  let created = false;
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    created = true;
    // writeFileSync keeps writing after a short write (a nearly full disk), then throws ENOSPC.
    writeFileSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (!readFileSync(path).equals(expected))
      throw new Error('it changed on disk while wf-lint was fixing it; not overwritten');
    renameSync(temp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    // A temporary file that was there before is not ours to remove.
    if (created) rmSync(temp, { force: true });
    throw err;
  }
}
