import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeJob, UserError } from '@borealis/core';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newToken } from '../api/auth/passwords.js';
import { parseUsers } from '../api/auth/users.js';
import { type ApiServer, createApiServer } from '../api/server.js';
import { cronJob, webJob } from '../api/testing/fixtures.js';
import { MemoryCore } from '../api/testing/memory-core.js';
import type { JobFiles } from './context.js';
import { userCommands } from './index.js';

/** JSON job files only (the cli package hands in its loader for every format). */
const files: JobFiles = {
  async loadJobFile(file) {
    const raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
    const r = normalizeJob(raw);
    return r.ok
      ? { jobs: [{ config: r.value }], problems: [] }
      : { jobs: [], problems: r.problems.map((p) => ({ file, ...p })) };
  },
  formatFileProblem: (p) => `${p.file}: ${p.path}: ${p.message}`,
  parseBindings: () => ({}),
};

let dir: string;
let memory: MemoryCore;
let api: ApiServer;
let secured: ApiServer;
let clusterFile: string;
const admin = newToken();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'borealis-cli-'));
  memory = new MemoryCore({ hosts: 6 });
  api = createApiServer({ core: memory, leadership: memory, hooks: memory.hooks });
  secured = createApiServer({
    core: new MemoryCore(),
    users: parseUsers(
      { readsOpen: false, users: [{ name: 'root', tokens: [admin.hash], admin: true }] },
      'test',
    ),
  });
  const url = await api.listen(0);
  const securedUrl = await secured.listen(0);
  clusterFile = join(dir, 'clusters.json');
  writeFileSync(
    clusterFile,
    JSON.stringify([
      { name: 'test', url },
      { name: 'secured', url: securedUrl },
      { name: 'down', url: 'http://127.0.0.1:9' },
    ]),
  );
  writeFileSync(join(dir, 'web.json'), JSON.stringify(webJob()));
  writeFileSync(join(dir, 'web-5.json'), JSON.stringify(webJob({ instances: 5 })));
  writeFileSync(join(dir, 'web-v2.json'), JSON.stringify(webJob({ priority: 7 })));
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(webJob({ instances: 0 })));
  writeFileSync(join(dir, 'api.json'), JSON.stringify(webJob({ name: 'api' })));
  writeFileSync(join(dir, 'api-v2.json'), JSON.stringify(webJob({ name: 'api', priority: 7 })));
  writeFileSync(
    join(dir, 'etl.json'),
    JSON.stringify(webJob({ name: 'etl', kind: 'adhoc', instances: 2, maxTaskFailures: 1 })),
  );
  writeFileSync(join(dir, 'cron.json'), JSON.stringify(cronJob()));
});

afterAll(async () => {
  await api.close();
  await secured.close();
  rmSync(dir, { recursive: true, force: true });
});

async function borealis(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const program = new Command('borealis')
    .exitOverride()
    .configureOutput({ writeErr: (s) => (err += s), writeOut: (s) => (out += s) });
  const env = { ...process.env, BOREALIS_TOKEN: undefined } as NodeJS.ProcessEnv;
  userCommands({ files, io: { out: (s) => (out += s), err: (s) => (err += s), env, progress: false } })(
    program,
  );
  try {
    await program.parseAsync([...args, '--cluster-file', clusterFile], { from: 'user' });
    return { code: 0, out, err };
  } catch (e) {
    if (e instanceof UserError) return { code: e.exitCode, out, err: err + e.message };
    const c = e as { exitCode?: number };
    return { code: c.exitCode === 0 ? 0 : 2, out, err };
  }
}

const WEB = 'test/www/prod/web';

