// The Weights view on real data in the lab page (`npm run test:perf`, not `npm test`: 10+ minutes
// of SwiftShader): the regularization experiment (basic, L1, L2; 128-128-1) on 5,000 / 5,000 IMDB
// rows for the lab's 20 epochs. Screenshots of the Weights view (en, then the same result in ko)
// and the result JSON go to test-results/screenshots/; the shares and word counts are printed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { events, recordEvents, SHOTS, shot, waitForStatus, WIDE } from '../../e2e/helpers.ts';

const QUERY = 'experiment=regularization&train-limit=5000&test-limit=5000&view=weights&autostart';

test.use({ viewport: WIDE });
test.setTimeout(60 * 60_000);

interface Model {
  name: string;
  weights: { epochs: { tensor: string; nearZero: number; size: number }[][] };
  words: { word: string; norm: number }[];
}

test('the regularization experiment on 5,000 IMDB rows, 20 epochs: L1 puts more first-layer weights below 1e-3 than no penalty; en and ko', async ({
  page,
}, info) => {
  await recordEvents(page);
  await page.goto(`/?${QUERY}&lang=en`);
  const lab = page.locator('overfit-lab');
  await waitForStatus(page, ['done'], 55 * 60_000);

  const result = (await events(page, 'overfit-done'))[0].detail.result;
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(`${SHOTS}/weights-regularization-imdb-5000.json`, JSON.stringify(result, null, 1));
  const models: Model[] = result.models;
  const summary = models.map((m) => {
    const first = m.weights.epochs[19][0];
    const all = m.weights.epochs[19];
    return {
      model: m.name,
      firstLayerBelow1e3: first.nearZero / first.size,
      allKernelsBelow1e3: all.reduce((n, s) => n + s.nearZero, 0) / all.reduce((n, s) => n + s.size, 0),
      wordsBelow1e3: m.words.filter((w) => w.norm < 1e-3).length,
      wordsBelow1e2: m.words.filter((w) => w.norm < 1e-2).length,
      topWords: m.words.slice(0, 10).map((w) => w.word),
    };
  });
  console.log(`Weights after 20 epochs, regularization, 5000/5000 IMDB rows:\n${summary.map((s) => JSON.stringify(s)).join('\n')}`);
  info.annotations.push({ type: 'summary', description: JSON.stringify(summary) });
  const [basic, l1] = summary;
  expect(models.map((m) => m.name)).toEqual(['basic', 'l1', 'l2']);
  expect(l1.firstLayerBelow1e3).toBeGreaterThan(basic.firstLayerBelow1e3);
  expect(l1.wordsBelow1e2).toBeGreaterThanOrEqual(basic.wordsBelow1e2);

  // The view shows the last epoch and says what it measured.
  await expect(lab.locator('.epoch-label')).toHaveText('Epoch 20 / 20');
  await expect(lab.locator('.measured')).toContainText('At epoch 20, ');
  await expect(lab.locator('[part="weights-overlay"]')).toHaveAttribute('data-models', 'basic,l1,l2');
  await shot(page, info, 'weights-regularization-imdb-5000-en');
  await page.locator('[data-lang="ko"]').click();
  await expect(lab.locator('.measured')).toContainText('에폭 20에서 ');
  await shot(page, info, 'weights-regularization-imdb-5000-ko');
});
