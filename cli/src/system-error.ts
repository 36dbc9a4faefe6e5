/**
 * File-system and pipe errors as one line for people: "borealis: cannot write runs/x/summary.json:
 * permission denied (EACCES)" instead of Node's stack trace. Only errors Node raises for the
 * outside world (they carry an errno `code` and `syscall`) are turned into a line; anything else
 * is a bug and keeps its stack.
 */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ENOTEMPTY: 'folder not empty',
  EPIPE: 'the reader of the output went away',
  EXDEV: 'cannot move across file systems',
};

const VERB: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create',
  rename: 'rename',
  rmdir: 'remove',
  unlink: 'remove',
  scandir: 'list',
  stat: 'read',
  lstat: 'read',
  copyfile: 'copy',
};

interface SystemError extends Error {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly dest?: string;
}

export function isSystemError(err: unknown): err is SystemError {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: unknown; syscall?: unknown };
  return typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string';
}

/** One line naming what could not be done to which path, and why. */
export function describeSystemError(err: SystemError): string {
  const why = `${REASONS[err.code] ?? err.message.replace(/^[A-Z]+: /, '').replace(/, \w+ .*$/, '')} (${err.code})`;
  if (err.code === 'EPIPE') return `output closed early: ${why}`;
  const verb = VERB[err.syscall ?? ''] ?? err.syscall ?? 'use';
  const target =
    err.path !== undefined ? ` ${err.path}${err.dest !== undefined ? ` → ${err.dest}` : ''}` : '';
  return `cannot ${verb}${target}: ${why}`;
}
