// The public types of <overfit-lab> (event details, status). Kept free of the trainer's GPU types
// so that the published declarations need nothing beyond lit.
import type { ReactiveControllerHost } from 'lit';
import type { ModelResult, RunResult, RunStats } from '../../experiments/result.ts';

export type { ModelResult, RunResult, RunStats };

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
}

export interface OverfitReplicaMetrics {
  /** Position in the run's replicas (each sweep value in turn, its seeds in order). */
  index: number;
  seed: number;
  /** The swept setting's value for this replica, or null without a sweep. */
  value: number | null;
  metrics: Record<string, number>;
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
  trainLimit: number | undefined;
  testLimit: number | undefined;
  dataBase: string;
  autostart: boolean;
  debug: boolean;
}
