// Early stopping in <overfit-lab> without a browser: the `early-stopping` attribute and its
// errors in both languages, the patience field, the card's line in each case, and what the loss
// chart marks (the patience window and the restored epoch).
import { describe, expect, it } from 'vitest';
import { parseEarlyStopping } from '../../src/experiments/early-stopping.ts';
import { MESSAGES } from '../../src/ui/i18n.ts';
import type { ChartModel } from '../../src/ui/overfit-lab/chart-lines.ts';
import { earlyStoppingData, earlyStoppingMarks } from '../../src/ui/overfit-lab/chart-lines.ts';
import { earlyStoppingLine, finishedState } from '../../src/ui/overfit-lab/model-card.ts';
import type { ModelState } from '../../src/ui/overfit-lab/model-state.ts';
import { modelStates, recordEarlyStopping, recordEpoch, runEarlyStopping, stoppedEarly } from '../../src/ui/overfit-lab/model-state.ts';
import { CONTROL_NAMES, parseControls } from '../../src/ui/overfit-lab/series.ts';
import { patienceField, readEarlyStopping, readSettings, withPatience } from '../../src/ui/overfit-lab/settings.ts';
import type { LabHost } from '../../src/ui/overfit-lab/types.ts';

const host = (over: Partial<LabHost> = {}) =>
  ({
    experiment: 'dropout',
    models: 'basic',
    datasetName: '',
    epochs: 6,
    seed: 1,
    seeds: 1,
    sweep: '',
    earlyStopping: '',
    dataBase: '',
    debug: false,
    ...over,
  }) as LabHost;

const en = MESSAGES.en;
const ko = MESSAGES.ko;

describe('the early-stopping attribute', () => {
  it('empty is off; a patience, patience and min_delta, or Keras’ JSON arguments, as the CLI reads them', () => {
    expect(readEarlyStopping('')).toEqual({ settings: null, error: null });
    expect(readEarlyStopping('  ')).toEqual({ settings: null, error: null });
    expect(readEarlyStopping(undefined)).toEqual({ settings: null, error: null });
    expect(readEarlyStopping('3').settings).toEqual(parseEarlyStopping('3'));
    expect(readEarlyStopping(' 0, 0.05 ').settings).toMatchObject({ monitor: 'val_loss', patience: 0, min_delta: 0.05, restore_best_weights: true });
    expect(readEarlyStopping('{"patience": 2, "monitor": "val_accuracy"}').settings).toMatchObject({
      monitor: 'val_accuracy',
      patience: 2,
      restore_best_weights: false,
      mode: 'auto',
    });
    const s = readSettings(host({ earlyStopping: '3' }));
    expect([s.earlyStopping?.patience, s.earlyStoppingError]).toEqual([3, null]);
    expect(readSettings(host()).earlyStopping).toBeNull();
  });

  it('a bad value is kept as the parser’s message, said in English and in Korean (with the detail)', () => {
    const bad = readSettings(host({ earlyStopping: 'abc' }));
    expect(bad.earlyStopping).toBeNull();
    expect(bad.earlyStoppingError).toBe(
      'early stopping takes PATIENCE or PATIENCE,MIN_DELTA (e.g. 3 or 3,0.001) or a JSON object of Keras arguments, got "abc"',
    );
    expect(en.earlyStoppingError(bad.earlyStoppingError!)).toBe(
      'Early stopping takes PATIENCE or PATIENCE,MIN_DELTA (e.g. 3 or 3,0.001) or a JSON object of Keras arguments, got "abc".',
    );
    expect(ko.earlyStoppingError(bad.earlyStoppingError!)).toBe(
      `조기 종료 설정이 올바르지 않습니다: ${bad.earlyStoppingError}. 예: 3, 3,0.001 또는 Keras 인자의 JSON 객체.`,
    );
    const json = readEarlyStopping('{"patience": -1}').error!;
    expect(en.earlyStoppingError(json)).toBe('Early stopping: patience must be an integer >= 0, got -1.');
    // Keras' verbose only prints: accepted, so arguments copied from Keras work
    expect(readEarlyStopping('{"patience": 3, "verbose": 1}').settings).toMatchObject({ patience: 3 });
    expect(readEarlyStopping('{"patience": 3, "patiance": 1}').error).toMatch(/unknown argument "patiance"/);
    // a metric the models do not log is refused before Start (Keras would warn every epoch)
    expect(readSettings(host({ earlyStopping: '{"monitor": "val_auc"}' })).earlyStoppingError).toBe(
      'early stopping monitors "val_auc", which this model does not log; it logs loss, accuracy, binary_crossentropy, val_loss, val_accuracy, val_binary_crossentropy, weight_l1',
    );
    expect(
      readSettings(host({ experiment: 'batchnorm', models: '', earlyStopping: '{"monitor": "val_sparse_categorical_crossentropy"}' })).earlyStoppingError,
    ).toBeNull();
    expect(readEarlyStopping('{oops').error).toMatch(/^early stopping: not valid JSON/);
    expect(readEarlyStopping('3,').error).not.toBeNull();
  });

  it('is a control name of the controls attribute', () => {
    expect(CONTROL_NAMES).toContain('early-stopping');
    expect([...parseControls('run early-stopping')]).toEqual(['early-stopping', 'run']);
  });

  it('the patience field: shows the patience (a JSON one’s too); typing keeps min_delta, replaces JSON, empties to off', () => {
    expect(['', '3', '0,0.05', '{"patience": 5, "monitor": "val_accuracy"}', 'abc', '-1', '3,x'].map(patienceField)).toEqual(['', '3', '0', '5', '', '-1', '']);
    expect(withPatience('', '4')).toBe('4');
    expect(withPatience('3', '')).toBe('');
    expect(withPatience('3', ' 5 ')).toBe('5');
    expect(withPatience('0,0.05', '2')).toBe('2,0.05');
    expect(withPatience('{"patience": 5, "min_delta": 0.1}', '2')).toBe('2');
    expect(withPatience('3', '-1')).toBe('-1'); // kept as typed: its error shows
    expect(withPatience('3,0.01', '1.5')).toBe('1.5');
  });

  it('the hint says what it watches and whether the best weights come back, in both languages', () => {
    const s = parseEarlyStopping('3,0.01');
    expect(en.earlyStoppingHint(s.monitor, s.min_delta, s.restore_best_weights)).toBe(
      'Watches val_loss (an improvement must beat the best by more than 0.01); when it has not improved for this many epochs, training stops and the best epoch’s weights are restored. Empty: off.',
    );
    expect(en.earlyStoppingHint('val_accuracy', 0, false)).toBe(
      'Watches val_accuracy; when it has not improved for this many epochs, training stops. Empty: off.',
    );
    expect(ko.earlyStoppingHint('val_loss', 0, true)).toContain('최적 에폭의 가중치를 복원합니다');
    expect(ko.earlyStoppingHint('val_loss', 0, false)).toContain('마지막 에폭의 가중치를 그대로 둡니다');
  });
});

