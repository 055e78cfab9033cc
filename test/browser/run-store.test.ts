// The saved-runs store on Chromium's real IndexedDB (no mocks): save, list newest first, get,
// rename, delete, clear; a 300-epoch run with its weight statistics and replicas round-trips
// exactly, through the database and through an exported file; a file is refused as a whole when
// it is damaged, not a runs export or from a newer lab, and a run in it that is not valid is
// skipped with its reason while the others are imported. Each test has its own database.
import { afterEach, describe, expect, it } from 'vitest';
import type { Experiment } from '../../src/experiments/presets.ts';
import { findExperiment } from '../../src/experiments/presets.ts';
import type { ModelResult } from '../../src/experiments/result.ts';
import { emptyModelResult, historyBand, meanScores, recordWeights } from '../../src/experiments/result.ts';
import { WSTATS_BINS } from '../../src/plan/weight-stats.ts';
import { Rng } from '../../src/random.ts';
import type { NewRun, RunStoreChange, SavedRun } from '../../src/ui/overfit-lab/run-store.ts';
import { defaultRunName, RunStore, RunStoreError, runResultOf, runStoreError, runToSave } from '../../src/ui/overfit-lab/run-store.ts';

const METRICS = ['loss', 'accuracy', 'binary_crossentropy', 'val_loss', 'val_accuracy', 'val_binary_crossentropy', 'weight_l1'];

/** A model's result as the lab ends it: `epochs` epochs of every metric for each seed, their
 *  band, each epoch's weight statistics per kernel and dead units, the ranked words. */
function modelResult(experiment: Experiment, name: string, epochs: number, seeds: number[], rng = new Rng(7)): ModelResult {
  const m = emptyModelResult(experiment.models.find((x) => x.name === name)!, epochs, experiment.batchSize);
  const curve = () => Array.from({ length: epochs }, () => rng.next());
  const scores = () => ({ loss: rng.next(), accuracy: rng.next(), binary_crossentropy: rng.next() });
  m.replicas = seeds.map((seed) => ({
    seed,
    l1: null,
    l2: null,
    dropout: null,
    lr: 0.001,
    history: Object.fromEntries(METRICS.map((k) => [k, curve()])),
    test: scores(),
  }));
  m.history = Object.fromEntries(
    METRICS.map((k) => [k, m.replicas[0].history[k].map((_, e) => m.replicas.reduce((s, r) => s + r.history[k][e], 0) / seeds.length)]),
  );
  m.historyMin = historyBand(
    m.replicas.map((r) => r.history),
    'min',
  );
  m.historyMax = historyBand(
    m.replicas.map((r) => r.history),
    'max',
  );
  m.test = meanScores(m.replicas.map((r) => r.test!));
  const dense = experiment.models.find((x) => x.name === name)!.spec.layers.filter((l) => l.type === 'Dense');
  for (let e = 0; e < epochs; e++)
    recordWeights(m, {
      weightStats: [
        dense.map((_, k) => ({
          tensor: k ? `dense_${k}/kernel` : 'dense/kernel',
          zeros: 0,
          bins: Array.from({ length: WSTATS_BINS + 2 }, () => Math.floor(rng.next() * 5000)),
          nearZero: Math.floor(rng.next() * 1000),
          size: 100_000,
          maxAbs: rng.next(),
        })),
      ],
      deadUnits: [dense.slice(0, -1).map((_, k) => ({ layer: k ? `dense_${k}` : 'dense', units: 512, dead: Math.floor(rng.next() * 50) }))],
    });
  m.seconds = epochs * 0.05;
  m.words = Array.from({ length: 100 }, (_, column) => ({ column, word: `w${column}`, norm: rng.next() }));
  m.stats = {
    dispatchesPerStep: 40,
    dispatchesPerValidation: 12,
    submitsPerEpoch: 1,
    readbacksPerEpoch: 1,
    buffersCreatedAfterFirstStep: 0,
    pipelinesCreatedAfterFirstStep: 0,
    gpuBytes: 123_456,
    matmul: { 'forward 500x1024x100': 'direct-8x8-4x4' },
  };
  return m;
}

