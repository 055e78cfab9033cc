// The numbers behind <overfit-lab>'s Weights view: each kernel tensor's |w| histogram laid out on
// a log axis, the near-zero share over epochs, the first layers side by side, what this run
// measured, dead ReLU units and the words ranked by weight norm. Pure functions, no DOM: the view
// (weights-view.ts) only scales them to pixels, and Node tests check them.
import type { WeightsHistory } from '../../experiments/result.ts';
import { nearZeroShare } from '../../experiments/result.ts';
import type { WordWeight } from '../../experiments/words.ts';
import { countNearZero } from '../../experiments/words.ts';
import type { DeadUnits, WeightStats } from '../../plan/weight-stats.ts';
import { NEAR_ZERO, WSTATS_BINS, WSTATS_HI, WSTATS_LO } from '../../plan/weight-stats.ts';

/** A model as the view needs it (ModelState has these). */
export interface WeightsModel {
  name: string;
  /** Position in the experiment: its colour. */
  index: number;
  weights: WeightsHistory | null;
  words: WordWeight[] | null;
}

// The histogram's x axis in slots of one log bin: exact zeros, a gap, [0, 1e-6), the log bins
// from 1e-6 to 10, then [10, inf). Zeros get their own bar: log |w| has no place for them.
const ZERO_SLOT = 0;
const UNDER_SLOT = 2;
const FIRST_BIN_SLOT = 3;
export const SLOTS = FIRST_BIN_SLOT + WSTATS_BINS + 1;
const LOG_LO = Math.log10(WSTATS_LO);
const LOG_SPAN = Math.log10(WSTATS_HI) - LOG_LO;

/** Where |w| = v (1e-6 <= v <= 10) lies on the axis, in slots. */
export const slotOf = (v: number): number => FIRST_BIN_SLOT + (WSTATS_BINS * (Math.log10(v) - LOG_LO)) / LOG_SPAN;

/** The decade ticks 1e-6 .. 10 (`exp` -6 .. 1) and the near-zero marker at 1e-3, in slots. */
export const DECADES = Array.from({ length: Math.round(LOG_SPAN) + 1 }, (_, i) => {
  const exp = Math.round(LOG_LO) + i;
  return { exp, slot: slotOf(10 ** exp) };
});
export const NEAR_ZERO_SLOT = slotOf(NEAR_ZERO);

export type BarKind = 'zero' | 'under' | 'bin' | 'over';

export interface Bar {
  kind: BarKind;
  /** Left edge, in slots; every bar is one slot wide. */
  slot: number;
  /** The |w| range it counts: [lo, hi) (zeros: [0, 0]). */
  lo: number;
  hi: number;
  count: number;
}

export interface Histogram {
  tensor: string;
  size: number;
  /** Exact zeros first, then [0, 1e-6), the log bins and [10, inf): every weight once. */
  bars: Bar[];
  zeros: number;
  nearZero: number;
  /** nearZero / size. */
  share: number;
  maxAbs: number;
  /** The fullest bar's count: the top of the y scale. */
  peak: number;
  /** The bar holding the median |w|. */
  median: Bar;
}

/** One kernel tensor's statistics as bars on the log axis (`edges`: the history's bin edges). */
export function histogram(stats: WeightStats, edges: readonly number[]): Histogram {
  const bars: Bar[] = [
    { kind: 'zero', slot: ZERO_SLOT, lo: 0, hi: 0, count: stats.zeros },
    ...stats.bins.map((count, i): Bar => {
      if (i === 0) return { kind: 'under', slot: UNDER_SLOT, lo: 0, hi: edges[0], count };
      if (i > WSTATS_BINS) return { kind: 'over', slot: FIRST_BIN_SLOT + WSTATS_BINS, lo: edges[WSTATS_BINS], hi: Infinity, count };
      return { kind: 'bin', slot: FIRST_BIN_SLOT + i - 1, lo: edges[i - 1], hi: edges[i], count };
    }),
  ];
  let seen = 0;
  const median = bars.find((b) => (seen += b.count) * 2 >= stats.size) ?? bars[bars.length - 1];
  return {
    tensor: stats.tensor,
    size: stats.size,
    bars,
    zeros: stats.zeros,
    nearZero: stats.nearZero,
    share: stats.nearZero / Math.max(1, stats.size),
    maxAbs: stats.maxAbs,
    peak: Math.max(0, ...bars.map((b) => b.count)),
    median,
  };
}

/** Epochs with weight statistics: the most any model has (the scrubber's last). */
export const epochCount = (models: readonly WeightsModel[]): number => Math.max(0, ...models.map((m) => m.weights?.epochs.length ?? 0));

