import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration and e2e tests start real processes; on a 2-core machine, running
    // several files at once only makes each slower and flakier.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
