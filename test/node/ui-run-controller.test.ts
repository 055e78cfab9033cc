// <overfit-lab>'s run controller as a state machine: a plain host object and a scripted runner in
// place of WebGPU (real runs are the e2e suite's). Start, pause, resume, stop, reset, epochs,
// errors classified into kinds, the history kept after an error, and early stopping's states.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DataFileError } from '../../src/data/format.ts';
import { earlyStoppingSettings } from '../../src/experiments/early-stopping.ts';
import type { EarlyStoppingResult, ReplicaResult } from '../../src/experiments/result.ts';
import type { EarlyStoppingState, ExperimentRunResult, RunEvent } from '../../src/experiments/run.ts';
import type { GpuUnavailableReason } from '../../src/gpu/device.ts';
import { GpuDeviceLostError } from '../../src/gpu/device.ts';
import { TrainingDivergedError } from '../../src/graph/trainer.ts';
import type { LabRunner, RunHandle } from '../../src/ui/overfit-lab/lab-runner.ts';
import { MESSAGES } from '../../src/ui/i18n.ts';
import { toJson } from '../../src/ui/overfit-lab/export.ts';
import { earlyStoppingLine, finishedState } from '../../src/ui/overfit-lab/model-card.ts';
import { modelEta, runEarlyStopping } from '../../src/ui/overfit-lab/model-state.ts';
import { RunController } from '../../src/ui/overfit-lab/run-controller.ts';
import type { Settings } from '../../src/ui/overfit-lab/settings.ts';
import type { OverfitDoneDetail, OverfitEpochDetail, OverfitErrorDetail } from '../../src/ui/overfit-lab/types.ts';
import { FakeHost } from './fake-host.ts';

/** Lets pending promise callbacks (and queued microtasks) run. */
const settle = () => new Promise<void>((r) => setTimeout(r, 0));

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** One run, driven by the test: epochs, model errors and the outcome. */
class ScriptedRun implements RunHandle {
  readonly result: ExperimentRunResult;
  readonly calls: string[] = [];
  private outcome = deferred<ExperimentRunResult>();

  constructor(
    readonly settings: Settings,
    private readonly listener: (e: RunEvent) => void,
  ) {
    this.result = {
      experiment: settings.experiment.id,
      dataset: settings.dataset,
      seed: settings.seed,
      adapter: { vendor: 'test', architecture: 'fake' },
      models: [],
    };
  }

  run(): Promise<ExperimentRunResult> {
    this.calls.push('run');
    return this.outcome.promise;
  }
  pause(): void {
    this.calls.push('pause');
  }
  resume(): void {
    this.calls.push('resume');
  }
  stop(): void {
    this.calls.push('stop');
  }

  /** An epoch of one run; with early stopping, its state after the epoch (one per replica). */
  epoch(model: string, epoch: number, loss: number, earlyStopping?: EarlyStoppingState[]): void {
    const log = { epoch, seconds: 0.5, metrics: { loss, binary_crossentropy: loss, val_binary_crossentropy: loss + 0.1 } };
    this.listener({ type: 'epoch', model, log, ...(earlyStopping ? { earlyStopping } : {}) });
  }
  /** An epoch of several replicas: each one's loss; `metrics` is their mean. */
  replicaEpoch(model: string, epoch: number, losses: number[], earlyStopping?: EarlyStoppingState[]): void {
    const replicas = losses.map((loss) => ({ loss, binary_crossentropy: loss, val_binary_crossentropy: loss + 0.1 }));
    const mean = losses.reduce((a, b) => a + b) / losses.length;
    const metrics = { loss: mean, binary_crossentropy: mean, val_binary_crossentropy: mean + 0.1 };
    this.listener({ type: 'epoch', model, log: Object.assign({ epoch, seconds: 0.5, metrics }, { replicas }), ...(earlyStopping ? { earlyStopping } : {}) });
  }
  modelError(model: string, error: Error): void {
    this.listener({ type: 'model-error', model, error });
  }
  /** A model's end: its test scores (each replica's), and with early stopping the outcome
   *  (`replicaOutcomes`: each replica's, as ExperimentRun's collect() gives them). */
  modelDone(
    model: string,
    test: Record<string, number>,
    replicaTests: Record<string, number>[] = [],
    earlyStopping?: EarlyStoppingResult,
    replicaOutcomes: ReplicaResult['earlyStopping'][] = [],
  ): void {
    const r = {
      name: model,
      params: 1,
      trainableParams: 1,
      epochs: 3,
      batchSize: 500,
      history: {},
      test,
      seconds: 1,
      stats: null,
      error: null,
      replicas: replicaTests.map((t, i) => ({
        seed: 0,
        l1: null,
        l2: null,
        dropout: null,
        lr: 0.001,
        history: {},
        test: t,
        ...(replicaOutcomes[i] ? { earlyStopping: replicaOutcomes[i] } : {}),
      })),
      historyMin: {},
      historyMax: {},
      weights: null,
      words: null,
      ...(earlyStopping ? { earlyStopping } : {}),
    };
    this.listener({ type: 'model-done', model, result: r });
  }
  finish(): Promise<void> {
    this.outcome.resolve(this.result);
    return settle();
  }
  fail(e: Error): Promise<void> {
    this.outcome.reject(e);
    return settle();
  }
}

