// The behaviour of <overfit-lab>: finding WebGPU, loading data, running an ExperimentRun, keeping
// every model's history, and telling the host (re-render at most once per animation frame) and
// the page (overfit-epoch / overfit-done / overfit-error events). The element's render() only reads
// this controller's state.
import type { ReactiveController } from 'lit';
import type { Dataset } from '../../data/dataset.ts';
import type { DatasetName } from '../../data/format.ts';
import { DataFileError, DEFAULT_BASE, loadDataset } from '../../data/load-browser.ts';
import type { Experiment } from '../../experiments/presets.ts';
import { findExperiment } from '../../experiments/presets.ts';
import type { ModelResult } from '../../experiments/result.ts';
import { emptyModelResult } from '../../experiments/result.ts';
import type { RunEvent } from '../../experiments/run.ts';
import { ExperimentRun } from '../../experiments/run.ts';
import type { Gpu, GpuUnavailableReason } from '../../gpu/device.ts';
import { acquireGpu, GpuDeviceLostError, WebGPUUnavailableError } from '../../gpu/device.ts';
import { TrainingDivergedError } from '../../graph/trainer.ts';
import type { ModelSpec } from '../../model/spec.ts';
import type { ExportRun } from './export.ts';
import { bestEpoch, epochRate } from './series.ts';
import type { ErrorKind, LabHost, LabRunResult, OverfitDoneDetail, OverfitEpochDetail, OverfitErrorDetail, RunStatus } from './types.ts';

export type { ErrorKind, LabHost, OverfitDoneDetail, OverfitEpochDetail, OverfitErrorDetail, RunStatus } from './types.ts';

/** A model's result as it grows, and what the cards and charts need besides. */
export interface ModelState extends ModelResult {
  spec: ModelSpec;
  index: number;
  /** Seconds of each finished epoch. */
  epochSeconds: number[];
  /** Active-clock times (ms, pauses excluded) at which epochs ended. */
  ends: number[];
  /** binary_crossentropy or sparse_categorical_crossentropy. */
  lossMetric: string;
  /** What kind of failure `error` is. */
  errorKind: ErrorKind | null;
  done: boolean;
}

export interface RunProblem {
  kind: ErrorKind;
  message: string;
  reason?: GpuUnavailableReason;
}

export interface Settings {
  experiment: Experiment;
  dataset: DatasetName;
  seed: number;
  epochs: number | undefined;
  trainLimit: number | undefined;
  testLimit: number | undefined;
  base: string;
}

const posInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

let sharedGpu: Promise<Gpu> | null = null;
let sharedGpuValue: Gpu | null = null;

/** One device for every <overfit-lab> on the page; a lost one is replaced on the next start. */
function getGpu(): Promise<Gpu> {
  if (sharedGpuValue?.lost) {
    sharedGpu = null;
    sharedGpuValue = null;
  }
  sharedGpu ??= acquireGpu().then(
    (g) => (sharedGpuValue = g),
    (e) => {
      sharedGpu = null;
      throw e;
    },
  );
  return sharedGpu;
}

const dataCache = new Map<string, Promise<Dataset>>();

function getData(s: Settings): Promise<Dataset> {
  const key = [s.base, s.dataset, s.trainLimit, s.testLimit].join('|');
  let p = dataCache.get(key);
  if (!p) {
    p = loadDataset(s.dataset, { base: s.base, trainLimit: s.trainLimit, testLimit: s.testLimit });
    p.catch(() => dataCache.delete(key));
    dataCache.set(key, p);
  }
  return p;
}

function lossMetricOf(spec: ModelSpec): string {
  const last = [...spec.layers].reverse().find((l) => l.type === 'Dense');
  return last && last.type === 'Dense' && last.units === 1 ? 'binary_crossentropy' : 'sparse_categorical_crossentropy';
}

