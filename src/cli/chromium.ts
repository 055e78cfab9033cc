// Where the system Chromium lives and the flags that give it real WebGPU headless (DESIGN section 2).
import { existsSync } from 'node:fs';

export const CHROMIUM_ENV = 'OVERFIT_CHROMIUM';

export function findChromium(): string | undefined {
  const chosen = process.env[CHROMIUM_ENV];
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
}

export function chromiumPath(): string {
  const found = findChromium();
  if (found) return found;
  const chosen = process.env[CHROMIUM_ENV];
  if (chosen) throw new Error(`${CHROMIUM_ENV}=${chosen} does not exist. Point it at a Chrome or Chromium binary, or unset it to use /usr/bin/chromium.`);
  throw new Error(`No Chromium found. Install it (Debian: apt-get install -y chromium) or set ${CHROMIUM_ENV}=/path/to/chrome.`);
}

const QUIET = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

/** Launch flags; `webgpu: false` gives a browser whose navigator.gpu yields no adapter (negative control). */
export function chromiumArgs(webgpu = true): string[] {
  return webgpu ? ['--enable-unsafe-webgpu', ...QUIET] : QUIET;
}
