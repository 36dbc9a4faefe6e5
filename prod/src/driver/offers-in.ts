import type { Attribute, Offer } from '../mesos/mesos-types.js';

/** A Mesos offer as the core takes it (the core's Offer model). */
export interface CoreOffer {
  readonly id: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly resources: {
    readonly cpu: number;
    readonly ramMb: number;
    readonly diskMb: number;
    readonly gpus: number;
  };
  readonly ports: readonly (readonly [number, number])[];
  readonly attributes: Readonly<Record<string, string>>;
  /** When the agent is scheduled to go away (maintenance), ms since the epoch, and for how long. */
  readonly unavailability?: { readonly startMs: number; readonly durationMs?: number };
}

const SCALARS: Readonly<Record<string, 'cpu' | 'ramMb' | 'diskMb' | 'gpus'>> = {
  cpus: 'cpu',
  mem: 'ramMb',
  disk: 'diskMb',
  gpus: 'gpus',
};

/**
 * Reads a Mesos offer: unreserved and role-allocated scalars are summed per kind (cpus, mem in MB,
 * disk in MB, gpus), port ranges are collected, revocable and reserved-for-others resources are
 * left out, and attributes become strings (a scalar attribute `7`, a range `[1-2]`, a set `{a,b}`).
 */
export function offerInput(offer: Offer): CoreOffer {
  const resources = { cpu: 0, ramMb: 0, diskMb: 0, gpus: 0 };
  const ports: [number, number][] = [];
  for (const r of offer.resources ?? []) {
    if (r.revocable || r.shared || r.disk?.persistence) continue;
    const name = SCALARS[r.name];
    if (name && r.type === 'SCALAR') resources[name] += r.scalar?.value ?? 0;
    else if (r.name === 'ports' && r.type === 'RANGES') {
      for (const range of r.ranges?.range ?? []) ports.push([Number(range.begin), Number(range.end)]);
    }
  }
  ports.sort((a, b) => a[0] - b[0]);
  const out: {
    -readonly [K in keyof CoreOffer]: CoreOffer[K];
  } = {
    id: offer.id.value,
    agentId: offer.agent_id.value,
    hostname: offer.hostname,
    resources: roundResources(resources),
    ports,
    attributes: attributes(offer.attributes ?? []),
  };
  const start = offer.unavailability?.start?.nanoseconds;
  if (start !== undefined) {
    const duration = offer.unavailability?.duration?.nanoseconds;
    out.unavailability = {
      startMs: Math.floor(Number(BigInt(start) / 1_000_000n)),
      ...(duration === undefined ? {} : { durationMs: Math.floor(Number(BigInt(duration) / 1_000_000n)) }),
    };
  }
  return out;
}

/** Floating-point sums of offered fractions (0.1 + 0.2) rounded to Mesos's own precision (3 decimals). */
function roundResources(r: { cpu: number; ramMb: number; diskMb: number; gpus: number }) {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { cpu: round(r.cpu), ramMb: round(r.ramMb), diskMb: round(r.diskMb), gpus: round(r.gpus) };
}

function attributes(list: readonly Attribute[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list) {
    if (a.type === 'TEXT' && a.text) out[a.name] = a.text.value;
    else if (a.type === 'SCALAR' && a.scalar) out[a.name] = String(a.scalar.value);
    else if (a.type === 'RANGES' && a.ranges)
      out[a.name] = `[${(a.ranges.range ?? []).map((r) => `${r.begin}-${r.end}`).join(',')}]`;
    else if (a.type === 'SET' && a.set) out[a.name] = `{${(a.set.item ?? []).join(',')}}`;
  }
  return out;
}