export class RunController implements ReactiveController {
  status: RunStatus = 'checking';
  models: ModelState[] = [];
  settings: Settings | null = null;
  /** Set when the whole run (or the setup) failed; per-model failures live on the models. */
  problem: RunProblem | null = null;
  adapter: { vendor: string; architecture: string } | null = null;
  result: LabRunResult | null = null;
  /** Bumped on every new epoch, so charts know when to redraw. */
  version = 0;

  private run: ExperimentRun | null = null;
  private generation = 0;
  private stopRequested = false;
  private whichKey = '';
  private restKey = '';
  private probed = false;
  private frame = 0;
  private pausedAt: number | null = null;
  private pausedTotal = 0;

  constructor(private readonly host: LabHost) {
    host.addController(this);
  }

  get active(): boolean {
    return ['loading', 'compiling', 'running', 'paused', 'stopping'].includes(this.status);
  }

  get hasHistory(): boolean {
    return this.models.some((m) => m.epochSeconds.length > 0);
  }

  hostConnected(): void {
    if (!this.probed) void this.probe();
  }

  hostDisconnected(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    // Leaving the page (or being moved): stop spending the GPU on a run nobody sees.
    if (this.active && !this.host.isConnected) queueMicrotask(() => !this.host.isConnected && this.reset());
  }

  /** Rebuilds the model list (cards, layer tables) when the host's settings change: a new
   *  experiment or data set abandons any run; epochs and limits apply to the next run. */
  hostUpdate(): void {
    const h = this.host;
    const which = JSON.stringify([h.experiment, h.datasetName]);
    const rest = JSON.stringify([h.epochs, h.trainLimit, h.testLimit, h.dataBase]);
    if (which !== this.whichKey) {
      if (this.active) this.abandon();
      this.whichKey = which;
      this.restKey = rest;
      this.configure();
      if (this.problem?.kind === 'config' && this.status !== 'checking' && this.status !== 'unsupported') this.configProblem();
      else if (this.status !== 'checking' && this.status !== 'unsupported') this.status = 'idle';
    } else if (rest !== this.restKey && !this.active && !this.hasHistory) {
      this.restKey = rest;
      this.configure();
    }
  }

  private readSettings(): Settings {
    const h = this.host;
    const experiment = findExperiment(h.experiment || 'imdb-overfit');
    const choices = experiment.datasets ?? [experiment.dataset];
    const dataset = choices.includes(h.datasetName as DatasetName) ? (h.datasetName as DatasetName) : experiment.dataset;
    return {
      experiment,
      dataset,
      seed: Number.isFinite(h.seed) ? Math.trunc(h.seed) : 1,
      epochs: posInt(h.epochs),
      trainLimit: posInt(h.trainLimit),
      testLimit: posInt(h.testLimit),
      base: h.dataBase || DEFAULT_BASE,
    };
  }

  private configure(): void {
    this.problem = null;
    this.result = null;
    try {
      this.settings = this.readSettings();
    } catch (e) {
      this.settings = null;
      this.models = [];
      this.problem = { kind: 'config', message: (e as Error).message };
      return;
    }
    const s = this.settings;
    this.models = s.experiment.models.map((m, index) => ({
      ...emptyModelResult(m, s.epochs ?? m.epochs, s.experiment.batchSize),
      spec: m.spec,
      index,
      epochSeconds: [],
      ends: [],
      lossMetric: lossMetricOf(m.spec),
      errorKind: null,
      done: false,
    }));
    this.version++;
  }

  /** Looks for an adapter without taking a device, so the no-WebGPU panel shows before anyone presses Start. */
  async probe(): Promise<void> {
    this.probed = true;
    this.status = 'checking';
    this.host.requestUpdate();
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    let reason: GpuUnavailableReason | null = null;
    if (!gpu) reason = 'no-navigator-gpu';
    else {
      const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
      if (!adapter) reason = 'no-adapter';
    }
    if (reason) this.unsupported(new WebGPUUnavailableError(reason));
    else if (this.problem?.kind === 'config') this.configProblem();
    else {
      this.status = 'idle';
      this.host.requestUpdate();
      await this.host.updateComplete;
      if (this.host.autostart && this.status === 'idle') void this.start();
    }
  }

