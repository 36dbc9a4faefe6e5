import { performance } from 'node:perf_hooks';
import { startEmulator } from './emulator.js';
import { measureRoundTrips } from './round-trips.js';

type Row = { [key: string]: number | string };

/**
 * The emulator's rows of `npm run bench -- mesos`: offer -> ACCEPT -> RUNNING round trips per second
 * at 10,000 agents (quick: 1,000), with a raw protobuf framework in the same process that launches
 * 10 tasks per offer, keeps a window of 2,000 tasks in flight and acknowledges every update; tasks
 * step STAGING -> STARTING -> RUNNING without artificial delays. Also: how long one allocation round
 * takes once the cluster holds every task, and the process heap with all of them running.
 */
export async function emulatorRoundTripRows(context: {
  quick: boolean;
  log(message: string): void;
}): Promise<Row[]> {
  const agents = context.quick ? 1000 : 10_000;
  const tasks = context.quick ? 5000 : 100_000;
  const emulator = await startEmulator({
    agents,
    allocationIntervalMs: 1000,
    // An ACK that waits behind 2,000 others must not trigger retries that measure congestion instead.
    updateRetryMs: 60_000,
    behaviour: { startingAfterMs: 0, runningAfterMs: 0 },
    completedTasksLimit: 0,
  });
  try {
    context.log(
      `emulator: ${tasks.toLocaleString('en-US')} tasks to RUNNING on ${agents.toLocaleString('en-US')} agents`,
    );
    const figures = await measureRoundTrips(emulator, {
      tasks,
      tasksPerOffer: 10,
      connections: 16,
      window: 2000,
    });
    const t0 = performance.now();
    emulator.master.allocator.allocate();
    const allocateMs = performance.now() - t0;
    (globalThis as { gc?: () => void }).gc?.();
    const mib = 2 ** 20;
    return [
      {
        case: 'offer -> ACCEPT -> RUNNING',
        encoding: 'protobuf',
        agents,
        ...figures,
        allocationRoundMs: Math.round(allocateMs * 10) / 10,
        heapUsedMb: Math.round(process.memoryUsage().heapUsed / mib),
        peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / mib),
      },
    ];
  } finally {
    await emulator.stop();
  }
}
