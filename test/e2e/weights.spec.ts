// The Weights view on the lab page, on a small real run (WebGPU on SwiftShader here): the
// regularization experiment's three models for 3 epochs on 300 rows. What it draws must be what
// overfit-done's result holds (each histogram's counts, the near-zero shares, the words), the
// scrubber and Play move the epoch, the tabs work by keyboard, and it speaks English and Korean.
import type { Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { WeightStats as Stats } from '../../src/plan/weight-stats.ts';
import { events, NARROW, recordEvents, shot, waitForEvents, waitForStatus, WIDE } from './helpers.ts';

const RUN = 'experiment=regularization&epochs=3&train-limit=300&test-limit=200&autostart&lang=en';

test.use({ viewport: WIDE });

interface Model {
  name: string;
  weights: { epochs: Stats[][]; deadUnits: { layer: string; units: number; dead: number }[][] };
  words: { word: string; norm: number }[];
}

const percent = (locale: string) => new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format;
/** The share of a model's kernel weights below 1e-3 in one epoch (result.ts' nearZeroShare). */
const share = (stats: Stats[]) => stats.reduce((n, s) => n + s.nearZero, 0) / stats.reduce((n, s) => n + s.size, 0);

/** The focused element's id, through shadow roots. */
const focusedId = (page: Page) =>
  page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a?.id ?? '';
  });

