// The debug switch on the lab page (`?debug`): every pipeline's WGSL and the dispatch-by-dispatch
// check of one step of each model against the CPU reference reach the console, then the run
// trains as usual. Without the switch, none of it.
import { expect, test } from '@playwright/test';
import { recordEvents, waitForEvents } from './helpers.ts';

const URL = '/?experiment=dropout&epochs=1&train-limit=100&test-limit=100&autostart';

for (const debug of [true, false])
  test(`${debug ? 'with' : 'without'} ?debug`, async ({ page }) => {
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    await recordEvents(page);
    await page.goto(debug ? `${URL}&debug` : URL);
    await waitForEvents(page, 'overfit-done', 1);
    const checks = logs.filter((l) => l.startsWith('debug: '));
    const wgsl = logs.filter((l) => /^\/\/ ---- \w+: WGSL of pipeline /.test(l));
    if (!debug) {
      expect(checks).toEqual([]);
      expect(wgsl).toEqual([]);
      return;
    }
    expect(checks.map((l) => l.split(':')[1].trim())).toEqual(['basic', 'dropout']);
    for (const c of checks) expect(c).toMatch(/\nall \d+ written buffers match the CPU reference/);
    expect(wgsl.some((l) => l.includes('fn main') && l.includes('struct Cfg'))).toBe(true);
  });
