import type { z } from 'zod';
import { parseCrontab } from '../cron/crontab.js';
import { DEDICATED_ATTRIBUTE } from '../model/constraint.js';
import { dedicatedRoleProblems } from '../model/dedicated-role.js';
import {
  type Announce,
  type CronSettings,
  DEFAULT_MAX_INSTANCES,
  type JobConfig,
  type UpdateSettings,
} from '../model/job.js';
import { IDENTIFIER, type JobKey } from '../model/job-key.js';
import { parseConstraints } from '../model/parse-constraint.js';
import { failMany, ok, type Problem, type Result } from '../model/result.js';
import type { HealthCheck, Process, TaskConfig } from '../model/task-config.js';
import { AURORA_DEFAULTS } from './defaults.js';
import { joinPath, type PathSegment } from './field-path.js';
import { type JobSpec, jobSchema, taskSchema } from './schema.js';
import { checkBindings, expandStatic } from './template.js';
import { fieldsAt, zodProblems } from './zod-problems.js';

export interface NormalizeOptions {
  /** Prefix for every problem path (e.g. `jobs[2]` when the job sits in a list). */
  readonly path?: string;
  /** User template bindings (`--bind key=value`). */
  readonly bindings?: Readonly<Record<string, string>>;
  /** Upper bound on instances per job (default 4000, Aurora's). */
  readonly maxInstances?: number;
  /**
   * Check Aurora's submit rule that a `dedicated` constraint names the job's own role (or `*`) and
   * one value (default true). Trace records leave it to the core's submit, which rejects the job.
   */
  readonly dedicatedRole?: boolean;
}

/**
 * Validates a job as written by a user (any format, already parsed into plain data) and turns it
 * into the core model with Aurora's defaults filled in. Every problem found is reported, each
 * with the field path it belongs to; static template variables and bindings are substituted.
 * A shape problem (a wrong type, an unknown field) does not hide the cross-field rules: the
 * top-level fields that are well formed on their own are still checked against each other, so
 * one pass over a file shows all its mistakes.
 */
export function normalizeJob(raw: unknown, options: NormalizeOptions = {}): Result<JobConfig> {
  const prefix = options.path ?? '';
  const parsed = jobSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const shape = zodProblems(parsed.error, prefix, (segments) => fieldsAt(jobSchema, segments));
    const salvaged = salvage(raw);
    if (!salvaged) return failMany(shape);
    const c = new Checker(salvaged.spec, prefix, options.bindings ?? {}, salvaged.broken);
    checkRules(c, options);
    return failMany(unique([...shape, ...c.problems]));
  }
  const c = new Checker(parsed.data, prefix, options.bindings ?? {}, new Set());
  const rules = checkRules(c, options);
  if (c.problems.length > 0 || !rules) return failMany(unique(c.problems));
  const { spec } = c;
  const { key, task, update, cron, announce } = rules;
  return ok({
    key,
    kind: spec.kind,
    instances: spec.instances,
    task,
    ...(update && { update }),
    ...(cron && { cron }),
    ...(announce && { announce }),
    ...(spec.sla && { sla: spec.sla }),
    ...(spec.contact !== undefined && { contact: spec.contact }),
  });
}

/** A top-level field (`update`) or a field of the task (`task.ports`). */
type Field = keyof JobSpec | `task.${keyof JobSpec['task']}`;

/**
 * A job whose whole shape did not parse, field by field: each top-level field that parses on its
 * own (defaults applied) is kept, the others are `broken` and the rules that read them are skipped.
 * A broken task is salvaged the same way one level down, so its ports still back the checks of
 * health check and announce ports. Undefined when the input is not an object at all.
 */
function salvage(raw: unknown): { spec: JobSpec; broken: Set<Field> } | undefined {
  if (!isRecord(raw)) return undefined;
  const broken = new Set<Field>();
  const spec = salvageObject(raw, jobSchema.shape, (field) => broken.add(field as Field));
  if (broken.has('task')) {
    const task = isRecord(raw.task) ? raw.task : {};
    spec.task = salvageObject(task, taskSchema.shape, (field) => broken.add(`task.${field}` as Field));
  }
  // Only fields listed in `broken` are missing; every rule checks `intact` before reading one.
  return { spec: spec as unknown as JobSpec, broken };
}

