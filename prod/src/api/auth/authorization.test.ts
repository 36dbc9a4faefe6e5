import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createApiServer, ROUTES } from '../server.js';
import { MemoryCore } from '../testing/memory-core.js';
import { hashPassword, newToken } from './passwords.js';
import { parseUsers } from './users.js';

const tokens = { other: newToken(), member: newToken(), admin: newToken() };
const CALLERS = ['anonymous', 'other', 'member', 'admin'] as const;
type Caller = (typeof CALLERS)[number];

async function setup(readsOpen: boolean) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const users = parseUsers(
    {
      readsOpen,
      users: [
        { name: 'olga', tokens: [tokens.other.hash], roles: ['batch'] },
        {
          name: 'wendy',
          tokens: [tokens.member.hash],
          roles: ['www'],
          password: await hashPassword('s3cret'),
        },
        { name: 'root', tokens: [tokens.admin.hash], admin: true },
      ],
    },
    'test',
  );
  const memory = new MemoryCore();
  const api = createApiServer({
    core: memory,
    hooks: memory.hooks,
    users,
    logger: pino({ level: 'info' }, sink),
  });
  return { api, lines };
}

function headers(caller: Caller): Record<string, string> {
  return caller === 'anonymous' ? {} : { authorization: `Bearer ${tokens[caller].token}` };
}

/** What each kind of access allows: true = gets past authorization (any status but 401/403). */
const EXPECTED: Record<string, Record<Caller, number | 'pass'>> = {
  read: { anonymous: 401, other: 'pass', member: 'pass', admin: 'pass' },
  role: { anonymous: 401, other: 403, member: 'pass', admin: 'pass' },
  admin: { anonymous: 401, other: 403, member: 403, admin: 'pass' },
};

describe('authorization matrix: every endpoint × {anonymous, other role, role user, admin}', async () => {
  const { api } = await setup(false);
  for (const route of ROUTES) {
    const url = route.url
      .replace(':role', 'www')
      .replace(':environment', 'prod')
      .replace(':name', 'web')
      .replace(':taskId', 'www-prod-web-0');
    const kind = route.access({ params: { role: 'www' }, query: {} }).kind;
    it(`${route.method} ${route.url} (${kind})`, async () => {
      for (const caller of CALLERS) {
        const res = await api.app.inject({
          method: route.method,
          url,
          headers: headers(caller),
          ...(route.method !== 'GET' && route.method !== 'DELETE' && { payload: {} }),
        });
        const want = EXPECTED[kind]?.[caller];
        if (want === 'pass') expect([401, 403], `${caller}: ${res.body}`).not.toContain(res.statusCode);
        else expect(res.statusCode, `${caller}: ${res.body}`).toBe(want);
        if (res.statusCode === 401) expect(res.headers['www-authenticate']).toMatch(/Basic/);
      }
    });
  }
});

describe('authentication', () => {
  it('accepts a scrypt-checked password once and refuses a wrong one; logs every decision', async () => {
    const { api, lines } = await setup(false);
    const basic = (pw: string) => `Basic ${Buffer.from(`wendy:${pw}`).toString('base64')}`;
    const ok = await api.app.inject({
      method: 'GET',
      url: '/api/v1/jobs',
      headers: { authorization: basic('s3cret') },
    });
    expect(ok.statusCode).toBe(200);
    const bad = await api.app.inject({
      method: 'GET',
      url: '/api/v1/jobs',
      headers: { authorization: basic('guess') },
    });
    expect(bad.statusCode).toBe(401);
    const badToken = await api.app.inject({
      method: 'GET',
      url: '/api/v1/jobs',
      headers: { authorization: 'Bearer nope' },
    });
    expect(badToken.statusCode).toBe(401);
    const decisions = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'authorization');
    expect(decisions.map((d) => d.allow)).toEqual([true, false, false]);
    expect(decisions[0]).toMatchObject({ user: 'wendy', route: '/api/v1/jobs', need: 'read' });
  });

  it('lets anonymous reads through when reads are open, but not changes', async () => {
    const { api } = await setup(true);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/jobs' })).statusCode).toBe(200);
    expect(
      (await api.app.inject({ method: 'POST', url: '/api/v1/jobs/www/prod/web/killall' })).statusCode,
    ).toBe(401);
    expect((await api.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
  });

  it('refuses users files with plaintext passwords or duplicate users, naming the field', () => {
    expect(() => parseUsers({ users: [{ name: 'a', password: 'hunter2' }] }, 'users.yaml')).toThrow(
      /users\.0\.password/,
    );
    expect(() => parseUsers({ users: [{ name: 'a' }, { name: 'a' }] }, 'users.yaml')).toThrow(/listed twice/);
    expect(() => parseUsers({ users: [], extra: 1 }, 'users.yaml')).toThrow(/extra/);
  });
});
