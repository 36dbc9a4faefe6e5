import { afterAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from './emulator.js';
import { measureRoundTrips } from './round-trips.js';

describe('the round-trip driver used by the benchmark', () => {
  let emu: Emulator | null = null;
  afterAll(async () => {
    await emu?.stop();
  });

  it('brings every task to RUNNING through ACCEPT and ACKNOWLEDGE, and the master agrees', async () => {
    emu = await startEmulator({
      agents: 20,
      allocationIntervalMs: 20,
      behaviour: { startingAfterMs: 0, runningAfterMs: 0 },
    });
    const figures = await measureRoundTrips(emu, { tasks: 200, tasksPerOffer: 10 });
    expect(figures.tasks).toBe(200);
    expect(figures.acknowledgements).toBeGreaterThanOrEqual(400);
    const running = [...emu.master.frameworks.values()].flatMap((f) => [...f.tasks.values()]);
    expect(running.filter((t) => t.state === 'TASK_RUNNING')).toHaveLength(200);
    expect(emu.launches).toHaveLength(200);
  });
});
