import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesRequest } from '../emulator/files-api.js';
import { httpSandboxes, mesosLayoutLocator } from './sandbox.js';
import { createApiServer } from './server.js';
import { MemoryCore } from './testing/memory-core.js';

/** An agent serving the Mesos files API over a real directory (the emulator's implementation). */
let work: string;
let agent: Server;
let agentUrl: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'borealis-sandbox-'));
  const sandbox = join(work, 'task-1');
  mkdirSync(join(sandbox, 'logs'), { recursive: true });
  writeFileSync(join(sandbox, 'stdout'), 'hello from the task\n');
  writeFileSync(join(sandbox, 'stderr'), '');
  agent = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const reply = filesRequest(work, url.pathname, url.searchParams);
    res.statusCode = reply?.status ?? 404;
    res.end(reply?.json !== undefined ? JSON.stringify(reply.json) : (reply?.body ?? ''));
  });
  await new Promise<void>((r) => agent.listen(0, '127.0.0.1', r));
  const address = agent.address();
  agentUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => {
  agent.close();
  rmSync(work, { recursive: true, force: true });
});

function setup() {
  const sandboxes = httpSandboxes(async (taskId) =>
    taskId === 'task-1' ? { agentUrl, directory: join(work, 'task-1') } : undefined,
  );
  return createApiServer({ core: new MemoryCore(), sandboxes });
}

describe('task sandboxes through the agent files API', () => {
  it('lists the sandbox and reads stdout, and its size with offset -1', async () => {
    const api = setup();
    const list = await api.app.inject({ url: '/api/v1/tasks/task-1/files' });
    expect(list.statusCode).toBe(200);
    expect(
      JSON.parse(list.body).map((e: { path: string; directory: boolean }) => [e.path, e.directory]),
    ).toEqual([
      ['logs', true],
      ['stderr', false],
      ['stdout', false],
    ]);
    const read = await api.app.inject({ url: '/api/v1/tasks/task-1/files/read?path=stdout&offset=6' });
    expect(JSON.parse(read.body)).toEqual({ path: 'stdout', offset: 6, data: 'from the task\n' });
    const size = await api.app.inject({ url: '/api/v1/tasks/task-1/files/read?path=stdout&offset=-1' });
    expect(JSON.parse(size.body).offset).toBe(20);
  });

  it('refuses paths that leave the sandbox and reports missing files and tasks as 404', async () => {
    const api = setup();
    expect((await api.app.inject({ url: '/api/v1/tasks/task-1/files/read?path=../x' })).statusCode).toBe(400);
    expect((await api.app.inject({ url: '/api/v1/tasks/task-1/files/read?path=nope' })).statusCode).toBe(404);
    expect((await api.app.inject({ url: '/api/v1/tasks/task-2/files' })).statusCode).toBe(404);
  });

  it('finds a sandbox in the Mesos work directory layout, taking the newest run', async () => {
    const runs = join(work, 'slaves', 'agent-7', 'frameworks', 'fw-1', 'executors', 'task-9', 'runs');
    mkdirSync(join(runs, 'run-old'), { recursive: true });
    writeFileSync(join(runs, 'run-old', 'stdout'), 'old\n');
    mkdirSync(join(runs, 'run-new'), { recursive: true });
    writeFileSync(join(runs, 'run-new', 'stdout'), 'new\n');
    utimesSync(join(runs, 'run-old'), new Date(1_000_000), new Date(1_000_000));
    const locate = mesosLayoutLocator({
      workDir: work,
      frameworkId: () => 'fw-1',
      agentOf: (taskId) => (taskId === 'task-9' ? { agentUrl, agentId: 'agent-7' } : undefined),
    });
    const api = createApiServer({ core: new MemoryCore(), sandboxes: httpSandboxes(locate) });
    const read = await api.app.inject({ url: '/api/v1/tasks/task-9/files/read?path=stdout' });
    expect(JSON.parse(read.body).data).toBe('new\n');
    expect((await api.app.inject({ url: '/api/v1/tasks/task-8/files' })).statusCode).toBe(404);
  });

  it('answers 503 when the scheduler has no sandbox reader', async () => {
    const api = createApiServer({ core: new MemoryCore() });
    expect((await api.app.inject({ url: '/api/v1/tasks/task-1/files' })).statusCode).toBe(503);
  });
});
