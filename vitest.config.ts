import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    setupFiles: ['test/support/cleanup.ts'],
    // CI lists every test and fails on a skipped one or a storage backend that ran nothing.
    reporters: process.env.CI ? ['verbose', './test/support/backend-summary-reporter.ts'] : ['default'],
    projects: [
      {
        extends: true,
        test: { name: 'express5', include: ['test/**/*.test.ts'], env: { EXPRESS_MAJOR: '5' } },
      },
      {
        // The peer range includes Express 4: the HTTP suites run again on it.
        extends: true,
        resolve: { alias: { express: 'express4' } },
        test: { name: 'express4', include: ['test/integration/**/*.test.ts'], env: { EXPRESS_MAJOR: '4' } },
      },
    ],
  },
})