/** The epoch a model shows when `epoch` is picked: that one, or its last when it has fewer
 *  (trained one epoch less so far, stopped early, failed); 0: none yet. */
export const modelEpoch = (m: WeightsModel, epoch: number): number => Math.min(epoch, m.weights?.epochs.length ?? 0);

/** A model's histograms (one per kernel tensor) at its shown epoch. */
export function modelHistograms(m: WeightsModel, epoch: number): Histogram[] {
  const e = modelEpoch(m, epoch);
  return e && m.weights ? m.weights.epochs[e - 1].map((s) => histogram(s, m.weights!.edges)) : [];
}

/** Per epoch, the share of all the model's kernel weights below 1e-3. */
export const nearZeroSeries = (w: WeightsHistory | null): number[] => w?.epochs.map(nearZeroShare) ?? [];

/** Epoch ticks for an x axis from 1 to `last`: 1, then every 1, 2, 5, 10, ... epochs, at most
 *  about 6 labels. */
export function epochTicks(last: number): number[] {
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500].find((s) => last / s <= 6) ?? 1000;
  return [1, ...Array.from({ length: Math.floor(last / step) }, (_, i) => (i + 1) * step).filter((e) => e > 1)];
}

/** The near-zero chart's y axis: the smallest of 1 %, 2 %, 5 %, ... 100 % that holds `max`, so
 *  a short run's few percent are not a flat line at the bottom; labels at 0, half and the top
 *  (`digits`: the fraction digits of their percentages). */
export function shareAxis(max: number): { top: number; ticks: number[]; digits: number } {
  const top = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5].find((t) => max <= t) ?? 1;
  const ticks = [0, top / 2, top];
  return { top, ticks, digits: Number.isInteger(Math.round(top * 500) / 10) ? 0 : 1 };
}

/** A model's first kernel (`dense/kernel`) at its shown epoch: the explanation's and the overlay's. */
export interface FirstLayer {
  name: string;
  index: number;
  /** The model's shown epoch (see modelEpoch). */
  epoch: number;
  histogram: Histogram;
}

/** Every model's first layer at the picked epoch, the highest near-zero share first. */
export function firstLayers(models: readonly WeightsModel[], epoch: number): FirstLayer[] {
  return models
    .flatMap((m) => {
      const e = modelEpoch(m, epoch);
      const stats = e ? m.weights!.epochs[e - 1][0] : undefined;
      return stats ? [{ name: m.name, index: m.index, epoch: e, histogram: histogram(stats, m.weights!.edges) }] : [];
    })
    .sort((a, b) => b.histogram.share - a.histogram.share || a.index - b.index);
}

/** The overlay's y scale: the largest share of its tensor any model has in one bar. */
export const overlayPeak = (layers: readonly FirstLayer[]): number => Math.max(0, ...layers.map((l) => l.histogram.peak / Math.max(1, l.histogram.size)));

/** The ReLU layers' dead units at a model's shown epoch (none: the model has no ReLU, or no
 *  counts yet). */
export function deadUnitsAt(m: WeightsModel, epoch: number): DeadUnits[] {
  const e = modelEpoch(m, epoch);
  return e ? (m.weights?.deadUnits[e - 1] ?? []) : [];
}

export interface WordsSummary {
  /** The strongest words, strongest first. */
  top: WordWeight[];
  /** Words (nearly) dropped: norm below 1e-3, weakest first. */
  dropped: WordWeight[];
  below1e3: number;
  below1e2: number;
  total: number;
}

/** A model's word importance: its `top` strongest words, and how many it has (nearly) dropped. */
export function wordsSummary(words: readonly WordWeight[], top = 15): WordsSummary {
  return {
    top: words.slice(0, top),
    dropped: words.filter((w) => w.norm < 1e-3).reverse(),
    below1e3: countNearZero(words, 1e-3),
    below1e2: countNearZero(words, 1e-2),
    total: words.length,
  };
}

/** The word bars' scale: the strongest norm of any model, so a weaker model's bars are shorter. */
export const wordsPeak = (models: readonly WeightsModel[]): number => Math.max(0, ...models.map((m) => m.words?.[0]?.norm ?? 0));

/** |w| in a few characters, three significant digits (so a column of them aligns): 0, 0.412,
 *  1.10, 2.1e-4. */
export function formatMagnitude(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 0.01) return v.toPrecision(3);
  const [m, e] = v.toExponential(1).split('e');
  return `${m}e${Number(e)}`;
}
