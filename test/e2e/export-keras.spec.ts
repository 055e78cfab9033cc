// "Take it elsewhere" on the lab page with real WebGPU (SwiftShader here): Copy as Keras writes
// kerasScript of the page's run to the clipboard, or shows it selected in a dialog where the
// clipboard is refused; each finished model's "Export TF.js model" downloads <model>.json and
// <model>.weights.bin, which @tensorflow/tfjs loads here in Node and which predict the 200 real
// IMDB test rows with the binary cross-entropy the GPU reported for that model (within 1e-4);
// the editor imports a Keras model.json as a new model and refuses a Conv2D one with a message.
import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page, test } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import { feature } from '../../src/data/dataset.ts';
import { loadDataset } from '../../src/data/load-node.ts';
import { kerasScript } from '../../src/experiments/keras-code.ts';
import { findExperiment } from '../../src/experiments/presets.ts';
import { events, recordEvents, shot, waitForStatus, WIDE } from './helpers.ts';

const SMALL = 'experiment=dropout&epochs=2&train-limit=300&test-limit=200&autostart';
const ROWS = 200;

test.use({ viewport: WIDE });

/** The script the page's run should copy, computed here from the same preset and settings. */
const expectedScript = () => kerasScript(findExperiment('dropout'), { seed: 1, epochs: 2, trainLimit: 300, testLimit: ROWS });

async function download(page: Page, click: () => Promise<void>, count = 1): Promise<{ name: string; body: Buffer }[]> {
  const got: Promise<{ name: string; body: Buffer }>[] = [];
  const all = new Promise<void>((resolve) => {
    const on = (d: import('@playwright/test').Download) => {
      got.push(d.path().then((p) => ({ name: d.suggestedFilename(), body: readFileSync(p!) })));
      if (got.length === count) {
        page.off('download', on);
        resolve();
      }
    };
    page.on('download', on);
  });
  await click();
  await all;
  return Promise.all(got);
}

test('Copy as Keras: the clipboard gets kerasScript of the page’s run; the status says so', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await recordEvents(page);
  await page.goto(`/?${SMALL}&lang=en`);
  const lab = page.locator('overfit-lab');
  const copy = lab.getByRole('button', { name: 'Copy this run as a Keras (Python) script' });
  await expect(copy).toHaveText('Copy as Keras');
  await expect(copy).toHaveAttribute('aria-disabled', 'false');
  // no note with one seed
  await expect(lab.locator('#keras-note')).toHaveCount(0);
  await copy.click();
  await expect(lab.locator('.keras-status')).toHaveText('Copied the Keras script');
  await expect(lab.locator('.keras-status')).toHaveAttribute('role', 'status');
  const text = await page.evaluate(() => navigator.clipboard.readText());
  expect(text).toBe(expectedScript());
  for (const line of ['x_train[:300]', 'x_test[:200]', 'epochs=2', 'Dropout(', 'SEED = 1', 'tf.keras.utils.set_random_seed(SEED)'])
    expect(text, line).toContain(line);
  await expect(lab.locator('dialog.keras-dialog')).not.toHaveAttribute('open', '');

  // Download .py: the same script under the run's file name.
  const [py] = await download(page, () => lab.getByRole('button', { name: 'Download this run as a Keras (Python) script' }).click());
  expect(py.name).toBe('overfit-lab-dropout-seed1.py');
  expect(py.body.toString('utf8')).toBe(expectedScript());
  await expect(lab.locator('.keras-status')).toHaveText('Downloaded overfit-lab-dropout-seed1.py');
  await waitForStatus(page, ['done']);
  // After the run the script is still the run's.
  await copy.click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expectedScript());
  // the element's method gives the same text
  expect(await lab.evaluate((el: HTMLElementTagNameMap['overfit-lab']) => el.exportKeras())).toBe(expectedScript());
});

test('Copy as Keras where the clipboard is refused: a dialog with the script selected, Download .py, Close (Escape); several seeds: a note', async ({
  page,
}, info) => {
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) },
      configurable: true,
    });
  });
  await page.goto(`/?experiment=dropout&epochs=2&train-limit=300&test-limit=200&seed=3&seeds=3&lang=en`);
  const lab = page.locator('overfit-lab');
  await expect(lab.locator('#keras-note')).toHaveText('The Keras script trains with seed 3, the first of this run’s 3 seeds.');
  const copy = lab.locator('[data-action="copy-keras"]');
  await expect(copy).toHaveAttribute('aria-describedby', 'keras-note');
  await copy.click();
  const dialog = lab.getByRole('dialog', { name: 'The run as a Keras script' });
  await expect(dialog).toBeVisible();
  const area = dialog.getByRole('textbox', { name: 'Keras script' });
  const script = kerasScript(findExperiment('dropout'), { seed: 3, epochs: 2, trainLimit: 300, testLimit: ROWS });
  await expect(area).toHaveValue(script);
  await expect(area).toHaveAttribute('readonly', '');
  await expect(area).toBeFocused();
  const selected = await area.evaluate((a: HTMLTextAreaElement) => [a.selectionStart, a.selectionEnd]);
  expect(selected).toEqual([0, script.length]);
  await expect(lab.locator('.keras-status')).toHaveText('');
  await shot(page, info, 'keras-copy-dialog-en');
  const [py] = await download(page, () => dialog.getByRole('button', { name: 'Download .py' }).click());
  expect(py.name).toBe('overfit-lab-dropout-seed3.py');
  expect(py.body.toString('utf8')).toBe(script);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // again, and Close
  await copy.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

