import { parentPort } from 'node:worker_threads';
import { UserError } from '@borealis/core';
import { runSimulation } from '../run/run-sim.js';
import type { SimOptions } from '../run/sim-options.js';

/** Messages between the pool and its workers. */
export type WorkerRequest = { readonly id: number; readonly options: SimOptions };
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly summary: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string; readonly userError: boolean };

// One run at a time per worker; the pool sends the next request after each reply.
parentPort?.on('message', async (req: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    reply = { id: req.id, ok: true, summary: await runSimulation(req.options) };
  } catch (err) {
    const e = err as Error;
    reply = { id: req.id, ok: false, message: e.message, userError: err instanceof UserError };
  }
  parentPort?.postMessage(reply);
});
