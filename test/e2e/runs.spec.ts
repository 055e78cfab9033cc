// Saved runs on the lab page, trained for real (WebGPU on SwiftShader here), kept small: each
// finished run is saved in IndexedDB and listed; a run of seed 1 pinned beside a run of seed 2
// draws both on the loss chart (the legend names the pinned run); renamed with the keyboard, it
// keeps its new name after a reload; export, delete all and import give it back; then it is
// deleted. Screenshots of the panel with a pinned run in English and Korean. And the embedded
// default (`controls="all"`) has no panel.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { drawn, events, recordEvents, shot, waitForEvents, waitForStatus, WIDE } from './helpers.ts';

const SMALL = 'experiment=dropout&models=basic&epochs=2&train-limit=300&test-limit=200';

test.use({ viewport: WIDE });

test('runs are saved and listed; a pinned earlier run is drawn beside the current one; rename, reload, export, import, delete (en, ko)', async ({
  page,
}, info) => {
  test.setTimeout(240_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await recordEvents(page);
  await page.goto(`/?${SMALL}&seed=1&autostart&lang=en`);
  const lab = page.locator('overfit-lab');
  const panel = lab.locator('[part="runs"]');
  await expect(panel.locator('summary')).toHaveText('Saved runs');
  await expect(panel.locator('.runs-empty')).toHaveText('No saved runs yet: finish or stop a run and it appears here.');
  await waitForStatus(page, ['done']);

  // Saved as soon as it is done, with a live status line (a live region, not a second role=status).
  const items = panel.locator('li[data-run]');
  await expect(items).toHaveCount(1);
  const status = panel.locator('.runs-status');
  await expect(status).toHaveAttribute('aria-live', 'polite');
  await expect(status).toHaveText(/^Saved as dropout · seed 1 · \d{4}-\d\d-\d\d \d\d:\d\d$/);
  const first = items.first();
  const firstName = (await first.locator('.run-name').textContent())!.trim();
  await expect(first.locator('.run-meta')).toContainText(' · Dropout · seed 1 · ');
  const done1 = (await events(page, 'overfit-done'))[0].detail;
  await expect(first.locator('.run-meta')).toContainText(`${done1.result.adapter.vendor} ${done1.result.adapter.architecture}`);
  // The list's test cross-entropy is the run's.
  await expect(first.locator('.run-model')).toHaveText(`basic ${done1.result.models[0].test.binary_crossentropy.toFixed(4)}`);

  // Seed 2, run again: two runs, newest first.
  const seed = lab.locator('input[name="seed"]');
  await seed.fill('2');
  await seed.press('Tab');
  await lab.locator('[data-action="run"]').click();
  await waitForEvents(page, 'overfit-done', 2);
  await expect(items).toHaveCount(2);
  await expect(items.nth(0).locator('.run-name')).toContainText('seed 2');
  await expect(items.nth(1).locator('.run-name')).toHaveText(firstName);

  // Before pinning the loss chart has the current run's two lines.
  expect((await drawn(page, 'loss')).lines).toBe('2');
  expect((await drawn(page, 'loss')).pinned).toBeUndefined();
  const seed1 = panel.locator(`li[data-run]`, { hasText: firstName });
  const pin = seed1.locator('[data-action="pin"]');
  await expect(pin).toHaveAttribute('aria-pressed', 'false');
  await pin.click();
  await expect(pin).toHaveAttribute('aria-pressed', 'true');
  await expect(pin).toHaveText('Unpin');
  await expect.poll(async () => (await drawn(page, 'loss')).pinned).toBe(`${firstName} · basic`);
  expect((await drawn(page, 'loss')).lines).toBe('4'); // seed 2's training and validation, then seed 1's
  expect((await drawn(page, 'loss')).points).toBe('8');
  expect((await drawn(page, 'accuracy')).pinned).toBe(`${firstName} · basic`);
  const legend = lab.locator('[part="legend"]');
  await expect(legend.locator('.key.pinned')).toHaveText(`${firstName} · basic`);

  // Rename with the keyboard: Escape cancels, Enter saves; focus goes back to the button.
  const rename = seed1.locator('[data-action="rename"]');
  await rename.focus();
  await page.keyboard.press('Enter');
  const field = panel.locator('input[name="run-name"]');
  await expect(field).toBeFocused();
  await page.keyboard.type('nothing');
  await page.keyboard.press('Escape');
  await expect(field).toHaveCount(0);
  await expect(panel.locator('.run-name', { hasText: firstName })).toHaveCount(1);
  await rename.focus();
  await page.keyboard.press('Enter');
  await expect(field).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('first run (seed 1)');
  await page.keyboard.press('Enter');
  const renamed = panel.locator('li[data-run]', { hasText: 'first run (seed 1)' });
  await expect(renamed.locator('.run-name')).toHaveText('first run (seed 1)');
  await expect(status).toHaveText('Renamed to first run (seed 1)');
  await expect(renamed.locator('[data-action="rename"]')).toBeFocused();
  // The pinned curves keep their place under the new name.
  await expect(legend.locator('.key.pinned')).toHaveText('first run (seed 1) · basic');
  await expect.poll(async () => (await drawn(page, 'loss')).pinned).toBe('first run (seed 1) · basic');
  await panel.scrollIntoViewIfNeeded();
  await shot(page, info, 'runs-en');

  // Korean.
  await page.locator('[data-lang="ko"]').click();
  await expect(panel.locator('summary')).toContainText('저장된 실행');
  await expect(renamed.locator('[data-action="pin"]')).toHaveText('고정 해제');
  await expect(renamed.locator('.run-meta')).toContainText('시드 1');
  await expect(renamed.locator('.run-models')).toContainText('테스트 교차 엔트로피');
  await shot(page, info, 'runs-ko');
  await page.locator('[data-lang="en"]').click();

  // A reload keeps the runs (not the pins).
  await page.reload();
  await expect(items).toHaveCount(2);
  await expect(panel.locator('li[data-run]', { hasText: 'first run (seed 1)' })).toHaveCount(1);
  await expect(lab.locator('.key.pinned')).toHaveCount(0);

  // Pinning works before any run of this page.
  await renamed.locator('[data-action="pin"]').click();
  await expect.poll(async () => (await drawn(page, 'loss')).pinned).toBe('first run (seed 1) · basic');
  expect((await drawn(page, 'loss')).lines).toBe('4');

  // Export all -> delete all -> import: the runs come back.
  const [download] = await Promise.all([page.waitForEvent('download'), panel.locator('[data-action="runs-export-all"]').click()]);
  expect(download.suggestedFilename()).toBe('overfit-lab-runs.json');
  const file = await download.path();
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  expect(exported.format).toBe('overfit-lab-runs');
  expect(exported.runs.map((r: { name: string }) => r.name)).toEqual([expect.stringContaining('seed 2'), 'first run (seed 1)']);
  await expect(status).toHaveText('Downloaded overfit-lab-runs.json');

  await panel.locator('[data-action="runs-delete-all"]').click();
  await expect(panel.locator('.confirm')).toContainText('Delete all 2 saved runs?');
  await expect(panel.locator('[data-action="cancel-delete"]')).toBeFocused();
  await panel.locator('[data-action="confirm-delete"]').click();
  await expect(items).toHaveCount(0);
  await expect(status).toHaveText('Deleted every saved run');
  await expect(lab.locator('.key.pinned')).toHaveCount(0); // a deleted run is unpinned
  await expect.poll(async () => (await drawn(page, 'loss')).pinned).toBeUndefined();

  await panel.locator('input[name="runs-import"]').setInputFiles(file);
  await expect(status).toHaveText('Imported 2 runs.');
  await expect(items).toHaveCount(2);
  const back = panel.locator('li[data-run]', { hasText: 'first run (seed 1)' });
  await expect(back).toHaveCount(1);

  // A file that is not a runs export: the store's message, and nothing changes.
  await panel.locator('input[name="runs-import"]').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"runs": []}') });
  await expect(status).toContainText('Saved runs: this is not a runs export of overfit-lab');
  await expect(status).toHaveAttribute('data-ok', 'false');
  await expect(items).toHaveCount(2);

  // Delete it (with a confirmation that Cancel backs out of).
  await back.locator('[data-action="delete-run"]').click();
  await expect(back.locator('.confirm')).toContainText('Delete first run (seed 1)? This cannot be undone.');
  await back.locator('[data-action="cancel-delete"]').click();
  await expect(items).toHaveCount(2);
  await back.locator('[data-action="delete-run"]').click();
  await back.locator('[data-action="confirm-delete"]').click();
  await expect(items).toHaveCount(1);
  await expect(panel.locator('li[data-run]', { hasText: 'first run (seed 1)' })).toHaveCount(0);
  await expect(status).toHaveText('Deleted first run (seed 1)');
  expect(problems).toEqual([]);
});

