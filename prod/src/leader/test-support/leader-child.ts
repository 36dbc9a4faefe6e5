/**
 * A replica in a child process, for the election fault tests (run with `node --import tsx`):
 *
 *   leader-child.ts CONNECT ELECTION_PATH STORAGE_ROOT URL SESSION_MS
 *
 * Joins the election; once leader ("leader EPOCH"), recovers the ZooKeeper store and commits
 * [{ key: "URL:N" }] every 20 ms, printing "ack KEY" after each durable commit and "refused" when
 * a write fails. Prints "paused" on pause; on abdicate prints "abdicate REASON" and exits with 3.
 */
import { ZkStorage } from '../../storage/zk-storage.js';
import { connectZk } from '../../zk/client.js';
import { LeaderElection } from '../election.js';

const [connect, path, storageRoot, url, sessionMs] = process.argv.slice(2);
if (!connect || !path || !storageRoot || !url) {
  process.stderr.write('usage: leader-child.ts CONNECT ELECTION_PATH STORAGE_ROOT URL SESSION_MS\n');
  process.exit(2);
}
const say = (line: string) => process.stdout.write(`${line}\n`);
const client = await connectZk(connect, { sessionTimeoutMs: Number(sessionMs ?? 2000) });
let paused = false;
const election = new LeaderElection({
  client,
  path,
  url,
  storageRoot,
  onElected: (epoch) => {
    say(`leader ${epoch}`);
    void lead(epoch);
  },
  pause: () => {
    paused = true;
    say('paused');
  },
  resume: () => {
    paused = false;
    say('resumed');
  },
  abdicate: (reason) => {
    say(`abdicate ${reason}`);
    process.exit(3);
  },
});

async function lead(epoch: number): Promise<void> {
  const store = new ZkStorage(client, storageRoot!, { epoch });
  await store.recover();
  for (let n = 0; ; n++) {
    await new Promise((r) => setTimeout(r, 20));
    // A paused leader keeps trying here on purpose: the test checks that fencing, not the pause,
    // is what stops a deposed leader's writes.
    const key = `${url}:${n}`;
    try {
      await store.commit([{ key }]);
      say(`ack ${key}${paused ? ' (paused)' : ''}`);
    } catch {
      say('refused');
      return;
    }
  }
}

await election.start();
say(`joined ${election.memberName}`);
