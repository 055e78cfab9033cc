// Chromium launched without --enable-unsafe-webgpu: navigator.gpu exists but grants no adapter.
// The element must explain why and what to do, instead of showing an empty box.
import { expect, test } from '@playwright/test';
import { events, NARROW, recordEvents, shot, waitForStatus, WIDE } from './helpers.ts';

test('without WebGPU the lab shows the explanation panel, in English and Korean', async ({ page }, info) => {
  await page.setViewportSize(WIDE);
  await recordEvents(page);
  await page.goto('/?experiment=dropout&lang=en&autostart');
  expect(await waitForStatus(page, ['unsupported'])).toBe('unsupported');
  const lab = page.locator('overfit-lab');
  const panel = lab.locator('[part="unsupported"]');
  await expect(panel.getByRole('heading', { name: 'WebGPU is not available here' })).toBeVisible();
  await expect(panel).toContainText('did not grant a GPU adapter');
  await expect(panel).toContainText('--enable-unsafe-webgpu');
  await expect(panel).toContainText('chrome://gpu');
  await expect(lab.locator('[part="status"]')).toHaveText('WebGPU is not available in this browser.');
  // No dead controls or empty charts; the explanation and the models' layer tables stay useful.
  await expect(lab.locator('[data-action="run"]')).toHaveCount(0);
  await expect(lab.locator('[part="charts"]')).toHaveCount(0);
  await expect(lab.locator('[part="explanation"]')).toBeVisible();
  await expect(lab.locator('[part="card"]')).toHaveCount(2);
  const errors = await events(page, 'overfit-error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ bubbles: true, composed: true, detail: { kind: 'no-webgpu', model: null } });
  // "Try again" is reachable from the keyboard and checks again.
  await panel.getByRole('button', { name: 'Try again' }).focus();
  await page.keyboard.press('Enter');
  await waitForStatus(page, ['unsupported']);
  await shot(page, info, 'no-webgpu-wide');

  await page.setViewportSize(NARROW);
  await page.goto('/?experiment=imdb-overfit&lang=ko');
  await waitForStatus(page, ['unsupported']);
  await expect(lab.locator('[part="unsupported"]').getByRole('heading', { name: '여기서는 WebGPU를 쓸 수 없습니다' })).toBeVisible();
  await expect(lab.locator('[part="unsupported"]')).toContainText('GPU 어댑터를 내주지 않았습니다');
  await shot(page, info, 'no-webgpu-narrow-ko');
});