  /** An unknown experiment id (from an attribute): say so, and which ids exist. */
  private configProblem(): void {
    this.status = 'error';
    this.host.requestUpdate();
    const message = this.problem!.message;
    // Dispatched after the update in flight, so listeners see the rendered message.
    queueMicrotask(() => this.emit('overfit-error', { kind: 'config', model: null, message, error: new Error(message) } satisfies OverfitErrorDetail));
  }

    private unsupported(e: WebGPUUnavailableError): void {
    this.status = 'unsupported';
    this.problem = { kind: 'no-webgpu', message: e.message, reason: e.reason };
    this.host.requestUpdate();
    this.emit('overfit-error', { kind: 'no-webgpu', model: null, message: e.message, error: e } satisfies OverfitErrorDetail);
  }

  /** Trains the current experiment from scratch. Resolves when the run ends (done, stopped or failed). */
  async start(): Promise<void> {
    if (this.active || this.status === 'checking') return;
    if (this.status === 'unsupported') {
      await this.probe();
      if (this.status === 'unsupported' || this.active) return;
    }
    const gen = ++this.generation;
    this.stopRequested = false;
    this.pausedAt = null;
    this.pausedTotal = 0;
    this.configure();
    const s = this.settings;
    if (!s) return this.fail(gen, { kind: 'config', message: this.problem!.message }, new Error(this.problem!.message));
    this.status = 'loading';
    this.host.requestUpdate();
    let gpu: Gpu;
    let data: Dataset;
    try {
      [gpu, data] = await Promise.all([getGpu(), getData(s)]);
    } catch (e) {
      if (gen !== this.generation) return;
      if (e instanceof WebGPUUnavailableError) return this.unsupported(e);
      return this.fail(gen, { kind: e instanceof DataFileError ? 'data' : 'other', message: (e as Error).message }, e as Error);
    }
    if (gen !== this.generation) return;
    this.adapter = { vendor: gpu.adapter.vendor, architecture: gpu.adapter.architecture };
    const run = new ExperimentRun(gpu, s.experiment, data, { seed: s.seed, epochs: s.epochs }, (e) => this.onRunEvent(gen, e));
    this.run = run;
    this.status = this.pausedAt !== null ? 'paused' : 'compiling';
    if (this.stopRequested) run.stop();
    if (this.pausedAt !== null) run.pause();
    this.host.requestUpdate();
    try {
      const result = await run.run();
      if (gen !== this.generation) return;
      this.run = null;
      this.result = result;
      const stopped = this.stopRequested && this.models.some((m) => !m.error && m.epochSeconds.length < m.epochs);
      this.status = stopped ? 'stopped' : 'done';
      this.host.requestUpdate();
      this.emit('overfit-done', { result, stopped } satisfies OverfitDoneDetail);
    } catch (e) {
      if (gen !== this.generation) return;
      this.run = null;
      const lost = e instanceof GpuDeviceLostError;
      this.fail(gen, { kind: lost ? 'device-lost' : 'other', message: (e as Error).message }, e as Error);
    }
  }

  private fail(gen: number, problem: RunProblem, error: Error): void {
    if (gen !== this.generation) return;
    this.status = 'error';
    this.problem = problem;
    this.host.requestUpdate();
    this.emit('overfit-error', { kind: problem.kind, model: null, message: problem.message, error } satisfies OverfitErrorDetail);
  }

