// The lab page in Chromium with real WebGPU (SwiftShader here): pick, train, watch, export.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { events, focused, NARROW, recordEvents, shot, SHOTS, status, tabTo, waitForEvents, waitForStatus, WIDE } from './helpers.ts';

const SMALL = 'epochs=2&train-limit=500&test-limit=500';
const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8')).modules[0].declarations[0];

test.use({ viewport: WIDE });

test('pick an experiment, train a small run, watch epochs arrive, see the final scores and events', async ({ page }, info) => {
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  await recordEvents(page);
  await page.goto(`/?${SMALL}&lang=en`);
  const lab = page.locator('overfit-lab');
  await expect(lab.getByRole('button', { name: 'Start' })).toBeVisible();

  // Pick the batch-norm experiment: its cards and Keras layer tables appear, the address follows.
  await lab.getByRole('radio', { name: 'Batch norm' }).check();
  await expect(lab.getByRole('heading', { name: 'Batch normalization', level: 2 })).toBeVisible();
  await expect(page).toHaveURL(/experiment=batchnorm/);
  const cards = lab.locator('[part="card"]');
  await expect(cards).toHaveCount(2);
  const bn = lab.locator('[data-model="batchnorm"]');
  await expect(bn.locator('[part="layer-table"] tbody tr')).toHaveCount(7);
  await expect(bn.locator('[part="layer-table"]')).toContainText('batch_normalization_1 (BatchNormalization)');
  await expect(bn.locator('[part="layer-table"] tfoot')).toContainText('119,306');
  await expect(lab.locator('[data-model="basic"] [part="layer-table"] tfoot')).toContainText('118,282');
  await expect(lab.getByLabel('Data set')).toHaveValue('mnist');

  await lab.getByRole('button', { name: 'Start' }).click();
  await expect(lab.getByRole('status')).toContainText(/Loading|Preparing|Training/);

  // Mid-run: the first epoch is on the cards and in the charts.
  await waitForEvents(page, 'overfit-epoch', 1);
  await expect(lab.locator('[part="card"] .epoch').first()).toHaveText(/Epoch [12] \/ 2/);
  await expect(lab.locator('[data-model="basic"] [role="progressbar"]')).toHaveAttribute('aria-valuemax', '2');
  const over = lab.locator('[data-chart="loss"] .u-over');
  const first = (await over.boundingBox())!;
  await page.mouse.move(first.x + 3, first.y + first.height / 2);
  await expect(lab.locator('[data-chart="loss"] .tip')).toContainText(/epoch 1/);
  await page.mouse.move(0, 0);
  await shot(page, info, 'lab-wide-mid-run');

  await waitForStatus(page, ['done']);
  await expect(lab.getByRole('status')).toHaveText('Finished. Test scores are on the model cards.');
  // (That the page stays responsive meanwhile is a wall-clock budget: test/perf/e2e/lab.spec.ts.)
  for (const name of ['basic', 'batchnorm']) {
    const card = lab.locator(`[data-model="${name}"]`);
    await expect(card.locator('.epoch')).toHaveText('Epoch 2 / 2');
    await expect(card.locator('[role="progressbar"]')).toHaveAttribute('aria-valuenow', '2');
    await expect(card.locator('[part="scores"]')).toContainText('Test scores');
    await expect(card.locator('[part="scores"]')).toContainText(/accuracy\s*\d+(\.\d)?%/);
    await expect(card.locator('[part="scores"]')).toContainText(/cross-entropy\s*\d\.\d{4}/);
  }
  await expect(lab.getByRole('button', { name: 'Restart' })).toBeVisible();

  // Events: two epochs per model, in order, bubbling and composed, with Keras' metric names; then done.
  const epochs = await events(page, 'overfit-epoch');
  expect(epochs.map((e) => `${e.detail.model}:${e.detail.epoch}`).sort()).toEqual(['basic:1', 'basic:2', 'batchnorm:1', 'batchnorm:2']);
  for (const e of epochs) {
    expect(e).toMatchObject({ bubbles: true, composed: true, target: 'overfit-lab' });
    expect(e.detail.epochs).toBe(2);
    expect(e.detail.seconds).toBeGreaterThan(0);
    expect(Object.keys(e.detail.metrics).sort()).toEqual(
      ['accuracy', 'loss', 'sparse_categorical_crossentropy', 'val_accuracy', 'val_loss', 'val_sparse_categorical_crossentropy', 'weight_l1'].sort(),
    );
    for (const v of Object.values(e.detail.metrics)) expect(Number.isFinite(v)).toBe(true);
  }
  const [done, ...more] = await events(page, 'overfit-done');
  expect(more).toHaveLength(0);
  expect(done).toMatchObject({ bubbles: true, composed: true, detail: { stopped: false, result: { experiment: 'batchnorm', dataset: 'mnist', seed: 1 } } });
  expect(done.detail.result.models.map((m: { name: string }) => m.name)).toEqual(['basic', 'batchnorm']);
  for (const m of done.detail.result.models) {
    expect(m.history.loss).toHaveLength(2);
    expect(m.test.accuracy).toBeGreaterThan(0);
  }
  expect(await events(page, 'overfit-error')).toHaveLength(0);
  // The card shows the same test accuracy the event reports.
  const acc = done.detail.result.models[0].test.accuracy;
  await expect(lab.locator('[data-model="basic"] [part="scores"]')).toContainText(`${(acc * 100).toFixed(1)}%`);

  // The charts hold the data: hovering epoch 2 of the loss chart shows both models' values.
  const plot = lab.locator('[data-chart="loss"] .u-over');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
  const tips = lab.locator('.tip');
  await expect(tips.first()).toContainText('epoch 2');
  await expect(tips).toHaveCount(3); // one cursor, synced across the three charts
  for (const t of await tips.all()) await expect(t).toContainText(/basic [\d.%]+/);
  await expect(lab.locator('[data-chart="loss"] .tip')).toContainText(/batchnorm \d\.\d{4} \/ \d\.\d{4}/);
  const readout = async (x: number) => {
    await page.mouse.move(0, 0);
    await page.mouse.move(box.x + x, box.y + box.height / 2);
    return (await lab.locator('[data-chart="loss"] .tip').textContent())!;
  };
  const [raw1, raw2] = [await readout(2), await readout(box.width - 2)];
  expect(raw1).toContain('epoch 1');
  // Smoothing (keyboard on the slider) changes epoch 2 but not epoch 1 (a debiased moving average).
  await lab.getByRole('slider', { name: 'Smoothing' }).focus();
  await page.keyboard.press('End');
  await expect(lab.locator('input[name="smoothing"]')).toHaveValue('0.95');
  await page.waitForTimeout(100); // setData happens on the next animation frame
  expect(await readout(2)).toBe(raw1);
  const smoothed2 = await readout(box.width - 2);
  expect(smoothed2).not.toBe(raw2);
  // The log scale rebuilds the loss chart; its data stay.
  await lab.getByLabel('Log scale (loss)').check();
  await expect(lab.locator('[data-chart="loss"] canvas')).toHaveCount(1);
  expect(await readout(box.width - 2)).toBe(smoothed2);
  await lab.getByLabel('Log scale (loss)').uncheck();
  await lab.getByRole('slider', { name: 'Smoothing' }).focus();
  await page.keyboard.press('Home');
  await page.mouse.move(0, 0);
  await expect(lab.locator('[data-chart] canvas')).toHaveCount(3);

  // Every ::part the finished lab renders is documented in custom-elements.json.
  const parts: string[] = await lab.evaluate((el) => [
    ...new Set([...el.shadowRoot!.querySelectorAll('[part]')].flatMap((e) => e.getAttribute('part')!.split(/\s+/))),
  ]);
  const documented = manifest.cssParts.map((p: { name: string }) => p.name);
  for (const p of parts) expect(documented).toContain(p);

  await shot(page, info, 'lab-wide-finished');
  await page.setViewportSize(NARROW);
  await expect(lab.locator('[data-chart="loss"] canvas')).toBeVisible();
  await page.waitForTimeout(300); // the charts follow their container's width on the next frame
  const canvas = await lab.locator('[data-chart="loss"] canvas').boundingBox();
  expect(canvas!.width).toBeLessThanOrEqual(NARROW.width);
  await shot(page, info, 'lab-narrow-finished');
  await page.setViewportSize(WIDE);

  // Exports: CSV (one row per model and epoch), JSON (the whole run), PNG (the charts).
  const download = async (name: string) => {
    const [d] = await Promise.all([page.waitForEvent('download'), lab.getByRole('button', { name }).click()]);
    return { name: d.suggestedFilename(), body: readFileSync((await d.path())!) };
  };
  const csv = await download('Export CSV');
  expect(csv.name).toBe('overfit-lab-batchnorm-seed1.csv');
  const rows = csv.body.toString('utf8').trim().split('\n');
  expect(rows[0]).toBe('model,epoch,loss,accuracy,sparse_categorical_crossentropy,val_loss,val_accuracy,val_sparse_categorical_crossentropy,weight_l1,seconds');
  expect(rows.slice(1).map((r) => r.split(',').slice(0, 2).join(':'))).toEqual(['basic:1', 'basic:2', 'batchnorm:1', 'batchnorm:2']);
  const json = JSON.parse((await download('Export JSON')).body.toString('utf8'));
  expect(json).toMatchObject({ format: 'overfit-lab-history', experiment: 'batchnorm', dataset: 'mnist', seed: 1, trainLimit: 500, testLimit: 500 });
  expect(json.models[1].history.val_loss).toHaveLength(2);
  const png = await download('Export PNG');
  expect(png.name).toBe('overfit-lab-batchnorm-seed1.png');
  expect(png.body.subarray(1, 4).toString('ascii')).toBe('PNG');
  expect(png.body.length).toBeGreaterThan(5_000);
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(`${SHOTS}/export-charts.png`, png.body);
  // without ?debug, no WGSL and no step check in the console (debug.spec.ts has them with it)
  expect(logs.filter((l) => l.startsWith('debug: ') || l.includes('WGSL of pipeline'))).toEqual([]);
});

