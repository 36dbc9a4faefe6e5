import type { Constraint } from '../model/constraint.js';
import type {
  CronCollisionPolicy,
  JobConfig,
  SlaPolicy,
  UpdateSettings,
  UpdateStrategy,
} from '../model/job.js';
import { parseJobKey } from '../model/job-key.js';
import { parseConstraint } from '../model/parse-constraint.js';
import type { PortRange, Resources } from '../model/resources.js';
import { formatProblems } from '../model/result.js';
import type { HealthCheck, SimBehaviour, TaskConfig } from '../model/task-config.js';
import type { JobKind, Tier } from '../model/tier.js';
import type { HostSpec } from '../scheduler/api.js';

/**
 * Fluent builders for tests, after Nomad's mock package: every field has a sensible default and a
 * test states only what matters to it. `aHost('h1').cpu(8).ramMb(16384).attr('rack', 'r1')`,
 * `aJob('www/prod/web').instances(4).cpu(1).tier('preferred').constraint('host', 'limit:1')`.
 * Bad input (a malformed job key or constraint) throws: in a test that is the author's mistake.
 */
export class HostBuilder {
  private readonly resources = { cpu: 8, ramMb: 16384, diskMb: 65536, gpus: 0 };
  private portRanges: PortRange[] = [[31000, 31099]];
  private readonly attributes: Record<string, string> = {};

  constructor(private readonly id: string) {}

  cpu(v: number): this {
    this.resources.cpu = v;
    return this;
  }
  ramMb(v: number): this {
    this.resources.ramMb = v;
    return this;
  }
  diskMb(v: number): this {
    this.resources.diskMb = v;
    return this;
  }
  gpus(v: number): this {
    this.resources.gpus = v;
    return this;
  }
  /** Replaces the default port range [31000, 31099]. */
  ports(...ranges: PortRange[]): this {
    this.portRanges = ranges;
    return this;
  }
  attr(name: string, value: string): this {
    this.attributes[name] = value;
    return this;
  }
  rack(value: string): this {
    return this.attr('rack', value);
  }
  zone(value: string): this {
    return this.attr('zone', value);
  }
  /** Only jobs with a matching `dedicated` constraint (`role/name` or `*\/name`) may use this host. */
  dedicated(value: string): this {
    return this.attr('dedicated', value);
  }

  build(): HostSpec {
    return {
      id: this.id,
      resources: { ...this.resources },
      ports: [...this.portRanges],
      attributes: { ...this.attributes },
    };
  }
}

export class JobBuilder {
  private kindValue: JobKind = 'service';
  private instanceCount = 1;
  private readonly resources = { cpu: 1, ramMb: 1024, diskMb: 1024, gpus: 0 };
  private portNames: string[] = [];
  private readonly constraints: Constraint[] = [];
  private tierValue: Tier = 'preferred';
  private priorityValue = 0;
  private maxFailures = 1;
  private health: HealthCheck | undefined;
  private simBehaviour: SimBehaviour | undefined;
  private updateSettings: UpdateSettings | undefined;
  private cronSettings: { schedule: string; collisionPolicy: CronCollisionPolicy } | undefined;
  private slaPolicy: SlaPolicy | undefined;
  private cmd = 'run';
  private built: JobConfig | undefined;

  constructor(private readonly key: string) {}

