// The Weights view's numbers (weights-data.ts), its epoch player, the live per-epoch weights and
// its sentences in both languages. Statistics come from the CPU twin of the wstats kernel on
// crafted weights, the words from wordImportance on a real plan.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WeightsHistory } from '../../src/experiments/result.ts';
import { nearZeroShare } from '../../src/experiments/result.ts';
import { wordImportance } from '../../src/experiments/words.ts';
import { compilePlan } from '../../src/plan/plan.ts';
import type { DeadUnits, WeightStats } from '../../src/plan/weight-stats.ts';
import { decodeWeightStats, weightStatEdges } from '../../src/plan/weight-stats.ts';
import { weightStats } from '../../src/reference/ops.ts';
import { MESSAGES, numberFormat } from '../../src/ui/i18n.ts';
import { EpochPlayer, PLAY_STEP_MS } from '../../src/ui/overfit-lab/epoch-player.ts';
import { modelStates, recordEpoch } from '../../src/ui/overfit-lab/model-state.ts';
import { readSettings } from '../../src/ui/overfit-lab/settings.ts';
import type { LabHost } from '../../src/ui/overfit-lab/types.ts';
import type { WeightsModel } from '../../src/ui/overfit-lab/weights-data.ts';
import {
  DECADES,
  deadUnitsAt,
  epochCount,
  epochTicks,
  firstLayers,
  formatMagnitude,
  histogram,
  modelEpoch,
  modelHistograms,
  NEAR_ZERO_SLOT,
  nearZeroSeries,
  overlayPeak,
  SLOTS,
  shareAxis,
  slotOf,
  wordsPeak,
  wordsSummary,
} from '../../src/ui/overfit-lab/weights-data.ts';

const edges = weightStatEdges();

/** A tensor's statistics as the GPU reports them, from its CPU twin. */
function stats(tensor: string, values: number[]): WeightStats {
  const w = Float32Array.from(values);
  return decodeWeightStats(weightStats(w, 0, w.length, edges), tensor, w.length);
}

function history(epochs: WeightStats[][], dead: DeadUnits[][] = epochs.map(() => [])): WeightsHistory {
  return { edges: [...edges], epochs, deadUnits: dead };
}

const model = (name: string, index: number, epochs: WeightStats[][], dead?: DeadUnits[][]): WeightsModel => ({
  name,
  index,
  weights: history(epochs, dead),
  words: null,
});

describe('histogram()', () => {
  const h = histogram(stats('dense/kernel', [0, -0, 5e-7, 1e-6, 0.002, -0.5, 12]), [...edges]);

  it('lays out every weight once: zeros, [0, 1e-6), the 48 log bins, [10, inf)', () => {
    expect(h.bars).toHaveLength(51);
    expect(h.bars.reduce((n, b) => n + b.count, 0)).toBe(7);
    expect(h.bars[0]).toEqual({ kind: 'zero', slot: 0, lo: 0, hi: 0, count: 2 });
    expect(h.bars[1]).toMatchObject({ kind: 'under', slot: 2, lo: 0, count: 1 });
    expect(h.bars[2]).toMatchObject({ kind: 'bin', slot: 3, lo: edges[0], hi: edges[1], count: 1 }); // 1e-6 is the first bin's lower edge
    expect(h.bars[50]).toMatchObject({ kind: 'over', slot: 51, lo: edges[48], hi: Infinity, count: 1 });
    // 0.002 and 0.5 in the bins whose edges hold them
    const holding = (v: number) => h.bars.find((b) => b.kind === 'bin' && b.lo <= v && v < b.hi)!;
    expect(holding(0.002).count).toBe(1);
    expect(holding(0.5).count).toBe(1);
    expect(holding(0.002).slot).toBe(Math.floor(slotOf(0.002)));
  });

  it('says how many are near zero, the largest |w|, the peak and the median’s bar', () => {
    expect(h).toMatchObject({ tensor: 'dense/kernel', size: 7, zeros: 2, nearZero: 4, maxAbs: 12, peak: 2 });
    expect(h.share).toBeCloseTo(4 / 7, 12);
    expect(h.median).toMatchObject({ kind: 'bin', lo: edges[0] }); // the 4th of 7 |w| is 1e-6
  });

  it('puts 1e-6 .. 10 on the slots after zeros, a gap and [0, 1e-6)', () => {
    expect(slotOf(1e-6)).toBeCloseTo(3, 12);
    expect(slotOf(10)).toBeCloseTo(51, 12);
    expect(SLOTS).toBe(52);
    expect(NEAR_ZERO_SLOT).toBeCloseTo(3 + (48 * 3) / 7, 12);
    expect(DECADES.map((d) => d.exp)).toEqual([-6, -5, -4, -3, -2, -1, 0, 1]);
  });
});