describe('borealis job|update|task against the API on 127.0.0.1', () => {
  it('creates a job and waits for it to run; a retry is safe; another config is a conflict', async () => {
    const created = await borealis('job', 'create', WEB, join(dir, 'web.json'), '--wait', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ created: true, running: true });
    const retry = await borealis('job', 'create', WEB, join(dir, 'web.json'));
    expect(retry).toMatchObject({ code: 0, out: expect.stringMatching(/already created/) });
    const conflict = await borealis('job', 'create', WEB, join(dir, 'web-5.json'));
    expect(conflict.code).toBe(4);
    expect(conflict.err).toMatch(/^test: job www\/prod\/web already exists$/);
    const status = await borealis('job', 'status', WEB);
    expect(status.out.match(/RUNNING/g)).toHaveLength(3);
    expect((await borealis('job', 'list', 'test/www')).out).toMatch(
      /www\/prod\/web\s+service\s+3\s+3\s+RUNNING:3/,
    );
    const bad = await borealis('job', 'create', WEB, join(dir, 'bad.json'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/bad\.json: instances: /);
  });

  it('follows an update that fails and rolls back: update wait exits 7', async () => {
    const started = await borealis('update', 'start', WEB, join(dir, 'web-v2.json'), '--json');
    expect(started.code).toBe(0);
    // The first replaced instance's new task fails: the update gives up and rolls back.
    const newTask = memory.core
      .activeTasks({ role: 'www', environment: 'prod', name: 'web' })
      .find((id) => memory.core.task(id)?.priority === 7);
    expect(newTask).toBeDefined();
    await memory.command((c) => c.taskStatus(newTask ?? '', 'FAILED', 'crashed'));
    memory.advance(300_000);
    const waited = await borealis('update', 'wait', WEB);
    expect(waited.code).toBe(7);
    expect(waited.err).toMatch(/ROLLED_BACK/);
    const info = await borealis('update', 'info', WEB, '--json');
    expect(JSON.parse(info.out).status).toBe('ROLLED_BACK');
    expect((await borealis('update', 'list', 'test/www/prod/web')).out).toMatch(/ROLLED_BACK/);
  });

  it('adds instances, kills some and then all, with task queries in between', async () => {
    expect((await borealis('job', 'add', WEB, '2')).out).toMatch(/added 2/);
    const running = JSON.parse(
      (await borealis('task', 'list', 'test', '--job', 'www/prod/web', '--state', 'RUNNING', '--json')).out,
    );
    expect(running).toHaveLength(5);
    const events = await borealis('task', 'events', 'test', running[0].taskId);
    expect(events.out).toMatch(/PENDING[\s\S]*ASSIGNED[\s\S]*RUNNING/);
    expect((await borealis('job', 'kill', WEB, '--instances', '0,3-4')).out).toMatch(/killed 3/);
    expect((await borealis('job', 'diff', WEB, join(dir, 'web-5.json'), '--json')).code).toBe(0);
    expect((await borealis('job', 'killall', WEB)).out).toMatch(/killed 2/);
    const gone = await borealis('job', 'status', WEB);
    expect(gone.out).toMatch(/0\/\? live/);
    expect(gone.out).toMatch(/recent ended tasks:[\s\S]*KILLED/);
    expect((await borealis('job', 'status', 'test/www/prod/never')).code).toBe(3);
  });

  it('job create --wait ends with exit 7 when an ad-hoc instance fails for good', async () => {
    const ETL = 'test/www/prod/etl';
    expect((await borealis('job', 'create', ETL, join(dir, 'etl.json'))).code).toBe(0);
    const [first] = memory.core.activeTasks({ role: 'www', environment: 'prod', name: 'etl' });
    await memory.command((c) => c.taskStatus(first ?? '', 'FAILED', 'exit 1'));
    const waited = await borealis('job', 'create', ETL, join(dir, 'etl.json'), '--wait');
    expect(waited.code).toBe(7);
    expect(waited.err).toMatch(/www\/prod\/etl\/0 is FAILED/);
    await borealis('job', 'killall', ETL);
  });

  it('gives up waiting after --timeout with exit 8', async () => {
    const API = 'test/www/prod/api';
    expect((await borealis('job', 'create', API, join(dir, 'api.json'))).code).toBe(0);
    expect((await borealis('update', 'start', API, join(dir, 'api-v2.json'))).code).toBe(0);
    expect((await borealis('update', 'pause', API)).out).toMatch(/ROLL_FORWARD_PAUSED/);
    const waited = await borealis('update', 'wait', API, '--timeout', '1', '--interval', '1');
    expect(waited.code).toBe(8);
    expect(waited.err).toMatch(/gave up after 1 s/);
    expect((await borealis('update', 'abort', API)).out).toMatch(/ABORTED/);
  });
});

describe('cron, quota, maintenance, admin', () => {
  it('schedules, shows and deschedules a cron job', async () => {
    const c = 'test/batch/prod/nightly';
    expect((await borealis('cron', 'schedule', c, join(dir, 'cron.json'))).out).toMatch(
      /scheduled .* "0 3 \* \* \*"/,
    );
    const shown = JSON.parse((await borealis('cron', 'show', c, '--count', '2', '--json')).out);
    expect(shown.nextFires).toHaveLength(2);
    expect((await borealis('cron', 'deschedule', c)).code).toBe(0);
    expect((await borealis('cron', 'show', c)).code).toBe(3);
  });

  it('sets and gets quotas, drains hosts, snapshots', async () => {
    expect(
      (await borealis('quota', 'set', 'test/www', '--cpu', '20', '--ram-mb', '8192', '--disk-mb', '8192'))
        .code,
    ).toBe(0);
    expect((await borealis('quota', 'get', 'test/www')).out).toMatch(/www\s+cpu\s+20/);
    expect((await borealis('admin', 'maintenance', 'drain', 'test', 'host-6')).out).toMatch(/host-6\s+DRAIN/);
    expect((await borealis('admin', 'maintenance', 'status', 'test')).out).toMatch(/host-6/);
    expect((await borealis('admin', 'maintenance', 'activate', 'test', 'host-6')).out).toMatch(
      /host-6\s+NONE/,
    );
    expect((await borealis('admin', 'snapshot', 'test')).out).toMatch(/snapshot/);
  });
});

describe('errors scripts can rely on', () => {
  it('exit 5 without credentials, 0 with a token from the environment', async () => {
    const r = await borealis('job', 'list', 'secured');
    expect(r.code).toBe(5);
    expect(r.err).toMatch(/^secured: unauthorized/);
    process.env.BOREALIS_TOKEN = admin.token;
    try {
      const program = new Command('borealis').exitOverride();
      let out = '';
      userCommands({
        files,
        io: { out: (s) => (out += s), err: () => {}, env: process.env, progress: false },
      })(program);
      await program.parseAsync(['job', 'list', 'secured', '--json', '--cluster-file', clusterFile], {
        from: 'user',
      });
      expect(JSON.parse(out)).toEqual([]);
    } finally {
      delete process.env.BOREALIS_TOKEN;
    }
  });

  it('exit 6 when the scheduler is unreachable, 1 for an unknown cluster, 2 for a bad job path', async () => {
    const down = await borealis('job', 'list', 'down');
    expect(down.code).toBe(6);
    expect(down.err).toMatch(/cannot reach cluster down/);
    expect((await borealis('job', 'list', 'nowhere')).code).toBe(1);
    expect((await borealis('job', 'status', 'www/prod/web')).code).toBe(2);
  });
});