function salvageObject(
  input: Record<string, unknown>,
  shape: Readonly<Record<string, z.ZodType>>,
  failed: (field: string) => void,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(shape)) {
    const r = schema.safeParse(input[field]);
    if (r.success) out[field] = r.data;
    else failed(field);
  }
  return out;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

interface Rules {
  readonly key: JobKey;
  readonly task: TaskConfig;
  readonly update: UpdateSettings | undefined;
  readonly cron: CronSettings | undefined;
  readonly announce: Announce | undefined;
}

/**
 * Runs every cross-field rule whose fields are intact, collecting problems in `c`. Returns the
 * normalized parts when the whole job was well formed (every field intact), else undefined.
 */
function checkRules(c: Checker, options: NormalizeOptions): Rules | undefined {
  c.problems.push(...checkBindings(c.bindings, '--bind'));
  const key = checkKey(c);
  const maxInstances = options.maxInstances ?? DEFAULT_MAX_INSTANCES;
  if (c.intact('instances') && c.spec.instances > maxInstances) {
    c.report(['instances'], `${c.spec.instances} exceeds the limit of ${maxInstances} instances per job`);
  }
  const task = checkTask(c, key, options);
  const update = c.intact('update', 'kind', 'instances') ? checkUpdate(c) : undefined;
  const cron = c.intact('kind', 'cron') ? checkCron(c) : undefined;
  const announce = c.intact('announce', 'task.ports') ? checkAnnounce(c) : undefined;
  if (!key || !task || c.broken.size > 0) return undefined;
  return { key, task, update, cron, announce };
}

/** The job being checked and the problems found so far. */
class Checker {
  readonly problems: Problem[] = [];
  readonly ports: ReadonlySet<string>;

  constructor(
    readonly spec: JobSpec,
    private readonly prefix: string,
    readonly bindings: Readonly<Record<string, string>>,
    /** Top-level fields that did not parse: rules reading them are skipped. */
    readonly broken: ReadonlySet<Field>,
  ) {
    this.ports = new Set(broken.has('task.ports') ? [] : spec.task.ports);
  }

  /** Whether all these fields parsed, so rules may read them. */
  intact(...fields: Field[]): boolean {
    for (const f of fields) if (this.broken.has(f)) return false;
    return true;
  }

  path(segments: readonly PathSegment[]): string {
    return joinPath(this.prefix, ...segments);
  }

  report(segments: readonly PathSegment[], message: string): void {
    this.problems.push({ path: this.path(segments), message });
  }

  /** Reports a port name that task.ports does not declare. */
  declared(port: string, segments: readonly PathSegment[], what: string): void {
    if (!this.ports.has(port)) {
      const list = this.spec.task.ports.join(', ') || 'none';
      this.report(segments, `${what} "${port}" is not declared in task.ports (declared: ${list})`);
    }
  }

  /** Substitutes static template variables; see template.ts for launch-time fields. */
  expand(key: JobKey, text: string, segments: readonly PathSegment[], launchTime: boolean): string {
    const ports = this.broken.has('task.ports') ? [] : this.spec.task.ports;
    const scope = { ...key, bindings: this.bindings, ports };
    return expandStatic(text, scope, this.path(segments), launchTime, this.problems);
  }
}

/** The job key, or undefined when one of its parts did not parse (templates then go unchecked). */
function checkKey(c: Checker): JobKey | undefined {
  const { spec } = c;
  for (const part of ['role', 'environment', 'name', 'cluster'] as const) {
    const value = c.intact(part) ? spec[part] : undefined;
    if (value !== undefined && !IDENTIFIER.test(value)) {
      c.report([part], `"${value}" is not a valid identifier (letters, digits, _ - . only)`);
    }
  }
  if (!c.intact('role', 'environment', 'name', 'cluster')) return undefined;
  return {
    role: spec.role,
    environment: spec.environment,
    name: spec.name,
    ...(spec.cluster !== undefined && { cluster: spec.cluster }),
  };
}