test('the same run in Korean (lang=ko), narrow, follows a language switch on the page', async ({ page }, info) => {
  await page.setViewportSize(NARROW);
  await recordEvents(page);
  await page.goto(`/?experiment=batchnorm&epochs=2&train-limit=300&test-limit=300&lang=ko&autostart`);
  const lab = page.locator('overfit-lab');
  await expect(lab.getByRole('heading', { name: '배치 정규화', level: 2 })).toBeVisible();
  await expect(lab.getByText('이 실험에 대하여')).toBeVisible();
  await waitForEvents(page, 'overfit-epoch', 1);
  await expect(lab.getByRole('button', { name: '일시 정지' })).toBeVisible();
  await shot(page, info, 'lab-narrow-mid-run-ko');
  await waitForStatus(page, ['done']);
  await expect(lab.getByRole('status')).toHaveText('끝났습니다. 테스트 점수는 모델 카드에 있습니다.');
  await expect(lab.locator('[data-model="batchnorm"] .epoch')).toHaveText('에폭 2 / 2');
  await expect(lab.locator('[data-model="batchnorm"] [part="scores"]')).toContainText('테스트 점수');
  await expect(lab.getByRole('button', { name: '다시 시작' })).toBeVisible();
  await expect(lab.locator('[part="base"]')).toHaveAttribute('lang', 'ko');
  await shot(page, info, 'lab-narrow-finished-ko');

  // The page's language buttons set <html lang>; the element follows without losing the run.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(lab.getByRole('heading', { name: 'Batch normalization', level: 2 })).toBeVisible();
  await expect(lab.locator('[data-model="batchnorm"] .epoch')).toHaveText('Epoch 2 / 2');
  // An explicit lang attribute wins over the page's.
  await lab.evaluate((el) => el.setAttribute('lang', 'ko'));
  await expect(lab.getByRole('heading', { name: '배치 정규화', level: 2 })).toBeVisible();
});

