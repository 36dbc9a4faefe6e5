import { describe, expect, it } from 'vitest';
import { followRedirects, MAX_REDIRECTS } from './redirects.js';

type Answer = { status: number; headers: Record<string, string> };

describe('followRedirects', () => {
  it('resolves protocol-relative and relative Locations against the URL that answered', async () => {
    const seen: string[] = [];
    const answers: Record<string, Answer> = {
      'http://m1:5050/api/v1/scheduler': {
        status: 307,
        headers: { location: '//m2:5050/master/api/v1/scheduler' },
      },
      'http://m2:5050/master/api/v1/scheduler': { status: 307, headers: { location: '/elsewhere' } },
      'http://m2:5050/elsewhere': { status: 202, headers: {} },
    };
    const { response, url } = await followRedirects(new URL('http://m1:5050/api/v1/scheduler'), async (u) => {
      seen.push(u.href);
      return answers[u.href]!;
    });
    expect(response.status).toBe(202);
    expect(url.href).toBe('http://m2:5050/elsewhere');
    expect(seen).toHaveLength(3);
  });

  it('gives up on a redirect without Location and on a loop', async () => {
    await expect(
      followRedirects(new URL('http://m1/'), async () => ({ status: 307, headers: {} })),
    ).rejects.toThrow(/without a Location/);
    let hops = 0;
    await expect(
      followRedirects(new URL('http://m1/'), async () => {
        hops++;
        return { status: 307, headers: { location: '//m1/' } };
      }),
    ).rejects.toThrow(/more than 5 redirects/);
    expect(hops).toBe(MAX_REDIRECTS + 1);
  });
});
