// Replicas on the lab page, trained for real (WebGPU on SwiftShader here), kept small: 3 seeds
// drawn as means with shaded min-max bands, and an L2 sweep with one curve per value and the
// summary chart; the events carry each replica.
import { expect, test } from '@playwright/test';
import { events, recordEvents, shot, waitForStatus, WIDE } from './helpers.ts';

const SMALL = 'experiment=regularization&epochs=2&train-limit=300&test-limit=200&lang=en';

test.use({ viewport: WIDE });

/** What a chart drew (charts-controller's data-* marks). */
const drawn = (page: import('@playwright/test').Page, kind: string) =>
  page
    .locator('overfit-lab')
    .locator(`[data-chart="${kind}"]`)
    .evaluate((el: HTMLElement) => ({ ...el.dataset }));

test('seeds=3: each model is its mean with the range over the seeds shaded; events carry each replica', async ({ page }, info) => {
  await recordEvents(page);
  await page.goto(`/?${SMALL}&seeds=3&autostart`);
  const lab = page.locator('overfit-lab');
  await expect(lab.locator('select[name="seeds"]')).toHaveValue('3');
  await waitForStatus(page, ['done']);
  await expect(lab.locator('[part="charts"]')).toHaveAttribute('data-mode', 'seeds');
  await expect(lab.locator('[part="legend"]')).toContainText('shaded: the range over 3 seeds');
  // Three models: per model a training and a validation band on loss and accuracy, one on weights.
  await expect.poll(async () => (await drawn(page, 'loss')).bands).toBe('6');
  expect((await drawn(page, 'weights')).bands).toBe('3');
  expect(Number((await drawn(page, 'loss')).points)).toBeGreaterThan(0);

  const epochs = await events(page, 'overfit-epoch');
  expect(epochs).toHaveLength(3 * 2);
  for (const e of epochs) {
    expect(e.detail.replicas.map((r: { index: number; seed: number; value: null }) => [r.index, r.seed, r.value])).toEqual([
      [0, 1, null],
      [1, 2, null],
      [2, 3, null],
    ]);
    const losses = e.detail.replicas.map((r: { metrics: Record<string, number> }) => r.metrics.loss);
    expect(e.detail.metrics.loss).toBeCloseTo(losses.reduce((a: number, b: number) => a + b, 0) / 3, 5);
  }
  const done = (await events(page, 'overfit-done'))[0].detail;
  expect(done.result.models[0].replicas).toHaveLength(3);
  const csv = await lab.evaluate((el) => (el as HTMLElement & { exportCsv(): string }).exportCsv());
  expect(csv.split('\n')[0]).toMatch(/^model,replica,seed,epoch,/);
  expect(csv.trim().split('\n')).toHaveLength(1 + 3 * 3 * 2);
  await shot(page, info, 'replicas-seeds-bands');
});