describe('a run’s weights over epochs', () => {
  // Epoch 1: nothing near zero; epoch 2: l1's first layer three quarters below 1e-3.
  const out = stats('dense_1/kernel', [0.3, -0.2]);
  const l1 = model('l1', 1, [
    [stats('dense/kernel', [0.1, 0.2, -0.3, 0.4]), out],
    [stats('dense/kernel', [0, 1e-4, -5e-4, 0.4]), out],
  ]);
  const l2 = model('l2', 2, [
    [stats('dense/kernel', [0.1, 0.2, -0.3, 0.4]), out],
    [stats('dense/kernel', [0.05, 2e-4, -5e-4, 0.3]), out],
  ]);
  // one epoch behind
  const basic = model('basic', 0, [[stats('dense/kernel', [0.1, 0.2, -0.3, 0.4]), out]]);
  const models = [basic, l1, l2];

  it('counts epochs by the model that has most; a model behind shows its last', () => {
    expect(epochCount(models)).toBe(2);
    expect(epochCount([{ ...basic, weights: null }])).toBe(0);
    expect(modelEpoch(basic, 2)).toBe(1);
    expect(modelEpoch(l1, 2)).toBe(2);
    expect(modelHistograms(basic, 2).map((h) => h.tensor)).toEqual(['dense/kernel', 'dense_1/kernel']);
    expect(modelHistograms({ ...basic, weights: null }, 2)).toEqual([]);
  });

  it('nearZeroSeries() is nearZeroShare() of each epoch, over all kernels', () => {
    expect(nearZeroSeries(l1.weights)).toEqual([0, 3 / 6]);
    expect(nearZeroSeries(l1.weights)).toEqual(l1.weights!.epochs.map(nearZeroShare));
    expect(nearZeroSeries(null)).toEqual([]);
  });

  it('firstLayers(): each model’s first kernel at its shown epoch, the highest share first', () => {
    const f = firstLayers(models, 2);
    expect(f.map((l) => [l.name, l.epoch, l.histogram.share])).toEqual([
      ['l1', 2, 0.75],
      ['l2', 2, 0.5],
      ['basic', 1, 0],
    ]);
    expect(f[0].histogram.bars.reduce((n, b) => n + b.count, 0)).toBe(4);
    // The overlay's y scale: the fullest bar as a share of its tensor (l1's exact zero, or any single bin: 1 of 4).
    expect(overlayPeak(f)).toBe(0.25);
  });

  it('says what the run measured, in English and Korean, with a model behind marked', () => {
    const items = (locale: 'en' | 'ko') =>
      firstLayers(models, 2).map((l) => ({ name: l.name, share: numberFormat(locale).percent(l.histogram.share), epoch: l.epoch }));
    expect(MESSAGES.en.weights.measured(2, items('en'))).toBe(
      'At epoch 2, 75.0% of l1’s first-layer weights are below 1e-3; l2: 50.0%; basic (epoch 1): 0.0%.',
    );
    expect(MESSAGES.ko.weights.measured(2, items('ko'))).toBe(
      '에폭 2에서 첫 번째 층 가중치 중 1e-3보다 작은 비율은 l1 75.0%, l2 50.0%, basic 0.0%(에폭 1)입니다.',
    );
    const one = firstLayers([l1], 1).map((l) => ({ name: l.name, share: numberFormat('en').percent(l.histogram.share), epoch: l.epoch }));
    expect(MESSAGES.en.weights.measured(1, one)).toBe('At epoch 1, 0.0% of l1’s first-layer weights are below 1e-3.');
  });

  it('deadUnitsAt(): the ReLU layers’ counts at the shown epoch; none without them', () => {
    const dead = [[{ layer: 'dense', units: 128, dead: 0 }], [{ layer: 'dense', units: 128, dead: 3 }]];
    const m = model('basic', 0, l1.weights!.epochs, dead);
    expect(deadUnitsAt(m, 2)).toEqual([{ layer: 'dense', units: 128, dead: 3 }]);
    expect(deadUnitsAt(m, 1)).toEqual([{ layer: 'dense', units: 128, dead: 0 }]);
    expect(deadUnitsAt(l1, 2)).toEqual([]);
    expect(MESSAGES.en.weights.deadItem('dense', 3, 128)).toBe('dense 3 / 128');
  });
});

