// What a run produces per model, in one shape for the runner, <overfit-lab> (its overfit-done
// event, its live state and exports) and the CLI's JSON. Free of WebGPU types: the element's
// published declarations use it.
import type { RunStats } from '../graph/stats.ts';
import { countParams } from '../model/summary.ts';
import type { DeadUnits, WeightStats } from '../plan/weight-stats.ts';
import { weightStatEdges } from '../plan/weight-stats.ts';
import type { EarlyStoppingSettings } from './early-stopping.ts';
import type { WordWeight } from './words.ts';
import type { ModelRun } from './presets.ts';

export type { RunStats };

export interface ModelResult {
  name: string;
  params: number;
  trainableParams: number;
  /** Target epoch count. */
  epochs: number;
  batchSize: number;
  /** Per-epoch metrics, Keras' History.history: loss, accuracy, the pure cross-entropy, their val_ twins, weight_l1. */
  history: Record<string, number[]>;
  /** Keras' evaluate() on the test split: loss, accuracy and the pure cross-entropy. */
  test: Record<string, number> | null;
  /** GPU-queue seconds of the finished epochs (validation included). */
  seconds: number;
  /** Dispatches per step, submits and readbacks per epoch, the matmul variants; set when the model is done. */
  stats: RunStats | null;
  error: string | null;
  /** Every replica trained (seeds, sweep values): one entry, the run itself, without replicas. */
  replicas: ReplicaResult[];
  /** Per epoch, the smallest and the largest value over the replicas (the band around `history`,
   *  which is their mean). */
  historyMin: Record<string, number[]>;
  historyMax: Record<string, number[]>;
  /** The weight statistics of each epoch (the first replica's: with one, the run itself); null
   *  before the first epoch. */
  weights: WeightsHistory | null;
  /** IMDB: the words ranked by their first-layer weight norm in the final weights (the first
   *  replica's), all 100 columns; null without a vocabulary or before the end. */
  words: WordWeight[] | null;
  /** With early stopping: its settings and outcome (with several replicas each has its own in
   *  `replicas`; the model's says when the last of them stopped). */
  earlyStopping?: EarlyStoppingResult;
}

/** Per epoch, the statistics of every kernel tensor (src/plan/weight-stats.ts): a histogram of
 *  |w| on the log bins between `edges`, zeros, |w| < 1e-3 and the largest |w|. */
export interface WeightsHistory {
  /** The BINS + 1 bin edges, from 1e-6 to 10. */
  edges: number[];
  /** epochs[e][k]: epoch e + 1, kernel tensor k. */
  epochs: WeightStats[][];
  /** deadUnits[e][l]: epoch e + 1, ReLU layer l (none: the model has no ReLU). */
  deadUnits: DeadUnits[][];
}

/** Early stopping's outcome, in 1-based epochs as Keras prints them (Keras stores them 0-based). */
export interface EarlyStoppingOutcome {
  /** The epoch with the best monitored value. */
  best_epoch: number | null;
  /** The epoch at which patience ran out; null: trained to the last epoch. */
  stopped_epoch: number | null;
  /** The epoch whose weights were put back (restore_best_weights, on a stop); null: none. */
  restored_epoch: number | null;
}

export interface EarlyStoppingResult extends EarlyStoppingOutcome {
  settings: EarlyStoppingSettings;
}

/** One replica of a model: its seed, the setting it sweeps (null: as the model says), its curves. */
export interface ReplicaResult {
  seed: number;
  l1: number | null;
  l2: number | null;
  dropout: number | null;
  /** Adam's learning rate. */
  lr: number;
  history: Record<string, number[]>;
  test: Record<string, number> | null;
  earlyStopping?: EarlyStoppingOutcome;
}

export interface RunResult<M extends ModelResult = ModelResult> {
  experiment: string;
  dataset: string;
  seed: number;
  adapter: { vendor: string; architecture: string };
  models: M[];
}

/** A model's result before its first epoch. */
export function emptyModelResult(model: ModelRun, epochs: number, batchSize: number): ModelResult {
  const c = countParams(model.spec);
  return {
    name: model.name,
    params: c.total,
    trainableParams: c.trainable,
    epochs,
    batchSize,
    history: {},
    test: null,
    seconds: 0,
    stats: null,
    error: null,
    replicas: [],
    historyMin: {},
    historyMax: {},
    weights: null,
    words: null,
  };
}

/** Adds an epoch's weight statistics and dead units (per replica, as the Trainer logs them; the
 *  result keeps the first replica's) to a model's result. */
export function recordWeights(r: Pick<ModelResult, 'weights'>, log: { weightStats?: WeightStats[][]; deadUnits?: DeadUnits[][] }): void {
  if (!log.weightStats) return;
  const w = (r.weights ??= { edges: [...weightStatEdges()], epochs: [], deadUnits: [] });
  w.epochs.push(log.weightStats[0]);
  w.deadUnits.push(log.deadUnits?.[0] ?? []);
}

/** The share of a model's kernel weights with |w| < 1e-3 in one epoch's statistics. */
export const nearZeroShare = (stats: readonly WeightStats[]): number =>
  stats.reduce((n, s) => n + s.nearZero, 0) /
  Math.max(
    1,
    stats.reduce((n, s) => n + s.size, 0),
  );

/** The mean of each score over the replicas (one replica: its own scores). */
export function meanScores(list: Record<string, number>[]): Record<string, number> {
  return Object.fromEntries(Object.keys(list[0]).map((k) => [k, list.reduce((s, m) => s + m[k], 0) / list.length]));
}

/** Per metric and epoch, the smallest (`min`) or largest value over the replicas' histories. */
export function historyBand(histories: Record<string, number[]>[], pick: 'min' | 'max'): Record<string, number[]> {
  const f = pick === 'min' ? Math.min : Math.max;
  const out: Record<string, number[]> = {};
  for (const k of Object.keys(histories[0] ?? {})) out[k] = histories[0][k].map((_, e) => f(...histories.map((h) => h[k][e])));
  return out;
}