test('sweep=l2=0,0.001,0.01: one curve per value, a legend naming them, the summary chart, highlight by click and keyboard', async ({ page }, info) => {
  await recordEvents(page);
  await page.goto(`/?${SMALL}&sweep=l2=0,0.001,0.01&autostart`);
  const lab = page.locator('overfit-lab');
  await expect(lab.locator('select[name="sweep-param"]')).toHaveValue('l2');
  await expect(lab.locator('input[name="sweep-values"]')).toHaveValue('0,0.001,0.01');
  await waitForStatus(page, ['done']);
  await expect(lab.locator('[part="charts"]')).toHaveAttribute('data-mode', 'sweep');
  const values = lab.locator('[part="sweep-values"] button');
  await expect(values).toHaveText(['0', '1e-3', '0.01']);
  // The epoch charts draw one swept model at a time (3 values x training, validation); the
  // summary draws every model's best and gap, 3 points each, with a key naming the models.
  const models = lab.locator('[part="sweep-models"] button');
  await expect(models).toHaveText(['basic', 'l1', 'l2']);
  await expect(models.nth(0)).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await drawn(page, 'loss')).lines).toBe('6');
  await models.nth(2).click();
  await expect(models.nth(2)).toHaveAttribute('aria-pressed', 'true');
  await expect(models.nth(0)).toHaveAttribute('aria-pressed', 'false');
  await expect(lab.locator('[part="summary-legend"]')).toContainText('basic');
  await expect(lab.locator('[part="summary-legend"]')).toContainText('l2');
  await expect.poll(async () => (await drawn(page, 'summary')).points).toBe(String(3 * 2 * 3));
  await expect(lab.locator('[part~="chart-summary"]')).toBeVisible();
  await expect(lab.locator('.charts .note')).toContainText('bottom of the U');

  const epochs = await events(page, 'overfit-epoch');
  expect(epochs[0].detail.replicas.map((r: { index: number; value: number }) => [r.index, r.value])).toEqual([
    [0, 0],
    [1, 0.001],
    [2, 0.01],
  ]);

  // A click on the summary chart highlights the value nearest it: 0.01 sits at 5/6 of the x range
  // (positions -4, -3, -2 on the log axis, half a step of room each side).
  const over = lab.locator('[data-chart="summary"] .u-over');
  const box = (await over.boundingBox())!;
  await over.click({ position: { x: (box.width * 5) / 6, y: box.height / 2 } });
  await expect(values.nth(2)).toHaveAttribute('aria-pressed', 'true');
  // A click on the value's toggle takes the highlight back off.
  await values.nth(2).click();
  await expect(values.nth(2)).toHaveAttribute('aria-pressed', 'false');
  // Keyboard: focus the first value's toggle and press Space.
  await values.nth(0).focus();
  await page.keyboard.press('Space');
  await expect(values.nth(0)).toHaveAttribute('aria-pressed', 'true');
  await expect(values.nth(2)).toHaveAttribute('aria-pressed', 'false');
  await shot(page, info, 'replicas-sweep-summary');
});

test('a dropout sweep in the dropout experiment: the dropout model swept, basic trained once as the reference', async ({ page }) => {
  await recordEvents(page);
  await page.goto(`/?${SMALL.replace('regularization', 'dropout')}&sweep=dropout=0,0.5&autostart`);
  const lab = page.locator('overfit-lab');
  await waitForStatus(page, ['done']);
  await expect(lab.locator('[part="charts"]')).toHaveAttribute('data-mode', 'sweep');
  await expect(lab.locator('[part="sweep-models"]')).toHaveCount(0);
  await expect(lab.locator('[part="legend"] .key.model')).toHaveText(['basic']);
  // basic: training and validation; dropout: two values x (training, validation).
  await expect.poll(async () => (await drawn(page, 'loss')).lines).toBe('6');
  await expect.poll(async () => (await drawn(page, 'summary')).points).toBe(String(2 * 2));
  const epochs = await events(page, 'overfit-epoch');
  expect(epochs.filter((e) => e.detail.model === 'basic').every((e) => !e.detail.replicas)).toBe(true);
  const swept = epochs.find((e) => e.detail.model === 'dropout')!;
  expect(swept.detail.replicas.map((r: { value: number }) => r.value)).toEqual([0, 0.5]);
  const done = (await events(page, 'overfit-done'))[0].detail;
  const [basic, dropout] = done.result.models as { replicas: { dropout: number | null }[] }[];
  expect(basic.replicas.every((r) => r.dropout === null)).toBe(true);
  expect(dropout.replicas.map((r) => r.dropout)).toEqual([0, 0.5]);
});

test('an invalid sweep disables Start and says why, in English and Korean', async ({ page }) => {
  await page.goto(`/?${SMALL}&sweep=l2=0,abc`);
  const lab = page.locator('overfit-lab');
  await expect(lab.locator('#sweep-error')).toHaveText('Every value must be a number, e.g. 0.001 or 1e-3.');
  await expect(lab.getByRole('button', { name: 'Start' })).toHaveAttribute('aria-disabled', 'true');
  const values = lab.locator('input[name="sweep-values"]');
  await expect(values).toHaveAttribute('aria-invalid', 'true');
  await values.fill('0, 0.001');
  await values.blur();
  await expect(lab.locator('#sweep-error')).toHaveCount(0);
  await expect(lab.getByRole('button', { name: 'Start' })).toHaveAttribute('aria-disabled', 'false');
  await page.goto(`/?${SMALL.replace('lang=en', 'lang=ko')}&sweep=dropout=1`);
  await expect(lab.locator('#sweep-error')).toContainText('드롭아웃 비율은 0 이상 1 미만');
});
