import { describe, expect, it } from 'vitest';
import { parseZkAddress } from './connect-string.js';

describe('parseZkAddress', () => {
  it('reads a zk:// URL with several servers and a path', () => {
    expect(parseZkAddress('zk://a.example:2181,10.0.0.2:2182/mesos/')).toEqual({
      ok: true,
      value: { connect: 'a.example:2181,10.0.0.2:2182', path: '/mesos' },
    });
  });

  it('reads a bare connect string without a path', () => {
    expect(parseZkAddress(' 127.0.0.1:2181,h2:2182 ')).toEqual({
      ok: true,
      value: { connect: '127.0.0.1:2181,h2:2182', path: undefined },
    });
  });

  it.each([
    ['zk://u:p@h:2181/mesos', 'credentials'],
    ['h', "'h' in 'h' is not host:port"],
    ['h:99999', "'h:99999' in 'h:99999' is not host:port"],
    ['h:2181,', "'' in 'h:2181,' is not host:port"],
    ['http://h:2181/x', 'expected HOST:PORT'],
    ['h:2181/borealis', 'expected HOST:PORT'],
    ['', 'no ZooKeeper server'],
  ])('refuses %j naming the problem and the setting', (text, message) => {
    const parsed = parseZkAddress(text, '--zk');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems[0]?.path).toBe('--zk');
      expect(parsed.problems[0]?.message).toContain(message);
    }
  });
});
