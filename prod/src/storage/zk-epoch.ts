import { isNoNode, mkdirp, setData, type ZkClient } from '../zk/client.js';

/**
 * The fencing token of the ZooKeeper store: the version of the `ROOT/epoch` znode. A replica that
 * becomes leader bumps it (one setData) and hands the new version to its ZkStorage; every write of
 * the store is a multi that starts with check(ROOT/epoch, thatVersion), so once a newer leader has
 * bumped the epoch, nothing the old one sends can apply.
 */
export function epochPath(root: string): string {
  return `${root}/epoch`;
}

/** Advances the epoch and returns the new token (the znode's version). */
export async function bumpEpoch(client: ZkClient, root: string, holder: string): Promise<number> {
  const path = epochPath(root);
  const data = Buffer.from(JSON.stringify({ holder, at: new Date().toISOString() }));
  try {
    return (await setData(client, path, data)).version;
  } catch (error) {
    if (!isNoNode(error)) throw error;
    await mkdirp(client, path);
    return (await setData(client, path, data)).version;
  }
}
