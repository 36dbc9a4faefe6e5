import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadJobFile } from './load.js';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/borealis.mjs', import.meta.url));
const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const binds = ['--bind', 'release=2024.05.1', '--bind', 'date=2024-05-01'];

async function borealis(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'borealis-config-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('borealis config validate', () => {
  it('prints one line per job of every example and exits 0', async () => {
    const files = ['web-service.ts', 'nightly-backup.yaml', 'batch-etl.json', 'workers.yaml'].map((f) =>
      join(examples, f),
    );
    const r = await borealis('config', 'validate', ...files, ...binds);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'ok  west/www/prod/web  service  4 instances',
      'ok  db/prod/orders-backup  cron  1 instance  cron "30 2 * * mon-fri"',
      'ok  analytics/devel/daily-etl  adhoc  8 instances',
      'ok  mail/prod/sender  service  3 instances',
      'ok  mail/prod/bounce-cleanup  cron  1 instance  cron "*/15 * * * *"',
    ]);
  });

  it('prints every problem with file, line, job and field, then exits 1 without a stack', async () => {
    const json = join(dir, 'broken.json');
    await writeFile(json, '{\n  "role": "www",\n  "environment": prod\n}\n');
    const yaml = join(dir, 'bad.yaml');
    await writeFile(
      yaml,
      'role: www\nenvironment: prod\nname: api\nkind: service\ninstances: 2\ntask:\n  resources: { cpu: 1, ramMb: 64, diskMb: 64 }\nupdate:\n  maxTotalFailures: 3\n',
    );
    const r = await borealis('config', 'validate', json, yaml);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      `${json}:3:18: JSON syntax error: unexpected "p"; expected a value`,
      `${yaml}:9: www/prod/api: update.maxTotalFailures: 3 must be less than instances (2), or every instance could fail and the update still succeed`,
      'borealis: 2 problems in 2 files',
      '',
    ]);
  });

  it("rejects a dedicated constraint naming another role's hosts, as Aurora does at submit", async () => {
    const yaml = join(dir, 'dedicated.yaml');
    const job = (role: string, dedicated: string, name = 'api') =>
      `role: ${role}\nenvironment: prod\nname: ${name}\nkind: service\ninstances: 2\n` +
      `task:\n  resources: { cpu: 1, ramMb: 64, diskMb: 64 }\nconstraints: { dedicated: "${dedicated}" }\n`;
    await writeFile(
      yaml,
      [job('www', 'db/mysql'), job('db', 'db/mysql'), job('www', '*/shared', 'shared')].join('---\n'),
    );
    const r = await borealis('config', 'validate', yaml);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'www/prod/api: constraints.dedicated: only db may use hosts dedicated for that role ("db/mysql"); the job\'s role is www',
    );
    expect(r.stderr).toContain('borealis: 1 problem in 1 file');
    expect(r.stdout).toContain('ok  db/prod/api');
    expect(r.stdout).toContain('ok  www/prod/shared');
  });

  it('rejects a malformed --bind', async () => {
    const r = await borealis('config', 'validate', join(examples, 'workers.yaml'), '--bind', 'host=x');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('borealis: --bind: binding "host" would shadow a built-in template variable\n');
  });
});

describe('borealis config inspect', () => {
  it('prints normalized JSON that validates back to an identical JobConfig (round trip)', async () => {
    for (const example of ['web-service.ts', 'workers.yaml']) {
      const source = join(examples, example);
      const r = await borealis('config', 'inspect', source, ...binds);
      expect(r.code, r.stderr).toBe(0);
      const out = join(dir, `${example}.json`);
      await writeFile(out, r.stdout);
      // no bindings needed any more: they were substituted
      const [before, after] = await Promise.all([
        loadJobFile(source, { bindings: { release: '2024.05.1', date: '2024-05-01' } }),
        loadJobFile(out),
      ]);
      expect(after.problems).toEqual([]);
      expect(after.jobs.map((j) => j.config)).toStrictEqual(before.jobs.map((j) => j.config));
    }
  });

  it('selects one job with --job and says which jobs exist when the key is unknown', async () => {
    const file = join(examples, 'search-stack.ts');
    const one = await borealis('config', 'inspect', file, '--job', 'search/prod/index');
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({
      role: 'search',
      environment: 'prod',
      name: 'index',
      instances: 12,
    });
    const missing = await borealis('config', 'inspect', file, '--job', 'search/prod/nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `borealis: --job: no job "search/prod/nope" in ${file} (it defines: search/staging/frontend, search/staging/index, search/prod/frontend, search/prod/index)\n`,
    );
  });
});