test('the Weights view of a real L1/L2 run: histograms, near-zero shares, overlay and words equal the result; scrubber, Play, tabs; en and ko', async ({
  page,
}, info) => {
  await recordEvents(page);
  await page.goto(`/?${RUN}`);
  const lab = page.locator('overfit-lab');
  const curves = lab.getByRole('tab', { name: 'Curves' });
  const weights = lab.getByRole('tab', { name: 'Weights' });
  await expect(curves).toHaveAttribute('aria-selected', 'true');

  // The tabs by keyboard (WAI-ARIA tabs: the arrow keys move and select).
  await curves.focus();
  await page.keyboard.press('ArrowRight');
  await expect(weights).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => focusedId(page)).toBe('tab-weights');
  await expect(weights).toHaveAttribute('tabindex', '0');
  await expect(curves).toHaveAttribute('tabindex', '-1');
  await expect(lab).toHaveAttribute('view', 'weights');
  await expect(page).toHaveURL(/view=weights/);
  await expect(lab.locator('#panel-curves')).toBeHidden();

  // While it trains the view follows the latest epoch.
  const label = lab.locator('.epoch-label');
  await waitForEvents(page, 'overfit-epoch', 1);
  await expect(label).toHaveText(/^Epoch (\d) \/ \1$/);
  await waitForStatus(page, ['done'], 180_000);
  await expect(label).toHaveText('Epoch 3 / 3');

  const result = (await events(page, 'overfit-done'))[0].detail.result;
  const models: Model[] = result.models;
  expect(models.map((m) => m.name)).toEqual(['basic', 'l1', 'l2']);
  const pct = percent('en-US');

  /** Every model's histograms are its statistics of `epoch`. */
  const histogramsAre = async (epoch: number) => {
    for (const m of models) {
      const hists = lab.locator(`[part="weights-model"][data-model="${m.name}"] [part="histogram"]`);
      const stats = m.weights.epochs[epoch - 1];
      expect(stats.map((s) => s.tensor)).toEqual(['dense/kernel', 'dense_1/kernel', 'dense_2/kernel']);
      await expect(hists).toHaveCount(stats.length);
      for (const [k, s] of stats.entries()) {
        const h = hists.nth(k);
        await expect(h).toHaveAttribute('data-epoch', String(epoch));
        await expect(h).toHaveAttribute('data-tensor', s.tensor);
        await expect(h).toHaveAttribute('data-counts', [s.zeros, ...s.bins].join(','));
        await expect(h.locator('.near-zero')).toHaveText(`${pct(s.nearZero / s.size)} below 1e-3`);
        await expect(h.locator('svg[role="img"]')).toHaveAttribute(
          'aria-label',
          new RegExp(`^${s.tensor}, epoch ${epoch}: ${s.size.toLocaleString('en-US')} weights; `),
        );
      }
    }
  };
  await histogramsAre(3);

  // The near-zero chart: one line per model, each epoch's share of all its kernel weights.
  for (const m of models)
    await expect(lab.locator(`[part="weights-near-zero"] g[data-model="${m.name}"]`)).toHaveAttribute('data-values', m.weights.epochs.map(share).join(','));
  // The regularization experiment overlays the three first layers.
  const overlay = lab.locator('[part="weights-overlay"]');
  await expect(overlay).toHaveAttribute('data-models', 'basic,l1,l2');
  await expect(overlay.locator('g.series')).toHaveCount(3);

  // What this run measured: each model's first-layer share at epoch 3, the highest first.
  const first = models
    .map((m, i) => ({ name: m.name, i, share: m.weights.epochs[2][0].nearZero / m.weights.epochs[2][0].size }))
    .sort((a, b) => b.share - a.share || a.i - b.i);
  await expect(lab.locator('.measured')).toHaveText(
    `At epoch 3, ${pct(first[0].share)} of ${first[0].name}’s first-layer weights are below 1e-3; ${first
      .slice(1)
      .map((f) => `${f.name}: ${pct(f.share)}`)
      .join('; ')}.`,
  );
  await expect(lab.locator('[part="weights-explanation"]')).toContainText('L1 pulls every weight toward zero');

  // Dead ReLU units where the run counted them; nothing where it did not.
  for (const m of models) {
    const dead = m.weights.deadUnits[2];
    const line = lab.locator(`[part="weights-model"][data-model="${m.name}"] .dead`);
    if (dead.length) await expect(line).toHaveAttribute('data-dead', dead.map((d) => `${d.layer}:${d.dead}/${d.units}`).join(' '));
    else await expect(line).toHaveCount(0);
  }

  // Word importance: each model's strongest words from the result, and its near-zero counts.
  for (const m of models) {
    const list = lab.locator(`[part="words"] [data-model="${m.name}"]`);
    expect(m.words).toHaveLength(100);
    await expect(list.locator('li')).toHaveCount(15);
    await expect(list.locator('li').first()).toHaveAttribute('data-word', m.words[0].word);
    await expect(list.locator('li').first().locator('.word')).toHaveText(m.words[0].word);
    const below = (t: number) => m.words.filter((w) => w.norm < t).length;
    await expect(list.locator('.words-count')).toHaveText(`${below(1e-3)} of 100 words below 1e-3, ${below(1e-2)} below 1e-2`);
  }
  await shot(page, info, 'weights-regularization-en');

  // The scrubber (keyboard): back to epoch 1, whose statistics the histograms then show.
  const slider = lab.locator('input[name="weights-epoch"]');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(label).toHaveText('Epoch 1 / 3');
  await expect(slider).toHaveAttribute('aria-valuetext', 'Epoch 1 / 3');
  await histogramsAre(1);
  await expect(lab.locator('.measured')).toContainText('At epoch 1, ');
  await expect(overlay).toHaveAttribute('data-epoch', '1');

  // Play steps through the epochs and stops at the last.
  const play = lab.locator('[data-action="play-epochs"]');
  await play.click();
  await expect(label).toHaveText('Epoch 3 / 3');
  await expect(play).toHaveText('Play');
  await histogramsAre(3);

  // Korean: the page's language switch.
  await page.locator('[data-lang="ko"]').click();
  await expect(lab.getByRole('tab', { name: '곡선' })).toHaveAttribute('aria-selected', 'false');
  await expect(lab.getByRole('tab', { name: '가중치' })).toHaveAttribute('aria-selected', 'true');
  await expect(label).toHaveText('에폭 3 / 3');
  await expect(play).toHaveText('재생');
  const ko = percent('ko-KR');
  await expect(lab.locator('.measured')).toHaveText(
    `에폭 3에서 첫 번째 층 가중치 중 1e-3보다 작은 비율은 ${first.map((f) => `${f.name} ${ko(f.share)}`).join(', ')}입니다.`,
  );
  await expect(lab.locator('[part="words"] h4')).toHaveText('단어 중요도');
  await expect(lab.locator('[part="weights-near-zero"] figcaption')).toHaveText('에폭별 1e-3 미만 커널 가중치의 비율');
  await expect(lab.locator('[part="histogram"] .near-zero').first()).toHaveText(
    `1e-3 미만 ${ko(models[0].weights.epochs[2][0].nearZero / models[0].weights.epochs[2][0].size)}`,
  );
  await shot(page, info, 'weights-regularization-ko');
  // A phone's width: one column, every figure inside the element.
  await page.setViewportSize(NARROW);
  const width = (await lab.boundingBox())!.width;
  for (const svg of await lab.locator('[part="weights"] svg').all()) expect((await svg.boundingBox())!.width).toBeLessThanOrEqual(width);
  await shot(page, info, 'weights-regularization-narrow-ko');
  await page.setViewportSize(WIDE);

  // Back to the curves by click: the charts are there, with the run's data.
  await lab.getByRole('tab', { name: '곡선' }).click();
  await expect(lab.locator('#panel-curves')).toBeVisible();
  await expect(lab.locator('[part="weights"]')).toHaveCount(0);
  await expect(lab.locator('[data-chart] canvas')).toHaveCount(3);
  await expect(page).not.toHaveURL(/view=/);
});