  private onRunEvent(gen: number, e: RunEvent): void {
    if (gen !== this.generation) return;
    const m = this.models.find((x) => x.name === e.model);
    if (!m) return;
    if (e.type === 'epoch') {
      for (const [k, v] of Object.entries(e.log.metrics)) (m.history[k] ??= []).push(v);
      m.epochSeconds.push(e.log.seconds);
      m.seconds += e.log.seconds;
      m.ends.push(this.now());
      if (this.status === 'compiling') this.status = 'running';
      this.version++;
      this.schedule();
      this.emit('overfit-epoch', { model: m.name, epoch: e.log.epoch, epochs: m.epochs, metrics: { ...e.log.metrics }, seconds: e.log.seconds } satisfies OverfitEpochDetail);
    } else if (e.type === 'model-done') {
      m.test = e.result.test;
      m.stats = e.result.stats;
      m.done = true;
      this.schedule();
    } else {
      const lost = e.error instanceof GpuDeviceLostError;
      const kind: ErrorKind = lost ? 'device-lost' : e.error instanceof TrainingDivergedError ? 'diverged' : 'other';
      m.error = e.error.message;
      m.errorKind = kind;
      this.version++;
      this.host.requestUpdate();
      // A lost device ends the whole run; that is reported once, when run() rejects.
      if (!lost) this.emit('overfit-error', { kind, model: m.name, message: e.error.message, error: e.error } satisfies OverfitErrorDetail);
    }
  }

  pause(): void {
    if (!this.active || this.status === 'paused' || this.status === 'stopping') return;
    this.pausedAt = performance.now();
    this.run?.pause();
    this.status = 'paused';
    this.host.requestUpdate();
  }

  resume(): void {
    if (this.status !== 'paused' || this.pausedAt === null) return;
    this.pausedTotal += performance.now() - this.pausedAt;
    this.pausedAt = null;
    this.run?.resume();
    this.status = this.run ? (this.hasHistory ? 'running' : 'compiling') : 'loading';
    this.host.requestUpdate();
  }

  /** Stops after the epochs in flight; finished epochs stay and test scores are computed. */
  stop(): void {
    if (!this.active || this.status === 'stopping') return;
    if (this.pausedAt !== null) this.resume();
    this.stopRequested = true;
    this.run?.stop();
    this.status = 'stopping';
    this.host.requestUpdate();
  }

  /** Abandons any run and clears the charts. */
  reset(): void {
    if (this.active) this.abandon();
    this.configure();
    if (this.status !== 'unsupported' && this.status !== 'checking') this.status = this.problem ? 'error' : 'idle';
    this.host.requestUpdate();
  }

  private abandon(): void {
    this.generation++;
    this.run?.stop();
    this.run = null;
    this.pausedAt = null;
  }

  /** Milliseconds on a clock that stands still while paused. */
  private now(): number {
    const t = performance.now();
    return t - this.pausedTotal - (this.pausedAt !== null ? t - this.pausedAt : 0);
  }

  /** Wall-clock epochs per second of a model while it shares the GPU with the others. */
  rate(m: ModelState): number | null {
    return epochRate(m.ends);
  }

  /** Seconds left for a model at its recent rate. */
  eta(m: ModelState): number | null {
    const r = this.rate(m);
    const left = m.epochs - m.epochSeconds.length;
    return r && left > 0 && this.active && !m.error && !m.done ? left / r : null;
  }

  bestEpoch(m: ModelState): number | null {
    return bestEpoch(m.history[`val_${m.lossMetric}`]);
  }

  /** Everything the export buttons write. */
  snapshot(): ExportRun {
    const s = this.settings;
    return {
      experiment: s?.experiment.id ?? this.host.experiment,
      dataset: s?.dataset ?? '',
      seed: s?.seed ?? this.host.seed,
      batchSize: s?.experiment.batchSize ?? 0,
      trainLimit: s?.trainLimit ?? null,
      testLimit: s?.testLimit ?? null,
      adapter: this.adapter,
      models: this.models.map((m) => ({
        name: m.name,
        params: m.params,
        trainableParams: m.trainableParams,
        epochs: m.epochs,
        history: m.history,
        seconds: m.epochSeconds,
        test: m.test,
        bestEpoch: this.bestEpoch(m),
        error: m.error,
      })),
    };
  }

  /** Re-render at most once per animation frame, however fast epochs arrive. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.host.requestUpdate();
    });
  }

  private emit(type: string, detail: unknown): void {
    this.host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

