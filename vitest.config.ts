import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,traces,sim,visualizer,bench,cli,testkit,prod}/src/**/*.test.ts', 'test/**/*.test.ts'],
    // Checks once, before any suite, for the Debian packages some suites need (chromium,
    // zookeeper): a missing one is named with its install command, and fails the run under CI=true.
    globalSetup: ['testkit/src/vitest-global-setup.ts'],
    // Process-killing fault tests run apart: npm run test:faults.
    exclude: ['**/node_modules/**', '**/*.fault.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
