// Weight statistics on real WebGPU (shaders/wstats.wgsl): the counts per log bin, the exact zeros,
// the weights under 1e-3 and the largest |w| equal the CPU reference (src/reference/ops.ts
// weightStats) exactly, on the GPU's own weights read back: crafted weights on the bin edges,
// and every lab model after an epoch on real data. So do the dead ReLU units, counted while the
// epoch validates, against the reference forward over the validation rows (referenceDeadUnits).
// One dispatch an epoch, in the epoch's readback.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-browser.ts';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { Trainer } from '../../src/graph/trainer.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { compilePlan } from '../../src/plan/plan.ts';
import type { DeadUnits, WeightStats } from '../../src/plan/weight-stats.ts';
import { decodeWeightStats, kernelNames, WSTATS_BINS, weightStatEdges } from '../../src/plan/weight-stats.ts';
import { weightStats } from '../../src/reference/ops.ts';
import { referenceDeadUnits } from '../../src/reference/train-step.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { batchOf, syntheticBinary } from '../synthetic.ts';
import { sharedGpu } from './harness.ts';

/** The reference's statistics of every kernel tensor of one replica's parameters. */
function reference(spec: ModelSpec, params: Float32Array): WeightStats[] {
  const plan = compilePlan(spec);
  const edges = weightStatEdges();
  const names = kernelNames(plan);
  return plan.kernels.map((i, k) => {
    const t = plan.tensors[i];
    return decodeWeightStats(weightStats(params, t.offset, t.size, edges), names[k], t.size);
  });
}

/** The reference's dead units of a trainer's replica 0 as it is now, over all validation rows. */
async function referenceDead(t: Trainer, data: Dataset): Promise<number[]> {
  const { params, state } = await t.readState();
  const order = Uint32Array.from({ length: data.test.count }, (_, i) => i);
  const { x } = batchOf(data, data.test, order, 0, data.test.count);
  return referenceDeadUnits(t.plan, { params, state, m: new Float32Array(0), v: new Float32Array(0) }, x, data.test.count);
}

