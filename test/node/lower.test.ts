// Lowering (src/graph/lower.ts) inspected in Node, without a GPU: what each of the lab's models
// dispatches per step, with which buffers, grids, shapes and FLOPs.
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { KERNELS, NO_ACTIVE } from '../../src/graph/kernels.ts';
import type { DataShape } from '../../src/graph/lower.ts';
import { describeDispatches, lower } from '../../src/graph/lower.ts';
import { DEFAULT_MATMUL, findVariant, matmulShapes, shapeKey } from '../../src/graph/matmul.ts';
import { compilePlan } from '../../src/plan/plan.ts';
import { reluLayers } from '../../src/plan/weight-stats.ts';

const IMDB: DataShape = { features: 100, format: 'bits', trainCount: 25000, testCount: 25000 };
const MNIST: DataShape = { features: 784, format: 'u8', trainCount: 60000, testCount: 10000 };
const models = EXPERIMENTS.flatMap((e) => e.models.map((m) => ({ id: `${e.id}/${m.name}`, spec: m.spec, data: e.dataset === 'imdb' ? IMDB : MNIST })));
// The dispatch counts per step the first round measured and asserted on the GPU (3L + 2, +1 with
// penalties, +2 per BatchNormalization).
const PER_STEP: Record<string, number> = {
  'imdb-overfit/basic': 11,
  'imdb-overfit/overfitting': 17,
  'regularization/basic': 11,
  'regularization/l1': 12,
  'regularization/l2': 12,
  'dropout/basic': 11,
  'dropout/dropout': 11,
  'batchnorm/basic': 11,
  'batchnorm/batchnorm': 15,
};

