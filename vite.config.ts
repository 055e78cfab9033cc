import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, findChromium } from './src/cli/chromium.ts';

const browser = (webgpu: boolean) => ({
  enabled: true,
  headless: true,
  provider: playwright({ launchOptions: { executablePath: findChromium(), args: chromiumArgs(webgpu) } }),
  instances: [{ browser: 'chromium' as const }],
});

export default defineConfig({
  // `vite build`: the lab (index.html) and the embedding example, into dist/app.
  // The library build (one ESM file) is vite.lib.config.ts.
  build: {
    outDir: 'dist/app',
    rolldownOptions: { input: { lab: 'index.html', article: 'examples/article.html' } },
  },
  test: {
    projects: [
      { test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node' } },
      {
        test: { name: 'webgpu', include: ['test/browser/**/*.test.ts'], browser: browser(true), testTimeout: 120_000 },
      },
      {
        test: { name: 'no-webgpu', include: ['test/no-webgpu/**/*.test.ts'], browser: browser(false) },
      },
    ],
  },
});
