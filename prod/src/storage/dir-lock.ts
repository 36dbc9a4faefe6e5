import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StorageUnavailableError } from './types.js';

/**
 * The storage directory's lock: a LOCK file created exclusively (O_EXCL), holding the owner's pid,
 * the kernel's start time of that process and the host name.
 *
 * Why not flock(2): Node has no flock without a native addon. A pid file alone would block a
 * restart forever after a SIGKILL (the file stays) or, if pids are reused, let a stale lock look
 * alive. So a lock counts as held only while a process with that pid exists AND its start time
 * (field 22 of /proc/PID/stat, in clock ticks since boot) matches; otherwise it is stale and is
 * replaced. Limits: the directory must be local (the liveness check is about this host's
 * processes), and two processes replacing the same stale lock at the same instant could both
 * proceed; the file is re-read after taking it to narrow that window.
 */
export interface DirLock {
  readonly path: string;
  release(): void;
}

interface LockOwner {
  readonly pid: number;
  readonly start: string | undefined;
  readonly host: string;
}

/** Field 22 of /proc/PID/stat (start time), or 'zombie' for a process that has exited. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return 'zombie';
    return fields[19];
  } catch {
    return undefined;
  }
}

function alive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // not ours to judge: refuse rather than guess
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = startTime(owner.pid);
  if (start === 'zombie') return false; // killed, not yet reaped by its parent
  return owner.start === undefined || start === undefined || start === owner.start;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number') return undefined;
    return { pid: parsed.pid, start: parsed.start, host: String(parsed.host ?? '') };
  } catch {
    return undefined;
  }
}

export function lockDirectory(dir: string): DirLock {
  const path = join(dir, 'LOCK');
  const me: LockOwner = { pid: process.pid, start: startTime(process.pid), host: hostname() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(me)}\n`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(path);
      if (owner && alive(owner)) {
        throw new StorageUnavailableError(
          `storage directory ${dir} is locked by process ${owner.pid} on ${owner.host} (${path}); ` +
            'another scheduler is using it',
        );
      }
      // Stale (its process is gone) or unreadable (a crash while writing it): replace it.
      try {
        unlinkSync(path);
      } catch {
        // someone else removed it first; try again
      }
      continue;
    }
    const check = readOwner(path);
    if (check?.pid !== me.pid) continue;
    return {
      path,
      release: () => {
        if (readOwner(path)?.pid === me.pid) unlinkSync(path);
      },
    };
  }
  throw new StorageUnavailableError(`could not take the lock ${path}: it keeps changing hands`);
}