/**
 * The task's own rules (ports, processes, orderings), constraints, metadata templates, health
 * check and container. Returns the task config when every field it is built from is intact.
 */
function checkTask(c: Checker, key: JobKey | undefined, options: NormalizeOptions): TaskConfig | undefined {
  const { spec } = c;
  const processes = checkProcesses(c, key);
  const constraints = c.intact('constraints')
    ? parseConstraints(spec.constraints, c.path(['constraints']))
    : undefined;
  if (constraints && !constraints.ok) c.problems.push(...constraints.problems);
  if (key && constraints?.ok && options.dedicatedRole !== false) {
    const path = c.path(['constraints', DEDICATED_ATTRIBUTE]);
    c.problems.push(...dedicatedRoleProblems(key.role, constraints.value, path));
  }

  const metadata: Record<string, string> = {};
  if (key && c.intact('metadata')) {
    for (const [name, value] of Object.entries(spec.metadata)) {
      metadata[name] = c.expand(key, value, ['metadata', name], false);
    }
  }
  const healthCheck = c.intact('healthCheck', 'task.ports') ? checkHealthCheck(c, key) : undefined;
  const image =
    key && c.intact('container') && spec.container
      ? c.expand(key, spec.container.image, ['container', 'image'], false)
      : undefined;
  if (!processes || !key || !constraints || c.broken.size > 0) return undefined;
  return {
    processes,
    orderings: spec.task.orderings,
    resources: { ...spec.task.resources },
    ports: spec.task.ports,
    constraints: constraints.ok ? constraints.value : [],
    tier: spec.tier,
    priority: spec.priority,
    maxTaskFailures: spec.maxTaskFailures,
    ...(healthCheck && { healthCheck }),
    ...(image !== undefined && { container: { image } }),
    metadata,
  };
}

/**
 * Port and process names, cmdline templates (when the key and ports are known) and process
 * orderings, each as far as its fields parsed; the processes when they did.
 */
function checkProcesses(c: Checker, key: JobKey | undefined): Process[] | undefined {
  const { spec } = c;
  if (c.intact('task.ports')) {
    const seenPorts = new Set<string>();
    spec.task.ports.forEach((port, i) => {
      if (!IDENTIFIER.test(port))
        c.report(['task', 'ports', i], `port name "${port}" is not a valid identifier`);
      if (seenPorts.has(port)) c.report(['task', 'ports', i], `port "${port}" is declared twice`);
      seenPorts.add(port);
    });
  }
  if (!c.intact('task.processes')) return undefined;
  const expand = key && c.intact('task.ports') ? key : undefined;
  const names = new Set<string>();
  const processes: Process[] = spec.task.processes.map((p, i) => {
    const at = ['task', 'processes', i];
    if (!IDENTIFIER.test(p.name))
      c.report([...at, 'name'], `process name "${p.name}" is not a valid identifier`);
    else if (names.has(p.name)) c.report([...at, 'name'], `process "${p.name}" is declared twice`);
    names.add(p.name);
    if (p.cmdline.trim() === '') c.report([...at, 'cmdline'], 'cmdline must not be empty');
    return expand ? { ...p, cmdline: c.expand(expand, p.cmdline, [...at, 'cmdline'], true) } : p;
  });
  if (!c.intact('task.orderings')) return processes;
  spec.task.orderings.forEach((ordering, i) => {
    ordering.forEach((name, j) => {
      if (!names.has(name))
        c.report(['task', 'orderings', i, j], `"${name}" is not one of the task's processes`);
    });
  });
  const cycle = findOrderingCycle(spec.task.orderings);
  if (cycle) c.report(['task', 'orderings'], `orderings form a cycle: ${cycle.join(' → ')}`);
  return processes;
}

