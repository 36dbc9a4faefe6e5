import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFileProblem, type LoadedFile, loadJobFile } from './load.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'borealis-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(name: string, text: string, bindings: Record<string, string> = {}): Promise<LoadedFile> {
  const file = join(dir, name);
  await writeFile(file, text);
  return loadJobFile(file, { bindings });
}

/** Problems as printed, with the temp dir stripped. */
const lines = (f: LoadedFile): string[] => f.problems.map((p) => formatFileProblem(p).replace(`${dir}/`, ''));

const yamlJob = (extra = '', name = 'web'): string => `role: www
environment: prod
name: ${name}
kind: service
instances: 2
task:
  processes:
    - name: web
      cmdline: serve --port {{ports.http}}
  resources:
    cpu: 1
    ramMb: 512
    diskMb: 1024
  ports: [http]
${extra}`;

const examples = new URL('../../../examples/', import.meta.url).pathname;
const exampleBindings = { release: '2024.05.1', date: '2024-05-01' };

describe('loadJobFile: the examples', () => {
  it.each([
    ['web-service.ts', ['west/www/prod/web']],
    ['nightly-backup.yaml', ['db/prod/orders-backup']],
    ['batch-etl.json', ['analytics/devel/daily-etl']],
    ['workers.yaml', ['mail/prod/sender', 'mail/prod/bounce-cleanup']],
    [
      'search-stack.ts',
      ['search/staging/frontend', 'search/staging/index', 'search/prod/frontend', 'search/prod/index'],
    ],
  ])('%s validates', async (name, labels) => {
    const loaded = await loadJobFile(join(examples, name), { bindings: exampleBindings });
    expect(lines(loaded)).toEqual([]);
    expect(loaded.jobs.map((j) => j.label)).toEqual(labels);
  });

  it('substitutes bindings in the TypeScript example and keeps launch-time variables', async () => {
    const loaded = await loadJobFile(join(examples, 'web-service.ts'), { bindings: exampleBindings });
    const task = loaded.jobs[0]!.config.task;
    expect(task.processes[1]!.cmdline).toBe(
      'www-2024.05.1/bin/serve --port {{ports.http}} --admin-port {{ports.health}} --shard {{instance}}',
    );
    expect(task.container?.image).toBe('registry.example.com/www:2024.05.1');
  });
});

describe('loadJobFile: shapes', () => {
  it('reads a YAML list, a jobs: key and multiple documents', async () => {
    const list = await load(
      'list.yaml',
      `- ${yamlJob('', 'a').replace(/\n/g, '\n  ')}\n- ${yamlJob('', 'b').replace(/\n/g, '\n  ')}`,
    );
    expect(lines(list)).toEqual([]);
    expect(list.jobs.map((j) => j.label)).toEqual(['www/prod/a', 'www/prod/b']);
    const keyed = await load('keyed.yaml', `jobs:\n  - ${yamlJob('', 'a').replace(/\n/g, '\n    ')}`);
    expect(keyed.jobs.map((j) => j.label)).toEqual(['www/prod/a']);
    const docs = await load('docs.yaml', `${yamlJob('', 'a')}---\n${yamlJob('', 'b')}---\n`);
    expect(docs.jobs.map((j) => j.line)).toEqual([1, 16]);
  });

  it('reads JSON lists and jobs: objects, and JS modules exporting jobs', async () => {
    const job = {
      role: 'r',
      environment: 'e',
      name: 'n',
      kind: 'adhoc',
      task: { resources: { cpu: 1, ramMb: 1, diskMb: 1 } },
    };
    const json = await load('jobs.json', JSON.stringify({ jobs: [job, { ...job, name: 'm' }] }));
    expect(json.jobs.map((j) => j.label)).toEqual(['r/e/n', 'r/e/m']);
    const mjs = await load('jobs.mjs', `export const jobs = ${JSON.stringify([job])};`);
    expect(mjs.jobs.map((j) => j.label)).toEqual(['r/e/n']);
    const none = await load('none.mjs', 'export const x = 1;');
    expect(lines(none)[0]).toMatch(/^none\.mjs: exports no jobs/);
  });

  it('reports unreadable and unknown files', async () => {
    expect(lines(await loadJobFile(join(dir, 'missing.yaml')))).toEqual([
      `${dir}/missing.yaml: no such file`.replace(`${dir}/`, ''),
    ]);
    expect(lines(await load('job.toml', ''))[0]).toContain('unknown file type ".toml"');
    expect(lines(await load('empty.yaml', ''))).toEqual(['empty.yaml: contains no jobs']);
    expect(lines(await load('scalar.yaml', '42'))[0]).toContain(
      'expected a job, a list of jobs or { jobs: [...] }',
    );
  });
});

