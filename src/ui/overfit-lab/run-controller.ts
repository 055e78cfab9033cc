// The state machine behind <overfit-lab>: checking for WebGPU, then idle -> loading -> compiling ->
// running (<-> paused) -> stopping -> stopped | done | error, the models' state as epochs arrive,
// and the events. The element's render() only reads it. WebGPU, data and the trainer come in
// through a LabRunner; models, settings, errors, the clock and exports live in their own modules.
import type { ReactiveController } from 'lit';
import type { RunResult } from '../../experiments/result.ts';
import type { RunEvent } from '../../experiments/run.ts';
import { WebGPUUnavailableError } from '../../gpu/device.ts';
import { PausableClock } from './clock.ts';
import type { RunProblem } from './errors.ts';
import { errorKind } from './errors.ts';
import { emit } from './events.ts';
import type { ExportRun } from './export.ts';
import type { LabRunner, RunHandle } from './lab-runner.ts';
import type { ModelState } from './model-state.ts';
import { finishEarlyStopping, modelStates, recordEarlyStopping, recordEpoch, stoppedEarly } from './model-state.ts';
import type { Settings } from './settings.ts';
import { readSettings, replacedValues, runExperiment } from './settings.ts';
import { exportRun } from './snapshot.ts';
import { sweptValue } from './replicas.ts';
import type { ErrorKind, LabHost, OverfitEarlyStopping, OverfitReplicaMetrics, RunStatus } from './types.ts';

const ACTIVE: readonly RunStatus[] = ['loading', 'compiling', 'running', 'paused', 'stopping'];

/** An early stopping state as the events carry it: these four fields, copied. */
const earlyStoppingDetail = (s: OverfitEarlyStopping): OverfitEarlyStopping => ({
  best_epoch: s.best_epoch,
  stopped_epoch: s.stopped_epoch,
  restored_epoch: s.restored_epoch,
  wait: s.wait,
});

export class RunController implements ReactiveController {
  status: RunStatus = 'checking';
  models: ModelState[] = [];
  settings: Settings | null = null;
  /** Set when the whole run (or the setup) failed; per-model failures live on the models. */
  problem: RunProblem | null = null;
  adapter: { vendor: string; architecture: string } | null = null;
  result: RunResult | null = null;
  /** Bumped on every new epoch, so charts know when to redraw. */
  version = 0;

  private run: RunHandle | null = null;
  /** Bumped when a run is abandoned, so its late events and outcome are ignored. */
  private generation = 0;
  private stopRequested = false;
  private whichKey = '';
  private restKey = '';
  private probed = false;
  /** Invalid attribute values already reported in the console. */
  private readonly reported = new Set<string>();
  private frame = 0;
  private readonly clock = new PausableClock();

  constructor(
    private readonly host: LabHost,
    private readonly runner: LabRunner,
  ) {
    host.addController(this);
  }