/** A small finished run of the dropout preset (2 epochs). */
function smallRun(seed = 1, extra: Partial<NewRun> = {}): NewRun {
  const experiment = { ...findExperiment('dropout'), seed };
  for (const m of experiment.models) m.epochs = 2;
  return {
    experiment,
    dataset: 'imdb',
    seed,
    adapter: { vendor: 'google', architecture: 'swiftshader' },
    stopped: false,
    models: experiment.models.map((m) => modelResult(experiment, m.name, 2, [seed], new Rng(seed))),
    ...extra,
  };
}

const opened: RunStore[] = [];
let dbCount = 0;
/** A store on a database of its own, deleted after the test. */
function freshStore(name = `overfit-lab-test-${Date.now()}-${dbCount++}`): RunStore {
  const store = new RunStore(name);
  opened.push(store);
  return store;
}

afterEach(async () => {
  const names = new Set(opened.map((s) => s.dbName));
  for (const s of opened.splice(0)) s.close();
  for (const name of names)
    await new Promise<void>((resolve, reject) => {
      const r = indexedDB.deleteDatabase(name);
      r.onsuccess = () => resolve();
      r.onerror = () => reject(r.error);
      // \`blocked\` may fire while a closed store's last transaction finishes; success follows (a
      // connection left open would hang here until the test times out).
    });
});

/** The error a promise fails with. */
async function failure(p: Promise<unknown>): Promise<RunStoreError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RunStoreError);
  return e as RunStoreError;
}

