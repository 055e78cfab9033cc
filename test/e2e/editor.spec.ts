// The model editor on the lab page, with real WebGPU (SwiftShader here): edit a model, run it,
// open the address again and get the same history bit for bit; invalid values say why beside
// the field and keep Start disabled; a bad link or spec falls back with a message; screenshots.
import { expect, type Locator, type Page, type TestInfo, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { events, focused, NARROW, recordEvents, SHOTS, shot, status, waitForStatus, WIDE } from './helpers.ts';

const SMALL = 'experiment=dropout&train-limit=300&test-limit=200&epochs=2';

test.use({ viewport: WIDE });

/** A field of a layer of a model in the editor. */
const layerField = (lab: Locator, model: string, layer: number, name: string): Locator =>
  lab.locator(`[part="editor"] [data-edit-model="${model}"] [data-layer="${layer}"] [name="${name}"]`);

/** A screenshot of the editor alone (the whole page is in the `shot`s), kept and attached. */
async function editorShot(lab: Locator, info: TestInfo, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const path = `${SHOTS}/${name}.png`;
  await lab.locator('[part="editor"]').screenshot({ path });
  await info.attach(name, { path, contentType: 'image/png' });
}

/** Opens the editor (its summary line) from the keyboard. */
async function openEditor(page: Page, lab: Locator): Promise<void> {
  await lab.locator('[part="editor"] > summary').focus();
  await page.keyboard.press('Enter');
  await expect(lab.locator('[part="editor"]')).toHaveAttribute('open', '');
}

/** Types into the focused field as a keyboard user does: select what is there, type, leave. */
async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await field.focus();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

/** Each model's history and test scores from overfit-done. */
async function doneResult(page: Page): Promise<{ name: string; history: Record<string, number[]>; test: Record<string, number> }[]> {
  const [done] = await events(page, 'overfit-done');
  return done.detail.result.models.map((m: { name: string; history: Record<string, number[]>; test: Record<string, number> }) => ({
    name: m.name,
    history: m.history,
    test: m.test,
  }));
}

test('edit the dropout model (Dropout 0.5, L2 0.01) by keyboard, run, open the address again: the same history bit for bit', async ({ page }, info) => {
  await recordEvents(page);
  await page.goto(`/?${SMALL}&lang=en`);
  const lab = page.locator('overfit-lab');
  const start = lab.locator('[data-action="run"]');
  await expect(start).toHaveText('Start');
  // Closed, the editor is one line and the toolbar has the epochs and seed; open, the editor has them.
  await expect(lab.locator('[part="editor"] > summary')).toHaveText('Edit the models and the run');
  await expect(lab.locator('[part="toolbar"] [name="epochs"]')).toHaveCount(1);
  await openEditor(page, lab);
  await expect(lab.locator('[part="toolbar"] [name="epochs"]')).toHaveCount(0);
  await expect(lab.getByLabel('Epochs')).toHaveValue('2');
  await expect(lab.getByLabel('Seed', { exact: true })).toHaveValue('1');
  await expect(lab.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.001');
  await expect(lab.getByLabel('Batch size')).toHaveValue('500');
  await expect(lab.getByLabel('Training rows')).toHaveValue('300');

  // Dropout 0.5 on both Dropout layers, typed; from the first rate field Tab reaches the layer's
  // remove button, then the next layer's units.
  await typeInto(page, layerField(lab, 'dropout', 1, 'rate'), '0.5');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('remove-layer');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('units');
  await typeInto(page, layerField(lab, 'dropout', 3, 'rate'), '0.5');
  // L2 0.01 on both hidden Dense layers.
  for (const layer of [0, 2]) await typeInto(page, layerField(lab, 'dropout', layer, 'l2'), '0.01');
  await page.keyboard.press('Tab');
  await expect(lab.locator('[part="editor"] [aria-invalid="true"]')).toHaveCount(0);
  // The Keras summary is there (L2 and dropout add no parameters) and the model's card follows the edit.
  await expect(lab.locator('[data-edit-model="dropout"] .edit-params')).toHaveText('29,569 parameters (29,569 trainable)');
  const spec = await lab.evaluate((el: HTMLElementTagNameMap['overfit-lab']) => el.spec);
  const layers = spec!.models.find((m) => m.name === 'dropout')!.spec.layers;
  expect(layers).toEqual([
    { type: 'Dense', units: 128, activation: 'relu', kernel_regularizer: { l2: 0.01 } },
    { type: 'Dropout', rate: 0.5 },
    { type: 'Dense', units: 128, activation: 'relu', kernel_regularizer: { l2: 0.01 } },
    { type: 'Dropout', rate: 0.5 },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ]);
  expect(spec).toMatchObject({ id: 'dropout', seed: 1, trainLimit: 300, testLimit: 200, learningRate: 0.001, batchSize: 500 });
  await editorShot(lab, info, 'editor-en-wide');
  await shot(page, info, 'editor-en-wide-page');

  // Start by keyboard; the editor is locked while it trains.
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(layerField(lab, 'dropout', 1, 'rate')).toBeDisabled();
  await waitForStatus(page, ['done']);
  const first = await doneResult(page);
  expect(first.map((m) => m.name)).toEqual(['basic', 'dropout']);
  expect(first[1].history.loss).toHaveLength(2);
  // L2 0.01 shows in the loss (it includes the penalty), not in the pure cross-entropy.
  expect(first[1].history.loss[0]).toBeGreaterThan(first[1].history.binary_crossentropy[0] + 0.01);
  await expect(page).toHaveURL(/#x=1\.[A-Za-z0-9_-]+$/);

  // The address alone brings the run back: a fresh load, the same edits (the editor opens to
  // show them), the same curves.
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  await expect(lab.locator('[part="editor"]')).toHaveAttribute('open', '');
  await expect(layerField(lab, 'dropout', 1, 'rate')).toHaveValue('0.5');
  await expect(layerField(lab, 'dropout', 3, 'rate')).toHaveValue('0.5');
  await expect(layerField(lab, 'dropout', 0, 'l2')).toHaveValue('0.01');
  await expect(layerField(lab, 'dropout', 2, 'l2')).toHaveValue('0.01');
  await expect(lab.getByLabel('Seed', { exact: true })).toHaveValue('1');
  await expect(start).toHaveAttribute('aria-disabled', 'false');
  await start.click();
  await waitForStatus(page, ['done']);
  const second = await doneResult(page);
  expect(second).toEqual(first);
});

test('an invalid value says why beside its field and Start stays disabled; Reset to the lab’s preset is one click', async ({ page }, info) => {
  await recordEvents(page);
  await page.goto(`/?${SMALL}&lang=en`);
  const lab = page.locator('overfit-lab');
  const start = lab.locator('[data-action="run"]');
  await expect(start).toHaveAttribute('aria-disabled', 'false');
  await openEditor(page, lab);

  const rate = layerField(lab, 'dropout', 1, 'rate');
  await typeInto(page, rate, '1.5');
  await expect(rate).toHaveAttribute('aria-invalid', 'true');
  const rateError = lab.locator(`#${await rate.getAttribute('aria-describedby')}`);
  await expect(rateError).toHaveText('layer 2 (Dropout): rate must be a number in [0, 1), got 1.5.');
  await expect(start).toHaveAttribute('aria-disabled', 'true');
  await expect(lab.locator('#start-reason')).toHaveText(
    'Start waits for a valid experiment: dropout: layer 2 (Dropout): rate must be a number in [0, 1), got 1.5.',
  );
  await expect(start).toHaveAttribute('aria-describedby', 'start-reason');

  const units = layerField(lab, 'basic', 0, 'units');
  await typeInto(page, units, '0');
  await expect(lab.locator(`#${await units.getAttribute('aria-describedby')}`)).toHaveText('layer 1 (Dense): units must be a positive integer, got 0.');
  // No summary for a model that is not valid.
  await expect(lab.locator('[data-edit-model="basic"] .edit-params')).toHaveCount(0);
  const lr = lab.getByRole('textbox', { name: 'Learning rate' });
  await typeInto(page, lr, '0');
  await expect(lab.locator('#edit-run-lr-error')).toHaveText("learningRate must be a number > 0 (Adam's default: 0.001), got 0.");
  await shot(page, info, 'editor-en-wide-invalid');

  // Clicking a disabled Start starts nothing.
  await start.click({ force: true });
  expect(await status(page)).toBe('idle');

  // Models: duplicate (keyboard), rename, remove; at most six.
  await lab.getByRole('button', { name: 'Duplicate model dropout' }).focus();
  await page.keyboard.press('Enter');
  await expect(lab.locator('[data-edit-model="dropout_copy"]')).toHaveCount(1);
  await expect(lab.locator('[part="card"]')).toHaveCount(2); // cards follow valid edits only
  const add = lab.locator('[data-action="add-model"]');
  await add.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Enter');
  await expect(lab.locator('[data-edit-model]')).toHaveCount(6);
  await expect(add).toHaveAttribute('aria-disabled', 'true');
  await expect(lab.locator('#edit-max')).toHaveText('At most 6 models.');

  // One click back to the preset: the lab's models, valid, Start enabled.
  await lab.locator('[part="editor"] [data-action="preset"]').click();
  await expect(lab.locator('[data-edit-model]')).toHaveCount(2);
  await expect(lab.locator('[part="editor"] [aria-invalid="true"]')).toHaveCount(0);
  await expect(layerField(lab, 'dropout', 1, 'rate')).toHaveValue('0.3');
  await expect(lab.getByRole('textbox', { name: 'Learning rate' })).toHaveValue('0.001');
  await expect(start).toHaveAttribute('aria-disabled', 'false');
  await expect(lab.locator('#start-reason')).toHaveCount(0);

  // BatchNormalization after a Dense layer, by its checkbox (Space): the summary counts 512 more parameters.
  await layerField(lab, 'basic', 0, 'batch-norm').focus();
  await page.keyboard.press('Space');
  await expect(lab.locator('[data-edit-model="basic"] [data-layer="1"]')).toHaveAttribute('data-type', 'BatchNormalization');
  await expect(lab.locator('[data-edit-model="basic"] .edit-params')).toHaveText('30,081 parameters (29,825 trainable)');
  await expect(lab.locator('[data-model="basic"] [part="layer-table"] tfoot')).toContainText('30,081');
});

test('the editor in Korean and on a phone (screenshots), and not in an embedded element by default', async ({ page }, info) => {
  await page.goto(`/?${SMALL}&lang=ko`);
  const lab = page.locator('overfit-lab');
  await expect(lab.locator('[part="editor"] summary').first()).toHaveText('모델과 실행 설정 편집');
  await openEditor(page, lab);
  await expect(lab.getByRole('textbox', { name: '학습률' })).toHaveValue('0.001');
  await typeInto(page, layerField(lab, 'dropout', 1, 'rate'), '1.5');
  await expect(lab.locator('[data-error-for="rate"]')).toHaveText('잘못된 값: layer 2 (Dropout): rate must be a number in [0, 1), got 1.5');
  await editorShot(lab, info, 'editor-ko-wide');
  await page.setViewportSize(NARROW);
  await editorShot(lab, info, 'editor-ko-narrow');
  // Nothing sticks out of a phone's width.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);

  await page.goto(`/?${SMALL}&lang=en`);
  await openEditor(page, lab);
  await editorShot(lab, info, 'editor-en-narrow');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);

  // The element without `controls`: no editor (controls="all" is everything but the editor).
  await page.setViewportSize(WIDE);
  await page.goto('/examples/article.html?epochs=1&train-limit=100&test-limit=100');
  await expect(page.locator('overfit-lab [data-action="run"]')).toBeVisible();
  await expect(page.locator('overfit-lab [part="editor"]')).toHaveCount(0);
});

test('a link of a newer version, a damaged link and an invalid spec: a clear message, the preset or a disabled Start', async ({ page }) => {
  await page.goto(`/?${SMALL}&lang=en#x=9.AAAA`);
  await expect(page.locator('#link-problem')).toHaveText('This link was made by a newer version of overfit-lab; the lab’s preset is shown instead.');
  const lab = page.locator('overfit-lab');
  await openEditor(page, lab);
  await expect(layerField(lab, 'dropout', 1, 'rate')).toHaveValue('0.3');
  await expect(lab.locator('[data-action="run"]')).toHaveAttribute('aria-disabled', 'false');

  await page.goto(`/?${SMALL}&lang=ko#x=1.not-deflate`);
  await expect(page.locator('#link-problem')).toHaveText('이 링크의 실험을 읽을 수 없습니다. 대신 실습 기본값을 보여 줍니다.');

  // The spec attribute: bad JSON, then an invalid experiment, then a good one.
  await page.goto(`/?${SMALL}&lang=en`);
  await lab.evaluate((el) => el.setAttribute('spec', '{"id": "mine",'));
  const alert = lab.locator('[data-alert="spec"]');
  await expect(alert).toContainText('The experiment given as spec is not valid');
  await expect(lab.locator('[data-action="run"]')).toHaveAttribute('aria-disabled', 'true');
  await expect(lab.locator('[part="editor"]')).toHaveCount(0);
  await lab.evaluate((el: HTMLElementTagNameMap['overfit-lab']) => {
    el.spec = { id: 'mine', dataset: 'imdb', batchSize: 0, models: [] };
  });
  await expect(alert).toContainText('experiment: batchSize must be a positive integer, got 0.');
  await lab.evaluate((el: HTMLElementTagNameMap['overfit-lab']) => {
    el.spec = {
      id: 'mine',
      dataset: 'imdb',
      batchSize: 100,
      seed: 9,
      models: [{ name: 'tiny', epochs: 3, spec: { name: 'tiny', inputShape: [100], layers: [{ type: 'Dense', units: 1, activation: 'sigmoid' }] } }],
    };
  });
  await expect(alert).toHaveCount(0);
  await expect(lab.locator('[data-edit-model="tiny"] .edit-params')).toHaveText('101 parameters (101 trainable)');
  await expect(lab.getByLabel('Seed', { exact: true })).toHaveValue('9');
  await expect(lab.locator('[data-model="tiny"]')).toBeVisible();
  await expect(lab.locator('[data-action="run"]')).toHaveAttribute('aria-disabled', 'false');
  // One click back to the preset.
  await lab.locator('[data-action="preset"]').click();
  await expect(lab.locator('[data-edit-model]')).toHaveCount(2);
  await expect(lab.locator('[data-model="dropout"]')).toBeVisible();
});