  get active(): boolean {
    return ACTIVE.includes(this.status);
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
    const which = JSON.stringify([h.experiment, h.models, h.datasetName, h.specVersion ?? 0]);
    const rest = JSON.stringify([h.epochs, h.trainLimit, h.testLimit, h.dataBase, h.seed, h.seeds, h.sweep, h.earlyStopping, h.edited ?? null]);
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

  private configure(): void {
    this.problem = null;
    this.result = null;
    try {
      this.settings = readSettings(this.host);
    } catch (e) {
      this.settings = null;
      this.models = [];
      this.problem = { kind: 'config', message: (e as Error).message };
      return;
    }
    for (const r of replacedValues(this.host, this.settings)) {
      const key = `${r.attribute}=${String(r.value)}`;
      if (this.reported.has(key)) continue; // once per value, not at every re-render
      this.reported.add(key);
      console.warn(`<overfit-lab>: ${r.attribute}="${String(r.value)}" is not a valid value; using ${r.used} instead.`);
    }
    this.models = modelStates(this.settings);
    this.version++;
  }

  /** Looks for an adapter without taking a device, so the no-WebGPU panel shows before anyone presses Start. */
  async probe(): Promise<void> {
    this.probed = true;
    this.status = 'checking';
    this.host.requestUpdate();
    const reason = await this.runner.probe();
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
    queueMicrotask(() => this.emitError('config', null, new Error(message)));
  }

  private unsupported(e: WebGPUUnavailableError): void {
    this.status = 'unsupported';
    this.problem = { kind: 'no-webgpu', message: e.message, reason: e.reason };
    this.host.requestUpdate();
    this.emitError('no-webgpu', null, e);
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
    this.clock.reset();
    this.configure();
    const s = this.settings;
    if (!s) return this.fail(gen, new Error(this.problem!.message), 'config');
    if (s.sweepError || s.earlyStoppingError || this.host.editError) return; // the element shows why and keeps Start disabled
    this.status = 'loading';
    this.host.requestUpdate();
    emit(this.host, 'overfit-start', { experiment: runExperiment(s) });
    let run: RunHandle;
    try {
      run = await this.runner.open(
        s,
        (e) => this.onRunEvent(gen, e),
        (model, weights) => {
          const m = gen === this.generation ? this.models.find((x) => x.name === model) : undefined;
          if (m) m.final = weights;
        },
      );
    } catch (e) {
      if (gen !== this.generation) return;
      if (e instanceof WebGPUUnavailableError) return this.unsupported(e);
      return this.fail(gen, e as Error);
    }
    if (gen !== this.generation) return;
    this.adapter = { ...run.result.adapter };
    this.run = run;
    // Pause and Stop may have been pressed while loading.
    this.status = this.stopRequested ? 'stopping' : this.clock.paused ? 'paused' : 'compiling';
    if (this.stopRequested) run.stop();
    if (this.clock.paused) run.pause();
    this.host.requestUpdate();
    try {
      const result = await run.run();
      if (gen !== this.generation) return;
      this.run = null;
      this.result = result;
      // Stopped by the user: some model short of its epochs that early stopping did not end.
      const stopped = this.stopRequested && this.models.some((m) => !m.error && !stoppedEarly(m) && m.epochSeconds.length < m.epochs);
      this.status = stopped ? 'stopped' : 'done';
      this.host.requestUpdate();
      emit(this.host, 'overfit-done', { result, stopped });
    } catch (e) {
      if (gen !== this.generation) return;
      this.run = null;
      this.fail(gen, e as Error);
    }
  }

  private fail(gen: number, error: Error, kind = errorKind(error)): void {
    if (gen !== this.generation) return;
    this.status = 'error';
    this.problem = { kind, message: error.message };
    this.host.requestUpdate();
    this.emitError(kind, null, error);
  }

  private onRunEvent(gen: number, e: RunEvent): void {
    if (gen !== this.generation) return;
    const m = this.models.find((x) => x.name === e.model);
    if (!m) return;
    if (e.type === 'epoch') {
      const log = e.log;
      recordEpoch(m, log, this.clock.now());
      const es = e.earlyStopping;
      if (es) recordEarlyStopping(m, es, log.epoch);
      if (this.status === 'compiling') this.status = 'running';
      this.version++;
      this.schedule();
      const several = m.replicas.length > 1;
      const replicas = several ? this.replicaMetrics(m, log.replicas, es) : null;
      emit(this.host, 'overfit-epoch', {
        model: m.name,
        epoch: log.epoch,
        epochs: m.epochs,
        metrics: { ...log.metrics },
        seconds: log.seconds,
        ...(replicas ? { replicas } : {}),
        ...(es?.[0] && !several ? { earlyStopping: earlyStoppingDetail(es[0]) } : {}),
      });
    } else if (e.type === 'model-done') {
      m.test = e.result.test;
      m.replicas.forEach((r, i) => (r.test = e.result.replicas[i]?.test ?? null));
      m.stats = e.result.stats;
      m.weights = e.result.weights;
      m.words = e.result.words;
      m.done = true;
      if (e.result.earlyStopping) {
        finishEarlyStopping(m, e.result);
        this.version++; // the charts' restored-epoch line
      }
      this.schedule();
    } else {
      const kind = errorKind(e.error);
      m.error = e.error.message;
      m.errorKind = kind;
      this.version++;
      this.host.requestUpdate();
      // A lost device ends the whole run; that is reported once, when run() rejects.
      if (kind !== 'device-lost') this.emitError(kind, m.name, e.error);
    }
  }

  pause(): void {
    if (!this.active || this.status === 'paused' || this.status === 'stopping') return;
    this.clock.pause();
    this.run?.pause();
    this.status = 'paused';
    this.host.requestUpdate();
  }

  resume(): void {
    if (this.status !== 'paused' || !this.clock.paused) return;
    this.clock.resume();
    this.run?.resume();
    this.status = this.run ? (this.hasHistory ? 'running' : 'compiling') : 'loading';
    this.host.requestUpdate();
  }

  /** Stops after the epochs in flight; finished epochs stay and test scores are computed. */
  stop(): void {
    if (!this.active || this.status === 'stopping') return;
    if (this.clock.paused) this.resume();
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
    this.clock.reset();
  }

  /** Each replica's metrics of an epoch, with its index, seed and swept value (and its early stopping). */
  private replicaMetrics(
    m: ModelState,
    list: Record<string, number>[] | undefined,
    es: readonly OverfitEarlyStopping[] | undefined,
  ): OverfitReplicaMetrics[] | null {
    if (!list) return null;
    const sweep = this.settings?.sweep ?? null;
    return list.map((metrics, index) => ({
      index,
      seed: m.replicas[index].seed,
      value: sweptValue(m.replicas[index], sweep),
      metrics: { ...metrics },
      ...(es?.[index] ? { earlyStopping: earlyStoppingDetail(es[index]) } : {}),
    }));
  }

  /** Everything the export buttons write. */
  snapshot(): ExportRun {
    return exportRun(this.settings, this.host, this.adapter, this.models);
  }

  /** Re-render at most once per animation frame, however fast epochs arrive. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.host.requestUpdate();
    });
  }

  private emitError(kind: ErrorKind, model: string | null, error: Error): void {
    emit(this.host, 'overfit-error', { kind, model, message: error.message, error });
  }
}