test('keyboard only: Tab to Start, Enter; Tab to Stop, Space; the run stops and keeps its epochs', async ({ page }, info) => {
  await recordEvents(page);
  await page.goto(`/?experiment=dropout&epochs=40&train-limit=500&test-limit=500&lang=en`);
  const lab = page.locator('overfit-lab');
  await expect(lab.getByRole('button', { name: 'Start' })).toBeVisible();
  await page.locator('body').focus();
  await tabTo(page, 'run');
  await page.keyboard.press('Enter');
  await expect(lab.getByRole('button', { name: 'Pause' })).toBeVisible();
  expect(await focused(page)).toBe('run'); // focus stays on the button that changed its label
  await waitForEvents(page, 'overfit-epoch', 2);

  // Pause and resume from the keyboard too.
  await page.keyboard.press('Enter');
  await expect(lab.getByRole('button', { name: 'Resume' })).toBeVisible();
  await expect(lab.getByRole('status')).toContainText('Paused');
  await page.keyboard.press('Space');
  await expect(lab.getByRole('button', { name: 'Pause' })).toBeVisible();

  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('stop');
  await page.keyboard.press('Space');
  expect(await waitForStatus(page, ['stopped'])).toBe('stopped');
  expect(await focused(page)).toBe('stop');
  await expect(lab.getByRole('status')).toHaveText('Stopped. Finished epochs and their test scores are kept.');
  const [done] = await events(page, 'overfit-done');
  expect(done.detail.stopped).toBe(true);
  for (const m of done.detail.result.models) {
    expect(m.history.loss.length).toBeGreaterThanOrEqual(1);
    expect(m.history.loss.length).toBeLessThan(40);
    expect(m.test.accuracy).toBeGreaterThan(0);
  }
  await expect(lab.locator('[data-model="dropout"] [part="scores"]')).toBeVisible();
  await shot(page, info, 'lab-wide-stopped-keyboard');

  // Reset clears the run; Start is back.
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('reset');
  await page.keyboard.press('Enter');
  await expect(lab.getByRole('button', { name: 'Start' })).toBeVisible();
  await expect(lab.locator('[data-model="dropout"] .epoch')).toHaveText('Epoch 0 / 40');
  expect(await status(page)).toBe('idle');
});

