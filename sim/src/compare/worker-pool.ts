import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UserError } from '@borealis/core';
import type { RunSummary } from '../output/summary.js';
import type { SimOptions } from '../run/sim-options.js';
import type { WorkerReply, WorkerRequest } from './run-worker.js';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/**
 * Runs simulations on worker threads, at most `size` at once (default: every core). Each worker
 * is started once and runs one simulation after another; results come back in request order.
 */
export async function runInWorkers(
  runs: readonly SimOptions[],
  size = availableParallelism(),
  onDone?: (index: number, summary: RunSummary) => void,
): Promise<RunSummary[]> {
  const results: RunSummary[] = new Array(runs.length);
  const workers = Array.from({ length: Math.max(1, Math.min(size, runs.length)) }, () => new Worker(ENTRY));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= runs.length) {
                resolve();
                return;
              }
              const id = next++;
              const req: WorkerRequest = { id, options: runs[id]! };
              worker.postMessage(req);
            };
            worker.on('message', (reply: WorkerReply) => {
              if (!reply.ok) {
                const where = describe(runs[reply.id]!);
                return reject(
                  reply.userError
                    ? new UserError(`${where}: ${reply.message}`)
                    : new Error(`${where}: ${reply.message}`),
                );
              }
              results[reply.id] = reply.summary as RunSummary;
              onDone?.(reply.id, results[reply.id]!);
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`a simulation worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

const describe = (o: SimOptions): string => `run ${o.policy ?? 'default'} seed ${o.seed}`;
