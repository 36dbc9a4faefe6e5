import { afterEach, describe, expect, it, vi } from 'vitest';

// Each case loads the module afresh so its once-per-process cache starts empty.
async function load() {
  vi.resetModules();
  return import('./system-packages.js');
}

const saved = { PATH: process.env.PATH, CI: process.env.CI };

afterEach(() => {
  process.env.PATH = saved.PATH;
  if (saved.CI === undefined) delete process.env.CI;
  else process.env.CI = saved.CI;
  vi.restoreAllMocks();
});

describe('systemPackage', () => {
  it('skips with one line naming the package and its install command when it is missing', async () => {
    process.env.PATH = '/nonexistent';
    delete process.env.CI;
    const { systemPackage } = await load();
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    // java is not on this PATH, so zookeeper counts as missing whatever the machine has.
    expect(systemPackage('zookeeper', 'the leader election suite')).toBe(false);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/^skipped: the leader election suite needs Debian's zookeeper/);
    expect(writes[0]).toContain('apt-get install zookeeper');
  });

  it('fails instead under CI=true', async () => {
    process.env.PATH = '/nonexistent';
    process.env.CI = 'true';
    const { systemPackage } = await load();
    expect(() => systemPackage('zookeeper', 'the leader election suite')).toThrow(
      /CI=true.*zookeeper.*apt-get install zookeeper/,
    );
  });

  it('treats CI=false and an empty CI as not CI', async () => {
    const { isCi } = await load();
    process.env.CI = 'false';
    expect(isCi()).toBe(false);
    process.env.CI = '';
    expect(isCi()).toBe(false);
    process.env.CI = '1';
    expect(isCi()).toBe(true);
  });
});
