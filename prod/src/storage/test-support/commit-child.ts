/**
 * A child process for the storage crash tests (run with `node --import tsx`):
 *
 *   commit-child.ts loop DIR        commits forever, 4 in flight, a snapshot every 150 groups;
 *                                   prints "ack LIFE:N" once that group's commit has resolved
 *   commit-child.ts count DIR N     N sequential commits, then one snapshot, then exits
 *
 * In loop mode each group is [{ key: "LIFE:N" }] (LIFE = the store's generation) and a snapshot
 * image is { ns: [...] } holding every key committed before it, earlier lives included.
 */
import { FileStorage } from '../file-storage.js';

const [mode, dir, count] = process.argv.slice(2);
if (!dir || (mode !== 'loop' && mode !== 'count')) {
  process.stderr.write('usage: commit-child.ts loop|count DIR [N]\n');
  process.exit(2);
}
const store = new FileStorage(dir);
const recovered = await store.recover();
const life = recovered.meta.generation;
if (mode === 'count') {
  for (let n = 0; n < Number(count ?? 10); n++) await store.commit([{ n }]);
  await store.writeSnapshot({ ns: [] });
  await store.close();
  process.exit(0);
}
// Everything earlier lives committed, so each snapshot holds the whole history.
const applied: string[] = [...((recovered.snapshot as { ns?: string[] } | undefined)?.ns ?? [])];
for (const group of recovered.groups) for (const r of group.records) applied.push((r as { key: string }).key);
let next = 0;
let snapshotting = false;
const worker = async (): Promise<void> => {
  for (;;) {
    const n = next++;
    const key = `${life}:${n}`;
    applied.push(key);
    await store.commit([{ key }]);
    process.stdout.write(`ack ${key}\n`);
    if (n % 150 === 149 && !snapshotting) {
      snapshotting = true;
      void store.writeSnapshot({ ns: [...applied] }).finally(() => {
        snapshotting = false;
      });
    }
  }
};
process.stdout.write('ready\n');
await Promise.all([worker(), worker(), worker(), worker()]);