test('an unknown experiment id says which ids exist; picking one recovers', async ({ page }) => {
  await recordEvents(page);
  await page.goto('/?experiment=nope&lang=en');
  const lab = page.locator('overfit-lab');
  await expect(lab.getByRole('alert')).toContainText('There is no experiment “nope”. Valid: imdb-overfit, regularization, dropout, batchnorm.');
  await waitForEvents(page, 'overfit-error', 1);
  expect((await events(page, 'overfit-error'))[0].detail).toMatchObject({ kind: 'config', model: null });
  await lab.getByRole('radio', { name: 'L1 / L2' }).check();
  await expect(lab.getByRole('alert')).toHaveCount(0);
  await expect(lab.getByRole('button', { name: 'Start' })).toBeVisible();
  await expect(lab.locator('[part="card"]')).toHaveCount(3);
  expect(await status(page)).toBe('idle');
});

test('the default experiment with the lab’s epochs, then the epochs and seed fields: the 1,154,049-parameter model trains beside the basic one', async ({
  page,
}, info) => {
  await recordEvents(page);
  await page.goto('/?train-limit=100&test-limit=100&lang=en');
  const lab = page.locator('overfit-lab');
  await expect(lab.getByRole('heading', { name: 'Overfitting: a small and a large model', level: 2 })).toBeVisible();
  await expect(lab.locator('[data-model="basic"] .epoch')).toHaveText('Epoch 0 / 20');
  await expect(lab.locator('[data-model="overfitting"] .epoch')).toHaveText('Epoch 0 / 300');
  await expect(lab.locator('[data-model="overfitting"] [part="layer-table"] tfoot')).toContainText('1,154,049');
  await expect(lab.locator('[data-model="basic"] [part="layer-table"] tfoot')).toContainText('58,881');
  const epochs = lab.getByLabel('Epochs');
  await expect(epochs).toHaveAttribute('placeholder', 'lab: 20 / 300');
  await epochs.fill('1');
  await epochs.press('Enter');
  await expect(lab.locator('[data-model="overfitting"] .epoch')).toHaveText('Epoch 0 / 1');
  const seed = lab.getByLabel('Seed', { exact: true });
  await seed.fill('3');
  await seed.press('Tab');
  await lab.getByRole('button', { name: 'Start' }).click();
  await waitForStatus(page, ['done']);
  await expect(lab.locator('[data-model="overfitting"] .epoch')).toHaveText('Epoch 1 / 1');
  await expect(lab.locator('[data-model="overfitting"] [part="scores"]')).toContainText(/accuracy\s*\d+(\.\d)?%/);
  const [done] = await events(page, 'overfit-done');
  expect(done.detail.result).toMatchObject({ experiment: 'imdb-overfit', dataset: 'imdb', seed: 3 });
  expect(done.detail.result.models.map((m: { params: number }) => m.params)).toEqual([58881, 1154049]);
  expect(Object.keys((await events(page, 'overfit-epoch'))[0].detail.metrics)).toContain('binary_crossentropy');
  await shot(page, info, 'lab-wide-imdb-overfit');
});