test('view=weights before a run: the tab is selected, the view says to start training; Home/End move between the tabs', async ({ page }) => {
  await page.goto('/?experiment=regularization&view=weights&lang=en');
  const lab = page.locator('overfit-lab');
  const weights = lab.getByRole('tab', { name: 'Weights' });
  await expect(weights).toHaveAttribute('aria-selected', 'true');
  await expect(lab.locator('[part="weights-empty"]')).toHaveText('Start training to see the weights.');
  await weights.focus();
  await page.keyboard.press('Home');
  await expect(lab.getByRole('tab', { name: 'Curves' })).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => focusedId(page)).toBe('tab-curves');
  await expect(lab).toHaveAttribute('view', 'curves');
  await page.keyboard.press('End');
  await expect.poll(() => focusedId(page)).toBe('tab-weights');
  await page.keyboard.press('ArrowRight'); // wraps around
  await expect(lab).toHaveAttribute('view', 'curves');
});

test('under a strict Content-Security-Policy (no inline styles or scripts) the Weights view and the model cards keep their colours and draw', async ({
  page,
}) => {
  // The lab page's document with a course platform's usual policy: nothing inline, nothing eval'd.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    if (route.request().resourceType() === 'document')
      headers['content-security-policy'] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:";
    await route.fulfill({ response, headers });
  });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto('/?experiment=regularization&models=basic l1&epochs=1&train-limit=200&test-limit=100&view=weights&autostart&lang=en');
  const lab = page.locator('overfit-lab');
  await waitForStatus(page, ['done']);
  const view = lab.locator('[part="weights"]');
  await expect(view.locator('[part="histogram"]')).toHaveCount(6);
  await expect(view.locator('[part="words"] li')).toHaveCount(30);
  // Colours come from classes and sizes from SVG attributes: no style attribute for the policy to drop.
  await expect(view.locator('[style]')).toHaveCount(0);
  const fill = (model: string) =>
    view
      .locator(`[part="weights-model"][data-model="${model}"] rect.bar`)
      .first()
      .evaluate((r) => getComputedStyle(r).fill);
  expect(await fill('basic')).toBe('rgb(0, 114, 178)'); // --overfit-color-1
  expect(await fill('l1')).toBe('rgb(213, 94, 0)'); // --overfit-color-2
  const stroke = await view.locator('[part="weights-near-zero"] g[data-model="l1"] polyline').evaluate((p) => getComputedStyle(p).stroke);
  expect(stroke).toBe('rgb(213, 94, 0)');
  // The model cards too: their colour from a class, the progress bar's width set through the CSSOM.
  const card = lab.locator('[part~="card"][data-model="l1"]');
  expect(await card.evaluate((c) => getComputedStyle(c).borderTopColor)).toBe('rgb(213, 94, 0)');
  // (A style attribute's declarations are dropped by the policy: this would read '' then.)
  expect(await card.locator('[part="progress"] > div').evaluate((b) => (b as HTMLElement).style.width)).toBe('100%');
  // The charts' tooltip swatches: their colour set through the CSSOM, not a style attribute.
  await lab.getByRole('tab', { name: 'Curves' }).click();
  const plot = lab.locator('[data-chart="loss"] .u-over');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
  const swatch = lab.locator('[data-chart="loss"] .tip i').first();
  await expect(swatch).toBeVisible();
  expect(await swatch.evaluate((i) => getComputedStyle(i).backgroundColor)).toBe('rgb(0, 114, 178)');
  expect(problems).toEqual([]);
});
