// The public types of <overfit-lab> (event details, status). Kept free of the trainer's GPU types
// so that the published declarations need nothing beyond lit.
import type { ReactiveControllerHost } from 'lit';
import type { RunStats } from '../../graph/stats.ts';
import type { Locale } from '../i18n.ts';

export type { Locale };

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
}

/** Counts that do not depend on the hardware: dispatches per step, submits and readbacks per epoch. */
export type LabRunStats = Omit<RunStats, 'matmul'>;

export interface LabModelResult {
  name: string;
  params: number;
  trainableParams: number;
  epochs: number;
  batchSize: number;
  /** Per-epoch metrics, Keras' History.history. */
  history: Record<string, number[]>;
  /** Keras' evaluate() on the test split: loss, accuracy and the pure cross-entropy. */
  test: Record<string, number> | null;
  seconds: number;
  stats: LabRunStats | null;
  error: string | null;
}

export interface LabRunResult {
  experiment: string;
  dataset: string;
  seed: number;
  adapter: { vendor: string; architecture: string };
  models: LabModelResult[];
}

export interface OverfitDoneDetail {
  /** Every model's history, test scores and GPU counts. */
  result: LabRunResult;
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
export interface LabHost extends ReactiveControllerHost, HTMLElement {
  experiment: string;
  datasetName: string;
  epochs: number | undefined;
  seed: number;
  trainLimit: number | undefined;
  testLimit: number | undefined;
  dataBase: string;
  autostart: boolean;
}