/** Binary cross-entropy of probabilities as Keras' metric computes it (clipped to [1e-7, 1 - 1e-7]), in float64. */
function bce(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(1 - 1e-7, Math.max(1e-7, p[i]));
    s -= y[i] ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

test('Export TF.js model: each card’s files load in tfjs and predict the test rows with the GPU’s test cross-entropy (1e-4)', async ({ page }, info) => {
  await recordEvents(page);
  await page.goto(`/?${SMALL}&lang=en`);
  const lab = page.locator('overfit-lab');
  // Not before the model has finished.
  await expect(lab.locator('[data-action="export-tfjs"]')).toHaveCount(0);
  await waitForStatus(page, ['done']);
  const [done] = await events(page, 'overfit-done');
  const models: { name: string; test: Record<string, number> }[] = done.detail.result.models;
  expect(models.map((m) => m.name)).toEqual(['basic', 'dropout']);
  // the weights are not in the result or the events
  expect(JSON.stringify(done.detail)).not.toMatch(/"final"/);

  await tf.setBackend('cpu');
  const data = await loadDataset('imdb', { trainLimit: 300, testLimit: ROWS });
  const x = new Float32Array(ROWS * data.features);
  for (let r = 0; r < ROWS; r++) for (let j = 0; j < data.features; j++) x[r * data.features + j] = feature(data, data.test, r, j);
  const y = Array.from(data.test.y.subarray(0, ROWS));

  for (const m of models) {
    const card = lab.locator(`[part="card"][data-model="${m.name}"]`);
    const button = card.getByRole('button', { name: `Export ${m.name} as a TF.js model (model.json and its weights file)` });
    await expect(button).toHaveText('Export TF.js model');
    const files = await download(page, () => button.click(), 2);
    expect(files.map((f) => f.name)).toEqual([`${m.name}.json`, `${m.name}.weights.bin`]);
    const modelJson = JSON.parse(files[0].body.toString('utf8'));
    expect(modelJson.weightsManifest[0].paths).toEqual([`${m.name}.weights.bin`]);
    // tfjs's own http loader, fed the two downloaded files by name
    const byName = Object.fromEntries(files.map((f) => [f.name, f.body]));
    const fetchFunc = async (url: RequestInfo | URL) => {
      const body = byName[String(url).split('/').pop()!];
      return body === undefined ? new Response('not found', { status: 404 }) : new Response(new Uint8Array(body));
    };
    const model = await tf.loadLayersModel(tf.io.http(`http://overfit-lab.test/${m.name}.json`, { fetchFunc }));
    const out = model.predict(tf.tensor(x, [ROWS, data.features])) as tf.Tensor;
    const ce = bce(out.dataSync(), y);
    const gpu = m.test.binary_crossentropy;
    const diff = Math.abs(ce - gpu);
    console.log(`export-keras: ${m.name} tfjs test cross-entropy ${ce.toFixed(7)}, GPU ${gpu.toFixed(7)}, |diff| ${diff.toExponential(2)}`);
    info.annotations.push({ type: 'cross-entropy', description: `${m.name}: tfjs ${ce} GPU ${gpu} diff ${diff.toExponential(2)}` });
    expect(diff).toBeLessThanOrEqual(1e-4);
    // the card shows the same number (4 decimals)
    await expect(card.locator('[part="scores"]')).toContainText(gpu.toFixed(4));
    out.dispose();
    model.dispose();
  }
  await lab.locator('[part="cards"]').scrollIntoViewIfNeeded();
  await shot(page, info, 'keras-export-cards-en');

  // Korean: the same buttons in Korean.
  await page.locator('[data-lang="ko"]').click();
  await expect(lab.locator('[data-action="export-tfjs"]').first()).toHaveText('TF.js 모델 내보내기');
  await expect(lab.locator('[data-action="copy-keras"]')).toHaveText('Keras 코드로 복사');
  await shot(page, info, 'keras-export-cards-ko');

  // Reset clears the weights: the buttons go.
  await lab.locator('[data-action="reset"]').click();
  await expect(lab.locator('[data-action="export-tfjs"]')).toHaveCount(0);
  expect(await lab.evaluate((el: HTMLElementTagNameMap['overfit-lab']) => el.exportTfjs('basic'))).toBeNull();
});

async function openEditor(lab: Locator): Promise<void> {
  await lab.locator('[part="editor"] > summary').click();
  await expect(lab.locator('[part="editor"]')).toHaveAttribute('open', '');
}

test('Import Keras model: imdb-overfit.basic.json becomes a third model (58,881 parameters); a Conv2D model is refused with its message', async ({
  page,
}, info) => {
  await page.goto(`/?experiment=dropout&epochs=2&train-limit=300&test-limit=200&lang=en`);
  const lab = page.locator('overfit-lab');
  await openEditor(lab);
  const file = lab.getByLabel('Keras model.json file');
  await file.setInputFiles('test/fixtures/keras/imdb-overfit.basic.json');
  const message = lab.locator('#import-message');
  await expect(message).toHaveText('Imported basic_2 as a new model.');
  await expect(message).toHaveAttribute('aria-live', 'polite');
  const models = lab.locator('[part="editor"] [data-edit-model]');
  await expect(models).toHaveCount(3);
  const imported = lab.locator('[part="editor"] [data-edit-model="basic_2"]');
  await expect(imported.locator('.edit-params')).toHaveText('58,881 parameters (58,881 trainable)');
  await expect(imported.locator('[part="edit-summary"] tfoot')).toContainText('58,881');
  // The card follows, and Start is there to train it.
  await expect(lab.locator('[part="card"][data-model="basic_2"]')).toHaveCount(1);
  await expect(lab.locator('[data-action="run"]')).toHaveAttribute('aria-disabled', 'false');
  const spec = await lab.evaluate((el: HTMLElementTagNameMap['overfit-lab']) => el.spec);
  expect(spec!.models.map((m) => m.name)).toEqual(['basic', 'dropout', 'basic_2']);
  await imported.scrollIntoViewIfNeeded();
  await shot(page, info, 'keras-import-en');

  // A Conv2D model: refused, the layer named, what is supported said.
  const conv = {
    class_name: 'Sequential',
    config: {
      name: 'convnet',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28, 1], name: 'input' } },
        { class_name: 'Conv2D', config: { name: 'conv2d', filters: 8, kernel_size: [3, 3], activation: 'relu' } },
        { class_name: 'Flatten', config: { name: 'flatten' } },
        { class_name: 'Dense', config: { name: 'dense', units: 1, activation: 'sigmoid' } },
      ],
    },
  };
  await file.setInputFiles({ name: 'convnet.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(conv)) });
  await expect(message).toContainText('Not imported:');
  await expect(message).toContainText('Conv2D');
  await expect(message).toContainText('Dense');
  await expect(message).toHaveClass(/field-error/);
  await expect(models).toHaveCount(3);

  // Pasted JSON works too (model.to_json() text); an MNIST model does not fit IMDB's rows.
  const paste = lab.getByLabel('or paste model.to_json()');
  await paste.fill(readFileSync('test/fixtures/keras/batchnorm.basic.json', 'utf8'));
  await lab.locator('[data-action="import-paste"]').click();
  await expect(message).toHaveText('Not imported: its input shape (28, 28) does not fit the rows of IMDB reviews (100).');
  await paste.fill(readFileSync('test/fixtures/keras/imdb-overfit.overfitting.json', 'utf8'));
  await lab.locator('[data-action="import-paste"]').click();
  await expect(message).toHaveText('Imported overfitting as a new model.');
  await expect(models).toHaveCount(4);
});

test('embedded with controls="all": no Keras or TF.js buttons, no import (they are the keras and edit controls)', async ({ page }) => {
  await page.goto(`/?experiment=dropout&epochs=1&train-limit=300&test-limit=200&controls=all&autostart&lang=en`);
  const lab = page.locator('overfit-lab');
  await waitForStatus(page, ['done']);
  await expect(lab.locator('[data-action="export-csv"]')).toHaveCount(1);
  for (const action of ['copy-keras', 'download-keras', 'export-tfjs']) await expect(lab.locator(`[data-action="${action}"]`)).toHaveCount(0);
  await expect(lab.locator('[part="editor"], [name="import-file"], dialog')).toHaveCount(0);
  // the methods work without the buttons
  expect(await lab.evaluate((el: HTMLElementTagNameMap['overfit-lab']) => el.exportKeras())).toContain('layers.Dropout(0.3)');
  const files = await lab.evaluate((el: HTMLElementTagNameMap['overfit-lab']) => {
    const f = el.exportTfjs('dropout');
    return f && { json: f.json.name, weights: f.weights.name, bytes: f.weights.bytes.byteLength };
  });
  expect(files).toEqual({ json: 'dropout.json', weights: 'dropout.weights.bin', bytes: 4 * 29_569 });
});