describe('RunStore (IndexedDB)', () => {
  it('saves, lists newest first without curves, gets, renames, deletes and clears', async () => {
    const store = freshStore();
    expect(await store.list()).toEqual([]);
    const a = await store.save(smallRun(1, { savedAt: '2026-12-01T10:00:00.000Z' }));
    const b = await store.save(smallRun(2, { savedAt: '2026-12-03T10:00:00.000Z', name: '  my run  ' }));
    const c = await store.save(smallRun(3, { savedAt: '2026-12-02T10:00:00.000Z' }));
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect(b.name).toBe('my run');
    expect(a.name).toBe(defaultRunName(a, new Date(a.savedAt)));
    expect(a.name).toMatch(/^dropout · seed 1 · 2026-12-0[12] \d\d:\d\d$/);
    expect(a.format).toBe(1);
    const dropout = findExperiment('dropout');
    expect(defaultRunName({ experiment: dropout, seed: 1 }, new Date(2026, 11, 3, 16, 40))).toBe('dropout · seed 1 · 2026-12-03 16:40');
    expect(defaultRunName({ experiment: dropout, seed: 3, seeds: [3, 7, 11], sweep: { param: 'l2', values: [0, 0.001] } }, new Date(2026, 0, 5, 9, 7))).toBe(
      'dropout · l2 0/0.001 · seeds 3, 7, 11 · 2026-01-05 09:07',
    );

    const list = await store.list();
    expect(list.map((r) => r.id)).toEqual([b.id, c.id, a.id]);
    expect(list[0].models).toEqual([
      { name: 'basic', epochs: 2, epochsDone: 2, replicas: 1, test: b.models[0].test, error: null },
      { name: 'dropout', epochs: 2, epochsDone: 2, replicas: 1, test: b.models[1].test, error: null },
    ]);
    expect(list[0].experiment).toEqual(b.experiment);
    expect(list[0]).not.toHaveProperty('models.0.history');

    expect(await store.get(c.id)).toStrictEqual(c);
    expect(await store.get('no-such-run')).toBeNull();

    await store.rename(a.id, 'baseline');
    expect((await store.get(a.id))!.name).toBe('baseline');
    expect((await store.list()).at(-1)!.name).toBe('baseline');
    expect((await failure(store.rename(a.id, '   '))).code).toBe('invalid');
    expect((await failure(store.rename('gone', 'x'))).code).toBe('not-found');

    await store.delete(c.id);
    expect((await store.list()).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(await store.get(c.id)).toBeNull();
    await store.delete(c.id); // again: nothing happens

    // An id that exists: the run is replaced.
    await store.save({ ...(await store.get(b.id))!, stopped: true });
    expect((await store.get(b.id))!.stopped).toBe(true);
    expect(await store.list()).toHaveLength(2);

    await store.clear();
    expect(await store.list()).toEqual([]);
    expect(await store.get(a.id)).toBeNull();
  });

  it('keeps a 300-epoch run with 3 seeds, weights, words and early stopping exactly (NaN too), in the database and through a file', async () => {
    const store = freshStore();
    const experiment = { ...findExperiment('imdb-overfit'), seed: 5 };
    const done = {
      result: {
        experiment: 'imdb-overfit',
        dataset: 'imdb',
        seed: 5,
        adapter: { vendor: 'nvidia', architecture: 'hopper' },
        models: [modelResult(experiment, 'basic', 20, [5, 6, 7]), modelResult(experiment, 'overfitting', 300, [5, 6, 7])],
      },
      stopped: true,
    };
    const big = done.result.models[1];
    big.earlyStopping = {
      settings: { monitor: 'val_loss', min_delta: 0, patience: 3, mode: 'auto', baseline: null, restore_best_weights: true, start_from_epoch: 0 },
      best_epoch: null,
      stopped_epoch: 300,
      restored_epoch: null,
    };
    big.replicas[2].earlyStopping = { best_epoch: 12, stopped_epoch: 15, restored_epoch: 12 };
    big.replicas[1].history.loss[299] = Number.NaN; // a diverged replica
    big.history.loss[299] = Number.NaN;
    const run = runToSave(done, experiment, { seeds: [5, 6, 7] });
    expect(run.name).toMatch(/^imdb-overfit · seeds 5–7 · /); // named by runToSave (English by default)
    const saved = await store.save(run);
    expect(saved.name).toBe(run.name);
    expect(big.weights!.epochs).toHaveLength(300);
    expect(big.history.val_loss).toHaveLength(300);

    const back = await store.get(saved.id);
    expect(back).toStrictEqual(saved);
    expect(Number.isNaN(back!.models[1].history.loss[299])).toBe(true);
    expect(runResultOf(back!)).toEqual(done.result);
    const [summary] = await store.list();
    expect(summary.models[1]).toMatchObject({ name: 'overfitting', epochs: 300, epochsDone: 300, replicas: 3, earlyStopping: big.earlyStopping });

    // Export, clear, import: the same runs, ids and all (JSON's null comes back NaN).
    const file = await store.exportJson();
    expect(JSON.parse(file)).toMatchObject({ format: 'overfit-lab-runs', version: 1 });
    await store.clear();
    const { imported, skipped } = await store.importJson(file);
    expect(skipped).toEqual([]);
    expect(imported).toStrictEqual([saved]);
    expect(await store.get(saved.id)).toStrictEqual(saved);
  });

  it('exports all runs or chosen ones, and imports them again, under new ids where taken', async () => {
    const store = freshStore();
    const a = await store.save(smallRun(1, { savedAt: '2026-12-01T10:00:00.000Z' }));
    const b = await store.save(smallRun(2, { savedAt: '2026-12-02T10:00:00.000Z' }));
    const all = await store.exportJson();
    expect(JSON.parse(all).runs.map((r: SavedRun) => r.id)).toEqual([b.id, a.id]);
    expect(JSON.parse(await store.exportJson([a.id])).runs).toEqual([a]);
    expect((await failure(store.exportJson([a.id, 'gone']))).code).toBe('not-found');

    await store.delete(a.id);
    const again = await store.importJson(all);
    expect(again.skipped).toEqual([]);
    const [b2, a2] = again.imported;
    expect(a2).toEqual(a); // its id was free
    expect(b2.id).not.toBe(b.id); // b is still there: a copy beside it
    expect({ ...b2, id: b.id }).toEqual(b);
    const ids = (await store.list()).map((r) => r.id);
    expect(new Set(ids.slice(0, 2))).toEqual(new Set([b.id, b2.id])); // the same date, 2 Dec
    expect(ids[2]).toBe(a.id);
  });

  it('refuses a damaged file, a wrong format and a newer version as a whole; skips invalid runs and imports the rest', async () => {
    const store = freshStore();
    const good = await store.save(smallRun(1));
    const file = JSON.parse(await store.exportJson());
    await store.clear();

    const damaged = await failure(store.importJson(JSON.stringify(file).slice(0, -20)));
    expect(damaged.code).toBe('format');
    expect(damaged.message).toMatch(/damaged or not JSON.*choose a file exported from the runs list/);
    const csv = await failure(store.importJson('model,epoch,loss\nbasic,1,0.5\n'));
    expect(csv.code).toBe('format');
    const wrong = await failure(store.importJson(JSON.stringify({ ...file, format: 'keras-history' })));
    expect(wrong.code).toBe('format');
    expect(wrong.message).toMatch(/not a runs export of overfit-lab/);
    expect((await failure(store.importJson(JSON.stringify({ result: file.runs[0] })))).code).toBe('format');
    const newer = await failure(store.importJson(JSON.stringify({ ...file, version: 2 })));
    expect(newer.code).toBe('version');
    expect(newer.message).toMatch(/newer version of the lab.*update the lab/);
    expect(await store.list()).toEqual([]);

    const run = file.runs[0];
    const badExperiment = structuredClone(run);
    badExperiment.experiment.models[0].spec.layers[0].units = -3;
    const noModels = structuredClone(run);
    delete noModels.models;
    const badHistory = structuredClone(run);
    badHistory.models[1].history.val_loss[1] = 'high';
    const newerRun = { ...structuredClone(run), format: 2 };
    const notARun = 'hello';
    const diverged = structuredClone(run);
    diverged.id = 'diverged';
    diverged.models[0].history.loss[1] = null;
    const result = await store.importJson(JSON.stringify({ ...file, runs: [badExperiment, run, noModels, badHistory, newerRun, notARun, diverged] }));
    expect(result.skipped.map((s) => s.index)).toEqual([0, 2, 3, 4, 5]);
    const reasons = result.skipped.map((s) => s.reason);
    expect(reasons[0]).toMatch(/^experiment: models\[0\] \("basic"\): .*units/);
    expect(reasons[1]).toBe('models must be a list of model results');
    expect(reasons[2]).toBe('models[1].history.val_loss[1] must be a number or null');
    expect(reasons[3]).toMatch(/newer version of the lab/);
    expect(reasons[4]).toBe('the run must be an object');
    expect(result.imported.map((r) => r.id)).toEqual([good.id, 'diverged']);
    expect(await store.get(good.id)).toEqual(good);
    expect(Number.isNaN((await store.get('diverged'))!.models[0].history.loss[1])).toBe(true);
  });

  it('refuses to save a run that is not valid', async () => {
    const store = freshStore();
    const e = await failure(store.save({ ...smallRun(), seed: 1.5 }));
    expect(e.code).toBe('invalid');
    expect(e.message).toBe('cannot save the run: seed must be an integer');
    expect(await store.list()).toEqual([]);
  });

  it('shares the database between stores, which hear of each other’s changes', async () => {
    const name = `overfit-lab-test-shared-${Date.now()}`;
    const one = freshStore(name);
    const two = freshStore(name);
    const heard: RunStoreChange[] = [];
    const ownHeard: RunStoreChange[] = [];
    two.subscribe((c) => heard.push(c));
    one.subscribe((c) => ownHeard.push(c));
    const a = await one.save(smallRun(1));
    expect(await two.get(a.id)).toEqual(a);
    await two.rename(a.id, 'renamed by two');
    expect((await one.list())[0].name).toBe('renamed by two');
    await two.delete(a.id);
    expect(await one.get(a.id)).toBeNull();
    await expect.poll(() => heard.map((c) => c.type)).toEqual(['saved', 'renamed', 'deleted']);
    await expect.poll(() => ownHeard.map((c) => c.type)).toEqual(['saved', 'renamed', 'deleted']);
    expect(heard[0].ids).toEqual([a.id]);
  });

  it('says what to do when storage is unavailable, full or newer', async () => {
    const none = new RunStore('x', null);
    const unavailable = await failure(none.list());
    expect(unavailable.code).toBe('unavailable');
    expect(unavailable.message).toMatch(/export them as JSON/);

    const quota = runStoreError(new DOMException('quota', 'QuotaExceededError'));
    expect(quota.code).toBe('quota');
    expect(quota.message).toMatch(/^storage is full: delete old runs/);
    expect(runStoreError(new DOMException('denied', 'SecurityError')).code).toBe('unavailable');

    // A newer lab upgraded the database: this one says to reload.
    const name = `overfit-lab-test-newer-${Date.now()}`;
    await new Promise<void>((resolve, reject) => {
      const r = indexedDB.open(name, 2);
      r.onsuccess = () => (r.result.close(), resolve());
      r.onerror = () => reject(r.error);
    });
    const store = freshStore(name);
    const newer = await failure(store.list());
    expect(newer.code).toBe('version');
    expect(newer.message).toMatch(/newer version of the lab: reload the page/);
  });
});
