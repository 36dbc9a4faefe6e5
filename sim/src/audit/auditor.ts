import type { Constraint, Effect, TaskConfig } from '@borealis/core';
import { DEDICATED_ATTRIBUTE } from '@borealis/core';
import { CPU, DISK, GPU, type HostTable, RAM, RES } from '../cluster/host-table.js';

type LaunchEffect = Extract<Effect, { kind: 'launch' }>;

/**
 * `--audit`: checks the core's decisions against the simulator's own record of what runs where.
 * Capacity is recomputed from the tasks the simulator launched (not from the core's books), ports
 * must come from the host's ranges and be unique on it, constraints (value, limit, dedicated)
 * must hold at launch, and lifecycle transitions must be legal (see TaskStateTracker). Findings
 * are counted; the first few are kept with a description for summary.json.
 */
export class Auditor {
  violations = 0;
  readonly samples: string[] = [];
  /** job → `attribute=value` → live tasks, only for jobs with limit constraints. */
  private readonly limitCounts = new Map<string, Map<string, number>>();
  /** host index → ports in use. */
  private readonly portsInUse = new Map<number, Set<number>>();

  constructor(private readonly hosts: HostTable) {}

  report(time: number, message: string): void {
    this.violations++;
    if (this.samples.length < 100) this.samples.push(`t=${time}: ${message}`);
  }

  /** Called after the launch's resources were added to the host's `used`. */
  launched(time: number, host: number, effect: LaunchEffect): void {
    const id = this.hosts.ids[host]!;
    if (this.hosts.up[host] !== 1) this.report(time, `${effect.taskId} launched on ${id}, which is not up`);
    const eps = 1e-6;
    const o = host * RES;
    const names = ['cpu', 'ramMb', 'diskMb', 'gpus'];
    for (const r of [CPU, RAM, DISK, GPU]) {
      const used = this.hosts.used[o + r]!;
      const cap = this.hosts.capacity[o + r]!;
      if (used > cap + eps * Math.max(1, cap)) {
        this.report(
          time,
          `${id} over capacity in ${names[r]}: ${used} > ${cap} after launching ${effect.taskId}`,
        );
      }
    }
    this.checkPorts(time, host, effect);
    this.checkConstraints(time, host, effect.job, effect.taskId, effect.config);
    this.countLimits(host, effect.job, effect.config.constraints, 1);
  }

  /** Called when a launched task stops holding resources. */
  released(host: number, job: string, config: TaskConfig, ports: readonly number[]): void {
    const inUse = this.portsInUse.get(host);
    if (inUse) for (const p of ports) inUse.delete(p);
    this.countLimits(host, job, config.constraints, -1);
  }

  private checkPorts(time: number, host: number, effect: LaunchEffect): void {
    const spec = this.hosts.specs[host]!;
    let inUse = this.portsInUse.get(host);
    if (!inUse) {
      inUse = new Set();
      this.portsInUse.set(host, inUse);
    }
    for (const name of effect.config.ports) {
      const port = effect.ports[name];
      if (port === undefined) {
        this.report(time, `${effect.taskId} launched without its port "${name}"`);
        continue;
      }
      if (!spec.ports.some(([lo, hi]) => port >= lo && port <= hi)) {
        this.report(time, `${effect.taskId} got port ${port}, outside ${spec.id}'s ranges`);
      }
      if (inUse.has(port))
        this.report(time, `port ${port} on ${spec.id} given to ${effect.taskId} is in use`);
      inUse.add(port);
    }
  }

  private attribute(host: number, name: string): string | undefined {
    const spec = this.hosts.specs[host]!;
    return name === 'host' ? spec.id : spec.attributes[name];
  }

  private checkConstraints(
    time: number,
    host: number,
    job: string,
    taskId: string,
    config: TaskConfig,
  ): void {
    const hostId = this.hosts.ids[host]!;
    let dedicated: Constraint | undefined;
    for (const c of config.constraints) {
      const value = this.attribute(host, c.attribute);
      if (c.kind === 'value') {
        if (c.attribute === DEDICATED_ATTRIBUTE) dedicated = c;
        const matches = value !== undefined && c.values.includes(value);
        if (matches === c.negated) {
          this.report(
            time,
            `${taskId} on ${hostId} breaks ${c.attribute}=${c.negated ? '!' : ''}${c.values}`,
          );
        }
      } else if (value === undefined) {
        this.report(time, `${taskId} on ${hostId}, which has no "${c.attribute}" for limit:${c.limit}`);
      } else {
        const live = this.limitCounts.get(job)?.get(`${c.attribute}=${value}`) ?? 0;
        // `live` does not include this task yet.
        if (live + 1 > c.limit) {
          this.report(
            time,
            `${taskId} on ${hostId} breaks ${c.attribute}=limit:${c.limit} (${live + 1} tasks)`,
          );
        }
      }
    }
    const hostDedicated = this.attribute(host, DEDICATED_ATTRIBUTE);
    if (hostDedicated !== undefined && !dedicated) {
      this.report(time, `${taskId} of ${job} on ${hostId}, dedicated to ${hostDedicated}`);
    }
  }

  private countLimits(host: number, job: string, constraints: readonly Constraint[], delta: 1 | -1): void {
    for (const c of constraints) {
      if (c.kind !== 'limit') continue;
      const value = this.attribute(host, c.attribute);
      if (value === undefined) continue;
      let counts = this.limitCounts.get(job);
      if (!counts) {
        counts = new Map();
        this.limitCounts.set(job, counts);
      }
      const key = `${c.attribute}=${value}`;
      const n = (counts.get(key) ?? 0) + delta;
      if (n === 0) counts.delete(key);
      else counts.set(key, n);
      if (counts.size === 0) this.limitCounts.delete(job);
    }
  }
}
