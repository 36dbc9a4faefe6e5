import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{core,traces,sim,visualizer,bench,cli}/src/**/*.test.ts', 'test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
