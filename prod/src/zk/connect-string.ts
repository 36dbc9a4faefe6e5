import { fail, ok, type Result } from '@borealis/core';

/** One ZooKeeper server of an ensemble. */
export interface ZkServer {
  readonly host: string;
  readonly port: number;
}

/** A parsed ZooKeeper address: the ensemble, and the znode path when the address named one. */
export interface ZkAddress {
  readonly servers: readonly ZkServer[];
  /** `HOST:PORT,HOST:PORT`, the form node-zookeeper-client's createClient takes. */
  readonly connect: string;
  /** `/mesos` for `zk://h:2181/mesos`; undefined for a bare `HOST:PORT,...`. */
  readonly path: string | undefined;
}

const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)$/;

function parseServers(list: string, where: string): Result<ZkServer[]> {
  if (list === '') return fail(where, 'no ZooKeeper server given (expected HOST:PORT[,HOST:PORT...])');
  const servers: ZkServer[] = [];
  for (const [index, item] of list.split(',').entries()) {
    const at = `${where} server ${index + 1} "${item}"`;
    const colon = item.lastIndexOf(':');
    if (colon <= 0) return fail(at, 'expected HOST:PORT (the port is required)');
    const host = item.slice(0, colon);
    const portText = item.slice(colon + 1);
    if (!HOST.test(host)) return fail(at, `"${host}" is not a host name or address`);
    if (!/^[0-9]{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return fail(at, `port "${portText}" is not a number from 1 to 65535`);
    }
    servers.push({ host, port: Number(portText) });
  }
  return ok(servers);
}

/**
 * Parses `zk://HOST:PORT[,HOST:PORT...]/path` (Mesos's master address form; the path is required)
 * or a bare `HOST:PORT[,HOST:PORT...]` (the scheduler's own `--zk`). Credentials in the URL
 * (`zk://user:pass@...`) are refused: nothing here can use them.
 */
export function parseZkAddress(text: string, where = 'ZooKeeper address'): Result<ZkAddress> {
  const trimmed = text.trim();
  if (trimmed.startsWith('zk://')) {
    const rest = trimmed.slice('zk://'.length);
    const slash = rest.indexOf('/');
    if (slash < 0) return fail(where, `"${text}" has no znode path (expected zk://HOST:PORT,.../path)`);
    const list = rest.slice(0, slash);
    const path = rest.slice(slash).replace(/\/+$/, '');
    if (list.includes('@')) return fail(where, `"${text}": credentials in a zk:// address are not supported`);
    if (path === '')
      return fail(where, `"${text}" has an empty znode path (expected zk://HOST:PORT,.../path)`);
    if (path.includes('//')) return fail(where, `"${text}": the znode path "${path}" has an empty segment`);
    const servers = parseServers(list, where);
    if (!servers.ok) return servers;
    return ok({ servers: servers.value, connect: list, path });
  }
  if (/^[a-z]+:\/\//i.test(trimmed)) {
    return fail(where, `"${text}": only zk:// addresses or HOST:PORT[,HOST:PORT...] are understood`);
  }
  const servers = parseServers(trimmed, where);
  if (!servers.ok) return servers;
  return ok({ servers: servers.value, connect: trimmed, path: undefined });
}
