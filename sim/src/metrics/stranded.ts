import type { Resources } from '@borealis/core';
import { CPU, DISK, GPU, type HostTable, RAM, RES } from '../cluster/host-table.js';

/**
 * Stranded resources: free capacity on up hosts where not one pending task shape fits (say, free
 * CPU on a host whose RAM is exhausted). Only shapes that are not dominated by a smaller one
 * matter — if a shape fits, every shape it dominates fits too — so the check runs against the
 * Pareto-minimal shapes, usually a handful.
 */
export function minimalShapes(shapes: Iterable<Resources>): Resources[] {
  const out: Resources[] = [];
  const seen = new Set<string>();
  for (const s of shapes) {
    const key = `${s.cpu}/${s.ramMb}/${s.diskMb}/${s.gpus}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  const dominates = (a: Resources, b: Resources): boolean =>
    a.cpu <= b.cpu && a.ramMb <= b.ramMb && a.diskMb <= b.diskMb && a.gpus <= b.gpus;
  return out.filter((s, i) => !out.some((o, j) => j !== i && dominates(o, s) && (!dominates(s, o) || j < i)));
}

/** Sum of free cpu and ramMb on up hosts where none of `shapes` fits; zero when nothing is pending. */
export function strandedResources(
  hosts: HostTable,
  shapes: readonly Resources[],
): { cpu: number; ramMb: number } {
  let cpu = 0;
  let ramMb = 0;
  if (shapes.length === 0) return { cpu, ramMb };
  const eps = 1e-9;
  for (let h = 0; h < hosts.count; h++) {
    if (hosts.up[h] !== 1) continue;
    const o = h * RES;
    const freeCpu = hosts.capacity[o + CPU]! - hosts.used[o + CPU]!;
    const freeRam = hosts.capacity[o + RAM]! - hosts.used[o + RAM]!;
    const freeDisk = hosts.capacity[o + DISK]! - hosts.used[o + DISK]!;
    const freeGpu = hosts.capacity[o + GPU]! - hosts.used[o + GPU]!;
    let fits = false;
    for (const s of shapes) {
      if (
        s.cpu <= freeCpu + eps &&
        s.ramMb <= freeRam + eps &&
        s.diskMb <= freeDisk + eps &&
        s.gpus <= freeGpu + eps
      ) {
        fits = true;
        break;
      }
    }
    if (!fits) {
      cpu += Math.max(0, freeCpu);
      ramMb += Math.max(0, freeRam);
    }
  }
  return { cpu, ramMb };
}
