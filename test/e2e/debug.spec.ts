// The debug switch on the lab page (`?debug`): every pipeline's WGSL and the dispatch-by-dispatch
// check of one step of each model against the CPU reference reach the console, then the run
// trains as usual. (Without the switch the lab's other specs see none of it: see lab.spec.ts.)
import { expect, test } from '@playwright/test';
import { recordEvents, waitForEvents } from './helpers.ts';

test('?debug prints the WGSL and checks one step of each model against the CPU reference', async ({ page }) => {
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  await recordEvents(page);
  await page.goto('/?experiment=dropout&epochs=1&train-limit=100&test-limit=100&autostart&debug');
  await waitForEvents(page, 'overfit-done', 1);
  const checks = logs.filter((l) => l.startsWith('debug: '));
  expect(checks.map((l) => l.split(':')[1].trim())).toEqual(['basic', 'dropout']);
  for (const c of checks) expect(c).toMatch(/\nall \d+ written buffers match the CPU reference/);
  expect(logs.some((l) => /^\/\/ ---- basic: WGSL of pipeline matmul/.test(l) && l.includes('fn main') && l.includes('struct Cfg'))).toBe(true);
});
