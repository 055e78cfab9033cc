// Saved runs in <overfit-lab> without a browser: how a pinned run becomes chart lines (dimmed,
// labelled "<run> · <model>", validation dashed, no bands or markers, NaN as gaps), what the runs
// list says of a run, pins following the list, which runs are worth saving, and both languages'
// messages for every store error code.
import { describe, expect, it } from 'vitest';
import { findExperiment } from '../../src/experiments/presets.ts';
import type { ModelResult } from '../../src/experiments/result.ts';
import { MESSAGES } from '../../src/ui/i18n.ts';
import type { ChartModel } from '../../src/ui/overfit-lab/chart-lines.ts';
import { chartLines, earlyStoppingMarks, PINNED_ALPHA, PINNED_WIDTH, pinnedGroups } from '../../src/ui/overfit-lab/chart-lines.ts';
import type { RunStoreErrorCode, SavedRun } from '../../src/ui/overfit-lab/run-store.ts';
import { runToSave, summaryOf } from '../../src/ui/overfit-lab/run-store.ts';
import { runsMessageText } from '../../src/ui/overfit-lab/runs-list.ts';
import {
  adapterText,
  pinnedChartModels,
  pinnedLabel,
  savedLossMetric,
  seedsText,
  syncPinned,
  testCrossEntropy,
  worthSaving,
} from '../../src/ui/overfit-lab/runs.ts';
import { alignColumns } from '../../src/ui/overfit-lab/series.ts';

const model = (name: string, over: Partial<ModelResult> = {}): ModelResult =>
  ({
    name,
    epochs: 2,
    batchSize: 512,
    params: 10,
    trainableParams: 10,
    seconds: 1,
    history: {
      loss: [0.7, 0.6],
      accuracy: [0.5, 0.6],
      binary_crossentropy: [0.69, 0.59],
      val_loss: [0.68, 0.65],
      val_accuracy: [0.55, 0.58],
      val_binary_crossentropy: [0.68, Number.NaN],
      weight_l1: [10, 11],
    },
    historyMin: {},
    historyMax: {},
    test: { loss: 0.66, accuracy: 0.58, binary_crossentropy: 0.655 },
    error: null,
    stats: null,
    replicas: [],
    weights: null,
    words: null,
    ...over,
  }) as ModelResult;

const run = (over: Partial<SavedRun> = {}): SavedRun => ({
  id: 'r1',
  savedAt: '2026-12-03T16:40:00.000Z',
  name: 'dropout · seed 1 · 2026-12-03 16:40',
  experiment: findExperiment('dropout'),
  dataset: 'imdb',
  seed: 1,
  adapter: { vendor: 'google', architecture: 'swiftshader' },
  models: [model('basic'), model('dropout')],
  stopped: false,
  format: 1,
  ...over,
});

const labels = { training: 'training', validation: 'validation', bestVal: 'best', gap: 'gap' };
const colors = ['#0072b2', '#d55e00', '#009e73'];

const current: ChartModel = {
  name: 'basic',
  index: 0,
  history: { binary_crossentropy: [0.7], val_binary_crossentropy: [0.69], accuracy: [0.5], val_accuracy: [0.5], weight_l1: [9] },
  lossMetric: 'binary_crossentropy',
  best: null,
  overfitting: false,
};

