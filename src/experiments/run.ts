// Runs an experiment's models side by side on one device: one epoch of each unfinished model
// per turn, so their curves grow together. Used by <overfit-lab> and by the CLI's page.
import type { Dataset } from '../data/dataset.ts';
import type { Gpu } from '../gpu/device.ts';
import { GpuDeviceLostError } from '../gpu/device.ts';
import type { TuneResult, TuneStore } from '../graph/autotune.ts';
import { autotuneMatmul, matmulShapes } from '../graph/autotune.ts';
import type { MatmulPlan } from '../graph/matmul.ts';
import { compilePlan } from '../plan/plan.ts';
import type { EpochProfile } from '../graph/profiler.ts';
import type { EpochLog } from '../graph/trainer.ts';
import { batchRows, dataShape, Trainer } from '../graph/trainer.ts';
import { checkStep, formatChecks } from '../debug/check-step.ts';
import type { Experiment } from './presets.ts';
import type { EarlyStoppingOutcome, ModelResult, RunResult } from './result.ts';
import type { EarlyStoppingConfig } from './early-stopping.ts';
import { checkMonitor, EarlyStopping } from './early-stopping.ts';
import { lossMetricOf } from '../model/spec.ts';
import type { WordWeight } from './words.ts';
import { wordImportance } from './words.ts';
import { emptyModelResult, historyBand, meanScores, recordWeights } from './result.ts';
import type { ReplicaSpec, SweepParam } from '../plan/replicas.ts';
import { replicaLr, replicaSpecs } from '../plan/replicas.ts';

export interface RunOptions {
  /** Default: the experiment's `seed`, else 1. */
  seed?: number;
  /** Train every model as replicas, one per seed (overrides `seed`); with `sweep`, one per seed and value. */
  seeds?: number[];
  /** One replica per value of a setting (l1 or l2 on the hidden Dense kernels, the Dropout rate, Adam's lr). */
  sweep?: { param: SweepParam; values: number[] };
  /** Overrides every model's epoch count. */
  epochs?: number;
  /** Run only these models (by name). */
  models?: string[];
  /** Matmul variants: a plan, `tune` (autotune the models' shapes on first use, cached in
   *  `tuneStore`, default memory only; seconds on a CPU adapter, then free) or `default`
   *  (the adapter's first choice, firstChoicePlan, no timing). Default: `default`. */
  matmul?: MatmulPlan | 'tune' | 'default';
  tuneStore?: TuneStore;
  /** Called once the tune is done (or read from the cache), before the first epoch. */
  onTune?: (result: TuneResult) => void;
  /** Profiling mode: per-kernel GPU times each epoch (`EpochLog.profile`, `ProfiledModelResult.profile`). */
  profile?: boolean | 'cpu';
  /** The debug switch: before training, hand each pipeline's WGSL and a check of every dispatch of
   *  one step of each model against the CPU reference (src/debug/check-step.ts) to `onDebug`. */
  debug?: boolean;
  onDebug?: (text: string) => void;
  /** Keras' EarlyStopping for every model (each replica on its own); see early-stopping.ts. */
  earlyStopping?: EarlyStoppingConfig;
  /** Called when a model's training has ended and any kept weights are back, before its test
   *  scores: the moment to read its final weights (trainer.readState). */
  onTrained?: (model: string, trainer: Trainer) => Promise<void> | void;
}

/** The shared model result (result.ts) and, when profiling, the profiler's output. */
export interface ProfiledModelResult extends ModelResult {
  /** Profiling mode: the last epoch's per-kernel times. */
  profile?: EpochProfile | null;
}

/** What ExperimentRun returns: the shared run result and the autotune's choices. */
export interface ExperimentRunResult extends RunResult<ProfiledModelResult> {
  /** The matmul autotune (when `matmul: 'tune'`): chosen variant per shape and every timing. */
  tune?: TuneResult;
}

export type RunEvent =
  | { type: 'epoch'; model: string; log: EpochLog; earlyStopping?: EarlyStoppingState[] }
  | { type: 'model-done'; model: string; result: ProfiledModelResult }
  | { type: 'model-error'; model: string; error: Error };

/** Early stopping of one replica after an epoch: its outcome so far and Keras' `wait`. */
export interface EarlyStoppingState extends EarlyStoppingOutcome {
  wait: number;
}

export class ExperimentRun {
  readonly result: ExperimentRunResult;
  private stopRequested = false;
  private paused: { promise: Promise<void>; resume: () => void } | null = null;
  private trainers = new Map<string, Trainer>();
  /** Per model, each replica's EarlyStopping (with the option). */
  private stoppers = new Map<string, EarlyStopping[]>();
  /** Per model, the replicas whose kept weights go back when the model's training ends. */
  private restores = new Map<string, Map<number, number>>();