  kind(v: JobKind): this {
    this.kindValue = v;
    return this;
  }
  instances(n: number): this {
    this.instanceCount = n;
    return this;
  }
  cpu(v: number): this {
    this.resources.cpu = v;
    return this;
  }
  ramMb(v: number): this {
    this.resources.ramMb = v;
    return this;
  }
  diskMb(v: number): this {
    this.resources.diskMb = v;
    return this;
  }
  gpus(v: number): this {
    this.resources.gpus = v;
    return this;
  }
  resourcesOf(r: Partial<Resources>): this {
    Object.assign(this.resources, r);
    return this;
  }
  ports(...names: string[]): this {
    this.portNames = names;
    return this;
  }
  /** Aurora grammar: `constraint('zone', 'a,b')`, `constraint('host', 'limit:1')`, `constraint('rack', '!r1')`. */
  constraint(attribute: string, expression: string): this {
    const parsed = parseConstraint(attribute, expression, `constraints.${attribute}`);
    if (!parsed.ok) throw new Error(formatProblems(parsed.problems));
    this.constraints.push(parsed.value);
    return this;
  }
  dedicated(value: string): this {
    return this.constraint('dedicated', value);
  }
  tier(v: Tier): this {
    this.tierValue = v;
    return this;
  }
  priority(v: number): this {
    this.priorityValue = v;
    return this;
  }
  /** -1 = unlimited. */
  maxTaskFailures(v: number): this {
    this.maxFailures = v;
    return this;
  }
  /** A shell health check; times in seconds (Aurora's defaults: 15, 10, 0 failures, 1 success). */
  healthCheck(
    timing: Partial<{
      initialIntervalSecs: number;
      intervalSecs: number;
      maxConsecutiveFailures: number;
      minConsecutiveSuccesses: number;
    }> = {},
  ): this {
    this.health = {
      type: 'shell',
      command: 'check',
      initialIntervalSecs: 15,
      intervalSecs: 10,
      timeoutSecs: 1,
      maxConsecutiveFailures: 0,
      minConsecutiveSuccesses: 1,
      ...timing,
    };
    return this;
  }
  /** Simulation: every instance fails this long after RUNNING. */
  failAfterMs(ms: number): this {
    this.simBehaviour = { ...this.simBehaviour, failAfterMs: ms };
    return this;
  }
  /** Simulation: never passes its health check. */
  unhealthy(): this {
    this.simBehaviour = { ...this.simBehaviour, unhealthy: true };
    return this;
  }
  /** A different command line: a different config, which an update has to roll out. */
  cmdline(v: string): this {
    this.cmd = v;
    return this;
  }
  /** Update settings; defaults: queue of 1, watch 0 s, no failures allowed, rollback on. */
  update(
    settings: Partial<Omit<UpdateSettings, 'strategy'>> & {
      strategy?: UpdateStrategy;
      batchSize?: number;
    } = {},
  ): this {
    const { batchSize, strategy, ...rest } = settings;
    this.updateSettings = {
      strategy: strategy ?? { kind: 'queue', groupSize: batchSize ?? 1 },
      watchSecs: 0,
      maxPerInstanceFailures: 0,
      maxTotalFailures: 0,
      rollbackOnFailure: true,
      ...rest,
    };
    return this;
  }
  /** A cron job: kind 'cron', this schedule and collision policy. */
  cron(schedule: string, collisionPolicy: CronCollisionPolicy = 'KILL_EXISTING'): this {
    this.kindValue = 'cron';
    this.cronSettings = { schedule, collisionPolicy };
    return this;
  }
  sla(policy: SlaPolicy): this {
    this.slaPolicy = policy;
    return this;
  }
  production(): this {
    return this.tier('preferred');
  }
  /** Preemptible batch work: ad-hoc, preemptible tier. */
  batch(): this {
    return this.kind('adhoc').tier('preemptible');
  }

  /** The job; the same builder returns the same object (and TaskConfig) each time. */
  build(): JobConfig {
    if (this.built) return this.built;
    const key = parseJobKey(this.key);
    if (!key.ok) throw new Error(formatProblems(key.problems));
    const task: TaskConfig = {
      processes: [{ name: 'main', cmdline: this.cmd, final: false, daemon: false, maxFailures: 1 }],
      orderings: [],
      resources: { ...this.resources },
      ports: [...this.portNames],
      constraints: [...this.constraints],
      tier: this.tierValue,
      priority: this.priorityValue,
      maxTaskFailures: this.maxFailures,
      metadata: {},
      ...(this.health && { healthCheck: this.health }),
      ...(this.simBehaviour && { sim: this.simBehaviour }),
    };
    this.built = {
      key: key.value,
      kind: this.kindValue,
      instances: this.instanceCount,
      task,
      ...(this.updateSettings && { update: this.updateSettings }),
      ...(this.cronSettings && { cron: this.cronSettings }),
      ...(this.slaPolicy && { sla: this.slaPolicy }),
    };
    return this.built;
  }
}

export const aHost = (id: string): HostBuilder => new HostBuilder(id);
export const aJob = (key: string): JobBuilder => new JobBuilder(key);
