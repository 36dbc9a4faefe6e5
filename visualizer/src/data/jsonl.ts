/** Parses JSON-lines text; blank lines are skipped. Input comes from our own node-side payload. */
export function parseJsonLines<T>(text: string): T[] {
  const out: T[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    if (line !== '') out.push(JSON.parse(line) as T);
    start = end + 1;
  }
  return out;
}
