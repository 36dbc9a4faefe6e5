import { splitPath } from '@borealis/core';
import { isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

/**
 * Maps a problem's field path (`task.processes[0].cmdline`) to the line of a YAML or JSON node
 * (JSON is parsed as YAML for this). The walk goes as deep as the path exists; a missing field
 * points at the object that should hold it.
 */
export function lineOfPath(
  root: Node | null | undefined,
  path: string,
  lines: LineCounter,
): number | undefined {
  if (!root) return undefined;
  const segments = splitPath(path);
  let node: Node = root;
  let offset = root.range?.[0];
  let k = 0;
  while (k < segments.length) {
    const segment = segments[k]!;
    if (typeof segment === 'number') {
      if (!isSeq(node)) break;
      const item = node.items[segment];
      if (!item || typeof item !== 'object' || !('range' in item)) break;
      node = item as Node;
      offset = node.range?.[0];
      k++;
      continue;
    }
    if (!isMap(node)) break;
    const map = node;
    // A key may itself contain dots (`rack.name`): try the longest run of segments first.
    let matched = false;
    for (let end = segments.length; end > k && !matched; end--) {
      const run = segments.slice(k, end);
      if (run.some((s) => typeof s === 'number')) continue;
      const key = run.join('.');
      const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (!pair) continue;
      matched = true;
      offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      k = end;
      if (pair.value && typeof pair.value === 'object' && 'range' in pair.value) node = pair.value as Node;
      else k = segments.length;
    }
    if (!matched) break;
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}
