// Runs an experiment's models side by side on one device: one epoch of each unfinished model
// per turn, so their curves grow together. Used by <overfit-lab> and by the CLI's page.
import type { Dataset } from '../data/dataset.ts';
import type { Gpu } from '../gpu/device.ts';
import { GpuDeviceLostError } from '../gpu/device.ts';
import type { EpochLog, History, RunStats } from '../graph/trainer.ts';
import { Trainer } from '../graph/trainer.ts';
import { countParams } from '../model/summary.ts';
import type { Experiment } from './presets.ts';

export interface RunOptions {
  seed?: number;
  /** Overrides every model's epoch count. */
  epochs?: number;
  /** Run only these models (by name). */
  models?: string[];
  /** Pipeline constants for the matmul (from the autotuner). */
  matmul?: { WG_M: number; WG_N: number };
}

export interface ModelResult {
  name: string;
  params: number;
  trainableParams: number;
  epochs: number;
  batchSize: number;
  history: History;
  test: Record<string, number> | null;
  seconds: number;
  stats: RunStats | null;
  error: string | null;
}

export interface RunResult {
  experiment: string;
  dataset: string;
  seed: number;
  adapter: { vendor: string; architecture: string };
  models: ModelResult[];
}

export type RunEvent =
  | { type: 'epoch'; model: string; log: EpochLog }
  | { type: 'model-done'; model: string; result: ModelResult }
  | { type: 'model-error'; model: string; error: Error };

export class ExperimentRun {
  readonly result: RunResult;
  private stopRequested = false;
  private paused: { promise: Promise<void>; resume: () => void } | null = null;
  private trainers = new Map<string, Trainer>();

  constructor(
    readonly gpu: Gpu,
    readonly experiment: Experiment,
    readonly data: Dataset,
    readonly options: RunOptions = {},
    private readonly listener: (e: RunEvent) => void = () => {},
  ) {
    const seed = options.seed ?? 1;
    const picked = options.models?.length ? experiment.models.filter((m) => options.models!.includes(m.name)) : experiment.models;
    this.result = {
      experiment: experiment.id,
      dataset: data.name,
      seed,
      adapter: { vendor: gpu.adapter.vendor, architecture: gpu.adapter.architecture },
      models: picked.map((m) => {
        const c = countParams(m.spec);
        return { name: m.name, params: c.total, trainableParams: c.trainable, epochs: options.epochs ?? m.epochs, batchSize: experiment.batchSize, history: {}, test: null, seconds: 0, stats: null, error: null };
      }),
    };
  }

  /** Trains every model to its epoch count (or until stop()), then evaluates each on the test split. */
  async run(): Promise<RunResult> {
    const { experiment, options } = this;
    for (const r of this.result.models) {
      const m = experiment.models.find((x) => x.name === r.name)!;
      this.trainers.set(r.name, await Trainer.create(this.gpu, m.spec, this.data, { batchSize: experiment.batchSize, seed: this.result.seed, matmul: options.matmul }));
    }
    try {
      let active = this.result.models.filter((r) => !r.error);
      while (active.length && !this.stopRequested) {
        for (const r of active) {
          if (this.paused) await this.paused.promise;
          if (this.stopRequested) break;
          await this.epoch(r);
        }
        active = active.filter((r) => !r.error && this.trainers.get(r.name)!.epoch < r.epochs);
      }
      for (const r of this.result.models) {
        const t = this.trainers.get(r.name)!;
        if (!r.error && t.epoch > 0) r.test = await t.evaluate();
        r.stats = t.stats;
        if (!r.error) this.listener({ type: 'model-done', model: r.name, result: r });
      }
    } finally {
      for (const t of this.trainers.values()) t.dispose();
    }
    return this.result;
  }

  private async epoch(r: ModelResult): Promise<void> {
    const t = this.trainers.get(r.name)!;
    try {
      await t.fit({
        epochs: 1,
        onEpoch: (log) => {
          r.seconds += log.seconds;
          this.listener({ type: 'epoch', model: r.name, log });
        },
      });
    } catch (e) {
      r.error = (e as Error).message;
      this.listener({ type: 'model-error', model: r.name, error: e as Error });
      if (e instanceof GpuDeviceLostError) throw e;
    } finally {
      r.history = t.history;
    }
  }

  /** Stops after the epochs in flight; finished epochs are kept and test scores still computed. */
  stop(): void {
    this.stopRequested = true;
    this.resume();
  }

  pause(): void {
    if (this.paused) return;
    let resume = () => {};
    const promise = new Promise<void>((r) => (resume = r));
    this.paused = { promise, resume };
  }

  resume(): void {
    const p = this.paused;
    this.paused = null;
    p?.resume();
  }

  get isPaused(): boolean {
    return this.paused !== null;
  }
}
