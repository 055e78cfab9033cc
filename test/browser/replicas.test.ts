// Replicas on real WebGPU: replica r of a batched run equals a single run with r's seed and
// settings (history, test scores and weights), and the dispatch, submit and readback counts do
// not grow with the number of replicas.
import { describe, expect, it } from 'vitest';
import { Trainer } from '../../src/graph/trainer.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import type { ReplicaSpec } from '../../src/plan/replicas.ts';
import { syntheticBinary } from '../synthetic.ts';
import { sharedGpu } from './harness.ts';

// L2, Dropout and BatchNormalization: every kernel and every per-replica setting is exercised.
const spec: ModelSpec = {
  name: 'replicated',
  inputShape: [100],
  layers: [
    { type: 'Dense', units: 48, activation: 'relu', kernel_regularizer: { l2: 0.001 } },
    { type: 'Dropout', rate: 0.3 },
    { type: 'BatchNormalization' },
    { type: 'Dense', units: 24, activation: 'relu' },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ],
};
const data = syntheticBinary({ train: 300, test: 120, features: 100, format: 'bits', seed: 4 });
const REPLICAS: ReplicaSpec[] = [
  { seed: 1 },
  { seed: 2, l2: 0.01 },
  { seed: 3, dropout: 0.5 },
  { seed: 4, lr: 0.003 },
  { seed: 5, l1: 0.0005 },
  { seed: 1, dropout: 0 },
];
const EPOCHS = 3;

/** max |a - b| / max(|b|, 1e-12) over every metric of every epoch, and over test scores. */
function relError(a: Record<string, number[] | number>, b: Record<string, number[] | number>): number {
  let worst = 0;
  for (const k of Object.keys(b)) {
    const x = [a[k]].flat();
    const y = [b[k]].flat();
    expect(x, k).toHaveLength(y.length);
    y.forEach((v, i) => (worst = Math.max(worst, Math.abs(x[i] - v) / Math.max(Math.abs(v), 1e-12))));
  }
  return worst;
}

describe('replicas', () => {
  it(`replica r of one batched run equals a single run with r's settings (${REPLICAS.length} replicas, ${EPOCHS} epochs, relative error <= 1e-5)`, async () => {
    const { gpu } = await sharedGpu();
    const batched = await Trainer.create(gpu, spec, data, { batchSize: 100, replicas: REPLICAS });
    await batched.fit({ epochs: EPOCHS });
    const scores = await batched.evaluateReplicas();
    let worst = 0;
    for (const [r, rep] of REPLICAS.entries()) {
      const single = await Trainer.create(gpu, spec, data, { batchSize: 100, replicas: [rep] });
      await single.fit({ epochs: EPOCHS });
      worst = Math.max(worst, relError(batched.replicaHistories[r], single.history), relError(scores[r], await single.evaluate()));
      const [mine, theirs] = [await batched.readState(r), await single.readState()];
      const weights = (s: typeof mine) => ({ params: Array.from(s.params), movingStats: Array.from(s.state) });
      worst = Math.max(worst, relError(weights(mine), weights(theirs)));
      single.dispose();
    }
    console.log(
      `[replicas] ${REPLICAS.length} replicas x ${EPOCHS} epochs: max relative error against single runs ${worst.toExponential(2)} (histories, test scores, weights, moving statistics)`,
    );
    expect(worst).toBeLessThanOrEqual(1e-5);
    // the replicas really differ (the settings reach the kernels): distinct final losses
    const last = batched.replicaHistories.map((h) => h.loss[EPOCHS - 1]);
    expect(new Set(last).size).toBe(REPLICAS.length);
    // the mean history is the mean of the replicas'
    const mean = last.reduce((a, b) => a + b, 0) / last.length;
    expect(batched.history.loss[EPOCHS - 1]).toBeCloseTo(mean, 12);
    batched.dispose();
  });

  it('8 replicas cost the dispatches per step, submits and readbacks per epoch of 1', async () => {
    const { gpu } = await sharedGpu();
    const count = async (replicas: ReplicaSpec[]) => {
      const t = await Trainer.create(gpu, spec, data, { batchSize: 100, replicas });
      await t.fit({ epochs: 1 });
      const s = t.stats;
      t.dispose();
      return {
        step: s.dispatchesPerStep,
        validation: s.dispatchesPerValidation,
        submits: s.submitsPerEpoch,
        readbacks: s.readbacksPerEpoch,
        created: s.buffersCreatedAfterFirstStep,
      };
    };
    const one = await count([{ seed: 1 }]);
    const eight = await count(Array.from({ length: 8 }, (_, i) => ({ seed: i + 1 })));
    expect(eight).toEqual(one);
    expect(one).toMatchObject({ submits: 1, readbacks: 1, created: 0 });
  });
});
