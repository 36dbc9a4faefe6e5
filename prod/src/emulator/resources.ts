import { type Amounts, emptyAmounts, round, toRanges } from './agents.js';
import type { Resource } from './shapes.js';

/** Resources a task or executor asks for, read from its `resources`, or why they are not valid. */
export type Ask = { ok: true; amounts: Amounts; resources: Resource[] } | { ok: false; error: string };

const SCALARS = new Set(['cpus', 'mem', 'disk', 'gpus']);

/**
 * Reads resources as Mesos's master does before it compares them with the offer: scalars summed by
 * name, `ports` as single ports. Anything the emulator's agents never offer (other names, reserved
 * roles, another allocation role) makes the ask impossible to satisfy; `foreign` says so, and the
 * caller reports it as Mesos does ("... is more than available ...").
 */
export function readResources(
  resources: readonly Resource[],
  allocationRole: string,
): Ask & { foreign?: boolean } {
  const amounts = emptyAmounts();
  let foreign = false;
  const seen = new Set<number>();
  for (const r of resources) {
    const role = r.role ?? '*';
    if (role !== '*' || (r.reservations && r.reservations.length > 0)) foreign = true;
    if (r.allocation_info?.role !== undefined && r.allocation_info.role !== allocationRole) foreign = true;
    if (SCALARS.has(r.name)) {
      if (r.type !== undefined && r.type !== 'SCALAR') {
        return {
          ok: false,
          error: `Invalid resources: Invalid scalar resource ${r.name}: type must be SCALAR`,
        };
      }
      const value = Number(r.scalar?.value ?? Number.NaN);
      if (!Number.isFinite(value) || value < 0) {
        return { ok: false, error: `Invalid resources: Invalid scalar resource ${r.name}` };
      }
      if (r.name === 'gpus' && Math.round(value * 1000) % 1000 !== 0) {
        return {
          ok: false,
          error: "Invalid 'gpus' resource: The 'gpus' resource must be an unsigned integer",
        };
      }
      const key = r.name as 'cpus' | 'mem' | 'disk' | 'gpus';
      amounts[key] = round(amounts[key] + value);
    } else if (r.name === 'ports') {
      if (r.type !== undefined && r.type !== 'RANGES') {
        return { ok: false, error: 'Invalid resources: Invalid ranges resource ports: type must be RANGES' };
      }
      for (const range of r.ranges?.range ?? []) {
        const begin = Number(range.begin);
        const end = Number(range.end);
        if (!Number.isInteger(begin) || !Number.isInteger(end) || begin > end || end - begin > 65535) {
          return { ok: false, error: `Invalid resources: Invalid ranges resource ports: [${begin}-${end}]` };
        }
        for (let p = begin; p <= end; p++) {
          if (seen.has(p))
            return { ok: false, error: 'Invalid resources: Invalid ranges: overlapping ranges' };
          seen.add(p);
          amounts.ports.push(p);
        }
      }
    } else {
      foreign = true;
    }
  }
  amounts.ports.sort((a, b) => a - b);
  // The master injects the offer's allocation_info into resources that lack it.
  const injected = resources.map((r) =>
    r.allocation_info ? r : { ...r, allocation_info: { role: allocationRole } },
  );
  return { ok: true, amounts, resources: injected, foreign };
}

export function addAmounts(a: Amounts, b: Amounts): Amounts {
  const ports =
    b.ports.length === 0
      ? a.ports
      : a.ports.length === 0
        ? b.ports
        : [...a.ports, ...b.ports].sort((x, y) => x - y);
  return {
    cpus: round(a.cpus + b.cpus),
    mem: round(a.mem + b.mem),
    disk: round(a.disk + b.disk),
    gpus: round(a.gpus + b.gpus),
    ports,
  };
}

/** a minus b, assuming b fits in a. */
export function subtractAmounts(a: Amounts, b: Amounts): Amounts {
  const taken = b.ports.length === 0 ? null : new Set(b.ports);
  return {
    cpus: round(a.cpus - b.cpus),
    mem: round(a.mem - b.mem),
    disk: round(a.disk - b.disk),
    gpus: round(a.gpus - b.gpus),
    ports: taken ? a.ports.filter((p) => !taken.has(p)) : a.ports,
  };
}

/** Whether `wanted` fits in `offered` (port lists sorted; a port asked for twice never fits). */
export function contains(offered: Amounts, wanted: Amounts): boolean {
  if (wanted.cpus > offered.cpus + 1e-9 || wanted.mem > offered.mem + 1e-9) return false;
  if (wanted.disk > offered.disk + 1e-9 || wanted.gpus > offered.gpus + 1e-9) return false;
  // One merge walk over both sorted lists, no sets.
  let k = 0;
  for (let j = 0; j < wanted.ports.length; j++) {
    const p = wanted.ports[j]!;
    if (j > 0 && wanted.ports[j - 1] === p) return false;
    while (k < offered.ports.length && offered.ports[k]! < p) k++;
    if (offered.ports[k] !== p) return false;
  }
  return true;
}

/** Mesos's text for resources in messages: `cpus(allocated: *):1; mem(allocated: *):128; ports(...):[31000-31001]`. */
export function describe(a: Amounts, role: string): string {
  const parts: string[] = [];
  const tag = `(allocated: ${role})`;
  if (a.cpus > 0) parts.push(`cpus${tag}:${a.cpus}`);
  if (a.mem > 0) parts.push(`mem${tag}:${a.mem}`);
  if (a.disk > 0) parts.push(`disk${tag}:${a.disk}`);
  if (a.gpus > 0) parts.push(`gpus${tag}:${a.gpus}`);
  if (a.ports.length > 0) {
    parts.push(
      `ports${tag}:[${toRanges(a.ports)
        .map(([b, e]) => `${b}-${e}`)
        .join(', ')}]`,
    );
  }
  return parts.join('; ');
}
