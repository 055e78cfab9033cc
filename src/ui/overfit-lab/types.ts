// The public types of <overfit-lab> (event details, status). Kept free of the trainer's GPU types
// so that the published declarations need nothing beyond lit.
import type { ReactiveControllerHost } from 'lit';
import type { Experiment } from '../../experiments/presets.ts';
import type { EarlyStoppingResult, ModelResult, RunResult, RunStats } from '../../experiments/result.ts';

export type { EarlyStoppingResult, Experiment, ModelResult, RunResult, RunStats };

/** The interface languages. */
export type Locale = 'en' | 'ko';

/** Where a run is. */
export type RunStatus = 'checking' | 'unsupported' | 'idle' | 'loading' | 'compiling' | 'running' | 'paused' | 'stopping' | 'stopped' | 'done' | 'error';

/** What went wrong, for `overfit-error` listeners. */
export type ErrorKind = 'no-webgpu' | 'device-lost' | 'diverged' | 'data' | 'config' | 'other';

export interface OverfitEpochDetail {
  model: string;
  /** 1-based epoch just finished. */
  epoch: number;
  /** The model's target epoch count. */
  epochs: number;
  /** loss, accuracy, binary_crossentropy | sparse_categorical_crossentropy, their val_ twins, weight_l1 */
  metrics: Record<string, number>;
  /** Seconds the epoch took on the GPU queue (including validation). */
  seconds: number;
  /** With several replicas (seeds, a sweep): each one's metrics; `metrics` is their mean. */
  replicas?: OverfitReplicaMetrics[];
  /** With early stopping, when the model is one run: where its EarlyStopping stands after this
   *  epoch (with several replicas each one's is in `replicas`). */
  earlyStopping?: OverfitEarlyStopping;
}

/** Keras' EarlyStopping of one run after an epoch, in 1-based epochs as Keras prints them. */
export interface OverfitEarlyStopping {
  /** The epoch with the best monitored value (null before one was monitored). */
  best_epoch: number | null;
  /** The epoch at which patience ran out; null while it trains on. */
  stopped_epoch: number | null;
  /** The epoch whose weights are put back (restore_best_weights, on a stop); null: none. */
  restored_epoch: number | null;
  /** Epochs since the last improvement (Keras' `wait`); patience runs out when it reaches `patience`. */
  wait: number;
}

export interface OverfitReplicaMetrics {
  /** Position in the run's replicas (each sweep value in turn, its seeds in order). */
  index: number;
  seed: number;
  /** The swept setting's value for this replica, or null without a sweep. */
  value: number | null;
  metrics: Record<string, number>;
  /** With early stopping: this replica's (each replica decides on its own). */
  earlyStopping?: OverfitEarlyStopping;
}

/** Earlier names of the shared result types, kept for course authors' scripts. */
export type LabModelResult = ModelResult;
export type LabRunResult = RunResult;
export type LabRunStats = RunStats;

export interface OverfitDoneDetail {
  /** Every model's history, test scores and GPU counts. */
  result: RunResult;
  /** True when the run was stopped before every model reached its epochs. */
  stopped: boolean;
}

export interface OverfitErrorDetail {
  kind: ErrorKind;
  /** The model that failed, or null when the whole run (or its setup) did. */
  model: string | null;
  message: string;
  error: Error;
}

/** The element's settings, as its run controller reads them. */
export interface LabHost extends ReactiveControllerHost, EventTarget, Pick<HTMLElement, 'isConnected'> {
  experiment: string;
  /** The experiment's models to train, space- or comma-separated names; empty: all. */
  models: string;
  datasetName: string;
  epochs: number | undefined;
  seed: number;
  /** How many seeds (1, 3, 5 or 10) from `seed` on. */
  seeds: number;
  /** `param=v1,v2,...` (l1, l2, dropout or lr), or empty. */
  sweep: string;
  /** Keras' EarlyStopping: `3` or `3,0.001` (patience, min_delta on val_loss, best weights
   *  restored), a JSON object of Keras' arguments, or empty: off. */
  earlyStopping: string;
  trainLimit: number | undefined;
  testLimit: number | undefined;
  dataBase: string;
  autostart: boolean;
  debug: boolean;
  /** The experiment as edited (the `spec`, or the preset through the editor), valid; null or
   *  absent: the preset `experiment` with `models`. */
  edited?: Experiment | null;
  /** Why the run cannot start (an invalid edit or `spec`), or null. */
  editError?: string | null;
  /** Bumped when a new `spec` is given or taken away: like a new experiment, it ends any run. */
  specVersion?: number;
}

/** `overfit-start`: a run starts; `experiment` is what it trains, as the `spec` property gives it
 *  (models, batch size, learning rate, seed, epochs, rows), so the same spec repeats the run. */
export interface OverfitStartDetail {
  experiment: Experiment;
}
