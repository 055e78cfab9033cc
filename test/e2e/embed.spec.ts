// A course author's view: the article example, the one-file library build, the manifest.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { recordEvents, shot, waitForStatus, WIDE } from './helpers.ts';

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')).modules[0].declarations[0];

test('the article example embeds the element in a narrow text column, themed, with fewer controls', async ({ page }, info) => {
  await page.setViewportSize(WIDE);
  await recordEvents(page);
  await page.goto('/examples/article.html?epochs=2&train-limit=300&test-limit=300&autostart');
  const lab = page.locator('overfit-lab');
  await expect(lab.getByRole('heading', { name: 'Dropout', level: 2 })).toBeVisible();
  const box = (await lab.boundingBox())!;
  expect(box.width).toBeLessThanOrEqual(42 * 16);
  // The page hides the explanation through ::part(explanation) and shows only some controls.
  await expect(lab.locator('[part="explanation"]')).toBeHidden();
  await expect(lab.locator('[data-action="run"]')).toBeVisible();
  await expect(lab.locator('[data-action="stop"]')).toBeVisible();
  await expect(lab.locator('[data-action^="export"]')).toHaveCount(0);
  await expect(lab.locator('input[name="seed"]')).toHaveCount(0);
  await expect(lab.locator('[part="picker"]')).toHaveCount(0);
  // Its accent colour comes from the page's --overfit-accent.
  expect(await lab.locator('[data-action="run"]').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(122, 62, 157)');
  await waitForStatus(page, ['done']);
  await expect(lab.locator('[data-model="dropout"] .epoch')).toHaveText('Epoch 2 / 2');
  // The charts fit the column.
  for (const c of await lab.locator('[data-chart] canvas').all()) expect((await c.boundingBox())!.width).toBeLessThanOrEqual(box.width);
  await shot(page, info, 'article-wide-finished');
});

test('the library build: one <script type="module"> defines <overfit-lab>, as custom-elements.json describes it', async ({ page }) => {
  const lib = readFileSync('dist/lib/overfit-lab.js', 'utf8');
  expect(lib).not.toMatch(/^\s*import\s|\bimport\s*\(/m); // self-contained: no imports left
  await page.route('**/course/overfit-lab.js', (r) => r.fulfill({ body: lib, contentType: 'text/javascript' }));
  await page.route('**/course/page.html', (r) =>
    r.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="ko"><head><meta charset="utf-8"><link rel="icon" href="data:,">
        <script type="module" src="/course/overfit-lab.js"></script></head>
        <body><overfit-lab experiment="regularization" epochs="1" train-limit="200" test-limit="200" data-base="/data" controls="run"></overfit-lab></body></html>`,
    }),
  );
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto('/course/page.html');
  const lab = page.locator('overfit-lab');
  await expect(lab.getByRole('heading', { name: '가중치 규제: L1과 L2', level: 2 })).toBeVisible();
  await expect(lab.locator('[part="card"]')).toHaveCount(3);
  await expect(lab.locator('[data-model="l1"] [part="layer-table"] tfoot')).toContainText('29,569');

  // The manifest's attributes are exactly the element's observed attributes.
  const observed: string[] = await page.evaluate(() => [
    ...(customElements.get('overfit-lab') as unknown as { observedAttributes: string[] }).observedAttributes,
  ]);
  expect([...observed].sort()).toEqual(manifest.attributes.map((a: { name: string }) => a.name).sort());
  // Its public methods and read-only fields exist on instances.
  for (const m of manifest.members) expect(await lab.evaluate((el, name) => name in el, m.name)).toBe(true);

  await lab.getByRole('button', { name: '시작' }).click();
  await waitForStatus(page, ['done']);
  await expect(lab.locator('[data-model="l2"] .epoch')).toHaveText('에폭 1 / 1');
  // Moved elsewhere in the page, it keeps its run and rebuilds its charts.
  await lab.evaluate((el) => document.body.prepend(el));
  await expect(lab.locator('[data-chart] canvas')).toHaveCount(3);
  await expect(lab.locator('[data-model="l2"] .epoch')).toHaveText('에폭 1 / 1');
  expect(problems).toEqual([]);
});
