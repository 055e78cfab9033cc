// What a run produces per model, in one shape for the runner, <overfit-lab> (its overfit-done
// event, its live state and exports) and the CLI's JSON. Free of WebGPU types: the element's
// published declarations use it.
import type { RunStats } from '../graph/stats.ts';
import { countParams } from '../model/summary.ts';
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
  return { name: model.name, params: c.total, trainableParams: c.trainable, epochs, batchSize, history: {}, test: null, seconds: 0, stats: null, error: null };
}
