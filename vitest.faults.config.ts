import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: real processes (the scheduler, the Mesos emulator, ZooKeeper) killed with
 * SIGKILL or frozen with SIGSTOP, judged by the emulator's record. Slower than `npm test`, so kept
 * apart; `.ci/run` runs both.
 */
export default defineConfig({
  test: {
    include: ['prod/src/**/*.fault.test.ts'],
    globalSetup: ['testkit/src/vitest-global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
