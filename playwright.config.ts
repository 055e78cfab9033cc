// End-to-end tests of the lab page and <overfit-lab> in the system Chromium (no browser
// downloads): real WebGPU through SwiftShader where there is no GPU, and a second browser
// launched without --enable-unsafe-webgpu for the no-WebGPU panel. They run against the
// production build (vite build + vite preview), so no dev-server reloads can interrupt a run.
// Wall-clock budgets are not here: test/perf/playwright.config.ts runs them (`npm run test:perf`).
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './src/cli/chromium.ts';

const PORT = Number(process.env.OVERFIT_E2E_PORT ?? 4178);
const executablePath = chromiumPath();

/** Chromium with WebGPU: the `webgpu` project's browser, shared with test/perf/playwright.config.ts. */
export const webgpuBrowser = { browserName: 'chromium' as const, launchOptions: { executablePath, args: chromiumArgs(true) } };

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  // SwiftShader keeps every core busy: one browser at a time is faster than two.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 60_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `vite build --logLevel warn && vite build --config vite.lib.config.ts --logLevel warn && vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  projects: [
    {
      name: 'webgpu',
      testIgnore: /no-webgpu\.spec\.ts/,
      use: webgpuBrowser,
    },
    {
      name: 'no-webgpu',
      testMatch: /no-webgpu\.spec\.ts/,
      use: { browserName: 'chromium', launchOptions: { executablePath, args: chromiumArgs(false) } },
    },
  ],
});