describe('loadJobFile: bad configs name file, line, job and field', () => {
  it('JSON syntax error, with line and column', async () => {
    const f = await load('bad.json', '{\n  "role": "www",\n  "name": web\n}\n');
    expect(lines(f)).toEqual(['bad.json:3:11: JSON syntax error: unexpected "w"; expected a value']);
    const trailing = await load('trailing.json', '{\n  "role": "www",\n}');
    expect(lines(trailing)).toEqual(['trailing.json:3:1: JSON syntax error: trailing comma before "}"']);
  });

  it('YAML syntax error, with line', async () => {
    const f = await load('bad.yaml', 'role: www\ntask:\n  resources: [1, 2\nname: x\n');
    expect(lines(f)[0]).toMatch(/^bad\.yaml:4:1: YAML syntax error: /);
  });

  it('YAML: an unquoted crontab gets a hint, and an unresolved alias is a problem, not a crash', async () => {
    const f = await load('alias.yaml', yamlJob('cron:\n  schedule: */15 * * * *\n'));
    expect(lines(f)).toHaveLength(1);
    expect(lines(f)[0]).toMatch(/^alias\.yaml:16:\d+: YAML syntax error: .*quote it/);
    const g = await load('anchor.yaml', 'role: *x\n');
    expect(lines(g)).toEqual([
      'anchor.yaml: YAML error: Unresolved alias (the anchor must be set before the alias): x',
    ]);
  });

  it('wrong type', async () => {
    const f = await load('type.yaml', yamlJob().replace('cpu: 1', 'cpu: lots'));
    expect(lines(f)).toEqual([
      'type.yaml:11: www/prod/web: task.resources.cpu: expected a number, got "lots"',
    ]);
  });

  it('bad job key (position used when the key is unusable)', async () => {
    const f = await load('key.yaml', yamlJob().replace('role: www', 'role: www team'));
    expect(lines(f)).toEqual([
      'key.yaml:1: www team/prod/web: role: "www team" is not a valid identifier (letters, digits, _ - . only)',
    ]);
    const g = await load(
      'nokey.json',
      JSON.stringify([{ environment: 'e', name: 'n', kind: 'adhoc', task: {} }]),
    );
    expect(lines(g)[0]).toMatch(/^nokey\.json:1: jobs\[0\]: role: is required/);
  });

  it('negative resources', async () => {
    const f = await load('neg.yaml', yamlJob().replace('ramMb: 512', 'ramMb: -512'));
    expect(lines(f)).toEqual([
      'neg.yaml:12: www/prod/web: task.resources.ramMb: ramMb must not be negative, got -512',
    ]);
  });

  it('maxTotalFailures ≥ instances', async () => {
    const f = await load('update.yaml', yamlJob('update:\n  maxTotalFailures: 2\n'));
    expect(lines(f)).toEqual([
      'update.yaml:16: www/prod/web: update.maxTotalFailures: 2 must be less than instances (2), or every instance could fail and the update still succeed',
    ]);
  });

  it('bad crontab', async () => {
    const f = await load(
      'cron.yaml',
      yamlJob('cron:\n  schedule: "61 * * * *"\n').replace('kind: service', 'kind: cron'),
    );
    expect(lines(f)).toEqual([
      'cron.yaml:16: www/prod/web: cron.schedule: minute field "61" out of range 0-59',
    ]);
  });

  it('unknown template variable', async () => {
    const f = await load(
      'tmpl.json',
      JSON.stringify(
        {
          role: 'a',
          environment: 'b',
          name: 'c',
          kind: 'adhoc',
          task: {
            processes: [{ name: 'p', cmdline: 'run {{versoin}}' }],
            resources: { cpu: 1, ramMb: 1, diskMb: 1 },
          },
        },
        null,
        2,
      ),
    );
    expect(lines(f)[0]).toMatch(
      /^tmpl\.json:10: a\/b\/c: task\.processes\[0\]\.cmdline: unknown template variable \{\{versoin\}\}/,
    );
    const bound = await load(
      'tmpl2.json',
      JSON.stringify({
        role: 'a',
        environment: 'b',
        name: 'c',
        kind: 'adhoc',
        task: {
          processes: [{ name: 'p', cmdline: 'run {{versoin}}' }],
          resources: { cpu: 1, ramMb: 1, diskMb: 1 },
        },
      }),
      { versoin: '3' },
    );
    expect(lines(bound)).toEqual([]);
    expect(bound.jobs[0]!.config.task.processes[0]!.cmdline).toBe('run 3');
  });

  it('duplicate job keys across a file', async () => {
    const f = await load('dup.yaml', `${yamlJob()}---\n${yamlJob()}`);
    expect(lines(f)).toEqual(['dup.yaml:16: www/prod/web: duplicate job key; already defined at line 1']);
    const clusters = await load(
      'clusters.yaml',
      `${yamlJob('cluster: east\n')}---\n${yamlJob('cluster: west\n')}`,
    );
    expect(lines(clusters)).toEqual([]);
  });

  it('duplicate keys inside a JSON object', async () => {
    const f = await load('dupkey.json', '{"role": "a", "role": "b"}');
    expect(lines(f)[0]).toBe('dupkey.json:1:15: duplicate key in an object');
  });

  it('errors in a JavaScript module name the file, line, job and field', async () => {
    const f = await load(
      'bad.mjs',
      `export default {
  role: 'a', environment: 'b', name: 'c', kind: 'service',
  task: { resources: { cpu: -1, ramMb: 1, diskMb: 1 } },
};`,
    );
    expect(lines(f)).toEqual(['bad.mjs:3: a/b/c: task.resources.cpu: cpu must be greater than 0, got -1']);
    const broken = await load('broken.mjs', 'export default {');
    expect(lines(broken)[0]).toMatch(/^broken\.mjs: cannot load: /);
  });

  it('TypeScript: follows builder calls and lists to the line, stopping at computed values', async () => {
    const f = await load(
      'bad.ts',
      `// The builders' shapes, local so the file loads from a temp dir.
const service = (j: object) => ({ kind: 'service', ...j });
const process = (name: string, cmdline: string) => ({ name, cmdline });
const resources = (cpu: number, ramMb: number, diskMb: number) => ({ cpu, ramMb, diskMb });
const healthCheck = { http: (h: object) => ({ type: 'http', ...h }) };
export const jobs = ['a', 'b'].map((environment) =>
  service({
    role: 'www',
    environment,
    name: 'web',
    task: {
      processes: [
        process('web', 'serve --port {{ports.http}}'),
        process('side', 'run {{prot}}'),
      ],
      resources: resources(-1, 512, 0),
      ports: ['http'],
    },
    healthCheck: healthCheck.http({
      port: 'admin',
    }),
  }),
);
`,
    );
    expect(lines(f).filter((l) => l.includes('www/a/web'))).toEqual([
      'bad.ts:16: www/a/web: task.resources.cpu: cpu must be greater than 0, got -1',
      expect.stringMatching(
        /^bad\.ts:14: www\/a\/web: task\.processes\[1\]\.cmdline: unknown template variable/,
      ),
      'bad.ts:20: www/a/web: healthCheck.port: health check port "admin" is not declared in task.ports (declared: http)',
    ]);
  });

  it('TypeScript: a job whose literal cannot be told apart gets no line rather than a wrong one', async () => {
    const f = await load(
      'twins.ts',
      `const make = (role: string) => ({ role, environment: 'prod', name: 'web', kind: 'service' as const,
  task: { resources: { cpu: 1, ramMb: 1, diskMb: 1 } } });
const other = { role: 'x', environment: 'prod', name: 'web', kind: 'service' as const,
  task: { resources: { cpu: 0, ramMb: 1, diskMb: 1 } } };
export default [make('a'), { ...other, role: 'y' }];
`,
    );
    expect(lines(f)).toEqual(['twins.ts: y/prod/web: task.resources.cpu: cpu must be greater than 0, got 0']);
  });

  it('unknown field points at its own line', async () => {
    const f = await load('unknown.yaml', yamlJob('helthCheck:\n  type: http\n'));
    expect(lines(f)).toEqual([
      'unknown.yaml:15: www/prod/web: helthCheck: unknown field "helthCheck" (did you mean "healthCheck"?)',
    ]);
  });
});