describe('weight statistics', () => {
  it('crafted weights on and beside every bin edge, zeros, tiny and huge ones: the GPU counts equal the reference', async () => {
    const { gpu } = await sharedGpu();
    const spec: ModelSpec = {
      name: 'edges',
      inputShape: [100],
      layers: [
        { type: 'Dense', units: 8, activation: 'relu' },
        { type: 'Dense', units: 1, activation: 'sigmoid' },
      ],
    };
    const data = syntheticBinary({ train: 10, test: 10, features: 100, format: 'bits' });
    const t = await Trainer.create(gpu, spec, data, { batchSize: 10 });
    const edges = weightStatEdges();
    const below = (x: number) => {
      const f = new Float32Array([x]);
      new Uint32Array(f.buffer)[0]--;
      return f[0];
    };
    const plan = compilePlan(spec);
    const params = new Float32Array(plan.paramCount);
    // Each edge and the float just below it, both signs; zeros (and -0), tiny and huge ones.
    const values = [...[...edges].flatMap((e) => [e, below(e), -e, -below(e)]), 0, -0, 1e-9, -1e-7, 10, 11, -1e4];
    params.set(values);
    // The second kernel: 1e-3 (not near zero) and the float below it (near zero).
    const near = Math.fround(1e-3);
    params.set([near, below(near)], plan.tensors[plan.kernels[1]].offset);
    t.writeParams(params);
    const [gpuStats] = await t.readWeightStats();
    const ref = reference(spec, params);
    expect(gpuStats).toEqual(ref);
    // The reference itself, by hand. First kernel: 800 weights, the unset ones zero.
    const [first, second] = ref;
    const zeros = 800 - values.length + 2;
    expect(first.zeros).toBe(zeros);
    expect(first.bins[0]).toBe(2 + 2); // below 1e-6: +/- the float below edge 0, 1e-9, -1e-7
    expect(first.bins.slice(1, 1 + WSTATS_BINS).every((n) => n === 4)).toBe(true); // +/-e_i and +/- the float below e_(i+1)
    expect(first.bins[WSTATS_BINS + 1]).toBe(2 + 3); // from 10 on: +/-e_48 (= 10), 10, 11, -1e4
    // under 1e-3: edges 0..20 (e_20 < 1e-3 < e_21) with their neighbours, both signs, the zeros, 1e-9, -1e-7
    expect(edges[20] < near && edges[21] > near).toBe(true);
    expect(first.nearZero).toBe(21 * 4 + zeros + 2);
    expect(first.maxAbs).toBe(1e4);
    expect([second.zeros, second.nearZero, second.maxAbs]).toEqual([6, 7, near]);
    t.dispose();
  });

  for (const experiment of EXPERIMENTS)
    it(`${experiment.id}: after an epoch on real data, each model's statistics in the epoch's log equal the reference on its weights`, async () => {
      const { gpu } = await sharedGpu();
      const data = await loadDataset(experiment.dataset, { trainLimit: 200, testLimit: 100 });
      for (const m of experiment.models) {
        const t = await Trainer.create(gpu, m.spec, data, { batchSize: experiment.batchSize, seed: 2 });
        let logged: WeightStats[][] | undefined;
        let dead: DeadUnits[][] | undefined;
        await t.fit({ epochs: 1, onEpoch: (l) => ([logged, dead] = [l.weightStats, l.deadUnits]) });
        const { params } = await t.readState();
        expect(logged![0], m.name).toEqual(reference(m.spec, params));
        // Keras' names: the first Dense layer's kernel is dense/kernel
        expect(logged![0][0].tensor).toBe('dense/kernel');
        expect(logged![0].map((s) => s.tensor)).toEqual(kernelNames(compilePlan(m.spec)));
        expect(
          dead![0].map((d) => d.dead),
          `${m.name} dead units`,
        ).toEqual(await referenceDead(t, data));
        expect([t.stats.submitsPerEpoch, t.stats.readbacksPerEpoch]).toEqual([1, 1]);
        t.dispose();
      }
    });

  it('dead ReLU units: units pushed below zero count as dead, named by their layer, and each epoch counts afresh', async () => {
    const { gpu } = await sharedGpu();
    const spec: ModelSpec = {
      name: 'dead',
      inputShape: [40],
      layers: [
        { type: 'Dense', units: 16, activation: 'relu' },
        { type: 'Dense', units: 8, activation: 'relu' },
        { type: 'Dense', units: 1, activation: 'sigmoid' },
      ],
    };
    const data = syntheticBinary({ train: 200, test: 150, features: 40, format: 'bits' });
    const t = await Trainer.create(gpu, spec, data, { batchSize: 64, seed: 4 });
    const [first, second] = t.plan.ops.filter((op) => op.kind === 'dense');
    const kill = async (op: typeof first, units: number[]) => {
      const { params } = await t.readState();
      for (const u of units) params[op.bOff + u] = -1000; // no input row lifts these above 0
      t.writeParams(params as Float32Array<ArrayBuffer>);
    };
    await kill(first, [0, 1, 2]);
    const logs: DeadUnits[][] = [];
    await t.fit({ epochs: 1, onEpoch: (l) => logs.push(l.deadUnits![0]) });
    expect(logs[0][0]).toMatchObject({ layer: 'dense', units: 16 });
    expect(logs[0][1]).toMatchObject({ layer: 'dense_1', units: 8 });
    expect(logs[0][0].dead).toBeGreaterThanOrEqual(3); // their gradients are 0: Adam leaves them dead
    expect(logs[0].map((d) => d.dead)).toEqual(await referenceDead(t, data));
    // Kill all of dense_1 between epochs: epoch 2 counts all 8. Its flags were cleared after epoch
    // 1, when some were active; carried over, those would still count as alive.
    expect(logs[0][1].dead).toBeLessThan(8);
    await kill(second, [0, 1, 2, 3, 4, 5, 6, 7]);
    await t.fit({ epochs: 1, onEpoch: (l) => logs.push(l.deadUnits![0]) });
    expect(logs[1][1].dead).toBe(8);
    expect(logs[1].map((d) => d.dead)).toEqual(await referenceDead(t, data));
    expect([t.stats.submitsPerEpoch, t.stats.readbacksPerEpoch]).toEqual([1, 1]);
    expect(t.dispatches.end.map((d) => d.spec.kernel)).toEqual(['norms', 'wstats']);
    t.dispose();
  });
});
