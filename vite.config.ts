import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, findChromium } from './src/cli/chromium.ts';
import { debugSwitch } from './src/cli/debug-switch.ts';

const browser = (webgpu: boolean) => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: { executablePath: findChromium(), args: chromiumArgs(webgpu) } }),
  instances: [{ browser: 'chromium' as const }],
});

/**
 * Benchmarks and wall-clock budgets: figures that depend on the machine and its load, so
 * `npm test` (these three projects below) leaves them out; `npm run test:perf` runs them through
 * test/perf/vitest.config.ts (and the Playwright budgets through test/perf/playwright.config.ts).
 */
export const perfProjects = [
  { test: { name: 'perf', include: ['test/perf/node/**/*.test.ts'], environment: 'node' as const } },
  { test: { name: 'perf-webgpu', include: ['test/perf/browser/**/*.test.ts'], browser: browser(true), testTimeout: 120_000 } },
];

export default defineConfig({
  // `vite build`: the lab (index.html), the iframe page (embed.html) and the embedding example, into dist/app.
  // The library build (one ESM file) is vite.lib.config.ts.
  build: {
    outDir: 'dist/app',
    rolldownOptions: { input: { lab: 'index.html', embed: 'embed.html', article: 'examples/article.html' } },
  },
  test: {
    projects: [
      { test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node' } },
      {
        // OVERFIT_DEBUG=1: the harness prints every pipeline's WGSL and checks each step dispatch by dispatch.
        test: {
          name: 'webgpu',
          include: ['test/browser/**/*.test.ts'],
          browser: browser(true),
          testTimeout: 120_000,
          provide: { overfitDebug: debugSwitch() },
        },
      },
      {
        test: { name: 'no-webgpu', include: ['test/no-webgpu/**/*.test.ts'], browser: browser(false) },
      },
    ],
  },
});
