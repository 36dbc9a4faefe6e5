import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Reply } from './scheduler-calls.js';

export type FilesReply = Reply & { json?: unknown };

/** At most 16 pages per read, as Mesos's files API caps it. */
const MAX_READ = 16 * 4096;

/**
 * The agent's files API subset for sandboxes: `/files/browse?path=DIR` lists a directory like
 * `ls -l`, `/files/read?path=FILE&offset=N&length=M` returns `{data, offset}` (offset -1 gives the
 * size with no data). Only paths under the work directory are served, as Mesos serves only the
 * sandboxes it attached.
 */
export function filesRequest(
  workDir: string | null,
  pathname: string,
  query: URLSearchParams,
): FilesReply | null {
  if (
    pathname !== '/files/browse' &&
    pathname !== '/files/read' &&
    pathname !== '/files/browse.json' &&
    pathname !== '/files/read.json'
  ) {
    return null;
  }
  const path = query.get('path');
  if (path === null) return { status: 400, body: "Expecting 'path=value' in query." };
  const root = workDir ? resolve(workDir) : null;
  const full = resolve(path);
  if (!root || (full !== root && !full.startsWith(root + sep)))
    return { status: 404, body: 'No such file or directory.' };
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(full);
  } catch {
    return { status: 404, body: 'No such file or directory.' };
  }
  if (pathname.startsWith('/files/browse')) {
    if (!stats.isDirectory()) return { status: 404, body: 'No such file or directory.' };
    const entries = readdirSync(full).sort();
    return {
      status: 200,
      json: entries.map((name) => {
        const s = statSync(join(full, name));
        return {
          path: join(full, name),
          nlink: s.nlink,
          size: s.size,
          mtime: Math.floor(s.mtimeMs / 1000),
          mode: modeString(s.mode, s.isDirectory()),
          uid: String(s.uid),
          gid: String(s.gid),
        };
      }),
    };
  }
  if (stats.isDirectory()) return { status: 400, body: 'Cannot read a directory.' };
  const offsetText = query.get('offset');
  const lengthText = query.get('length');
  const offset = offsetText === null ? 0 : Number(offsetText);
  if (!Number.isInteger(offset) || offset < -1)
    return { status: 400, body: `Failed to parse offset: '${offsetText}'` };
  const length = lengthText === null ? MAX_READ : Number(lengthText);
  if (!Number.isInteger(length) || length < -1)
    return { status: 400, body: `Failed to parse length: '${lengthText}'` };
  if (offset === -1) return { status: 200, json: { data: '', offset: stats.size } };
  const want = Math.max(0, Math.min(length === -1 ? MAX_READ : length, MAX_READ, stats.size - offset));
  const buffer = Buffer.alloc(want);
  const fd = openSync(full, 'r');
  try {
    readSync(fd, buffer, 0, want, offset);
  } finally {
    closeSync(fd);
  }
  return { status: 200, json: { data: buffer.toString('utf8'), offset } };
}

function modeString(mode: number, dir: boolean): string {
  const chars = 'rwxrwxrwx';
  let out = dir ? 'd' : '-';
  for (let k = 0; k < 9; k++) out += mode & (1 << (8 - k)) ? chars[k] : '-';
  return out;
}