describe('pinned runs on the charts', () => {
  it('a pinned run is one chart model per model, its mean history, labelled by the run', () => {
    const ms = pinnedChartModels(run());
    expect(ms.map((m) => [m.name, m.index, m.lossMetric, m.best, m.pinned])).toEqual([
      ['basic', 0, 'binary_crossentropy', null, { id: 'r1', run: 'dropout · seed 1 · 2026-12-03 16:40' }],
      ['dropout', 1, 'binary_crossentropy', null, { id: 'r1', run: 'dropout · seed 1 · 2026-12-03 16:40' }],
    ]);
    expect(ms[0].band).toBeUndefined();
    expect(ms[0].sweep).toBeUndefined();
    expect(pinnedLabel('a', 'basic')).toBe('a · basic');
  });

  it('loss: the current model as before, then each pinned model dimmed and thin, validation dashed, no gap band', () => {
    const pinned = pinnedChartModels(run());
    const { lines, bands } = chartLines('loss', { models: [current, ...pinned], labels, colors });
    expect(lines.map((l) => l.label)).toEqual([
      'basic training',
      'basic validation',
      'dropout · seed 1 · 2026-12-03 16:40 · basic training',
      'dropout · seed 1 · 2026-12-03 16:40 · basic validation',
      'dropout · seed 1 · 2026-12-03 16:40 · dropout training',
      'dropout · seed 1 · 2026-12-03 16:40 · dropout validation',
    ]);
    // only the current run's gap is shaded
    expect(bands).toEqual([{ between: [1, 0], color: colors[0], alpha: 0.12 }]);
    const p = lines.slice(2);
    expect(p.every((l) => l.pinned && l.alpha === PINNED_ALPHA && l.width === PINNED_WIDTH)).toBe(true);
    expect(p.map((l) => l.dash ?? null)).toEqual([null, [6, 4], null, [6, 4]]);
    expect(p.map((l) => l.color)).toEqual([colors[0], colors[0], colors[1], colors[1]]);
    expect(lines[0].pinned).toBeUndefined();
    expect(pinnedGroups(lines)).toEqual(['dropout · seed 1 · 2026-12-03 16:40 · basic', 'dropout · seed 1 · 2026-12-03 16:40 · dropout']);
    // A diverged (NaN) value is a gap, and a pinned run longer than the current one sets the x range.
    const cols = alignColumns(lines.map((l) => l.values));
    expect(cols[0]).toEqual([1, 2]);
    expect(cols[4]).toEqual([0.68, null]);
    expect(cols[1]).toEqual([0.7, null]);
  });

  it('accuracy and weights charts draw pinned runs too; pinning works with no current run', () => {
    const pinned = pinnedChartModels(run());
    const acc = chartLines('accuracy', { models: pinned, labels, colors });
    expect(acc.lines.map((l) => [l.role, l.values])).toEqual([
      ['train', [0.5, 0.6]],
      ['val', [0.55, 0.58]],
      ['train', [0.5, 0.6]],
      ['val', [0.55, 0.58]],
    ]);
    expect(acc.bands).toEqual([]);
    const w = chartLines('weights', { models: pinned, labels, colors });
    expect(w.lines.map((l) => [l.label, l.role])).toEqual([
      ['dropout · seed 1 · 2026-12-03 16:40 · basic', 'weights'],
      ['dropout · seed 1 · 2026-12-03 16:40 · dropout', 'weights'],
    ]);
    expect(chartLines('summary', { models: pinned, labels, colors }).lines).toEqual([]);
  });

  it('a pinned run has no early-stopping marks, and in a sweep it is drawn beside the swept model', () => {
    const [p] = pinnedChartModels(run());
    expect(earlyStoppingMarks({ ...p, earlyStopping: { best_epoch: 1, stopped_epoch: 2, restored_epoch: 1 } })).toBeNull();
    const swept: ChartModel = {
      ...current,
      sweep: { curves: [{ value: 0, history: current.history }], summary: [] } as unknown as ChartModel['sweep'],
    };
    const { lines } = chartLines('loss', {
      models: [swept, p],
      labels,
      colors,
      sweep: { labels: ['0'], colors: ['#111111'], highlight: null, model: 'basic' },
    });
    expect(lines.map((l) => l.label)).toEqual([
      'basic 0 training',
      'basic 0 validation',
      `${p.pinned!.run} · basic training`,
      `${p.pinned!.run} · basic validation`,
    ]);
  });

  it('ten-class models plot their sparse categorical cross-entropy', () => {
    const m = model('bn', {
      history: { loss: [1], sparse_categorical_crossentropy: [1], val_sparse_categorical_crossentropy: [1.1] },
      test: { loss: 1, sparse_categorical_crossentropy: 0.9 },
    });
    expect(savedLossMetric(m)).toBe('sparse_categorical_crossentropy');
    expect(testCrossEntropy(m)).toBe(0.9);
    expect(savedLossMetric({ history: { loss: [1] }, test: null })).toBe('loss');
  });
});

