// What a student sees when the GPU goes away or a model diverges: a message, the finished
// epochs still on screen, and a restart that works. Both failures are made for real in the page:
// the device is destroyed, or one model's parameters are overwritten with NaN on the GPU.
import { expect, test } from '@playwright/test';
import { events, recordEvents, shot, waitForEvents, waitForStatus, WIDE } from './helpers.ts';

test.use({ viewport: WIDE });

/** Wraps WebGPU so the test can reach the page's device and each model's parameter buffer. */
async function gpuHooks(page: import('@playwright/test').Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __devices: GPUDevice[]; __params: { device: GPUDevice; buffer: GPUBuffer }[]; __poison?: string; __lose?: boolean };
    w.__devices = [];
    w.__params = [];
    const requestDevice = GPUAdapter.prototype.requestDevice;
    GPUAdapter.prototype.requestDevice = async function (this: GPUAdapter, ...args: Parameters<GPUAdapter['requestDevice']>) {
      const d = await requestDevice.apply(this, args);
      w.__devices.push(d);
      return d;
    };
    const createBuffer = GPUDevice.prototype.createBuffer;
    GPUDevice.prototype.createBuffer = function (this: GPUDevice, desc: GPUBufferDescriptor) {
      const b = createBuffer.call(this, desc);
      if (desc.label === 'params') w.__params.push({ device: this, buffer: b });
      return b;
    };
    // Acts inside the epoch event, before the runner encodes the next epoch: no race with the test.
    document.addEventListener('overfit-epoch', (e) => {
      const { model, epoch } = (e as CustomEvent).detail;
      if (w.__poison === model && epoch === 1) {
        w.__poison = undefined;
        const { device, buffer } = w.__params[0]; // the first model's parameters (models are built in order)
        device.queue.writeBuffer(buffer, 0, new Float32Array(buffer.size / 4).fill(NaN));
      }
      if (w.__lose && epoch === 1) {
        w.__lose = false;
        w.__devices.at(-1)!.destroy();
      }
    });
  });
}

test('a lost GPU device stops the run with a message, keeps the finished epochs, and Restart trains again', async ({ page }, info) => {
  await recordEvents(page);
  await gpuHooks(page);
  await page.goto('/?experiment=batchnorm&epochs=2&train-limit=200&test-limit=200&lang=en');
  await page.evaluate(() => ((window as unknown as { __lose: boolean }).__lose = true));
  const lab = page.locator('overfit-lab');
  await lab.getByRole('button', { name: 'Start' }).click();
  await waitForStatus(page, ['error']);
  const alert = lab.getByRole('alert');
  await expect(alert).toContainText('The GPU device was lost, so training stopped.');
  await expect(alert).toContainText('The finished epochs stay on the charts.');
  await expect(lab.locator('[data-model="basic"] .epoch')).toHaveText('Epoch 1 / 2');
  await expect(lab.locator('[data-chart="loss"] canvas')).toBeVisible();
  const errors = await events(page, 'overfit-error');
  expect(errors).toHaveLength(1);
  expect(errors[0].detail).toMatchObject({ kind: 'device-lost', model: null });
  expect(errors[0].detail.message).toMatch(/device was lost/);
  expect(await events(page, 'overfit-done')).toHaveLength(0);
  await shot(page, info, 'lab-wide-device-lost');

  await alert.getByRole('button', { name: 'Restart' }).click();
  await waitForStatus(page, ['done']);
  await expect(lab.getByRole('alert')).toHaveCount(0);
  await expect(lab.locator('[data-model="batchnorm"] .epoch')).toHaveText('Epoch 2 / 2');
  expect(await page.evaluate(() => (window as unknown as { __devices: unknown[] }).__devices.length)).toBe(2);
});

test('a diverging model (NaN) is stopped with a message; the other model finishes; Restart runs clean', async ({ page }, info) => {
  await recordEvents(page);
  await gpuHooks(page);
  await page.goto('/?experiment=batchnorm&epochs=2&train-limit=200&test-limit=200&lang=en');
  await page.evaluate(() => ((window as unknown as { __poison: string }).__poison = 'basic'));
  const lab = page.locator('overfit-lab');
  await lab.getByRole('button', { name: 'Start' }).click();
  await waitForEvents(page, 'overfit-error', 1);
  const [error] = await events(page, 'overfit-error');
  expect(error).toMatchObject({ bubbles: true, composed: true, detail: { kind: 'diverged', model: 'basic' } });
  expect(error.detail.message).toMatch(/diverged in epoch 2: .* is NaN.*1 finished epochs are kept/);
  await waitForStatus(page, ['done']);
  const alert = lab.getByRole('alert');
  await expect(alert).toContainText('Model “basic” diverged (its loss became NaN or infinite).');
  await expect(lab.locator('[data-model="basic"] .card-error')).toBeVisible();
  await expect(lab.locator('[data-model="basic"] .epoch')).toHaveText('Epoch 1 / 2');
  await expect(lab.locator('[data-model="batchnorm"] .epoch')).toHaveText('Epoch 2 / 2');
  await expect(lab.locator('[data-model="batchnorm"] [part="scores"]')).toBeVisible();
  const [done] = await events(page, 'overfit-done');
  const basic = done.detail.result.models.find((m: { name: string }) => m.name === 'basic');
  expect(basic.history.loss).toHaveLength(1);
  expect(basic.error).toMatch(/diverged/);
  await shot(page, info, 'lab-wide-diverged');

  await alert.getByRole('button', { name: 'Restart' }).click();
  await waitForStatus(page, ['done']);
  await expect(lab.getByRole('alert')).toHaveCount(0);
  await expect(lab.locator('[data-model="basic"] .epoch')).toHaveText('Epoch 2 / 2');
});

test('missing data files: the message names the address, the HTTP status and what to copy where; Try again is offered', async ({ page }) => {
  await recordEvents(page);
  await page.goto('/?experiment=dropout&data-base=/nowhere&lang=en');
  const lab = page.locator('overfit-lab');
  await lab.getByRole('button', { name: 'Start' }).click();
  await waitForStatus(page, ['error']);
  const alert = lab.getByRole('alert');
  await expect(alert).toContainText('The data could not be loaded.');
  await expect(alert).toContainText('/nowhere/imdb.ofl');
  // What an author hosting the page does about it: the HTTP status, the file to copy and where.
  await expect(alert).toContainText(/HTTP \d{3}\)\. Copy imdb\.ofl .* into http:\/\/127\.0\.0\.1:\d+\/nowhere\/, or set the element's data-base attribute/);
  await expect(alert.getByRole('button', { name: 'Try again' })).toBeVisible();
  const [error] = await events(page, 'overfit-error');
  expect(error.detail).toMatchObject({ kind: 'data', model: null });
});
