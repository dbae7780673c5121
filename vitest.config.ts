import { defineConfig } from 'vitest/config';

// Tests that time the machine (render budgets, linearity) run after the rest, one file at a time:
// beside other test files (RSA key generation, browsers, two archives) two cores give them no honest reading.
const TIMED = ['test/stalls.test.ts', 'src/kernel/text/linear.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts', 'e2e/**/*.test.ts'], exclude: TIMED },
      },
      { extends: true, test: { name: 'timed', include: TIMED, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