describe('the card’s early stopping line', () => {
  /** basic of the dropout experiment with this early stopping, after these epochs' states. */
  function model(text: string, states: [number | null, number | null, number | null, number][] = [], over: Partial<LabHost> = {}): ModelState {
    const [m] = modelStates(readSettings(host({ earlyStopping: text, ...over })));
    states.forEach(([best_epoch, stopped_epoch, restored_epoch, wait], i) => {
      recordEpoch(m, { metrics: { binary_crossentropy: 0.5, val_binary_crossentropy: 0.6 }, seconds: 0.1 }, i * 100);
      recordEarlyStopping(m, [{ best_epoch, stopped_epoch, restored_epoch, wait }], i + 1);
    });
    return m;
  }

  it('none without early stopping', () => {
    const m = model('');
    expect(m).not.toHaveProperty('earlyStopping');
    expect(earlyStoppingLine(m, en)).toBeNull();
    expect(runEarlyStopping(m)).toBeNull();
  });

  it('none on a failed model: its card says what failed', () => {
    const failed = model('3');
    failed.error = 'Training diverged in epoch 2';
    expect(earlyStoppingLine(failed, en)).toBeNull();
  });

  it('before, while waiting, after a stop with the best weights back, after a stop without, and when patience never ran out', () => {
    expect(earlyStoppingLine(model('3'), en)?.text).toBe('Early stopping: patience 3 on val_loss');
    expect(earlyStoppingLine(model('3'), ko)?.text).toBe('조기 종료: val_loss 기준, patience 3');
    const waiting = model('3', [
      [1, null, null, 0],
      [2, null, null, 0],
      [2, null, null, 1],
      [2, null, null, 2],
    ]);
    expect(earlyStoppingLine(waiting, en)).toEqual({ state: 'waiting', text: 'Early stopping: best epoch 2 · no improvement for 2 of 3 epochs' });
    expect(earlyStoppingLine(model('1', [[1, null, null, 0]]), en)?.text).toBe('Early stopping: best epoch 1 · no improvement for 0 of 1 epoch');
    expect(stoppedEarly(waiting)).toBe(false);

    const stopped = model('3', [
      [4, null, null, 0],
      [4, null, null, 1],
      [4, null, null, 2],
      [4, 7, 4, 3],
    ]);
    expect(stoppedEarly(stopped)).toBe(true);
    expect(earlyStoppingLine(stopped, en)).toEqual({
      state: 'restored',
      text: 'Stopped early at epoch 7 · weights of epoch 4 restored (test scores use them)',
    });
    expect(earlyStoppingLine(stopped, ko)?.text).toBe('에폭 7에서 조기 종료 · 에폭 4의 가중치 복원(테스트 점수는 이 가중치로 계산)');
    expect([finishedState(stopped, en), finishedState(stopped, ko)]).toEqual(['stopped early', '조기 종료됨']);

    const kept = model('{"patience": 1}', [
      [1, null, null, 0],
      [1, 2, null, 1],
    ]);
    expect(earlyStoppingLine(kept, en)).toEqual({
      state: 'stopped',
      text: 'Stopped early at epoch 2 · its last epoch’s weights kept (restore_best_weights is off)',
    });
    expect(earlyStoppingLine(kept, ko)?.text).toBe('에폭 2에서 조기 종료 · 마지막 에폭의 가중치 유지(restore_best_weights 꺼짐)');

    const ran = model('5', [[1, null, null, 0]]);
    ran.done = true;
    expect(earlyStoppingLine(ran, en)).toEqual({ state: 'not-stopped', text: 'Patience did not run out: the last epoch’s weights (Keras 2.x)' });
    expect(finishedState(ran, en)).toBe('stopped'); // one of 6 epochs: stopped by hand
  });

  it('a warm-up (start_from_epoch) before anything is monitored', () => {
    const m = model('{"patience": 2, "start_from_epoch": 3}', [[null, null, null, 0]]);
    expect(earlyStoppingLine(m, en)).toEqual({ state: 'warmup', text: 'Early stopping: watching from epoch 4' });
    expect(earlyStoppingLine(m, ko)?.text).toBe('조기 종료: 에폭 4부터 지켜봄');
  });

  it('several replicas: how many have stopped', () => {
    const [m] = modelStates(readSettings(host({ earlyStopping: '0', seeds: 3 })));
    recordEpoch(m, { metrics: { loss: 1 }, seconds: 1, replicas: [{ loss: 1 }, { loss: 1 }, { loss: 1 }] }, 0);
    recordEarlyStopping(
      m,
      [
        { best_epoch: 1, stopped_epoch: null, restored_epoch: null, wait: 0 },
        { best_epoch: 1, stopped_epoch: 1, restored_epoch: 1, wait: 1 },
        { best_epoch: 1, stopped_epoch: null, restored_epoch: null, wait: 0 },
      ],
      1,
    );
    expect(earlyStoppingLine(m, en)?.text).toBe('Early stopping: 1 of 3 runs stopped (each on its own)');
    expect(earlyStoppingLine(m, ko)?.text).toBe('조기 종료: 실행 3개 중 1개 멈춤(각자 판단)');
    expect(stoppedEarly(m)).toBe(false);
  });
});

