import { describe, expect, it } from 'vitest';
import { createApiServer } from './server.js';
import { cronJob, webJob } from './testing/fixtures.js';
import { MemoryCore } from './testing/memory-core.js';

const WEB = '/api/v1/jobs/www/prod/web';
// biome-ignore lint/suspicious/noExplicitAny: tests read JSON answers field by field
type Json = any;

function setup() {
  const memory = new MemoryCore();
  const api = createApiServer({ core: memory, leadership: memory, hooks: memory.hooks });
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => {
    const res = await api.app.inject({ method, url, ...(body !== undefined && { payload: body as object }) });
    return {
      status: res.statusCode,
      body: res.body ? (JSON.parse(res.body) as Json) : undefined,
      headers: res.headers,
    };
  };
  return { memory, api, call };
}

describe('jobs', () => {
  it('creates a job whose instances run, and a retried create returns the same result', async () => {
    const { call } = setup();
    const first = await call('POST', WEB, webJob());
    expect(first.status).toBe(201);
    expect(first.body.taskIds).toHaveLength(3);
    const again = await call('POST', WEB, webJob());
    expect(again.status).toBe(200);
    expect(again.body.taskIds).toEqual(first.body.taskIds);
    const status = await call('GET', WEB);
    expect(status.body.instances.map((i: { state: string }) => i.state)).toEqual([
      'RUNNING',
      'RUNNING',
      'RUNNING',
    ]);
    expect(status.body.tasks[0].events.map((e: { state: string }) => e.state)).toContain('RUNNING');
    const list = await call('GET', '/api/v1/jobs?role=www');
    expect(list.body).toEqual([
      { job: 'www/prod/web', kind: 'service', instances: 3, active: 3, states: { RUNNING: 3 } },
    ]);
  });

  it('answers 409 to creating an existing job with another config, and changes nothing', async () => {
    const { call } = setup();
    await call('POST', WEB, webJob());
    const res = await call('POST', WEB, webJob({ instances: 5 }));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/already exists/);
    expect((await call('GET', WEB)).body.instances).toHaveLength(3);
  });

  it('rejects bad bodies with the field path: wrong types, unknown fields, bad keys, key mismatch', async () => {
    const { call, memory } = setup();
    const wrongType = await call('POST', WEB, webJob({ instances: 'three' }));
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.problems[0].path).toBe('instances');
    const unknown = await call('POST', WEB, webJob({ replicas: 3 }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/replicas/);
    const badKey = await call('POST', '/api/v1/jobs/www/prod/bad key!', webJob());
    expect(badKey.status).toBe(400);
    expect(badKey.body.problems[0].path).toBe('name');
    const mismatch = await call('POST', '/api/v1/jobs/www/prod/other', webJob());
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.problems[0].path).toBe('role');
    expect(memory.core.activeTasks({ role: 'www', environment: 'prod', name: 'web' })).toHaveLength(0);
  });

  it('answers 415 to a non-JSON body and 413 to a huge one', async () => {
    const { api, memory } = setup();
    const text = await api.app.inject({
      method: 'POST',
      url: WEB,
      headers: { 'content-type': 'text/plain' },
      payload: 'role: www',
    });
    expect(text.statusCode).toBe(415);
    const huge = await api.app.inject({
      method: 'POST',
      url: WEB,
      payload: webJob({ contact: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    expect(memory.core.activeTasks({ role: 'www', environment: 'prod', name: 'web' })).toHaveLength(0);
  });

  it('kills some instances, adds instances, restarts, diffs and kills all', async () => {
    const { call, memory } = setup();
    await call('POST', WEB, webJob());
    expect((await call('POST', `${WEB}/kill`, { instances: [2] })).body).toEqual({ killed: 1 });
    expect((await call('POST', `${WEB}/kill`, { instances: [] })).status).toBe(400);
    const added = await call('POST', `${WEB}/add`, { count: 2 });
    expect(added.body.taskIds).toHaveLength(2);
    const diff = await call('POST', `${WEB}/diff`, webJob({ instances: 4, priority: 5 }));
    expect(diff.body.instances).toEqual({ add: [], remove: [4], update: [0, 1, 2, 3] });
    expect(diff.body.changes).toContainEqual({ path: 'priority', from: 0, to: 5 });
    const restart = await call('POST', `${WEB}/restart`, { batchSize: 2 });
    expect(restart.body.operation).toBe('restart');
    memory.advance(120_000);
    expect((await call('GET', `${WEB}/update`)).body.status).toBe('ROLLED_FORWARD');
    expect((await call('POST', `${WEB}/killall`)).body).toEqual({ killed: 4 });
    expect((await call('GET', '/api/v1/jobs')).body).toEqual([]);
    expect((await call('POST', `${WEB}/killall`)).status).toBe(404);
  });
});

describe('updates', () => {
  it('rolls forward with per-instance progress, lists it, and rolls back to the earlier config', async () => {
    const { call, memory } = setup();
    await call('POST', WEB, webJob());
    const started = await call('POST', `${WEB}/update`, { job: webJob({ priority: 3 }) });
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('ROLLING_FORWARD');
    expect(started.body.total).toBe(3);
    expect((await call('POST', `${WEB}/update/pause`)).body.status).toBe('ROLL_FORWARD_PAUSED');
    expect((await call('POST', `${WEB}/update/resume`)).body.status).toBe('ROLLING_FORWARD');
    memory.advance(120_000);
    const done = await call('GET', `${WEB}/update`);
    expect(done.body.status).toBe('ROLLED_FORWARD');
    expect(done.body.done).toBe(3);
    expect((await call('GET', WEB)).body.config.priority).toBe(3);
    const back = await call('POST', `${WEB}/update/rollback`);
    expect(back.body.status).toBe('ROLLING_FORWARD');
    memory.advance(120_000);
    expect((await call('GET', WEB)).body.config.priority).toBe(0);
    const list = await call('GET', '/api/v1/updates?job=www/prod/web');
    expect(list.body.map((u: { status: string }) => u.status)).toEqual(['ROLLED_FORWARD', 'ROLLED_FORWARD']);
  });

  it('updates only the listed instances and locates problems in the nested job', async () => {
    const { call } = setup();
    await call('POST', WEB, webJob());
    const bad = await call('POST', `${WEB}/update`, { job: webJob({ instances: -1 }) });
    expect(bad.status).toBe(400);
    expect(bad.body.problems[0].path).toBe('job.instances');
    const extra = await call('POST', `${WEB}/update`, { job: webJob(), force: true });
    expect(extra.status).toBe(400);
    const some = await call('POST', `${WEB}/update`, { job: webJob({ priority: 1 }), instances: [1] });
    expect(some.body.instances.map((i: { instance: number }) => i.instance)).toEqual([1]);
    expect((await call('POST', `${WEB}/update`, { job: webJob({ priority: 2 }) })).status).toBe(409);
  });
});

describe('cron, tasks, quotas, maintenance, admin', () => {
  it('schedules a cron job, shows its next fire times and deschedules it', async () => {
    const { call } = setup();
    const url = '/api/v1/jobs/batch/prod/nightly/cron';
    expect((await call('PUT', url, cronJob())).status).toBe(200);
    const shown = await call('GET', `${url}?count=3`);
    expect(shown.body.nextFires).toEqual([3 * 3600_000, 27 * 3600_000, 51 * 3600_000]);
    expect((await call('PUT', url, webJob({ role: 'batch', name: 'nightly' }))).status).toBe(400);
    expect((await call('DELETE', url)).status).toBe(200);
    expect((await call('GET', url)).status).toBe(404);
  });

  it('queries tasks by job, state and host, with events and pending reasons', async () => {
    const { call } = setup();
    await call('POST', WEB, webJob({ instances: 2 }));
    await call(
      'POST',
      '/api/v1/jobs/www/prod/big',
      webJob({ name: 'big', instances: 1, task: { resources: { cpu: 64, ramMb: 1, diskMb: 1 } } }),
    );
    const running = await call('GET', '/api/v1/tasks?state=RUNNING');
    expect(running.body).toHaveLength(2);
    const host = running.body[0].host;
    expect(
      (await call('GET', `/api/v1/tasks?host=${host}`)).body.every((t: { host: string }) => t.host === host),
    ).toBe(true);
    const pending = await call('GET', '/api/v1/tasks?job=www/prod/big');
    expect(pending.body[0].state).toBe('PENDING');
    const why = await call('GET', '/api/v1/pending?job=www/prod/big');
    expect(why.body[0].message).toMatch(/cpu/);
    const task = await call('GET', `/api/v1/tasks/${pending.body[0].taskId}`);
    expect(task.body.placement.message).toMatch(/cpu/);
    const events = await call('GET', `/api/v1/tasks/${running.body[0].taskId}/events`);
    expect(events.body.map((e: { state: string }) => e.state)).toEqual([
      'PENDING',
      'ASSIGNED',
      'STARTING',
      'RUNNING',
    ]);
    expect((await call('GET', '/api/v1/tasks?state=RUNNIN')).status).toBe(400);
    expect((await call('GET', '/api/v1/tasks/nope')).status).toBe(404);
  });

  it('sets and reads quotas, drains and activates hosts, calls admin hooks', async () => {
    const { call, memory } = setup();
    expect(
      (await call('PUT', '/api/v1/quotas/www', { cpu: 10, ramMb: 4096, diskMb: 4096 })).body.quota,
    ).toEqual({
      cpu: 10,
      ramMb: 4096,
      diskMb: 4096,
      gpus: 0,
    });
    expect(
      (await call('PUT', '/api/v1/quotas/www', { cpu: -1, ramMb: 1, diskMb: 1 })).body.problems[0].path,
    ).toBe('cpu');
    expect((await call('GET', '/api/v1/quotas/www')).body.quota.cpu).toBe(10);
    const drained = await call('POST', '/api/v1/maintenance/drain', { hosts: ['host-1'] });
    expect(drained.body[0].mode).toMatch(/DRAIN/);
    expect((await call('GET', '/api/v1/maintenance')).body[0].host).toBe('host-1');
    expect((await call('POST', '/api/v1/maintenance/activate', { hosts: ['host-1'] })).body[0].mode).toBe(
      'NONE',
    );
    expect((await call('POST', '/api/v1/admin/snapshot')).body).toEqual({ snapshot: 1 });
    expect(memory.calls.snapshot).toBe(1);
    expect((await call('POST', '/api/v1/admin/reconcile')).status).toBe(200);
  });
});

describe('health, leadership, metrics, OpenAPI', () => {
  it('answers /leaderhealth 200 as leader; a standby redirects API calls to the leader', async () => {
    const { call, memory } = setup();
    expect((await call('GET', '/leaderhealth')).status).toBe(200);
    memory.leader = false;
    memory.leaderUrl = 'http://10.0.0.2:8081';
    expect((await call('GET', '/leaderhealth')).status).toBe(503);
    const redirected = await call('GET', '/api/v1/jobs?role=www');
    expect(redirected.status).toBe(307);
    expect(redirected.headers.location).toBe('http://10.0.0.2:8081/api/v1/jobs?role=www');
    expect((await call('GET', '/health')).status).toBe(200);
  });

  it('exports Prometheus metrics that move when tasks launch', async () => {
    const { api, call } = setup();
    const scrape = async () => (await api.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(await scrape()).toMatch(/^borealis_tasks\{state="RUNNING"\} 0$/m);
    await call('POST', WEB, webJob());
    const text = await scrape();
    expect(text).toMatch(/^borealis_tasks\{state="RUNNING"\} 3$/m);
    expect(text).toMatch(/^borealis_placements_total 3$/m);
    expect(text).toMatch(
      /^borealis_api_requests_total\{method="POST",route="\/api\/v1\/jobs\/:role\/:environment\/:name",status="201"\} 1$/m,
    );
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#')))
      expect(line).toMatch(
        /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_]\w*="(?:[^"\\]|\\.)*",?)*\})? -?[0-9.e+Inf-]+$/,
      );
  });

  it('serves an OpenAPI document with the job schema as the create body', async () => {
    const { call } = setup();
    const doc = (await call('GET', '/api/v1/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    const create = doc.paths['/api/v1/jobs/{role}/{environment}/{name}'].post;
    expect(create.requestBody.content['application/json'].schema.properties.task).toBeDefined();
    expect(create.parameters.map((p: { name: string }) => p.name)).toEqual(['role', 'environment', 'name']);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(15);
  });
});
