// The Trainer's profiling mode (per-kernel GPU times whose dispatch counts match its stats) and the
// matmul autotune (every shape timed, a choice per shape, cached, and a tuned plan trains the same).
import { describe, expect, it } from 'vitest';
import { autotuneMatmul, localStorageStore, matmulShapes, memoryStore, tuneCacheKey, tuneSummary } from '../../src/graph/autotune.ts';
import { DEFAULT_MATMUL, defaultMatmulFor, firstChoicePlan, MATMUL_VARIANTS, shapeKey, variantFor } from '../../src/graph/matmul.ts';
import { compilePlan } from '../../src/plan/plan.ts';
import { batchRows, dataShape, Trainer } from '../../src/graph/trainer.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { synthetic, syntheticBinary } from '../synthetic.ts';
import { sharedGpu } from './harness.ts';

const model: ModelSpec = {
  name: 'small',
  inputShape: [20],
  layers: [
    { type: 'Dense', units: 24, activation: 'relu', kernel_regularizer: { l2: 0.001 } },
    { type: 'Dropout', rate: 0.2 },
    { type: 'Dense', units: 16 },
    { type: 'BatchNormalization' },
    { type: 'Activation', activation: 'relu' },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ],
};
const data = syntheticBinary({ train: 300, test: 130, features: 20 });
const BATCH = 64; // 5 train batches (the last short), 3 validation batches

describe('profiling mode', () => {
  for (const mode of [true, 'cpu'] as const)
    it(`${mode === true ? 'timestamps (or CPU when the adapter has none)' : 'CPU timing'}: per-kernel entries whose dispatch counts match the stats; training unchanged`, async () => {
      const { gpu } = await sharedGpu();
      const plain = await Trainer.create(gpu, model, data, { batchSize: BATCH, seed: 5 });
      const profiled = await Trainer.create(gpu, model, data, { batchSize: BATCH, seed: 5, profile: mode });
      const logs: { profile?: unknown }[] = [];
      const a = await plain.fit({ epochs: 2 });
      const start = performance.now();
      const b = await profiled.fit({ epochs: 2, onEpoch: (l) => logs.push(l) });
      const wallMs = performance.now() - start;
      expect(b).toEqual(a); // separate passes and submits change no result
      const p = profiled.profile!;
      expect(logs[1].profile).toBe(p);
      expect(p.epoch).toBe(2);
      expect(p.timing).toBe(mode === 'cpu' || !gpu.hasTimestamps ? 'cpu' : 'timestamp-query');
      const s = profiled.stats;
      const trainBatches = Math.ceil(300 / BATCH);
      const valBatches = Math.ceil(130 / BATCH);
      const count = (phase: string) => p.kernels.filter((k) => k.phase === phase).reduce((n, k) => n + k.dispatches, 0);
      expect(count('train')).toBe(trainBatches * s.dispatchesPerStep);
      expect(count('validate')).toBe(valBatches * s.dispatchesPerValidation);
      expect(count('end')).toBe(2); // norms and weight statistics
      expect(p.dispatches).toBe(trainBatches * s.dispatchesPerStep + valBatches * s.dispatchesPerValidation + 2);
      // One entry per dispatch site: each train site runs once per batch.
      for (const k of p.kernels.filter((x) => x.phase === 'train')) expect(k.dispatches, k.name).toBe(trainBatches);
      const names = p.kernels.filter((k) => k.phase === 'train').map((k) => k.name);
      expect(names).toEqual(
        expect.arrayContaining([
          'gather',
          'norms',
          'loss',
          'adam',
          'dense_0 forward',
          'dense_0 dW',
          'dense_2 dX',
          'batchnormalization_3 forward',
          'batchnormalization_3 backward',
        ]),
      );
      const fwd = p.kernels.find((k) => k.phase === 'train' && k.name === 'dense_0 forward')!;
      expect(fwd).toMatchObject({ kernel: 'matmul', variant: defaultMatmulFor(gpu.adapter).id, flops: 2 * 20 * 24 * 300 });
      // Times are milliseconds spent in the last epoch: each phase that ran took some, and all of
      // them together fit in the wall time of the whole fit() (a unit slip of 10^3 would not).
      const phaseMs = (phase: string) => p.kernels.filter((k) => k.phase === phase).reduce((t, k) => t + k.ms, 0);
      expect(phaseMs('train')).toBeGreaterThan(0);
      expect(phaseMs('validate')).toBeGreaterThan(0);
      expect(p.ms).toBeGreaterThan(0);
      expect(p.ms).toBeLessThanOrEqual(wallMs);
      if (p.timing === 'timestamp-query') {
        expect(p.resolutionNs).toBeGreaterThanOrEqual(1);
        expect(s).toMatchObject({ submitsPerEpoch: 1, readbacksPerEpoch: 2, buffersCreatedAfterFirstStep: 0, pipelinesCreatedAfterFirstStep: 0 });
      } else {
        expect(p.resolutionNs).toBeNull();
        expect(s).toMatchObject({ submitsPerEpoch: 1 + p.dispatches, readbacksPerEpoch: 1, buffersCreatedAfterFirstStep: 0 });
      }
      expect(plain.stats).toMatchObject({ submitsPerEpoch: 1, readbacksPerEpoch: 1 });
      expect(JSON.parse(JSON.stringify(p))).toEqual(p); // exportable as JSON
      plain.dispose();
      profiled.dispose();
    });
});

