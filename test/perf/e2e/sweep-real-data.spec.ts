// An L2 sweep on real data in the lab page (`npm run test:perf`, not `npm test`: about 10 minutes
// of SwiftShader): the basic 128-128-1 model on 5,000 / 5,000 IMDB rows for the lab's 20 epochs,
// l2 = 0, 1e-4, 1e-3, 1e-2, 1e-1 trained together. Screenshots of the page and of the summary
// chart (en, then the same result in ko) and the exported JSON go to test-results/screenshots/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { events, recordEvents, SHOTS, shot, waitForStatus, WIDE } from '../../e2e/helpers.ts';

const VALUES = [0, 0.0001, 0.001, 0.01, 0.1];
const QUERY = `experiment=regularization&models=basic&train-limit=5000&test-limit=5000&sweep=l2=${VALUES.join(',')}&autostart`;

test.use({ viewport: WIDE });
test.setTimeout(60 * 60_000);

test('an l2 sweep of 5 values on 5,000 IMDB rows, 20 epochs: the summary chart, with more l2 a smaller gap', async ({ page }, info) => {
  await recordEvents(page);
  await page.goto(`/?${QUERY}&lang=en`);
  const lab = page.locator('overfit-lab');
  await waitForStatus(page, ['done'], 55 * 60_000);

  const done = (await events(page, 'overfit-done'))[0].detail;
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(`${SHOTS}/sweep-l2-imdb-5000.json`, JSON.stringify(done.result, null, 1));
  const [basic] = done.result.models as { replicas: { l2: number; history: Record<string, number[]>; test: Record<string, number> }[] }[];
  expect(basic.replicas.map((r) => r.l2)).toEqual(VALUES);
  const summary = basic.replicas.map((r) => {
    const val = r.history.val_binary_crossentropy;
    const train = r.history.binary_crossentropy;
    return { l2: r.l2, bestVal: Math.min(...val), gap: val[19] - train[19], test: r.test.binary_crossentropy };
  });
  console.log(`l2 sweep, basic 128-128-1, 5000/5000 IMDB rows, 20 epochs:\n${summary.map((s) => JSON.stringify(s)).join('\n')}`);
  info.annotations.push({ type: 'summary', description: JSON.stringify(summary) });
  expect(summary.every((s) => Number.isFinite(s.bestVal) && Number.isFinite(s.gap))).toBe(true);
  // Without a penalty the model overfits; at l2 = 0.1 it barely can.
  expect(summary[4].gap).toBeLessThan(summary[0].gap / 4);

  await expect.poll(async () => lab.locator('[data-chart="summary"]').getAttribute('data-points')).toBe(String(2 * VALUES.length));
  await shot(page, info, 'sweep-l2-imdb-en');
  await lab.locator('[part~="chart-summary"]').screenshot({ path: `${SHOTS}/sweep-l2-imdb-summary-en.png` });
  await page.evaluate(() => document.querySelector('overfit-lab')!.setAttribute('lang', 'ko'));
  await expect(lab.locator('[part~="chart-summary"] figcaption')).not.toHaveText(/Sweep/);
  await lab.locator('[part~="chart-summary"]').screenshot({ path: `${SHOTS}/sweep-l2-imdb-summary-ko.png` });
  await shot(page, info, 'sweep-l2-imdb-ko');
});