describe('word importance', () => {
  // A 4-word first layer: rows with norms 5, 0, 0.0005 and 0.005.
  const spec = {
    name: 'l1',
    inputShape: [4],
    layers: [
      { type: 'Dense' as const, units: 2, activation: 'relu' as const },
      { type: 'Dense' as const, units: 1, activation: 'sigmoid' as const },
    ],
  };
  const plan = compilePlan(spec);
  const params = new Float32Array(plan.paramCount).fill(1);
  params.set([3, 4, 0, 0, 0.0003, 0.0004, 0.003, -0.004], plan.tensors[0].offset);
  const words = wordImportance(plan, params, ['great', 'the', 'of', 'bad']);

  it('wordsSummary(): the strongest, the dropped (weakest first) and the counts below 1e-3 and 1e-2', () => {
    const s = wordsSummary(words, 2);
    expect(s.top.map((w) => w.word)).toEqual(['great', 'bad']);
    expect(s.dropped.map((w) => w.word)).toEqual(['the', 'of']);
    expect([s.below1e3, s.below1e2, s.total]).toEqual([2, 3, 4]);
    expect(MESSAGES.en.weights.wordsCount(s.below1e3, s.below1e2, s.total)).toBe('2 of 4 words below 1e-3, 3 below 1e-2');
    expect(MESSAGES.ko.weights.wordsCount(s.below1e3, s.below1e2, s.total)).toBe('단어 4개 중 2개가 1e-3 미만, 3개가 1e-2 미만');
  });

  it('wordsPeak(): the strongest norm of any model (one scale for every model’s bars)', () => {
    expect(
      wordsPeak([
        { name: 'l1', index: 1, weights: null, words },
        { name: 'basic', index: 0, weights: null, words: null },
      ]),
    ).toBe(5);
  });
});

describe('small helpers', () => {
  it('epochTicks(): 1, then a round step, at most about six labels', () => {
    expect(epochTicks(2)).toEqual([1, 2]);
    expect(epochTicks(3)).toEqual([1, 2, 3]);
    expect(epochTicks(20)).toEqual([1, 5, 10, 15, 20]);
    expect(epochTicks(300)).toEqual([1, 50, 100, 150, 200, 250, 300]);
  });

  it('shareAxis(): the near-zero chart’s top holds the largest share, 1 % at least, 100 % at most', () => {
    expect(shareAxis(0)).toEqual({ top: 0.01, ticks: [0, 0.005, 0.01], digits: 1 });
    expect(shareAxis(0.016)).toEqual({ top: 0.02, ticks: [0, 0.01, 0.02], digits: 0 });
    expect(shareAxis(0.03)).toMatchObject({ top: 0.05, digits: 1 });
    expect(shareAxis(0.973)).toEqual({ top: 1, ticks: [0, 0.5, 1], digits: 0 });
  });

  it('formatMagnitude(): a few characters for |w|', () => {
    expect(formatMagnitude(0)).toBe('0');
    expect(formatMagnitude(0.41234)).toBe('0.412');
    expect(formatMagnitude(3.0712)).toBe('3.07');
    expect(formatMagnitude(1.1)).toBe('1.10');
    expect(formatMagnitude(0.000213)).toBe('2.1e-4');
    expect(formatMagnitude(1e-6)).toBe('1.0e-6');
  });
});