describe('matmul autotune', () => {
  const spec: ModelSpec = {
    name: 'mnist-ish',
    inputShape: [30],
    layers: [
      { type: 'Dense', units: 40, activation: 'relu' },
      { type: 'Dense', units: 10, activation: 'softmax' },
    ],
  };
  const ten = synthetic({ train: 200, test: 50, features: 30, classes: 10 });
  const shapes = matmulShapes(compilePlan(spec), batchRows(100, dataShape(ten)));

  it('lists the shapes the trainer dispatches (forward, dW per layer; dX past the first)', () => {
    expect(shapes.map(shapeKey)).toEqual(['forward 100x40x30', 'dW 31x40x100', 'forward 100x10x40', 'dW 41x10x100', 'dX 100x40x10']);
  });

  it('times every variant on every shape, picks per shape, caches, and the tuned plan trains like the default', async () => {
    const { gpu } = await sharedGpu();
    const store = memoryStore();
    const start = performance.now();
    const first = await autotuneMatmul(gpu, shapes, { store, samples: 1, targetMs: 1 });
    const wallMs = performance.now() - start;
    expect(first.cached).toBe(false);
    expect(first.shapes).toHaveLength(shapes.length);
    for (const s of first.shapes) {
      expect(Object.keys(s.ms).sort()).toEqual(MATMUL_VARIANTS.map((v) => v.id).sort());
      // Milliseconds per call: none can exceed the wall time of the whole autotune.
      for (const ms of Object.values(s.ms)) expect(ms).toBeLessThanOrEqual(wallMs);
      expect(s.ms[s.best]).toBe(Math.min(...Object.values(s.ms)));
      expect(first.plan.shapes![s.key]).toBe(s.best);
    }
    expect(MATMUL_VARIANTS.map((v) => v.id)).toContain(first.plan.default);
    expect(await store.get(tuneCacheKey(gpu))).toContain('"best"');
    const again = await autotuneMatmul(gpu, shapes, { store });
    expect(again.cached).toBe(true);
    expect(again.plan).toEqual(first.plan);
    expect(tuneSummary(again).rows).toHaveLength(shapes.length);

    // Every shape on a non-default variant: same training within float tolerance.
    const other = MATMUL_VARIANTS.find((v) => v.kind === 'direct')!;
    const a = await Trainer.create(gpu, spec, ten, { batchSize: 100, seed: 2, matmul: { default: DEFAULT_MATMUL.id } });
    const b = await Trainer.create(gpu, spec, ten, { batchSize: 100, seed: 2, matmul: { default: other.id } });
    const c = await Trainer.create(gpu, spec, ten, { batchSize: 100, seed: 2, matmul: first.plan });
    expect(Object.values(b.stats.matmul)).toEqual(shapes.map(() => other.id));
    expect(c.stats.matmul).toEqual(first.plan.shapes);
    // No plan: the adapter's untimed first choice (direct variants on SwiftShader, tiled on GPUs).
    const d = await Trainer.create(gpu, spec, ten, { batchSize: 100, seed: 2 });
    const firstChoice = firstChoicePlan(gpu.adapter, shapes);
    expect(d.stats.matmul).toEqual(Object.fromEntries(shapes.map((s) => [shapeKey(s), variantFor(firstChoice, s).id])));
    d.dispose();
    const [ha, hb, hc] = [await a.fit({ epochs: 2 }), await b.fit({ epochs: 2 }), await c.fit({ epochs: 2 })];
    for (const h of [ha, hb, hc]) for (const k of ['loss', 'val_loss']) expect(h[k]).toHaveLength(2);
    for (const h of [hb, hc]) for (const k of ['loss', 'val_loss']) h[k].forEach((v, i) => expect(v).toBeCloseTo(ha[k][i], 4));
    [a, b, c].forEach((t) => t.dispose());
  });

  it('caches in the store it is given (localStorage for a page), and in memory only when given none', async () => {
    const { gpu } = await sharedGpu();
    localStorage.removeItem(tuneCacheKey(gpu));
    const r = await autotuneMatmul(gpu, shapes.slice(0, 1), { store: localStorageStore, samples: 1, targetMs: 1 });
    expect(r.store).toBe('localStorage');
    expect(JSON.parse(localStorage.getItem(tuneCacheKey(gpu))!)[shapeKey(shapes[0])].best).toBe(r.shapes[0].best);
    localStorage.removeItem(tuneCacheKey(gpu));
    const m = await autotuneMatmul(gpu, shapes.slice(0, 1), { samples: 1, targetMs: 1 });
    expect([m.store, m.cached]).toEqual(['memory', false]);
    expect(localStorage.getItem(tuneCacheKey(gpu))).toBeNull(); // no page global is touched
  });
});
