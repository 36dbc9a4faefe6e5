import { describe, expect, it } from 'vitest';
import type { JobConfig } from '../model/job.js';
import type { Result } from '../model/result.js';
import { normalizeJob } from './normalize.js';
import type { JobInput } from './schema.js';

const base = (): JobInput => ({
  role: 'www',
  environment: 'prod',
  name: 'web',
  kind: 'service',
  instances: 4,
  task: {
    processes: [{ name: 'web', cmdline: 'serve --port {{ports.http}}' }],
    resources: { cpu: 1, ramMb: 1024, diskMb: 2048 },
    ports: ['http', 'health'],
  },
});

function value(r: Result<JobConfig>): JobConfig {
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.value;
}

/** `path: message` lines of a rejected job. */
function problems(raw: unknown, options = {}): string[] {
  const r = normalizeJob(raw, options);
  if (r.ok) throw new Error('expected problems, got a valid job');
  return r.problems.map((p) => `${p.path}: ${p.message}`);
}

const edit = (patch: (j: Record<string, unknown> & JobInput) => void): JobInput => {
  const j = JSON.parse(JSON.stringify(base())) as Record<string, unknown> & JobInput;
  patch(j);
  return j;
};

describe('normalizeJob defaults', () => {
  it("fills Aurora's defaults", () => {
    const job = value(normalizeJob(base()));
    expect(job.key).toEqual({ role: 'www', environment: 'prod', name: 'web' });
    expect(job.task.tier).toBe('preferred');
    expect(job.task.priority).toBe(0);
    expect(job.task.maxTaskFailures).toBe(1);
    expect(job.task.resources.gpus).toBe(0);
    expect(job.task.processes[0]).toEqual({
      name: 'web',
      cmdline: 'serve --port {{ports.http}}',
      final: false,
      daemon: false,
      maxFailures: 1,
    });
    expect(job.update).toEqual({
      strategy: { kind: 'queue', groupSize: 1 },
      watchSecs: 45,
      maxPerInstanceFailures: 0,
      maxTotalFailures: 0,
      rollbackOnFailure: true,
    });
    expect(job.cron).toBeUndefined();
    expect('cluster' in job.key).toBe(false);
  });

  it('fills health check defaults', () => {
    const job = value(normalizeJob(edit((j) => (j.healthCheck = { type: 'http' }))));
    expect(job.task.healthCheck).toEqual({
      type: 'http',
      port: 'health',
      endpoint: '/health',
      expectedResponse: 'ok',
      expectedResponseCode: 200,
      initialIntervalSecs: 15,
      intervalSecs: 10,
      timeoutSecs: 1,
      maxConsecutiveFailures: 0,
      minConsecutiveSuccesses: 1,
    });
  });

  it('lets trace jobs leave out processes (pure reservations)', () => {
    const job = value(
      normalizeJob({
        role: 'batch',
        environment: 'devel',
        name: 'etl',
        kind: 'adhoc',
        instances: 3,
        tier: 'preemptible',
        task: { resources: { cpu: 4, ramMb: 8192, diskMb: 0 } },
      }),
    );
    expect(job.task.processes).toEqual([]);
    expect(job.task.ports).toEqual([]);
  });

  it('turns batchSize into a queue strategy and keeps explicit strategies', () => {
    expect(value(normalizeJob(edit((j) => (j.update = { batchSize: 2 })))).update?.strategy).toEqual({
      kind: 'queue',
      groupSize: 2,
    });
    const variable = edit((j) => (j.update = { strategy: { kind: 'variableBatch', groupSizes: [1, 3] } }));
    expect(value(normalizeJob(variable)).update?.strategy).toEqual({
      kind: 'variableBatch',
      groupSizes: [1, 3],
      autoPause: false,
    });
  });

  it('parses constraints', () => {
    const job = value(normalizeJob(edit((j) => (j.constraints = { host: 'limit:1', zone: '!a,b' }))));
    expect(job.task.constraints).toEqual([
      { attribute: 'host', kind: 'limit', limit: 1 },
      { attribute: 'zone', kind: 'value', values: ['a', 'b'], negated: true },
    ]);
  });

  it('substitutes static template variables and bindings, keeping launch-time ones', () => {
    const job = value(
      normalizeJob(
        edit((j) => {
          j.cluster = 'west';
          j.task.processes = [
            {
              name: 'web',
              cmdline:
                'serve {{role}}/{{environment}}/{{name}}@{{cluster}} v{{profile.version}} {{instance}} {{host}} {{ ports.http }}',
            },
          ];
          j.metadata = { owner: '{{role}}-team' };
        }),
        { bindings: { 'profile.version': '1.2' } },
      ),
    );
    expect(job.task.processes[0]?.cmdline).toBe(
      'serve www/prod/web@west v1.2 {{instance}} {{host}} {{ ports.http }}',
    );
    expect(job.task.metadata).toEqual({ owner: 'www-team' });
  });
});

