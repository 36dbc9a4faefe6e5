import { describe, expect, it } from 'vitest';
import { leaderNode, masterUrl, parseMasterSource, parseZooKeeperUrl } from './masters.js';

describe('master sources', () => {
  it('parses zk:// URLs with several hosts and a path', () => {
    expect(parseZooKeeperUrl('zk://h1:2181,h2:2182/mesos')).toEqual({
      ok: true,
      value: { kind: 'zookeeper', connect: 'h1:2181,h2:2182', path: '/mesos' },
    });
    expect(parseMasterSource('zk://10.0.0.1:2181/')).toMatchObject({ ok: true, value: { path: '/' } });
    expect(parseMasterSource('zk://10.0.0.1:2181')).toMatchObject({ ok: true, value: { path: '/mesos' } });
  });

  it('names what is wrong with a bad spec', () => {
    expect(parseZooKeeperUrl('zk://h1/mesos', 'scheduler.master')).toEqual({
      ok: false,
      problems: [{ path: 'scheduler.master', message: "'h1' in 'zk://h1/mesos' is not host:port" }],
    });
    expect(parseMasterSource('ftp://m:5050')).toMatchObject({ ok: false });
    expect(parseMasterSource('zk://a:1/m, http://b:5050')).toMatchObject({ ok: false });
    expect(parseMasterSource([])).toMatchObject({ ok: false });
  });

  it('parses a list of master URLs (bare host:port means http)', () => {
    const r = parseMasterSource('m1:5050, https://m2:5050/ignored/path');
    expect(r.ok && r.value.kind === 'urls' && r.value.urls.map(String)).toEqual([
      'http://m1:5050/',
      'https://m2:5050/',
    ]);
  });
});

describe('leaderNode', () => {
  it('picks the lowest sequence number, parsing the digits after the last underscore', () => {
    expect(leaderNode(['json.info_0000000012', 'json.info_0000000002', 'json.info_0000000007'])).toBe(
      'json.info_0000000002',
    );
  });

  it('ignores other children and has no leader without members', () => {
    expect(leaderNode(['log_replicas', 'info_0000000001', 'json.info_0000000004'])).toBe(
      'json.info_0000000004',
    );
    expect(leaderNode(['log_replicas', 'info_0000000001'])).toBeUndefined();
    expect(leaderNode([])).toBeUndefined();
  });

  it('compares numbers, not strings', () => {
    expect(leaderNode(['json.info_10', 'json.info_9'])).toBe('json.info_9');
  });
});

describe('masterUrl', () => {
  it('prefers address.hostname, then the ip, then the packed ip', () => {
    const base = { id: 'm', ip: 16777343, port: 5050 };
    expect(String(masterUrl({ ...base, address: { hostname: 'master1', ip: '10.0.0.1', port: 5051 } }))).toBe(
      'http://master1:5051/',
    );
    expect(String(masterUrl({ ...base, address: { ip: '10.0.0.1', port: 5050 } }))).toBe(
      'http://10.0.0.1:5050/',
    );
    expect(String(masterUrl(base))).toBe('http://127.0.0.1:5050/');
  });
});
