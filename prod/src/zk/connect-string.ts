import { fail, ok, type Result } from '@borealis/core';
import { parseZooKeeperUrl } from '../mesos/client/masters.js';

/**
 * A parsed ZooKeeper address: the ensemble as node-zookeeper-client's connect string, and the
 * znode path when the address named one.
 */
export interface ZkAddress {
  /** `HOST:PORT,HOST:PORT`, the form createClient takes. */
  readonly connect: string;
  /** `/mesos` for `zk://h:2181/mesos`; undefined for a bare `HOST:PORT,...`. */
  readonly path: string | undefined;
}

/**
 * Parses `zk://HOST:PORT[,HOST:PORT...]/path` (Mesos's master address form) or a bare
 * `HOST:PORT[,HOST:PORT...]` (the scheduler's own `--zk`). The zk:// form is the Mesos client's
 * parser (mesos/client/masters.ts), so both read addresses the same way; a bare list is checked by
 * that same parser and its messages name the text as the user wrote it.
 */
export function parseZkAddress(text: string, where = 'ZooKeeper address'): Result<ZkAddress> {
  const trimmed = text.trim();
  if (trimmed.startsWith('zk://')) {
    const parsed = parseZooKeeperUrl(trimmed, where);
    if (!parsed.ok) return parsed;
    if (parsed.value.kind !== 'zookeeper') return fail(where, `'${text}' is not a zk:// address`);
    return ok({ connect: parsed.value.connect, path: parsed.value.path });
  }
  if (trimmed === '') return fail(where, 'no ZooKeeper server given (expected HOST:PORT[,HOST:PORT...])');
  if (/^[a-z]+:\/\//i.test(trimmed) || trimmed.includes('/')) {
    return fail(where, `'${text}': expected HOST:PORT[,HOST:PORT...] or zk://HOST:PORT[,...]/path`);
  }
  const parsed = parseZooKeeperUrl(`zk://${trimmed}`, where);
  if (!parsed.ok) {
    return {
      ok: false,
      problems: parsed.problems.map((p) => ({
        ...p,
        message: p.message.replaceAll(`zk://${trimmed}`, trimmed),
      })),
    };
  }
  if (parsed.value.kind !== 'zookeeper') return fail(where, `'${text}' is not a ZooKeeper connect string`);
  return ok({ connect: parsed.value.connect, path: undefined });
}
