import { defineConfig } from '@playwright/test';

// One worker: each test launches its own Chromium with the extension, and CI has 2 cores.
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  retries: process.env.CI ? 1 : 0,
  // scripts/test.mjs (npm test) also asks for a JSON report, to print one closing line of totals.
  reporter: process.env.STILLFRAME_E2E_JSON ? [['list'], ['json', { outputFile: process.env.STILLFRAME_E2E_JSON }]] : [['list']],
  outputDir: 'test-results',
});
