/**
 * Field paths in problems: `task.processes[0].cmdline`. Keys are joined with dots and array
 * indices written in brackets, so the path reads like the file it points into.
 */
export type PathSegment = string | number;

export function joinPath(prefix: string, ...segments: readonly PathSegment[]): string {
  let out = prefix;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out.length ? `.${s}` : s;
  }
  return out;
}

/**
 * Splits a field path back into segments (for mapping a problem to a line of its file). Keys that
 * themselves contain dots (a constraint on `rack.name`) come back split; the reader resolves
 * that ambiguity by joining segments until a key matches.
 */
export function splitPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}
