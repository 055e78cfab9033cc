// Serves the app with Vite on localhost and opens it in headless Chromium with WebGPU.
// Shared by `train` and `bench`.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { createServer } from 'vite';
import { chromiumArgs, chromiumPath } from './chromium.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Session {
  page: Page;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Extra Chromium flags (e.g. --enable-webgpu-developer-features). */
  args?: string[];
  /** Extra response headers (e.g. COOP/COEP for cross-origin isolation). */
  headers?: Record<string, string>;
}

/** Opens `path` (e.g. /src/cli/page.html) served from the repository root. */
export async function openPage(path: string, onConsole?: (text: string) => void, options: OpenOptions = {}): Promise<Session> {
  const executablePath = chromiumPath();
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await createServer({
      root: ROOT,
      configFile: false,
      logLevel: 'error',
      server: { host: '127.0.0.1', port: 0, hmr: false, watch: null, headers: options.headers },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('the local server did not start');
    // SIGINT is ours: the CLI stops the run cleanly and writes the finished epochs.
    browser = await chromium.launch({ executablePath, headless: true, args: [...chromiumArgs(true), ...(options.args ?? [])], handleSIGINT: false });
    const page = await browser.newPage();
    if (onConsole) page.on('console', (m) => onConsole(m.text()));
    await page.goto(`http://127.0.0.1:${address.port}${path}`);
    const b = browser;
    const s = server;
    return {
      page,
      async close() {
        await b.close().catch(() => {});
        await s.close().catch(() => {});
      },
    };
  } catch (e) {
    await browser?.close().catch(() => {});
    await server?.close().catch(() => {});
    throw e;
  }
}
