import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

const CHANGED_ON_DISK = 'it changed on disk while wf-lint was fixing it; not overwritten';

/**
 * Replaces a file's content, and only if it still holds `expected` (what was read), so that an edit
 * made meanwhile is never lost. A failure leaves the file as it was.
 *
 * - A symbolic link is followed: its target is rewritten, and the link stays a link.
 * - A file with one name is replaced atomically: the new text goes to a temporary file beside it (same
 *   filesystem, so the rename is atomic), with the file's mode.
 * - A file with several hard links is rewritten in place, since a rename would give only this name the
 *   new text: every name keeps seeing one file.
 */
export function writeAtomically(path: string, expected: Buffer, text: string): void {
  const target = realpathSync(path);
  // A rename needs write access to the directory only: without this check a read-only file would be
  // replaced, where an in-place write fails.
  accessSync(target, constants.W_OK);
  const stat = statSync(target);
  if (stat.nlink > 1) writeInPlace(target, expected, Buffer.from(text));
  else replaceByRename(target, expected, text, stat.mode & 0o7777);
}

function replaceByRename(path: string, expected: Buffer, text: string, mode: number): void {
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
    if (!readFileSync(path).equals(expected)) throw new Error(CHANGED_ON_DISK);
    renameSync(temp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    // A temporary file that was there before is not ours to remove.
    if (created) rmSync(temp, { force: true });
    throw err;
  }
}

/**
 * Rewrites a hard-linked file through one descriptor, in an order that a failure can undo: first the
 * part past the old end (a full disk fails here, before any old byte changed, and the file is cut back
 * to its old length), then the old part, which overwrites blocks the file already has, then the new
 * length. If writing the old part fails all the same, the old bytes are written back.
 */
function writeInPlace(path: string, expected: Buffer, data: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    if (!readAll(fd).equals(expected)) throw new Error(CHANGED_ON_DISK);
    const common = Math.min(expected.length, data.length);
    if (data.length > expected.length) {
      try {
        writeAll(fd, data.subarray(expected.length), expected.length);
        fsyncSync(fd);
      } catch (err) {
        ftruncateSync(fd, expected.length);
        throw err;
      }
    }
    try {
      writeAll(fd, data.subarray(0, common), 0);
    } catch (err) {
      writeAll(fd, expected, 0);
      ftruncateSync(fd, expected.length);
      throw err;
    }
    if (data.length < expected.length) ftruncateSync(fd, data.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readAll(fd: number): Buffer {
  const buffer = Buffer.alloc(fstatSync(fd).size);
  let read = 0;
  while (read < buffer.length) {
    const n = readSync(fd, buffer, read, buffer.length - read, read);
    if (n === 0) return buffer.subarray(0, read);
    read += n;
  }
  return buffer;
}

/** Writes all of `data` at `position`, past short writes; throws what the last write threw (ENOSPC). */
function writeAll(fd: number, data: Buffer, position: number): void {
  let written = 0;
  while (written < data.length) written += writeSync(fd, data, written, data.length - written, position + written);
}