describe('normalizeJob rejects', () => {
  it('wrong types, with the field path', () => {
    expect(problems(edit((j) => ((j.task.resources as Record<string, unknown>).cpu = 'two')))).toEqual([
      'task.resources.cpu: expected a number, got "two"',
    ]);
    expect(problems(edit((j) => ((j as Record<string, unknown>).instances = 2.5)))).toEqual([
      'instances: expected a whole number, got 2.5',
    ]);
    expect(problems(edit((j) => delete (j as Partial<JobInput>).task))).toEqual([
      'task: is required (an object)',
    ]);
    expect(problems(42)).toEqual([': expected an object, got 42']);
  });

  it('unknown fields, suggesting the likely one', () => {
    expect(problems(edit((j) => (j.instnaces = 3)))).toEqual([
      'instnaces: unknown field "instnaces" (did you mean "instances"?)',
    ]);
    expect(problems(edit((j) => ((j.task.resources as Record<string, unknown>).ram = 3)))).toEqual([
      'task.resources.ram: unknown field "ram" (did you mean "ramMb"?)',
    ]);
  });

  it('bad enum and discriminator values', () => {
    expect(problems(edit((j) => ((j as Record<string, unknown>).kind = 'daemon')))).toEqual([
      'kind: must be one of "service", "adhoc", "cron"; got "daemon"',
    ]);
    expect(problems(edit((j) => (j.healthCheck = { type: 'tcp' } as never)))[0]).toMatch(
      /^healthCheck\.type: must be one of "http", "shell"/,
    );
  });

  it('bad job key parts', () => {
    expect(problems(edit((j) => (j.role = 'web team')))).toEqual([
      'role: "web team" is not a valid identifier (letters, digits, _ - . only)',
    ]);
    expect(problems(edit((j) => (j.cluster = 'a/b')))[0]).toMatch(/^cluster: /);
  });

  it('instances out of range', () => {
    expect(problems(edit((j) => (j.instances = 0)))).toEqual([
      'instances: instances must be at least 1, got 0',
    ]);
    expect(problems(edit((j) => (j.instances = 4001)))).toEqual([
      'instances: 4001 exceeds the limit of 4000 instances per job',
    ]);
    expect(
      problems(
        edit((j) => (j.instances = 11)),
        { maxInstances: 10 },
      )[0],
    ).toContain('limit of 10');
  });

  it('negative or zero resources', () => {
    const bad = edit((j) => (j.task.resources = { cpu: 0, ramMb: -1, diskMb: -5, gpus: -1 }));
    expect(problems(bad)).toEqual([
      'task.resources.cpu: cpu must be greater than 0, got 0',
      'task.resources.ramMb: ramMb must not be negative, got -1',
      'task.resources.diskMb: diskMb must not be negative, got -5',
      'task.resources.gpus: gpus must not be negative, got -1',
    ]);
  });

  it('duplicate and undeclared ports', () => {
    expect(problems(edit((j) => (j.task.ports = ['http', 'health', 'http'])))).toEqual([
      'task.ports[2]: port "http" is declared twice',
    ]);
    expect(problems(edit((j) => (j.healthCheck = { type: 'http', port: 'admin' })))).toEqual([
      'healthCheck.port: health check port "admin" is not declared in task.ports (declared: http, health)',
    ]);
    expect(
      problems(edit((j) => (j.announce = { primaryPort: 'thrift', portMap: { admin: 'health' } }))),
    ).toEqual([
      'announce.primaryPort: announce primary port "thrift" is not declared in task.ports (declared: http, health)',
    ]);
  });

  it('maxTotalFailures ≥ instances', () => {
    expect(problems(edit((j) => (j.update = { maxTotalFailures: 4 })))).toEqual([
      'update.maxTotalFailures: 4 must be less than instances (4), or every instance could fail and the update still succeed',
    ]);
    expect(
      problems(edit((j) => (j.update = { batchSize: 1, strategy: { kind: 'queue', groupSize: 2 } }))),
    ).toEqual(['update.batchSize: give either batchSize or strategy, not both']);
  });

  it('cron iff kind cron, with a valid crontab', () => {
    expect(problems(edit((j) => (j.kind = 'cron')))).toEqual([
      'cron: a cron job needs cron: { schedule: "..." }',
    ]);
    expect(problems(edit((j) => (j.cron = { schedule: '0 * * * *' })))[0]).toMatch(/^cron: only cron jobs/);
    expect(
      problems(
        edit((j) => {
          j.kind = 'cron';
          j.cron = { schedule: '61 * * * *' };
        }),
      ),
    ).toEqual(['cron.schedule: minute field "61" out of range 0-59']);
  });

  it('bad constraints', () => {
    expect(problems(edit((j) => (j.constraints = { host: 'limit:0' })))[0]).toMatch(/^constraints\.host: /);
  });

  it('unknown template variables and undeclared ports in templates', () => {
    expect(problems(edit((j) => (j.task.processes = [{ name: 'web', cmdline: 'run {{prot}}' }])))[0]).toMatch(
      /^task\.processes\[0\]\.cmdline: unknown template variable \{\{prot\}\}/,
    );
    expect(
      problems(edit((j) => (j.task.processes = [{ name: 'web', cmdline: 'run {{ports.admin}}' }]))),
    ).toEqual([
      'task.processes[0].cmdline: {{ports.admin}} names port "admin", which task.ports does not declare (declared: http, health)',
    ]);
    expect(problems(edit((j) => (j.metadata = { shard: '{{instance}}' })))).toEqual([
      'metadata.shard: {{instance}} is only known when a task launches; it cannot be used here',
    ]);
    expect(problems(edit((j) => (j.metadata = { at: '{{cluster}}' })))).toEqual([
      'metadata.at: {{cluster}} is used but the job names no cluster',
    ]);
  });

  it('bad bindings', () => {
    expect(problems(base(), { bindings: { role: 'x' } })).toEqual([
      '--bind: binding "role" would shadow a built-in template variable',
    ]);
  });

  it('process problems: duplicate names, unknown and cyclic orderings', () => {
    const bad = edit((j) => {
      j.task.processes = [
        { name: 'a', cmdline: 'x' },
        { name: 'a', cmdline: 'y' },
        { name: 'b', cmdline: '' },
      ];
      j.task.orderings = [['a', 'b'], ['b', 'a'], ['c']];
    });
    expect(problems(bad)).toEqual([
      'task.processes[1].name: process "a" is declared twice',
      'task.processes[2].cmdline: cmdline must not be empty',
      'task.orderings[2][0]: "c" is not one of the task\'s processes',
      'task.orderings: orderings form a cycle: a → b → a',
    ]);
  });

  it('shape problems do not hide the rules of the fields that are well formed', () => {
    const bad = edit((j) => {
      (j.update as Record<string, unknown>) = { watchSecs: 'soon', maxTotalFailures: 9 };
      j.healthCheck = { type: 'http', port: 'admin' };
      j.task.processes = [{ name: 'web', cmdline: 'run {{prot}}' }];
      j.constraints = { host: 'limit:0' };
    });
    const found = problems(bad);
    expect(found[0]).toBe('update.watchSecs: expected a number, got "soon"');
    expect(found).toContain(
      'healthCheck.port: health check port "admin" is not declared in task.ports (declared: http, health)',
    );
    expect(found.some((p) => p.startsWith('task.processes[0].cmdline: '))).toBe(true);
    expect(found.some((p) => p.startsWith('constraints.host: '))).toBe(true);
    // update did not parse, so its cross-field rule (maxTotalFailures < instances) is not guessed at
    expect(found.some((p) => p.startsWith('update.maxTotalFailures'))).toBe(false);
  });

  it('a task with a broken field still backs the port, key and cron rules with its other fields', () => {
    const bad = edit((j) => {
      j.role = 'web team';
      (j.task.resources as Record<string, unknown>).cpu = 'two';
      j.task.processes = [{ name: 'web', cmdline: 'run {{ports.admin}}' }];
      j.healthCheck = { type: 'http', port: 'admin' };
      j.cron = { schedule: '0 * * * *' };
    });
    expect(problems(bad)).toEqual([
      'task.resources.cpu: expected a number, got "two"',
      'role: "web team" is not a valid identifier (letters, digits, _ - . only)',
      'task.processes[0].cmdline: {{ports.admin}} names port "admin", which task.ports does not declare (declared: http, health)',
      'healthCheck.port: health check port "admin" is not declared in task.ports (declared: http, health)',
      'cron: only cron jobs have a schedule; this job\'s kind is "service" (use kind: "cron")',
    ]);
  });

  it('a broken key part skips template checks that need the key, keeps the rest', () => {
    const bad = edit((j) => {
      (j as Record<string, unknown>).name = 7;
      j.metadata = { at: '{{nope}}' };
      j.task.ports = ['http', 'http'];
    });
    expect(problems(bad)).toEqual([
      'name: expected a string, got 7',
      'task.ports[1]: port "http" is declared twice',
    ]);
  });

  it('prefixes every path with options.path', () => {
    expect(
      problems(
        edit((j) => (j.task.resources.cpu = -1)),
        { path: 'jobs[3]' },
      ),
    ).toEqual(['jobs[3].task.resources.cpu: cpu must be greater than 0, got -1']);
  });
});