  constructor(
    readonly gpu: Gpu,
    readonly experiment: Experiment,
    readonly data: Dataset,
    readonly options: RunOptions = {},
    private readonly listener: (e: RunEvent) => void = () => {},
  ) {
    const seeds = options.seeds ?? [options.seed ?? experiment.seed ?? 1];
    const picked = options.models?.length ? experiment.models.filter((m) => options.models!.includes(m.name)) : experiment.models;
    // The experiment's learning rate is every replica's, unless a lr sweep gives each its own.
    const lr = experiment.learningRate;
    const withLr = (r: ReplicaSpec): ReplicaSpec => (lr === undefined || r.lr !== undefined ? r : { ...r, lr });
    this.replicas = new Map(picked.map((m) => [m.name, replicaSpecs(seeds, options.sweep, m.spec).map(withLr)]));
    const es = options.earlyStopping;
    if (es)
      for (const m of picked) {
        const stoppers = this.replicas.get(m.name)!.map(() => new EarlyStopping(es));
        checkMonitor(stoppers[0].settings, lossMetricOf(m.spec));
        this.stoppers.set(m.name, stoppers);
      }
    this.result = {
      experiment: experiment.id,
      dataset: data.name,
      seed: seeds[0],
      adapter: { vendor: gpu.adapter.vendor, architecture: gpu.adapter.architecture },
      models: picked.map((m) => emptyModelResult(m, options.epochs ?? m.epochs, experiment.batchSize)),
    };
  }

  /** The replicas each model trains: its seeds, crossed with the sweep's values where the sweep
   *  applies (a dropout sweep leaves a model without Dropout at its seeds). */
  readonly replicas: Map<string, ReplicaSpec[]>;

  /** Trains every model to its epoch count (or until stop()), then evaluates each on the test split. */
  async run(): Promise<ExperimentRunResult> {
    const { experiment, options } = this;
    const matmul = await this.matmulPlan();
    if (options.debug) await this.debugCheck(matmul);
    for (const r of this.result.models) {
      const m = experiment.models.find((x) => x.name === r.name)!;
      this.trainers.set(
        r.name,
        await Trainer.create(this.gpu, m.spec, this.data, {
          batchSize: experiment.batchSize,
          replicas: this.replicas.get(r.name),
          matmul,
          profile: options.profile,
          keepWeights: Boolean(options.earlyStopping),
        }),
      );
    }
    try {
      let active = this.result.models.filter((r) => !r.error);
      while (active.length && !this.stopRequested) {
        for (const r of active) {
          if (this.paused) await this.paused.promise;
          if (this.stopRequested) break;
          await this.epoch(r);
        }
        active = active.filter((r) => !r.error && !this.allStopped(r.name) && this.trainers.get(r.name)!.epoch < r.epochs);
      }
      for (const r of this.result.models) {
        const t = this.trainers.get(r.name)!;
        // Early stopping's kept weights go back before the test scores (Keras' set_weights on a stop).
        for (const replica of this.restores.get(r.name)?.keys() ?? []) t.restoreWeights(replica);
        if (options.profile) r.profile = t.profile; // the last epoch's, before evaluate() profiles itself
        if (!r.error && t.epoch > 0) {
          await options.onTrained?.(r.name, t);
          if (this.data.vocabulary) r.words = await this.words(t);
          const tests = await t.evaluateReplicas();
          r.test = meanScores(tests);
          this.collect(r, t, tests);
        }
        r.stats = t.stats;
        if (!r.error) this.listener({ type: 'model-done', model: r.name, result: r });
      }
    } finally {
      for (const t of this.trainers.values()) t.dispose();
    }
    return this.result;
  }

  /** Checks one step of each model dispatch by dispatch against the CPU reference; prints the WGSL. */
  private async debugCheck(matmul: MatmulPlan | undefined): Promise<void> {
    const say = this.options.onDebug ?? ((text: string) => console.log(text));
    for (const r of this.result.models) {
      const spec = this.experiment.models.find((x) => x.name === r.name)!.spec;
      const onCompile = (label: string, code: string) => say(`// ---- ${r.name}: WGSL of pipeline ${label} ----\n${code}`);
      const checks = await checkStep(this.gpu, spec, this.data, {
        batchSize: this.experiment.batchSize,
        replicas: this.replicas.get(r.name),
        matmul,
        onCompile,
      });
      say(`debug: ${r.name}: one step and one validation batch, dispatch by dispatch, against the CPU reference\n${formatChecks(checks)}`);
    }
  }

