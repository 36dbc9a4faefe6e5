import { describe, expect, it } from 'vitest';
import { parseZkAddress } from './connect-string.js';

describe('parseZkAddress', () => {
  it('reads a zk:// URL with several servers and a path', () => {
    const parsed = parseZkAddress('zk://a.example:2181,10.0.0.2:2182/mesos/');
    expect(parsed).toEqual({
      ok: true,
      value: {
        servers: [
          { host: 'a.example', port: 2181 },
          { host: '10.0.0.2', port: 2182 },
        ],
        connect: 'a.example:2181,10.0.0.2:2182',
        path: '/mesos',
      },
    });
  });

  it('reads a bare connect string without a path', () => {
    const parsed = parseZkAddress('127.0.0.1:2181');
    expect(parsed.ok && parsed.value.path).toBe(undefined);
    expect(parsed.ok && parsed.value.connect).toBe('127.0.0.1:2181');
  });

  it.each([
    ['zk://h:2181', 'no znode path'],
    ['zk://h:2181/', 'empty znode path'],
    ['zk://u:p@h:2181/mesos', 'credentials'],
    ['h', 'port is required'],
    ['h:99999', 'port "99999"'],
    ['h:2181,', 'server 2 ""'],
    ['http://h:2181/x', 'only zk://'],
    ['', 'no ZooKeeper server'],
    ['bad_host:1', 'not a host name'],
  ])('refuses %j naming the problem', (text, message) => {
    const parsed = parseZkAddress(text, '--zk');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems[0]?.path).toContain('--zk');
      expect(`${parsed.problems[0]?.path} ${parsed.problems[0]?.message}`).toContain(message);
    }
  });
});