describe('lowering the lab models', () => {
  for (const m of models)
    it(`${m.id}: ${PER_STEP[m.id]} dispatches per step, every binding a lowered buffer, validation writes no weights`, () => {
      const plan = compilePlan(m.spec);
      const low = lower(plan, m.data, { batchSize: 500 });
      expect(low.train, describeDispatches(low.train)).toHaveLength(PER_STEP[m.id]);
      // Once per epoch: the norms (val_loss's penalty, the sum |W| curve) and the weight statistics,
      // the one dispatch the statistics add to an epoch.
      expect(low.end.map((d) => d.kernel)).toEqual(['norms', 'wstats']);
      const names = new Set(low.buffers.map((b) => b.name));
      expect(names.size).toBe(low.buffers.length);
      for (const d of [...low.train, ...low.validate, ...low.end]) {
        expect(d.buffers.length, d.label).toBe(KERNELS[d.kernel].bindings.length);
        for (const b of d.buffers) expect(names.has(b), `${d.label}: ${b}`).toBe(true);
        expect(d.cfgBytes.byteLength).toBeGreaterThanOrEqual(KERNELS[d.kernel].cfg.size);
      }
      const writes = (list: typeof low.train) => new Set(list.flatMap((d) => d.buffers.filter((_, i) => KERNELS[d.kernel].bindings[i].access === 'rw')));
      for (const w of ['params', 'grads', 'adam-m', 'adam-v']) expect(writes(low.validate).has(w), w).toBe(false);
      expect(writes(low.train).has('params')).toBe(true);
      // A step is gather, the forward ops, loss, backward, Adam: the first and last kernels say so.
      expect(low.train.filter((d) => d.kernel !== 'norms')[0].kernel).toBe('gather');
      expect(low.train.at(-1)!.kernel).toBe('adam');
      expect(low.validate.map((d) => d.kernel)).toEqual(
        low.train
          .filter((d) => d.kernel !== 'norms')
          .slice(0, low.validate.length)
          .map((d) => d.kernel),
      );
    });

  it('IMDB basic: the exact step, with grids from the kernels and shapes from one place', () => {
    const plan = compilePlan(EXPERIMENTS[0].models[0].spec);
    const low = lower(plan, IMDB, { batchSize: 500 });
    expect(low.train.map((d) => d.label)).toEqual([
      'gather',
      'dense_0 forward',
      'dense_1 forward',
      'dense_2 forward',
      'loss',
      'dense_2 dW',
      'dense_2 dX',
      'dense_1 dW',
      'dense_1 dX',
      'dense_0 dW',
      'adam',
    ]);
    const gather = low.train[0];
    expect(gather.grid).toEqual([Math.ceil((500 * 100) / 256), 1, 1]);
    expect(gather.cfg).toEqual({ features: 100, rowWords: 4, format: 1, orderRstride: 25000, xRstride: 500 * 100 });
    const fwd = low.train[1];
    expect(fwd.shape).toEqual({ mode: 0, M: 500, N: 256, K: 100 });
    expect(fwd.grid).toEqual([256 / 64, Math.ceil(500 / 64), 1]); // the default 64 x 64 tile, one replica
    expect(fwd.variant).toBe(DEFAULT_MATMUL);
    expect(fwd.flopsPerRow).toBe(2 * 100 * 256);
    expect(fwd.buffers).toEqual(['y0', 'params', 'y1', 'params', 'replicas', 'relu-active']);
    expect(low.train[5].shape).toEqual({ mode: 2, M: 129, N: 1, K: 500 });
    expect(low.train.at(-1)!.grid).toEqual([Math.ceil(58881 / 256), 1, 1]);
    // the tuner's shapes are exactly the lowered matmuls' shapes
    const lowered = new Set(low.train.flatMap((d) => (d.shape ? [shapeKey(d.shape)] : [])));
    expect(new Set(matmulShapes(plan, low.batchRows).map(shapeKey))).toEqual(lowered);
  });

  it('a matmul plan picks the variant, and the grid follows its tile', () => {
    const plan = compilePlan(EXPERIMENTS[0].models[0].spec);
    const v = findVariant('direct-8x4-16x1');
    const low = lower(plan, IMDB, { batchSize: 500, matmul: { default: DEFAULT_MATMUL.id, shapes: { 'forward 500x1x128': v.id } } });
    const out = low.train.find((d) => d.label === 'dense_2 forward')!;
    expect(out.variant).toBe(v);
    expect(out.grid).toEqual([1, Math.ceil(500 / (16 * 8)), 1]);
    expect(out.constants).toMatchObject({ MODE: 0, WG_M: 16, WG_N: 1 });
  });

  it('is pure: the same input lowers to the same list; a short last split sizes the batch buffers', () => {
    const plan = compilePlan(EXPERIMENTS[2].models[1].spec);
    expect(lower(plan, IMDB, { batchSize: 500 })).toEqual(lower(plan, IMDB, { batchSize: 500 }));
    const small = lower(plan, { ...IMDB, trainCount: 120, testCount: 300 }, { batchSize: 500 });
    expect(small.batchRows).toBe(300);
    expect([small.trainBatches, small.valBatches]).toEqual([1, 1]);
    expect(small.buffers.find((b) => b.name === 'y1')!.bytes).toBe(4 * 300 * 128);
  });

  it('replicas: the same dispatches with the replicas as the grids z, per-replica blocks and strides, tables per replica', () => {
    const plan = compilePlan(EXPERIMENTS[1].models[0].spec); // regularization/basic: no penalty of its own
    const one = lower(plan, IMDB, { batchSize: 500 });
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const eight = lower(plan, IMDB, { batchSize: 500, replicas: seeds.map((seed, i) => ({ seed, l2: i * 0.001 })) });
    // replica 0's l2 is 0, the others' are not: the norms dispatch joins the step for all of them
    expect(eight.train.map((d) => d.label)).toEqual(['norms', ...one.train.map((d) => d.label)]);
    for (const d of [...eight.train, ...eight.validate, ...eight.end]) expect(d.grid[2], d.label).toBe(8);
    const bytes = (l: typeof one, name: string) => l.buffers.find((b) => b.name === name)!.bytes;
    for (const name of ['params', 'grads', 'adam-m', 'y1', 'd2', 'metrics', 'train-order']) expect(bytes(eight, name), name).toBe(8 * bytes(one, name));
    for (const name of ['train/x', 'test/x', 'test-order', 'kernel-tensors']) expect(bytes(eight, name), name).toBe(bytes(one, name));
    const fwd = eight.train.find((d) => d.label === 'dense_1 forward')!;
    expect(fwd.cfg).toMatchObject({ aRstride: 500 * 128, bRstride: plan.paramCount, cRstride: 500 * 128 });
    expect(eight.validate[0].cfg).toMatchObject({ orderRstride: 0 }); // one test order for all
    // penalty table: the two hidden kernels, each replica's l2 (the output layer's stays 0)
    const table = new Float32Array(eight.buffers.find((b) => b.name === 'penalty-tensors')!.init!.buffer);
    expect(Array.from({ length: 8 }, (_, r) => [table[r * 8 + 3], table[r * 8 + 7]])).toEqual(
      seeds.map((_, i) => [Math.fround(i * 0.001), Math.fround(i * 0.001)]),
    );
    expect(eight.penalties[3].map((t) => t.l2)).toEqual([0.003, 0.003, 0]);
  });

  it('dead units: each ReLU layer forward marks its flags (8 replicas of 128, then of 128), the rest none; wstats counts them', () => {
    const plan = compilePlan(EXPERIMENTS[1].models[0].spec); // Dense 128 relu, Dense 128 relu, Dense 1 sigmoid
    const eight = lower(plan, IMDB, { batchSize: 500, replicas: [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ({ seed })) });
    const offs = (list: typeof eight.train) => Object.fromEntries(list.flatMap((d) => ('activeOff' in d.cfg ? [[d.label, d.cfg.activeOff]] : [])));
    const off = { 'dense_0 forward': 0, 'dense_1 forward': 8 * 128, 'dense_2 forward': NO_ACTIVE };
    expect(offs(eight.validate)).toEqual(off);
    expect(offs(eight.train)).toEqual({
      ...off,
      'dense_2 dW': NO_ACTIVE,
      'dense_2 dX': NO_ACTIVE,
      'dense_1 dW': NO_ACTIVE,
      'dense_1 dX': NO_ACTIVE,
      'dense_0 dW': NO_ACTIVE,
    });
    expect(eight.buffers.find((b) => b.name === 'relu-active')!.bytes).toBe(4 * 8 * 256);
    const layers = new Uint32Array(eight.buffers.find((b) => b.name === 'relu-layers')!.init!.buffer);
    expect([layers[0], layers[1], layers[4], layers[5]]).toEqual([0, 128, 8 * 128, 128]); // (offset, size) per layer
    const wstats = eight.end.find((d) => d.kernel === 'wstats')!;
    expect(wstats.cfg).toMatchObject({ tensors: 3, layers: 2 });
    expect(wstats.grid).toEqual([3 + 2, 1, 8]);
    expect(eight.metricsFloats).toBe(eight.deadOff + 2);
    // The image MLP with BatchNormalization: its one ReLU is an Activation after the first batch
    // norm, whose forward marks; the second hidden layer has no activation (as in the lab).
    const bn = compilePlan(EXPERIMENTS[3].models[1].spec);
    const low = lower(bn, MNIST, { batchSize: 128 });
    expect(offs(low.validate)).toEqual({
      'dense_1 forward': NO_ACTIVE,
      'batchnormalization_2 forward': 0,
      'dense_4 forward': NO_ACTIVE,
      'batchnormalization_5 forward': NO_ACTIVE,
      'dense_6 forward': NO_ACTIVE,
    });
    expect(reluLayers(bn)).toEqual([{ producer: 2, layer: 'activation', units: 128 }]);
  });

  it('refuses replicas the model cannot take, saying why', () => {
    const basic = compilePlan(EXPERIMENTS[1].models[0].spec);
    expect(() => lower(basic, IMDB, { batchSize: 500, replicas: [{ seed: 1, dropout: 0.3 }] })).toThrow(/has no Dropout layer to vary/);
    expect(() => lower(basic, IMDB, { batchSize: 500, replicas: [{ seed: 1, l2: -1 }] })).toThrow(/l2 must be a number >= 0/);
    expect(() => lower(basic, IMDB, { batchSize: 500, replicas: [] })).toThrow(/at least one replica/);
  });
});