  /** The matmul plan: given, none, or tuned for the picked models' shapes (one tune for all). */
  private async matmulPlan(): Promise<MatmulPlan | undefined> {
    const m = this.options.matmul ?? 'default';
    if (m === 'default') return undefined;
    if (m !== 'tune') return m;
    const rows = batchRows(this.experiment.batchSize, dataShape(this.data));
    const shapes = this.result.models.flatMap((r) => {
      try {
        return matmulShapes(compilePlan(this.experiment.models.find((x) => x.name === r.name)!.spec), rows);
      } catch {
        return []; // an invalid model fails in Trainer.create with its own message
      }
    });
    const unique = [...new Map(shapes.map((s) => [JSON.stringify(s), s])).values()];
    if (!unique.length) return undefined;
    const result = await autotuneMatmul(this.gpu, unique, { store: this.options.tuneStore });
    this.result.tune = result;
    this.options.onTune?.(result);
    return result.plan;
  }

  private async epoch(r: ProfiledModelResult): Promise<void> {
    const t = this.trainers.get(r.name)!;
    try {
      await t.fit({
        epochs: 1,
        onEpoch: (log) => {
          r.seconds += log.seconds;
          recordWeights(r, log);
          const earlyStopping = this.earlyStop(r.name, t, log);
          this.listener({ type: 'epoch', model: r.name, log, ...(earlyStopping ? { earlyStopping } : {}) });
        },
      });
    } catch (e) {
      r.error = (e as Error).message;
      this.listener({ type: 'model-error', model: r.name, error: e as Error });
      if (e instanceof GpuDeviceLostError) throw e;
    } finally {
      this.collect(r, t);
    }
  }

  /** Early stopping after an epoch: each replica still training decides (Keras' on_epoch_end);
   *  the weights it keeps are copied on the GPU. A replica that stops while others train on has
   *  its weights put back when the model's training ends: the best ones, or (without
   *  restore_best_weights) those of its last epoch, kept now. */
  private earlyStop(model: string, t: Trainer, log: EpochLog): EarlyStoppingState[] | null {
    const stoppers = this.stoppers.get(model);
    if (!stoppers) return null;
    const restores = this.restores.get(model) ?? new Map<number, number>();
    this.restores.set(model, restores);
    stoppers.forEach((es, i) => {
      if (es.stoppedEpoch !== null) return;
      const a = es.onEpochEnd(log.epoch - 1, log.replicas?.[i] ?? log.metrics);
      const alone = stoppers.length === 1;
      if (a.keep || (a.stop && !a.restore && !alone)) t.keepWeights(i);
      if (a.restore) restores.set(i, es.bestEpoch!);
      else if (a.stop && !alone) restores.set(i, log.epoch);
    });
    return stoppers.map((es, i) => ({ ...this.outcome(es, restores, i), wait: es.wait }));
  }

  /** The words by the first replica's first-layer weight norm (a model that does not start with
   *  a Dense layer on the word columns has none). */
  private async words(t: Trainer): Promise<WordWeight[] | null> {
    const first = t.plan.ops[0];
    if (first?.kind !== 'dense' || first.in !== this.data.vocabulary!.length) return null;
    return wordImportance(t.plan, (await t.readState(0)).params, this.data.vocabulary!);
  }

  private allStopped(model: string): boolean {
    return this.stoppers.get(model)?.every((es) => es.stoppedEpoch !== null) ?? false;
  }

  /** A replica's early stopping outcome: restored_epoch is the epoch whose weights it ends with
   *  when they are put back (the best one, with restore_best_weights). */
  private outcome(es: EarlyStopping, restores: Map<number, number>, i: number): EarlyStoppingOutcome {
    return { best_epoch: es.bestEpoch, stopped_epoch: es.stoppedEpoch, restored_epoch: es.settings.restore_best_weights ? (restores.get(i) ?? null) : null };
  }

  /** The model's curves: the replicas' mean, their band, and each replica's own (with test scores). */
  private collect(r: ProfiledModelResult, t: Trainer, tests?: Record<string, number>[]): void {
    const stoppers = this.stoppers.get(r.name);
    const restores = this.restores.get(r.name) ?? new Map<number, number>();
    r.history = t.history;
    r.historyMin = historyBand(t.replicaHistories, 'min');
    r.historyMax = historyBand(t.replicaHistories, 'max');
    r.replicas = this.replicas.get(r.name)!.map((rep, i) => ({
      seed: rep.seed,
      l1: rep.l1 ?? null,
      l2: rep.l2 ?? null,
      dropout: rep.dropout ?? null,
      lr: replicaLr(rep),
      history: t.replicaHistories[i],
      test: tests?.[i] ?? null,
      ...(stoppers ? { earlyStopping: this.outcome(stoppers[i], restores, i) } : {}),
    }));
    if (stoppers) {
      const one = r.replicas.length === 1 ? r.replicas[0].earlyStopping! : null;
      r.earlyStopping = {
        settings: stoppers[0].settings,
        best_epoch: one ? one.best_epoch : null,
        stopped_epoch: one ? one.stopped_epoch : this.allStopped(r.name) ? t.epoch : null,
        restored_epoch: one ? one.restored_epoch : null,
      };
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
