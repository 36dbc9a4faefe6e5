import { fail, ok, type Result } from '@borealis/core';
import type { MasterInfo } from '../mesos-types.js';

/**
 * Where the Mesos masters are: a ZooKeeper URL (`zk://h1:2181,h2:2181/mesos`, the leader is read from
 * the masters' `json.info_` nodes) or a list of master URLs (tried in turn; a standby redirects).
 */
export type MasterSource =
  | { readonly kind: 'zookeeper'; readonly connect: string; readonly path: string }
  | { readonly kind: 'urls'; readonly urls: readonly URL[] };

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** Parses `zk://host:port[,host:port...]/path`. `field` names the setting in messages. */
export function parseZooKeeperUrl(text: string, field = 'master'): Result<MasterSource> {
  const m = /^zk:\/\/([^/]+)(\/.*)?$/.exec(text.trim());
  if (!m) return fail(field, `'${text}' is not a zk://host:port[,host:port]/path URL`);
  const hosts = m[1]!.split(',');
  for (const host of hosts) {
    if (host.includes('@'))
      return fail(field, `'${text}': ZooKeeper credentials in the URL are not supported`);
    const hp = HOST_PORT.exec(host);
    if (!hp || Number(hp[2]) < 1 || Number(hp[2]) > 65535) {
      return fail(field, `'${host}' in '${text}' is not host:port`);
    }
  }
  if (m[2] !== undefined && !/^\/[A-Za-z0-9._/-]*$/.test(m[2])) {
    return fail(field, `'${m[2]}' in '${text}' is not a ZooKeeper path`);
  }
  const path = (m[2] ?? '/mesos').replace(/\/+$/, '') || '/';
  return ok({ kind: 'zookeeper', connect: hosts.join(','), path });
}

/** Parses one master address: `http(s)://host:port` or bare `host:port` (http). */
export function parseMasterUrl(text: string, field = 'master'): Result<URL> {
  const t = text.trim();
  const withScheme = /^[a-z]+:\/\//i.test(t) ? t : `http://${t}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail(field, `'${text}' is not a master URL (http://host:port)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return fail(field, `'${text}': a master URL must be http or https`);
  }
  return ok(new URL(`${url.protocol}//${url.host}`));
}

/** `zk://...`, or one or more master URLs separated by commas (or given as a list). */
export function parseMasterSource(spec: string | readonly string[], field = 'master'): Result<MasterSource> {
  const parts = (typeof spec === 'string' ? [spec] : spec).flatMap((s) =>
    s.trim().startsWith('zk://') ? [s.trim()] : s.split(','),
  );
  const nonEmpty = parts.map((p) => p.trim()).filter((p) => p.length > 0);
  if (nonEmpty.length === 0) return fail(field, 'no master given (zk://host:port/mesos or http://host:port)');
  if (nonEmpty.some((p) => p.startsWith('zk://'))) {
    if (nonEmpty.length > 1)
      return fail(field, 'give either one zk:// URL or a list of master URLs, not both');
    return parseZooKeeperUrl(nonEmpty[0]!, field);
  }
  const urls: URL[] = [];
  for (const p of nonEmpty) {
    const r = parseMasterUrl(p, field);
    if (!r.ok) return r;
    urls.push(r.value);
  }
  return ok({ kind: 'urls', urls });
}

/**
 * The leader's node among the children of the masters' ZooKeeper folder: the `json.info_<seq>` node with
 * the lowest sequence number (read as the digits after the last `_`; numbers need not be contiguous).
 * Other children (`log_replicas`, old binary `info_` nodes) are ignored. Undefined: no leader.
 */
export function leaderNode(children: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestSeq = Number.POSITIVE_INFINITY;
  for (const child of children) {
    if (!child.startsWith('json.info_')) continue;
    const digits = child.slice(child.lastIndexOf('_') + 1);
    if (!/^\d+$/.test(digits)) continue;
    const seq = Number(digits);
    if (seq < bestSeq) {
      bestSeq = seq;
      best = child;
    }
  }
  return best;
}

/** The HTTP base URL of a master from its MasterInfo (as a master writes it into ZooKeeper). */
export function masterUrl(info: MasterInfo, scheme: 'http' | 'https' = 'http'): URL {
  const address = info.address;
  const host = address?.hostname || address?.ip || info.hostname || packedIpv4(info.ip);
  const port = address?.port ?? info.port;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return new URL(`${scheme}://${bracketed}:${port}`);
}

/** MasterInfo.ip is an IPv4 address in network byte order read as a little-endian uint32. */
function packedIpv4(ip: number): string {
  return [ip & 0xff, (ip >>> 8) & 0xff, (ip >>> 16) & 0xff, (ip >>> 24) & 0xff].join('.');
}