describe('the live path: recordEpoch() grows a model’s weights epoch by epoch', () => {
  it('keeps the first replica’s statistics and dead units of each epoch, as the runner’s result does', () => {
    const host = {
      experiment: 'regularization',
      models: 'l1',
      datasetName: '',
      epochs: 3,
      seed: 1,
      seeds: 1,
      sweep: '',
      earlyStopping: '',
      dataBase: '',
      debug: false,
    };
    const [m] = modelStates(readSettings(host as LabHost));
    expect(m.weights).toBeNull();
    const first = [stats('dense/kernel', [0.1, 0.2]), stats('dense_1/kernel', [0.3])];
    const other = [stats('dense/kernel', [0, 0]), stats('dense_1/kernel', [0])];
    const dead = [{ layer: 'dense', units: 128, dead: 2 }];
    recordEpoch(m, { metrics: { loss: 1 }, seconds: 1, weightStats: [first, other], deadUnits: [dead, []] }, 0);
    recordEpoch(m, { metrics: { loss: 0.9 }, seconds: 1, weightStats: [other, first] }, 1);
    expect(m.weights).toEqual({ edges: [...edges], epochs: [first, other], deadUnits: [dead, []] });
    expect(epochCount([m])).toBe(2);
  });
});

describe('EpochPlayer', () => {
  let count = 0;
  let run: object = {};
  let updates = 0;
  const host = { addController: () => {}, requestUpdate: () => void updates++, removeController: () => {}, updateComplete: Promise.resolve(true) };
  let p: EpochPlayer;
  beforeEach(() => {
    vi.useFakeTimers();
    count = 5;
    run = {};
    updates = 0;
    p = new EpochPlayer(
      host,
      () => count,
      () => run,
    );
    p.hostUpdate();
  });
  afterEach(() => vi.useRealTimers());

  it('follows the latest epoch until one is picked; picking the last follows again', () => {
    expect(p.shown()).toBe(5);
    count = 6;
    expect(p.shown()).toBe(6);
    p.pick(2);
    count = 7;
    expect(p.shown()).toBe(2);
    p.pick(7);
    count = 8;
    expect(p.shown()).toBe(8);
    expect(updates).toBe(2);
  });

  it('plays from the first when at the last, about four epochs a second, and stops at the last', () => {
    p.play();
    expect([p.playing, p.shown()]).toEqual([true, 1]);
    vi.advanceTimersByTime(PLAY_STEP_MS);
    expect(p.shown()).toBe(2);
    vi.advanceTimersByTime(3 * PLAY_STEP_MS);
    expect([p.playing, p.shown(), p.picked]).toEqual([false, 5, null]);
    expect(PLAY_STEP_MS).toBe(250);
  });

  it('plays on from a picked epoch; pause keeps it; a new run follows its latest again', () => {
    p.pick(3);
    p.toggle();
    vi.advanceTimersByTime(PLAY_STEP_MS);
    p.toggle();
    vi.advanceTimersByTime(10 * PLAY_STEP_MS);
    expect([p.playing, p.shown()]).toEqual([false, 4]);
    p.play();
    run = {};
    p.hostUpdate();
    expect([p.playing, p.picked, p.shown()]).toEqual([false, null, 5]);
  });

  it('does not play with fewer than two epochs; shows 0 before the first', () => {
    count = 1;
    p.play();
    expect(p.playing).toBe(false);
    count = 0;
    expect(p.shown()).toBe(0);
  });
});
