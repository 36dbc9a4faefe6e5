import { type HostSpec, UserError } from '@borealis/core';
import type { HostTable } from '../cluster/host-table.js';
import { durationFlag, positiveDurationFlag } from '../options/flags.js';

/**
 * `--fail SELECTOR@START[+DURATION]`: take hosts down at a simulated time, from the command line
 * rather than the trace. SELECTOR is `host=ID` or any host attribute, `rack=r03`, `zone=a`; a
 * whole rack or zone fails together. With +DURATION the hosts come back after it, without they
 * stay down for the rest of the run. Their tasks are LOST and rescheduled like any host failure.
 */
export interface FailureSpec {
  /** `host` selects by host id; anything else by that host attribute. */
  readonly attribute: string;
  readonly value: string;
  readonly atMs: number;
  readonly forMs?: number;
  /** As written, for summaries and messages. */
  readonly text: string;
}

const SPEC = /^([A-Za-z][\w.-]*)=([^@]+)@([^+]+)(?:\+(.+))?$/;

export function parseFailure(flag: string, text: string): FailureSpec {
  const m = SPEC.exec(text.trim());
  if (!m) {
    throw new UserError(
      `${flag}: "${text}" must be SELECTOR@START[+DURATION], e.g. rack=r03@2h+1h or host=h0001@30m`,
      2,
    );
  }
  const [, attribute, value, at, duration] = m as unknown as [string, string, string, string, string?];
  return {
    attribute,
    value: value.trim(),
    atMs: durationFlag(flag, at.trim()),
    ...(duration !== undefined ? { forMs: positiveDurationFlag(flag, duration.trim()) } : {}),
    text: text.trim(),
  };
}

export const matchesHost = (spec: FailureSpec, host: HostSpec): boolean =>
  spec.attribute === 'host' ? host.id === spec.value : host.attributes[spec.attribute] === spec.value;

/** Every failure must select some host the run starts with: a typo must not pass as "no effect". */
export function checkFailures(specs: readonly FailureSpec[], hosts: readonly HostSpec[]): void {
  for (const spec of specs) {
    if (hosts.some((h) => matchesHost(spec, h))) continue;
    const known = [
      ...new Set(hosts.map((h) => (spec.attribute === 'host' ? h.id : h.attributes[spec.attribute]))),
    ]
      .filter((v): v is string => v !== undefined)
      .sort();
    const hint =
      known.length > 0
        ? `known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}`
        : `no host has a "${spec.attribute}" attribute`;
    throw new UserError(`--fail ${spec.text}: no host has ${spec.attribute}=${spec.value} (${hint})`, 2);
  }
}

export interface InjectedFailure {
  readonly spec: string;
  /** Hosts it took down (those up at its start). */
  readonly hosts: number;
  readonly atMs: number;
  /** When they came back; null: never. */
  readonly untilMs: number | null;
}

/** Carries out the failures at their times; the simulation calls apply() from its agenda. */
export class FailureInjector {
  private readonly downed: number[][];
  readonly injected: InjectedFailure[] = [];

  constructor(
    readonly specs: readonly FailureSpec[],
    private readonly hosts: HostTable,
    private readonly down: (host: number) => void,
    private readonly up: (host: number) => void,
  ) {
    this.downed = specs.map(() => []);
  }

  /** The agenda entries: [time, spec index, 0 = down / 1 = up]. */
  events(): [number, number, number][] {
    const out: [number, number, number][] = [];
    this.specs.forEach((s, i) => {
      out.push([s.atMs, i, 0]);
      if (s.forMs !== undefined) out.push([s.atMs + s.forMs, i, 1]);
    });
    return out;
  }

  apply(index: number, back: boolean): void {
    const spec = this.specs[index]!;
    if (back) {
      for (const h of this.downed[index]!) this.up(h);
      return;
    }
    const taken: number[] = [];
    for (let h = 0; h < this.hosts.count; h++) {
      if (this.hosts.up[h] !== 1 || !matchesHost(spec, this.hosts.specs[h]!)) continue;
      taken.push(h);
      this.down(h);
    }
    this.downed[index] = taken;
    this.injected.push({
      spec: spec.text,
      hosts: taken.length,
      atMs: spec.atMs,
      untilMs: spec.forMs !== undefined ? spec.atMs + spec.forMs : null,
    });
  }
}
