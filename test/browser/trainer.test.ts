// The GPU trainer end to end on real WebGPU: one step equals the CPU reference step, a small
// learnable problem is learned, budgets hold, runs repeat bit for bit, and failures keep history.
import { describe, expect, it } from 'vitest';
import { acquireGpu, GpuDeviceLostError } from '../../src/gpu/device.ts';
import { PipelineCache, ShaderCompileError } from '../../src/gpu/pipelines.ts';
import { Trainer, TrainingDivergedError } from '../../src/graph/trainer.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { batchOf, synthetic, syntheticBinary } from '../synthetic.ts';
import { lossFromLogits } from '../../src/reference/ops.ts';
import { referenceForward } from '../../src/reference/train-step.ts';
import { sharedGpu } from './harness.ts';
import { compareOneStep } from './compare.ts';

const mlp = (features: number, hidden: number[], extra: Partial<ModelSpec> = {}): ModelSpec => ({
  name: 'mlp',
  inputShape: [features],
  layers: [...hidden.map((units) => ({ type: 'Dense' as const, units, activation: 'relu' as const })), { type: 'Dense', units: 1, activation: 'sigmoid' }],
  ...extra,
});

describe('Trainer', () => {
  it('one training step of a 3-layer MLP equals the reference step (max rel. error <= 1e-4)', async () => {
    for (const rows of [7, 500]) {
      const data = syntheticBinary({ train: rows, test: 5, features: 100, format: 'bits' });
      const err = await compareOneStep(mlp(100, [64, 32]), data, rows);
      expect(err.params, `batch ${rows}`).toBeLessThanOrEqual(1e-4);
    }
  });

  it('learns a small synthetic binary problem: validation accuracy > 0.9 after 3 epochs', async () => {
    const { gpu } = await sharedGpu();
    const data = syntheticBinary({ train: 4000, test: 1000, features: 20 });
    const trainer = await Trainer.create(gpu, mlp(20, [32, 16]), data, { batchSize: 32, seed: 1 });
    const h = await trainer.fit({ epochs: 3 });
    expect(h.val_accuracy).toHaveLength(3);
    expect(h.val_accuracy[2]).toBeGreaterThan(0.9);
    expect(h.loss[2]).toBeLessThan(h.loss[0]);
    // Without penalties, loss is the pure cross-entropy and evaluate() repeats the last validation.
    expect(h.loss).toEqual(h.binary_crossentropy);
    const scores = await trainer.evaluate();
    expect(scores.loss).toBe(h.val_loss[2]);
    expect(scores.accuracy).toBe(h.val_accuracy[2]);
    trainer.dispose();
  });

  it('validation is the reference forward pass over the whole test split, also when it is larger than the train split', async () => {
    const { gpu } = await sharedGpu();
    const data = syntheticBinary({ train: 100, test: 730, features: 40, format: 'bits' });
    const trainer = await Trainer.create(gpu, mlp(40, [24, 12]), data, { batchSize: 500, seed: 2 });
    const h = await trainer.fit({ epochs: 2 });
    const st = await trainer.readState();
    const plan = trainer.plan;
    const order = Uint32Array.from({ length: data.test.count }, (_, i) => i);
    const { x, labels } = batchOf(data, data.test, order, 0, data.test.count);
    const ref = { params: st.params, m: new Float32Array(0), v: new Float32Array(0), state: st.state };
    const { ys } = referenceForward(plan, ref, x, data.test.count, { t: 0, seed: 2, training: false, lrT: 0 });
    const loss = lossFromLogits(ys[ys.length - 1], labels, data.test.count, 1);
    expect(Math.abs(h.val_loss[1] - loss.ce / data.test.count)).toBeLessThan(1e-5);
    expect(h.val_accuracy[1]).toBe(loss.correct / data.test.count);
    trainer.dispose();
  });

  it('keeps the budgets: <= 3L + 3 dispatches per step, 1 submit and 1 readback per epoch, nothing created after step 1', async () => {
    const { gpu } = await sharedGpu();
    const data = syntheticBinary({ train: 300, test: 100, features: 100, format: 'bits' });
    for (const spec of [
      mlp(100, [256, 128]),
      mlp(100, [64, 64], {
        layers: [
          { type: 'Dense', units: 64, activation: 'relu', kernel_regularizer: { l2: 0.001 } },
          { type: 'Dense', units: 1, activation: 'sigmoid' },
        ],
      }),
    ]) {
      const L = spec.layers.length;
      const trainer = await Trainer.create(gpu, spec, data, { batchSize: 50 });
      await trainer.fit({ epochs: 2 });
      const s = trainer.stats;
      expect(s.dispatchesPerStep).toBeLessThanOrEqual(3 * L + 3);
      expect(s.submitsPerEpoch).toBe(1);
      expect(s.readbacksPerEpoch).toBe(1);
      expect(s.buffersCreatedAfterFirstStep).toBe(0);
      expect(s.pipelinesCreatedAfterFirstStep).toBe(0);
      trainer.dispose();
    }
  });

  it('repeats a run bit for bit with the same seed, and differs with another', async () => {
    const { gpu } = await sharedGpu();
    const data = syntheticBinary({ train: 600, test: 200, features: 30 });
    const run = async (seed: number) => {
      const t = await Trainer.create(gpu, mlp(30, [16]), data, { batchSize: 64, seed });
      const h = await t.fit({ epochs: 2 });
      t.dispose();
      return h;
    };
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect(b).toEqual(a);
    expect(c.loss).not.toEqual(a.loss);
  });

  it('stop() returns after the epoch in flight with every finished epoch kept; fit() resumes', async () => {
    const { gpu } = await sharedGpu();
    const data = syntheticBinary({ train: 200, test: 50, features: 10 });
    const trainer = await Trainer.create(gpu, mlp(10, [8]), data, { batchSize: 50 });
    const seen: number[] = [];
    await trainer.fit({ epochs: 10, onEpoch: (log) => (seen.push(log.epoch), log.epoch === 2 && trainer.stop()) });
    expect(seen).toEqual([1, 2]);
    expect(trainer.history.loss).toHaveLength(2);
    await trainer.fit({ epochs: 1 });
    expect(trainer.history.loss).toHaveLength(3);
    trainer.dispose();
  });

  it('a diverging run (NaN) stops with a clear error and keeps the finished epochs', async () => {
    const { gpu } = await sharedGpu();
    const data = syntheticBinary({ train: 100, test: 50, features: 10 });
    const trainer = await Trainer.create(gpu, mlp(10, [8]), data, { batchSize: 50 });
    await trainer.fit({ epochs: 1 });
    trainer.writeParams(new Float32Array(trainer.plan.paramCount).fill(NaN));
    await expect(trainer.fit({ epochs: 3 })).rejects.toThrow(TrainingDivergedError);
    await expect(trainer.fit({ epochs: 1 })).rejects.toThrow(/diverged in epoch 2: loss is NaN\. The 1 finished epochs are kept/);
    expect(trainer.history.loss).toHaveLength(1);
    trainer.dispose();
  });

  it('a lost device stops the run with GpuDeviceLostError and keeps the history', async () => {
    const gpu = await acquireGpu(); // its own device: this test destroys it
    const data = syntheticBinary({ train: 100, test: 50, features: 10 });
    const trainer = await Trainer.create(gpu, mlp(10, [8]), data, { batchSize: 50 });
    await trainer.fit({ epochs: 1 });
    gpu.device.destroy();
    await gpu.device.lost;
    const err = await trainer.fit({ epochs: 2 }).catch((e) => e);
    expect(err).toBeInstanceOf(GpuDeviceLostError);
    expect(err.message).toMatch(/device was lost .*Finished epochs are kept/);
    expect(trainer.history.loss).toHaveLength(1);
  });

  it('a softmax model on u8 pixels: one step equals the reference, and it learns', async () => {
    const { gpu } = await sharedGpu();
    const image = (classes: number, side: number): ModelSpec => ({
      name: 'img',
      inputShape: [side, side],
      layers: [{ type: 'Flatten' }, { type: 'Dense', units: 32, activation: 'relu' }, { type: 'Dense', units: classes, activation: 'softmax' }],
    });
    const ten = synthetic({ train: 100, test: 20, features: 64, classes: 10, format: 'u8', inputShape: [8, 8] });
    expect((await compareOneStep(image(10, 8), ten, 100)).params).toBeLessThanOrEqual(1e-4);
    const four = synthetic({ train: 2000, test: 400, features: 16, classes: 4, format: 'u8', inputShape: [4, 4] });
    const trainer = await Trainer.create(gpu, image(4, 4), four, { batchSize: 20 });
    const h = await trainer.fit({ epochs: 3 });
    expect(Object.keys(h)).toContain('sparse_categorical_crossentropy');
    expect(h.val_accuracy[2]).toBeGreaterThan(0.5); // chance is about 0.25
    expect(h.loss[2]).toBeLessThan(h.loss[0]);
    trainer.dispose();
  });
});

describe('shader compile errors', () => {
  it('name the kernel and the line in its own .wgsl file', async () => {
    const { gpu } = await sharedGpu();
    const cache = new PipelineCache(gpu.device);
    const broken = { name: 'broken', code: '@compute @workgroup_size(1)\nfn main() {\n  let x: f32 = undefined_thing;\n}\n', bindings: [] as const };
    const err = await cache.get(broken).catch((e) => e);
    expect(err).toBeInstanceOf(ShaderCompileError);
    expect(err.message).toMatch(/kernel "broken"/);
    expect(err.message).toMatch(/shaders\/broken\.wgsl:3:/);
  });
});
