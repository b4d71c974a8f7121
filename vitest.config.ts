import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the code (no services), and integration / end-to-end tests in
// tests/ that share ONE real local stack, started (or reused) by tests/global-setup.ts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Unit tests beside the code, plus static checks of files (compose, Dockerfile) that need no service.
          include: ['{stack,spark-connect,producer,spark-job}/src/**/*.test.ts', 'tests/static/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/global-setup.ts'],
          // The services are shared and the machine has 2 cores: one test file at a time.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