function checkHealthCheck(c: Checker, key: JobKey | undefined): HealthCheck | undefined {
  const check = c.spec.healthCheck;
  if (check?.type === 'http') {
    c.declared(check.port, ['healthCheck', 'port'], 'health check port');
    if (!key) return check;
    return { ...check, endpoint: c.expand(key, check.endpoint, ['healthCheck', 'endpoint'], true) };
  }
  if (check?.type === 'shell') {
    if (check.command.trim() === '') c.report(['healthCheck', 'command'], 'command must not be empty');
    if (!key) return check;
    return { ...check, command: c.expand(key, check.command, ['healthCheck', 'command'], true) };
  }
  return undefined;
}

/** Every non-cron job gets update settings (Aurora's defaults if none are given). */
function checkUpdate(c: Checker): UpdateSettings | undefined {
  const { spec } = c;
  const u = spec.update;
  if (spec.kind === 'cron' && !u) return undefined;
  const defaults = AURORA_DEFAULTS.update;
  if (u?.batchSize !== undefined && u.strategy !== undefined) {
    c.report(['update', 'batchSize'], 'give either batchSize or strategy, not both');
  }
  const maxTotalFailures = u?.maxTotalFailures ?? defaults.maxTotalFailures;
  if (maxTotalFailures >= spec.instances) {
    c.report(
      ['update', 'maxTotalFailures'],
      `${maxTotalFailures} must be less than instances (${spec.instances}), or every instance could fail and the update still succeed`,
    );
  }
  return {
    strategy: u?.strategy ?? { kind: 'queue', groupSize: u?.batchSize ?? defaults.batchSize },
    watchSecs: u?.watchSecs ?? defaults.watchSecs,
    maxPerInstanceFailures: u?.maxPerInstanceFailures ?? defaults.maxPerInstanceFailures,
    maxTotalFailures,
    rollbackOnFailure: u?.rollbackOnFailure ?? defaults.rollbackOnFailure,
  };
}

/** A schedule is required for cron jobs and meaningless for the others. */
function checkCron(c: Checker): CronSettings | undefined {
  const { spec } = c;
  if (spec.kind !== 'cron') {
    if (spec.cron) {
      c.report(
        ['cron'],
        `only cron jobs have a schedule; this job's kind is "${spec.kind}" (use kind: "cron")`,
      );
    }
    return undefined;
  }
  if (!spec.cron) {
    c.report(['cron'], 'a cron job needs cron: { schedule: "..." }');
    return undefined;
  }
  const parsed = parseCrontab(spec.cron.schedule, c.path(['cron', 'schedule']));
  if (!parsed.ok) c.problems.push(...parsed.problems);
  return { schedule: spec.cron.schedule.trim(), collisionPolicy: spec.cron.collisionPolicy };
}

function checkAnnounce(c: Checker): Announce | undefined {
  const announce = c.spec.announce;
  if (!announce) return undefined;
  c.declared(announce.primaryPort, ['announce', 'primaryPort'], 'announce primary port');
  for (const [endpoint, port] of Object.entries(announce.portMap)) {
    if (!IDENTIFIER.test(endpoint)) {
      c.report(['announce', 'portMap', endpoint], `endpoint name "${endpoint}" is not a valid identifier`);
    }
    c.declared(port, ['announce', 'portMap', endpoint], 'announced port');
  }
  return {
    primaryPort: announce.primaryPort,
    portMap: announce.portMap,
    ...(announce.zkPath !== undefined && { zkPath: announce.zkPath }),
  };
}

/** One report per distinct problem (a variable used twice in one field is one mistake). */
function unique(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.path}\u0000${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** A cycle among "a runs before b" edges from the orderings, as the list of names around it. */
function findOrderingCycle(orderings: readonly (readonly string[])[]): string[] | undefined {
  const edges = new Map<string, Set<string>>();
  for (const ordering of orderings) {
    for (let i = 1; i < ordering.length; i++) {
      const from = ordering[i - 1]!;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(ordering[i]!);
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}
