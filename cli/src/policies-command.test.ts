import { DEFAULT_POLICY, POLICIES } from '@borealis/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.js';
import { formatPolicies } from './policies-command.js';

afterEach(() => {
  vi.restoreAllMocks();
});

async function run(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const code = await main(args);
  vi.restoreAllMocks();
  return { code, out };
}

describe('borealis policies', () => {
  it('lists every policy with its description and marks the default', async () => {
    const { code, out } = await run('policies');
    expect(code).toBe(0);
    for (const p of POLICIES) expect(out).toMatch(new RegExp(`^${p.name}\\b`, 'm'));
    expect(out).toContain(`${DEFAULT_POLICY} (default)`);
    expect(out.match(/\(default\)/g)).toHaveLength(1);
    expect(out).toContain('random-k [seeded]');
  });

  it('prints JSON with --json', async () => {
    const { code, out } = await run('policies', '--json');
    expect(code).toBe(0);
    const list = JSON.parse(out) as { name: string; default: boolean; description: string }[];
    expect(list.map((p) => p.name)).toEqual(POLICIES.map((p) => p.name));
    expect(list.filter((p) => p.default).map((p) => p.name)).toEqual([DEFAULT_POLICY]);
    expect(list.every((p) => p.description.length > 80)).toBe(true);
  });

  it('wraps descriptions to the width', () => {
    const text = formatPolicies(POLICIES, 60);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });
});