describe('the runs list', () => {
  it('says seeds, adapter and each model’s test cross-entropy', () => {
    expect(seedsText({ seed: 1 })).toBe('1');
    expect(seedsText({ seed: 1, seeds: [1, 2, 3] })).toBe('1–3');
    expect(seedsText({ seed: 1, seeds: [1, 5] })).toBe('1, 5');
    expect(adapterText({ vendor: 'google', architecture: 'swiftshader' })).toBe('google swiftshader');
    const s = summaryOf(run({ models: [model('basic'), model('x', { test: null, error: 'diverged' })] }));
    expect(s.models.map(testCrossEntropy)).toEqual([0.655, null]);
  });

  it('pins follow the list: a deleted run is unpinned, a renamed one keeps its curves with its new name', () => {
    const a = run();
    const b = run({ id: 'r2', name: 'b' });
    const pinned = new Map([
      [a.id, a],
      [b.id, b],
    ]);
    const next = syncPinned(pinned, [{ id: 'r1', name: 'first' }]);
    expect([...next.keys()]).toEqual(['r1']);
    expect(next.get('r1')!.name).toBe('first');
    expect(next.get('r1')!.models).toBe(a.models);
    // unchanged: the same object (the charts keep their structure)
    expect(syncPinned(next, [{ id: 'r1', name: 'first' }]).get('r1')).toBe(next.get('r1'));
  });

  it('a run is saved only when some model trained an epoch', () => {
    expect(worthSaving([model('a')])).toBe(true);
    expect(worthSaving([model('a', { history: { loss: [] } })])).toBe(false);
    expect(worthSaving([])).toBe(false);
  });

  it('every outcome and every store error code in both languages (Korean keyed on the code)', () => {
    const codes: RunStoreErrorCode[] = ['unavailable', 'blocked', 'quota', 'version', 'format', 'invalid', 'not-found', 'failed'];
    for (const code of codes) {
      const en = runsMessageText(MESSAGES.en, { kind: 'error', code, message: 'storage is full' })!;
      expect(en).toEqual({ ok: false, lines: ['Saved runs: storage is full'] });
      const ko = runsMessageText(MESSAGES.ko, { kind: 'error', code, message: 'storage is full' })!;
      expect(ko.ok).toBe(false);
      expect(ko.lines[0]).toMatch(/^저장된 실행: [가-힣].+ \(storage is full\)$/);
    }
    expect(runsMessageText(MESSAGES.en, { kind: 'saved', name: 'x' })!.lines).toEqual(['Saved as x']);
    expect(runsMessageText(MESSAGES.ko, { kind: 'saved', name: 'x' })!.lines).toEqual(['x(으)로 저장했습니다']);
    expect(runsMessageText(MESSAGES.en, { kind: 'imported', count: 2, skipped: [{ index: 1, reason: 'seed must be an integer' }] })).toEqual({
      ok: false,
      lines: ['Imported 2 runs.', 'Run 2 of the file skipped: seed must be an integer'],
    });
    expect(runsMessageText(MESSAGES.en, { kind: 'imported', count: 1, skipped: [] })).toEqual({ ok: true, lines: ['Imported 1 run.'] });
    expect(runsMessageText(MESSAGES.en, null)).toBeNull();
  });

  it('a saved run is named in the page’s language: seed 1 / 시드 1, seeds 1–3 / 시드 1–3', () => {
    const done = {
      result: { experiment: 'dropout', dataset: 'imdb', seed: 1, adapter: { vendor: 'v', architecture: 'a' }, models: [model('basic')] },
      stopped: false,
    };
    const experiment = findExperiment('dropout');
    expect(runToSave(done as never, experiment).name).toMatch(/^dropout · seed 1 · \d{4}-\d\d-\d\d \d\d:\d\d$/);
    expect(runToSave(done as never, experiment, {}, MESSAGES.ko.runs).name).toMatch(/^dropout · 시드 1 · /);
    expect(runToSave(done as never, experiment, { seeds: [1, 2, 3] }, MESSAGES.ko.runs).name).toMatch(/^dropout · 시드 1–3 · /);
  });
});