test('where the browser keeps no data, the run finishes as usual and the panel says why (en, ko)', async ({ page }) => {
  // As in a private window with site data blocked: opening IndexedDB throws a SecurityError.
  await page.addInitScript(() => {
    indexedDB.open = () => {
      throw new DOMException('access to IndexedDB is denied', 'SecurityError');
    };
  });
  await recordEvents(page);
  await page.goto(`/?${SMALL}&autostart&lang=en`);
  const lab = page.locator('overfit-lab');
  const status = lab.locator('.runs-status');
  await expect(status).toContainText('Saved runs: this browser does not keep data for this page');
  await waitForStatus(page, ['done']);
  await expect(lab.getByRole('status')).toHaveText('Finished. Test scores are on the model cards.');
  await expect(lab.locator('[data-model="basic"] [part="scores"]')).toContainText('Test scores');
  expect(await events(page, 'overfit-error')).toEqual([]);
  await expect(status).toHaveAttribute('data-ok', 'false');
  await expect(lab.locator('[part="runs"] .field-hint', { hasText: 'Reading the saved runs' })).toHaveCount(0);
  await page.locator('[data-lang="ko"]').click();
  await expect(status).toContainText('저장된 실행: 이 브라우저는 이 페이지의 데이터를 보관하지 않습니다');
});

test('the embedded default (controls="all") has no saved runs panel', async ({ page }) => {
  await page.goto(`/?${SMALL}&controls=all&lang=en`);
  const lab = page.locator('overfit-lab');
  await expect(lab.locator('[data-action="run"]')).toBeVisible();
  await expect(lab.locator('[part="runs"]')).toHaveCount(0);
});