class ScriptedRunner implements LabRunner {
  unavailable: GpuUnavailableReason | null = null;
  openError: Error | null = null;
  readonly runs: ScriptedRun[] = [];
  private gate: ReturnType<typeof deferred<void>> | null = null;

  probe(): Promise<GpuUnavailableReason | null> {
    return Promise.resolve(this.unavailable);
  }
  async open(settings: Settings, listener: (e: RunEvent) => void): Promise<RunHandle> {
    await this.gate?.promise;
    if (this.openError) throw this.openError;
    const run = new ScriptedRun(settings, listener);
    this.runs.push(run);
    return run;
  }
  /** Holds open() (the device and data loading) until the returned function is called. */
  holdLoading(): () => Promise<void> {
    this.gate = deferred<void>();
    return () => {
      this.gate!.resolve();
      this.gate = null;
      return settle();
    };
  }
  get last(): ScriptedRun {
    return this.runs[this.runs.length - 1];
  }
}

let host: FakeHost;
let runner: ScriptedRunner;
let c: RunController;

beforeEach(async () => {
  // Node has no animation frames; the controller only uses them to batch re-renders.
  vi.stubGlobal('requestAnimationFrame', (cb: () => void) => setTimeout(cb, 0));
  vi.stubGlobal('cancelAnimationFrame', (id: ReturnType<typeof setTimeout>) => clearTimeout(id));
  host = new FakeHost();
  runner = new ScriptedRunner();
  c = new RunController(host, runner);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Connected, probed and idle; then started up to its first epoch's wait. */
async function started(): Promise<ScriptedRun> {
  host.connect();
  await settle();
  expect(c.status).toBe('idle');
  const done = c.start();
  expect(c.status).toBe('loading');
  await settle();
  expect(c.status).toBe('compiling');
  void done;
  return runner.last;
}

describe('run controller', () => {
  it('reads the settings into the experiment’s models before any run', async () => {
    host.connect();
    expect(c.models.map((m) => [m.name, m.epochs, m.params, m.lossMetric])).toEqual([
      ['basic', 3, 29_569, 'binary_crossentropy'],
      ['dropout', 3, 29_569, 'binary_crossentropy'],
    ]);
    expect(c.settings).toMatchObject({ seed: 7, trainLimit: 100, testLimit: undefined, base: '/data' });
    expect(c.status).toBe('checking');
    await settle();
    expect(c.status).toBe('idle');
  });

  it('start: loading, compiling, running; each epoch goes into the model’s history and an overfit-epoch event', async () => {
    const run = await started();
    expect(c.adapter).toEqual({ vendor: 'test', architecture: 'fake' });
    expect(run.settings.experiment.id).toBe('dropout');
    run.epoch('basic', 1, 0.7);
    expect(c.status).toBe('running');
    run.epoch('dropout', 1, 0.69);
    run.epoch('basic', 2, 0.6);
    const basic = c.models[0];
    expect(basic.history.loss).toEqual([0.7, 0.6]);
    expect(basic.epochSeconds).toEqual([0.5, 0.5]);
    expect(basic.seconds).toBe(1);
    expect(host.detailsOf<OverfitEpochDetail>('overfit-epoch')[2]).toEqual({
      model: 'basic',
      epoch: 2,
      epochs: 3,
      metrics: { loss: 0.6, binary_crossentropy: 0.6, val_binary_crossentropy: 0.7 },
      seconds: 0.5,
    });
    run.modelDone('basic', { loss: 0.5 });
    expect(basic).toMatchObject({ done: true, test: { loss: 0.5 } });
    await run.finish();
    expect(c.status).toBe('done');
    expect(host.detailsOf<OverfitDoneDetail>('overfit-done')).toEqual([{ result: run.result, stopped: false }]);
    expect(c.result).toBe(run.result);
  });

  it('replicas (3 seeds x an l2 sweep of 2): the run gets them; each epoch’s replicas go into the band, the event (index, seed, value) and the export', async () => {
    host.seeds = 3; // from seed 7: 7, 8, 9
    host.sweep = 'l2=0.01,0';
    const run = await started();
    expect(run.settings.seeds).toEqual([7, 8, 9]);
    expect(run.settings.sweep).toEqual({ param: 'l2', values: [0, 0.01] });
    expect(run.settings.replicas).toHaveLength(6);
    run.replicaEpoch('basic', 1, [0.6, 0.7, 0.8, 0.5, 0.55, 0.65]);
    const basic = c.models[0];
    expect(basic.historyMin.loss).toEqual([0.5]);
    expect(basic.historyMax.loss).toEqual([0.8]);
    expect(basic.replicas[4].history.loss).toEqual([0.55]);
    const detail = host.detailsOf<OverfitEpochDetail>('overfit-epoch')[0];
    expect(detail.metrics.loss).toBeCloseTo(0.6333, 3);
    expect(detail.replicas!.map((r) => [r.index, r.seed, r.value, r.metrics.loss])).toEqual([
      [0, 7, 0, 0.6],
      [1, 8, 0, 0.7],
      [2, 9, 0, 0.8],
      [3, 7, 0.01, 0.5],
      [4, 8, 0.01, 0.55],
      [5, 9, 0.01, 0.65],
    ]);
    run.modelDone(
      'basic',
      { loss: 0.5 },
      [1, 2, 3, 4, 5, 6].map((loss) => ({ loss })),
    );
    expect(basic.replicas.map((r) => r.test?.loss)).toEqual([1, 2, 3, 4, 5, 6]);
    const snap = c.snapshot();
    expect([snap.seeds, snap.sweep]).toEqual([[7, 8, 9], { param: 'l2', values: [0, 0.01] }]);
    expect(snap.models[0].replicas).toHaveLength(6);
    await run.finish();
    expect(c.status).toBe('done');
  });

  it('one replica: no replicas in the event, the live state or the export', async () => {
    const run = await started();
    run.epoch('basic', 1, 0.7);
    expect(host.detailsOf<OverfitEpochDetail>('overfit-epoch')[0]).not.toHaveProperty('replicas');
    expect(c.models[0].replicas).toEqual([]);
    expect(c.snapshot()).not.toHaveProperty('seeds');
  });

  it('an invalid sweep keeps the run from starting', async () => {
    host.sweep = 'l2=zero';
    host.connect();
    await settle();
    await c.start();
    expect([c.status, runner.runs.length, c.settings?.sweepError]).toEqual(['idle', 0, 'number']);
  });

  it('pause and resume reach the run; stop ends as stopped, with the finished epochs kept and exported', async () => {
    const run = await started();
    run.epoch('basic', 1, 0.7);
    c.pause();
    expect(c.status).toBe('paused');
    c.pause();
    c.resume();
    expect(c.status).toBe('running');
    c.pause();
    c.stop(); // resumes first, so the run can finish its epoch and stop
    expect(c.status).toBe('stopping');
    expect(run.calls).toEqual(['run', 'pause', 'resume', 'pause', 'resume', 'stop']);
    await run.finish();
    expect(c.status).toBe('stopped');
    expect(host.detailsOf<OverfitDoneDetail>('overfit-done')[0].stopped).toBe(true);
    const snap = c.snapshot();
    expect(snap).toMatchObject({
      experiment: 'dropout',
      dataset: 'imdb',
      seed: 7,
      batchSize: 500,
      trainLimit: 100,
      testLimit: null,
      adapter: { vendor: 'test' },
    });
    expect(Object.keys(snap.models[0])).toEqual([
      'name',
      'params',
      'trainableParams',
      'epochs',
      'history',
      'seconds',
      'test',
      'bestEpoch',
      'error',
      'replicas',
      'historyMin',
      'historyMax',
      'weights',
      'words',
    ]);
    expect(snap.models[0]).toMatchObject({ name: 'basic', history: { loss: [0.7] }, seconds: [0.5], bestEpoch: 1, error: null });
  });

  it('pause and stop pressed while loading apply once the run exists', async () => {
    host.connect();
    await settle();
    const release = runner.holdLoading();
    void c.start();
    c.pause();
    expect(c.status).toBe('paused');
    c.resume();
    expect(c.status).toBe('loading');
    c.pause();
    await release();
    expect(c.status).toBe('paused');
    expect(runner.last.calls).toEqual(['pause', 'run']);
    c.reset();
    const releaseAgain = runner.holdLoading();
    void c.start();
    c.stop();
    await releaseAgain();
    expect(c.status).toBe('stopping');
    expect(runner.last.calls).toEqual(['stop', 'run']);
    await runner.last.finish();
    expect(c.status).toBe('stopped');
  });

  it('a diverged model is reported with its name and kind; the others go on', async () => {
    const run = await started();
    run.epoch('basic', 1, 0.7);
    run.epoch('dropout', 1, NaN);
    run.modelError('dropout', new TrainingDivergedError('loss is NaN'));
    expect(c.models[1]).toMatchObject({ error: 'loss is NaN', errorKind: 'diverged' });
    expect(host.detailsOf<OverfitErrorDetail>('overfit-error')).toMatchObject([{ kind: 'diverged', model: 'dropout', message: 'loss is NaN' }]);
    run.epoch('basic', 2, 0.6);
    expect(c.status).toBe('running');
    await run.finish();
    expect(c.status).toBe('done');
  });

  it('a lost device: one overfit-error for the run, status error, the history kept', async () => {
    const run = await started();
    run.epoch('basic', 1, 0.7);
    const lost = new GpuDeviceLostError('destroyed');
    run.modelError('basic', lost);
    expect(c.models[0].errorKind).toBe('device-lost');
    await run.fail(lost);
    expect(c.status).toBe('error');
    expect(c.problem).toEqual({ kind: 'device-lost', message: lost.message });
    expect(host.detailsOf<OverfitErrorDetail>('overfit-error')).toEqual([{ kind: 'device-lost', model: null, message: lost.message, error: lost }]);
    expect(c.hasHistory).toBe(true);
    expect(c.snapshot().models[0].history.loss).toEqual([0.7]);
    // Restart from the error: a new run from scratch.
    const again = c.start();
    await settle();
    expect(runner.runs).toHaveLength(2);
    expect(c.hasHistory).toBe(false);
    await runner.last.finish();
    await again;
    expect(c.status).toBe('done');
  });

  it('errors while loading: missing data is kind data, anything else other', async () => {
    host.connect();
    await settle();
    runner.openError = new DataFileError('imdb.ofl', 'is missing');
    await c.start();
    expect(c.status).toBe('error');
    expect(c.problem?.kind).toBe('data');
    runner.openError = new Error('boom');
    await c.start();
    expect(host.detailsOf<OverfitErrorDetail>('overfit-error').map((d) => [d.kind, d.model])).toEqual([
      ['data', null],
      ['other', null],
    ]);
  });

  it('no WebGPU adapter: unsupported, reported once, and start() probes again', async () => {
    runner.unavailable = 'no-adapter';
    host.connect();
    await settle();
    expect(c.status).toBe('unsupported');
    expect(c.problem).toMatchObject({ kind: 'no-webgpu', reason: 'no-adapter' });
    expect(host.detailsOf<OverfitErrorDetail>('overfit-error')).toMatchObject([{ kind: 'no-webgpu', model: null }]);
    await c.start();
    expect(c.status).toBe('unsupported');
    runner.unavailable = null;
    void c.start();
    await settle();
    expect(c.status).toBe('compiling');
  });

  it('an unknown experiment id is a config error with the valid ids, and cannot start', async () => {
    host.experiment = 'nope';
    host.connect();
    await settle();
    expect(c.status).toBe('error');
    expect(c.models).toEqual([]);
    const [e] = host.detailsOf<OverfitErrorDetail>('overfit-error');
    expect(e).toMatchObject({ kind: 'config', model: null });
    expect(e.message).toMatch(/imdb-overfit, regularization, dropout, batchnorm/);
    await c.start();
    expect(runner.runs).toHaveLength(0);
  });

  it('models picks the experiment’s models to train; an unknown name is a config error naming the valid ones', async () => {
    host.models = 'dropout';
    const run = await started();
    expect(c.models.map((m) => m.name)).toEqual(['dropout']);
    expect(run.settings.experiment.models.map((m) => m.name)).toEqual(['dropout']);
    await run.finish();
    host.models = 'basic, l2';
    c.hostUpdate();
    await settle();
    expect(c.status).toBe('error');
    const [e] = host.detailsOf<OverfitErrorDetail>('overfit-error');
    expect(e).toMatchObject({ kind: 'config', model: null });
    expect(e.message).toBe('models: "l2" is not a model of the experiment "dropout"; its models are basic, dropout');
  });

  it('reset abandons the run: its late events are ignored and the charts cleared', async () => {
    const run = await started();
    run.epoch('basic', 1, 0.7);
    c.reset();
    expect(c.status).toBe('idle');
    expect(run.calls).toContain('stop');
    expect(c.hasHistory).toBe(false);
    run.epoch('basic', 2, 0.6);
    await run.finish();
    expect(c.hasHistory).toBe(false);
    expect(c.status).toBe('idle');
    expect(host.detailsOf('overfit-done')).toEqual([]);
  });

  it('a new experiment abandons the run; new epochs apply only to the next run', async () => {
    const run = await started();
    host.epochs = 5;
    host.update();
    expect(c.models[0].epochs).toBe(3); // a run is active: the next one gets 5
    host.experiment = 'regularization';
    host.update();
    expect(c.status).toBe('idle');
    expect(run.calls).toContain('stop');
    expect(c.models.map((m) => [m.name, m.epochs])).toEqual([
      ['basic', 5],
      ['l1', 5],
      ['l2', 5],
    ]);
  });
});

describe('run controller: early stopping', () => {
  const state = (best_epoch: number | null, stopped_epoch: number | null, restored_epoch: number | null, wait: number): EarlyStoppingState => ({
    best_epoch,
    stopped_epoch,
    restored_epoch,
    wait,
  });
  const en = MESSAGES.en;
  const ko = MESSAGES.ko;

  it('one run: the run gets the settings; each epoch’s state goes into the event, the card and the export; a stop ends the model early, not the run as stopped', async () => {
    host.epochs = 6;
    host.earlyStopping = '2';
    const run = await started();
    const settings = earlyStoppingSettings({ monitor: 'val_loss', patience: 2, restore_best_weights: true });
    expect(run.settings.earlyStopping).toEqual(settings);
    const [basic, dropout] = c.models;
    expect(basic.earlyStopping).toEqual({ settings, best_epoch: null, stopped_epoch: null, restored_epoch: null });
    expect(earlyStoppingLine(basic, en)).toEqual({ state: 'pending', text: 'Early stopping: patience 2 on val_loss' });

    run.epoch('basic', 1, 0.7, [state(1, null, null, 0)]);
    run.epoch('dropout', 1, 0.72, [state(1, null, null, 0)]);
    run.epoch('basic', 2, 0.6, [state(1, null, null, 1)]);
    expect(earlyStoppingLine(basic, en)).toEqual({ state: 'waiting', text: 'Early stopping: best epoch 1 · no improvement for 1 of 2 epochs' });
    expect(earlyStoppingLine(basic, ko)?.text).toBe('조기 종료: 최적 에폭 1 · 2 에폭 중 1 에폭째 개선 없음');
    run.epoch('basic', 3, 0.5, [state(1, 3, 1, 2)]);
    const details = host.detailsOf<OverfitEpochDetail>('overfit-epoch');
    expect(details.map((d) => [d.model, d.epoch, d.earlyStopping])).toEqual([
      ['basic', 1, { best_epoch: 1, stopped_epoch: null, restored_epoch: null, wait: 0 }],
      ['dropout', 1, { best_epoch: 1, stopped_epoch: null, restored_epoch: null, wait: 0 }],
      ['basic', 2, { best_epoch: 1, stopped_epoch: null, restored_epoch: null, wait: 1 }],
      ['basic', 3, { best_epoch: 1, stopped_epoch: 3, restored_epoch: 1, wait: 2 }],
    ]);
    expect(details[3]).not.toHaveProperty('replicas');
    // Stopped while the other model trains on: no ETA, "stopped early" at once, the charts' marks.
    expect(basic.earlyStoppingStates).toEqual([state(1, 3, 1, 2)]);
    expect(basic.earlyStopping).toEqual({ settings, best_epoch: 1, stopped_epoch: 3, restored_epoch: 1 });
    expect(runEarlyStopping(basic)).toEqual({ settings, best_epoch: 1, stopped_epoch: 3, restored_epoch: 1, wait: 2 });
    expect(modelEta(basic, true)).toBeNull();
    expect(finishedState(basic, en)).toBe('stopped early');
    expect(finishedState(basic, ko)).toBe('조기 종료됨');
    expect(earlyStoppingLine(basic, en)).toEqual({ state: 'restored', text: 'Stopped early at epoch 3 · weights of epoch 1 restored (test scores use them)' });
    expect(earlyStoppingLine(basic, ko)?.text).toBe('에폭 3에서 조기 종료 · 에폭 1의 가중치 복원(테스트 점수는 이 가중치로 계산)');

    for (let e = 2; e <= 6; e++) run.epoch('dropout', e, 0.7 - e / 100, [state(e, null, null, 0)]);
    // Stop pressed after the last epoch: every model that did not stop early has all its epochs.
    c.stop();
    run.modelDone('basic', { loss: 0.61 }, [{ loss: 0.61 }], { settings, best_epoch: 1, stopped_epoch: 3, restored_epoch: 1 }, [
      { best_epoch: 1, stopped_epoch: 3, restored_epoch: 1 },
    ]);
    run.modelDone('dropout', { loss: 0.6 }, [{ loss: 0.6 }], { settings, best_epoch: 6, stopped_epoch: null, restored_epoch: null });
    expect(basic.replicas).toEqual([]);
    expect(earlyStoppingLine(dropout, en)).toEqual({ state: 'not-stopped', text: 'Patience did not run out: the last epoch’s weights (Keras 2.x)' });
    expect(earlyStoppingLine(dropout, ko)?.text).toBe('patience가 다 되지 않음: 마지막 에폭의 가중치 사용(Keras 2.x)');
    expect(finishedState(dropout, en)).toBe('finished');
    await run.finish();
    expect(c.status).toBe('done');
    expect(host.detailsOf<OverfitDoneDetail>('overfit-done')[0].stopped).toBe(false);
    const snap = c.snapshot();
    expect(snap.models.map((m) => m.earlyStopping)).toEqual([
      { settings, best_epoch: 1, stopped_epoch: 3, restored_epoch: 1 },
      { settings, best_epoch: 6, stopped_epoch: null, restored_epoch: null },
    ]);
    expect(JSON.parse(toJson(snap)).models[0].earlyStopping.restored_epoch).toBe(1);
  });

  it('stopped by hand before the last epoch: the run is stopped, the card says stopped (not early), patience did not run out', async () => {
    host.epochs = 6;
    host.earlyStopping = '3';
    host.models = 'basic';
    const run = await started();
    run.epoch('basic', 1, 0.7, [state(1, null, null, 0)]);
    c.stop();
    run.modelDone('basic', { loss: 0.7 }, [{ loss: 0.7 }], { ...c.models[0].earlyStopping!, best_epoch: 1 });
    await run.finish();
    expect(c.status).toBe('stopped');
    expect(host.detailsOf<OverfitDoneDetail>('overfit-done')[0].stopped).toBe(true);
    expect(finishedState(c.models[0], en)).toBe('stopped');
    expect(earlyStoppingLine(c.models[0], en)?.state).toBe('not-stopped');
  });

  it('several replicas: each one’s state in its event entry and its replica, none on the model’s event; the model stops once all of them have', async () => {
    host.seeds = 3;
    host.earlyStopping = '0';
    host.models = 'basic';
    const run = await started();
    run.replicaEpoch('basic', 1, [0.7, 0.6, 0.65], [state(1, null, null, 0), state(1, null, null, 0), state(1, null, null, 0)]);
    run.replicaEpoch('basic', 2, [0.71, 0.5, 0.66], [state(1, 2, 1, 1), state(2, null, null, 0), state(1, 2, 1, 1)]);
    const [m] = c.models;
    const detail = host.detailsOf<OverfitEpochDetail>('overfit-epoch')[1];
    expect(detail).not.toHaveProperty('earlyStopping');
    expect(detail.replicas!.map((r) => r.earlyStopping)).toEqual([state(1, 2, 1, 1), state(2, null, null, 0), state(1, 2, 1, 1)]);
    expect(m.replicas.map((r) => r.earlyStopping?.stopped_epoch)).toEqual([2, null, 2]);
    expect(m.earlyStopping).toMatchObject({ best_epoch: null, stopped_epoch: null, restored_epoch: null });
    expect(runEarlyStopping(m)).toBeNull(); // no patience window or restored line for a band
    expect(earlyStoppingLine(m, en)).toEqual({ state: 'replicas', text: 'Early stopping: 2 of 3 runs stopped (each on its own)' });
    run.replicaEpoch('basic', 3, [0.72, 0.55, 0.67], [state(1, 2, 1, 1), state(2, 3, 2, 1), state(1, 2, 1, 1)]);
    expect(m.earlyStopping).toMatchObject({ best_epoch: null, stopped_epoch: 3, restored_epoch: null });
    const outcomes = [
      { best_epoch: 1, stopped_epoch: 2, restored_epoch: 1 },
      { best_epoch: 2, stopped_epoch: 3, restored_epoch: 2 },
      { best_epoch: 1, stopped_epoch: 2, restored_epoch: 1 },
    ];
    run.modelDone('basic', { loss: 0.6 }, [{ loss: 0.6 }, { loss: 0.5 }, { loss: 0.7 }], { ...m.earlyStopping!, stopped_epoch: 3 }, outcomes);
    expect(m.replicas.map((r) => r.earlyStopping)).toEqual(outcomes);
    expect(earlyStoppingLine(m, en)?.text).toBe('Early stopping: 3 of 3 runs stopped early; each one’s test scores use the weights it kept');
    expect(finishedState(m, en)).toBe('stopped early');
    await run.finish();
    expect(c.snapshot().models[0].replicas.map((r) => r.earlyStopping?.restored_epoch)).toEqual([1, 2, 1]);
  });

  it('an invalid early-stopping keeps the run from starting; a new value applies before the next run', async () => {
    host.earlyStopping = 'abc';
    host.connect();
    await settle();
    await c.start();
    expect([c.status, runner.runs.length, c.settings?.earlyStopping]).toEqual(['idle', 0, null]);
    expect(c.settings?.earlyStoppingError).toMatch(/^early stopping takes PATIENCE or PATIENCE,MIN_DELTA/);
    host.earlyStopping = '{"patience": 4, "monitor": "val_accuracy"}';
    host.update();
    expect(c.settings?.earlyStopping).toMatchObject({ patience: 4, monitor: 'val_accuracy', restore_best_weights: false });
    expect(c.models[0].earlyStopping?.settings.patience).toBe(4);
    host.earlyStopping = '';
    host.update();
    expect(c.models[0]).not.toHaveProperty('earlyStopping');
    void c.start();
    await settle();
    const run = runner.last;
    run.epoch('basic', 1, 0.7);
    expect(host.detailsOf<OverfitEpochDetail>('overfit-epoch')[0]).not.toHaveProperty('earlyStopping');
    expect(c.snapshot().models[0]).not.toHaveProperty('earlyStopping');
  });

  it('invalid attribute values are reported once in the console with the value used instead', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      Object.assign(host, { epochs: -5, trainLimit: 0, seed: Number.NaN, seeds: 4, datasetName: 'mnist' });
      host.connect();
      expect(c.settings).toMatchObject({ epochs: undefined, trainLimit: undefined, seed: 1, seeds: [1], dataset: 'imdb' });
      expect(warn.mock.calls.map(([m]) => m)).toEqual([
        '<overfit-lab>: epochs="-5" is not a valid value; using each model\'s own epochs instead.',
        '<overfit-lab>: train-limit="0" is not a valid value; using every training row instead.',
        '<overfit-lab>: seed="NaN" is not a valid value; using 1 instead.',
        '<overfit-lab>: seeds="4" is not a valid value; using 1 (one of 1, 3, 5, 10) instead.',
        '<overfit-lab>: dataset="mnist" is not a valid value; using imdb instead.',
      ]);
      // Read again (another property changes): nothing new to report.
      host.experiment = 'regularization';
      host.update();
      expect(warn).toHaveBeenCalledTimes(5);
    } finally {
      warn.mockRestore();
    }
  });
});
