import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests beside the code (no services), integration / end-to-end tests in
// tests/ that share ONE real local stack, started (or reused) by tests/global-setup.ts, and the fault
// tests in tests/faults, which kill and restart services of that stack. `make test` / `npm test` run
// the first two; `make test-faults` runs the third.

export default defineConfig({
  test: {
    // The integration files share one stack on a 2-core machine: one test file at a time. (Vitest
    // takes this setting only at the root, so unit files run one at a time too; they are fast.)
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          // Unit tests beside the code, plus static checks of files (compose, Dockerfile) that need no service.
          include: ['{core,record,stack,spark-connect,producer,spark-job}/src/**/*.test.ts', 'bench/support/**/*.test.ts', 'tests/static/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
          testTimeout: 420_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          // Kafka and Cassandra across hosts made of network namespaces (`make test-hosts`): its own
          // private network and run directory, never the shared stack. Skipped where namespaces cannot be made.
          name: 'hosts',
          include: ['tests/hosts/**/*.test.ts'],
          globalSetup: ['tests/hosts/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
