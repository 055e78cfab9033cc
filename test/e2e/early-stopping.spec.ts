// Early stopping on the lab page, trained for real (WebGPU on SwiftShader here), kept small: the
// basic model of the dropout experiment with patience 0 and min_delta 0.05 stops at epoch 2 and
// gets epoch 1's weights back (as the CLI's run in test/node/cli.test.ts); the card, the events,
// the loss chart's marks and the export say so, in English and Korean. And an invalid value.
import { expect, test } from '@playwright/test';
import { drawn, events, recordEvents, shot, waitForStatus, WIDE } from './helpers.ts';

const SMALL = 'experiment=dropout&models=basic&epochs=6&train-limit=300&test-limit=200';

test.use({ viewport: WIDE });

test('early-stopping=0,0.05: stopped early at epoch 2 with epoch 1’s weights restored; card, events, chart marks and export say so (en, ko)', async ({
  page,
}, info) => {
  await recordEvents(page);
  await page.goto(`/?${SMALL}&early-stopping=0,0.05&autostart&lang=en`);
  const lab = page.locator('overfit-lab');
  const field = lab.locator('input[name="early-stopping"]');
  await expect(field).toHaveValue('0');
  await expect(lab.locator('#early-stopping-hint')).toContainText('Watches val_loss (an improvement must beat the best by more than 0.05)');
  await waitForStatus(page, ['done']);
  await expect(lab.getByRole('status')).toHaveText('Finished: early stopping ended training before the last epoch. Test scores are on the model cards.');

  const card = lab.locator('[data-model="basic"]');
  const line = card.locator('.early-stopping');
  await expect(line).toHaveText('Stopped early at epoch 2 · weights of epoch 1 restored (test scores use them)');
  await expect(line).toHaveAttribute('data-state', 'restored');
  await expect(card.locator('.state')).toHaveText('stopped early');
  await expect(card.locator('.epoch')).toHaveText('Epoch 2 / 6');
  const bar = card.locator('[role="progressbar"]');
  await expect(bar).toHaveAttribute('aria-valuetext', 'Epoch 2 / 6, stopped early');
  await expect(bar).toHaveClass(/\bearly\b/);
  await expect(card.locator('[part="scores"]')).toContainText('Test scores');

  // Events: each epoch's state; the run is done (not stopped), with Keras' outcome.
  const epochs = await events(page, 'overfit-epoch');
  expect(epochs.map((e) => [e.detail.model, e.detail.epoch, e.detail.earlyStopping])).toEqual([
    ['basic', 1, { best_epoch: 1, stopped_epoch: null, restored_epoch: null, wait: 0 }],
    ['basic', 2, { best_epoch: 1, stopped_epoch: 2, restored_epoch: 1, wait: 1 }],
  ]);
  const done = (await events(page, 'overfit-done'))[0].detail;
  expect(done.stopped).toBe(false);
  expect(done.result.models).toHaveLength(1); // models=basic
  const [basic] = done.result.models;
  expect(basic.earlyStopping).toEqual({
    settings: { monitor: 'val_loss', min_delta: 0.05, patience: 0, mode: 'auto', baseline: null, restore_best_weights: true, start_from_epoch: 0 },
    best_epoch: 1,
    stopped_epoch: 2,
    restored_epoch: 1,
  });
  expect(basic.history.val_loss).toHaveLength(2);
  // The test scores are the restored weights': epoch 1's validation loss (the same test rows).
  expect(basic.test.loss).toBeCloseTo(basic.history.val_loss[0], 5);

  // The loss chart: the patience window from the best epoch to the stop, the restored epoch's line.
  await expect.poll(async () => (await drawn(page, 'loss')).patience).toBe('basic:1-2');
  expect((await drawn(page, 'loss')).restored).toBe('basic:1');
  expect((await drawn(page, 'accuracy')).restored).toBe('basic:1');
  expect((await drawn(page, 'accuracy')).patience).toBeUndefined();
  const legend = lab.locator('[part="legend"]');
  await expect(legend.locator('[data-key="patience"]')).toHaveText('patience window (early stopping)');
  await expect(legend.locator('[data-key="restored"]')).toHaveText('restored weights');

  const json = JSON.parse(await lab.evaluate((el) => (el as HTMLElement & { exportJson(): string }).exportJson()));
  expect(json.models[0].earlyStopping).toMatchObject({ best_epoch: 1, stopped_epoch: 2, restored_epoch: 1 });
  await shot(page, info, 'early-stopping-en');

  // The page's language switch: the same run, in Korean.
  await page.locator('[data-lang="ko"]').click();
  await expect(line).toHaveText('에폭 2에서 조기 종료 · 에폭 1의 가중치 복원(테스트 점수는 이 가중치로 계산)');
  await expect(card.locator('.state')).toHaveText('조기 종료됨');
  await expect(lab.getByRole('status')).toContainText('조기 종료로 마지막 에폭 전에 학습을 멈췄습니다');
  await expect(legend.locator('[data-key="patience"]')).toHaveText('patience 구간(조기 종료)');
  await expect(lab.locator('label', { has: page.locator('input[name="early-stopping"]') })).toContainText('조기 종료 (patience)');
  await expect.poll(async () => (await drawn(page, 'loss')).restored).toBe('basic:1');
  await shot(page, info, 'early-stopping-ko');
});

test('an invalid early-stopping disables Start and says why, in English and Korean; a patience typed in fixes it; JSON shows its patience', async ({
  page,
}) => {
  await page.goto(`/?${SMALL}&early-stopping=abc&lang=en`);
  const lab = page.locator('overfit-lab');
  const error = lab.locator('#early-stopping-error');
  const field = lab.locator('input[name="early-stopping"]');
  await expect(error).toHaveText('Early stopping takes PATIENCE or PATIENCE,MIN_DELTA (e.g. 3 or 3,0.001) or a JSON object of Keras arguments, got "abc".');
  await expect(lab.getByRole('button', { name: 'Start' })).toHaveAttribute('aria-disabled', 'true');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveValue('');

  await page.locator('[data-lang="ko"]').click();
  await expect(error).toHaveText(/^조기 종료 설정이 올바르지 않습니다: early stopping takes PATIENCE or PATIENCE,MIN_DELTA .*got "abc"\. 예: 3, 3,0\.001/);
  const start = lab.getByRole('button', { name: '시작' });
  await expect(start).toHaveAttribute('aria-disabled', 'true');

  await field.fill('2');
  await field.blur();
  await expect(error).toHaveCount(0);
  await expect(start).toHaveAttribute('aria-disabled', 'false');
  expect(await lab.evaluate((el) => (el as HTMLElement & { earlyStopping: string }).earlyStopping)).toBe('2');
  await expect(lab.locator('[data-model="basic"] .early-stopping')).toHaveText('조기 종료: val_loss 기준, patience 2');

  // Keras' arguments as JSON: the field shows their patience, the hint their monitor.
  await lab.evaluate((el) => el.setAttribute('early-stopping', '{"patience": 4, "monitor": "val_accuracy"}'));
  await expect(field).toHaveValue('4');
  await expect(field).toHaveAttribute('data-source', 'json');
  await expect(lab.locator('#early-stopping-hint')).toContainText('val_accuracy');
  await expect(lab.locator('[data-model="basic"] .early-stopping')).toHaveText('조기 종료: val_accuracy 기준, patience 4');
});