describe('the loss chart’s early stopping marks', () => {
  const chartModel = (es: ChartModel['earlyStopping'], epochs = 3, over: Partial<ChartModel> = {}): ChartModel => ({
    name: 'basic',
    index: 0,
    history: { binary_crossentropy: Array(epochs).fill(0.5), val_binary_crossentropy: Array(epochs).fill(0.6) },
    lossMetric: 'binary_crossentropy',
    best: null,
    overfitting: false,
    ...(es ? { earlyStopping: es } : {}),
    ...over,
  });

  it('the window runs from the best epoch to the stop, or to the latest epoch while it waits; the restored epoch once set', () => {
    expect(earlyStoppingMarks(chartModel(undefined))).toBeNull();
    expect(earlyStoppingMarks(chartModel({ best_epoch: 3, stopped_epoch: null, restored_epoch: null }))).toEqual({ window: null, restored: null });
    expect(earlyStoppingMarks(chartModel({ best_epoch: 1, stopped_epoch: null, restored_epoch: null }))).toEqual({ window: [1, 3], restored: null });
    expect(earlyStoppingMarks(chartModel({ best_epoch: 1, stopped_epoch: 2, restored_epoch: 1 }, 2))).toEqual({ window: [1, 2], restored: 1 });
    expect(earlyStoppingMarks(chartModel({ best_epoch: null, stopped_epoch: null, restored_epoch: null }))).toEqual({ window: null, restored: null });
    // bands (seeds) and sweeps have no single run to mark
    expect(earlyStoppingMarks(chartModel({ best_epoch: 1, stopped_epoch: 2, restored_epoch: 1 }, 2, { band: { min: {}, max: {} } }))).toBeNull();
  });

  it('what the chart’s container says it drew', () => {
    expect(
      earlyStoppingData([
        { name: 'basic', window: [1, 2], restored: 1 },
        { name: 'dropout', window: null, restored: null },
        { name: 'l2', window: [4, 7], restored: null },
      ]),
    ).toEqual({ patience: 'basic:1-2 l2:4-7', restored: 'basic:1' });
    expect(earlyStoppingData([])).toEqual({ patience: '', restored: '' });
  });

  it('legend and label words in both languages', () => {
    expect([en.legendPatience, en.legendRestored, en.restored]).toEqual(['patience window (early stopping)', 'restored weights', 'restored']);
    expect(ko.restored).toBe('복원');
    expect(ko.legendPatience).toContain('patience');
  });
});
