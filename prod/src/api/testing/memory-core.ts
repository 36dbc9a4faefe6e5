import type { Scheduler } from '@borealis/core';
import { aHost, Harness, type HarnessOptions } from '@borealis/core/testing';
import type { AdminHooks, CoreAccess, Leadership } from '../core-access.js';

export interface MemoryCoreOptions extends HarnessOptions {
  /** Hosts `host-1` … `host-N`, each 8 cpu, 16 GiB, 100 GiB disk, ports 31000-31999. Default 4. */
  readonly hosts?: number;
}

/**
 * A CoreAccess over a real core driven by a manual clock, for tests of the API and the CLI:
 * commands run synchronously and the cluster plays along at once (launches run, kills end), as
 * core's test Harness does. `advance(ms)` moves time (updates' watch periods, cron).
 */
export class MemoryCore implements CoreAccess, Leadership {
  readonly harness: Harness;
  leader = true;
  leaderUrl: string | undefined;
  /** Admin hooks that count their calls. */
  readonly calls = { reconcile: 0, snapshot: 0 };
  readonly hooks: AdminHooks = {
    reconcile: async () => ({ reconciling: ++this.calls.reconcile }),
    snapshot: async () => ({ snapshot: ++this.calls.snapshot }),
  };

  constructor(options: MemoryCoreOptions = {}) {
    const { hosts = 4, ...rest } = options;
    this.harness = new Harness(rest);
    for (let i = 1; i <= hosts; i++) {
      this.harness.hosts(
        aHost(`host-${i}`)
          .cpu(8)
          .ramMb(16384)
          .diskMb(102400)
          .ports([31000, 31999])
          .attr('rack', `r${i % 2}`),
      );
    }
  }

  get core(): Scheduler {
    return this.harness.scheduler;
  }

  command<T>(fn: (core: Scheduler) => T): Promise<T> {
    try {
      const value = fn(this.harness.scheduler);
      this.harness.settle();
      return Promise.resolve(value);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  read<T>(fn: (core: Scheduler) => T): T {
    return fn(this.harness.scheduler);
  }

  leadership(): { leader: boolean; leaderUrl?: string } {
    return { leader: this.leader, ...(this.leaderUrl !== undefined && { leaderUrl: this.leaderUrl }) };
  }

  advance(ms: number): void {
    this.harness.advance(ms);
  }
}
