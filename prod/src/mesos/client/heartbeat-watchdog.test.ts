import { describe, expect, it } from 'vitest';
import { HeartbeatWatchdog } from './heartbeat-watchdog.js';

describe('HeartbeatWatchdog', () => {
  it('fires after missLimit silent intervals and not while events keep coming', async () => {
    const fired: number[] = [];
    const watchdog = new HeartbeatWatchdog((ms) => fired.push(ms), 5);
    watchdog.start(0.04); // 40 ms heartbeats: silence after 200 ms
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 5));
      watchdog.beat();
    }
    expect(fired).toEqual([]);
    await new Promise((r) => setTimeout(r, 400));
    expect(fired).toEqual([200]);
    watchdog.stop();
  });

  it('is silent once stopped', async () => {
    const fired: number[] = [];
    const watchdog = new HeartbeatWatchdog((ms) => fired.push(ms), 1);
    watchdog.start(0.01);
    watchdog.stop();
    await new Promise((r) => setTimeout(r, 40));
    expect(fired).toEqual([]);
  });
});
