// `npm run test:perf` (Playwright part): wall-clock budgets of the lab page in the system Chromium
// with WebGPU, against the same production build and server as the end-to-end suite
// (playwright.config.ts), which `npm test` runs without them. Paths are the repository root's.
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import e2e, { webgpuBrowser } from '../../playwright.config.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const webServer = e2e.webServer as Exclude<typeof e2e.webServer, unknown[] | undefined>;

export default defineConfig({
  ...e2e,
  testDir: `${root}/test/perf/e2e`,
  outputDir: `${root}/test-results/playwright-perf`,
  webServer: { ...webServer, cwd: root },
  projects: [{ name: 'perf', use: webgpuBrowser }],
});
