import { defineConfig } from 'vitest/config';

/**
 * Tests that make network namespaces, veth pairs and a bridge (test/support/netns.ts). Chromium takes
 * an interface coming or going as a network change and fails the page's loads in flight
 * (net::ERR_NETWORK_CHANGED), so these run on their own, after every other file.
 */
const NETNS = ['test/integration/netns-network.test.ts', 'test/integration/attack-slots.test.ts'];

export default defineConfig({
  test: {
    setupFiles: ['./test/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration and e2e tests start real processes; on a 2-core machine, running
    // several files at once only makes each slower and flakier.
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: NETNS, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'netns', include: NETNS, sequence: { groupOrder: 1 } } },
    ],
  },
});
