// One GPU train step against the CPU reference step from the same initial weights.
import { Trainer } from '../../src/graph/trainer.ts';
import { initParams, initState } from '../../src/graph/plan.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { limitDataset } from '../../src/data/dataset.ts';
import { adamLr } from '../../src/reference/ops.ts';
import { referenceStep } from '../../src/reference/train-step.ts';
import { batchOf } from '../synthetic.ts';
import { sharedGpu } from './harness.ts';

/** max |gpu - ref| / max(|ref|, 1e-3): relative error with a floor for weights near zero. */
function maxRelError(gpu: Float32Array, ref: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(gpu[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-3));
  return Number.isNaN(worst) ? Infinity : worst;
}

/** One GPU step from the trainer's initial weights against referenceStep from the same start. */
export async function compareOneStep(spec: ModelSpec, all: Dataset, rows: number) {
  const data = limitDataset(all, rows); // one batch = one step per epoch
  const { gpu } = await sharedGpu();
  const trainer = await Trainer.create(gpu, spec, data, { batchSize: rows, seed: 3 });
  const order = new Uint32Array(data.train.count).map((_, i) => (i * 7) % data.train.count);
  await trainer.runEpoch(order);
  const got = await trainer.readState();
  const plan = trainer.plan;
  const st = { params: initParams(plan, 3), m: new Float32Array(plan.paramCount), v: new Float32Array(plan.paramCount), state: initState(plan) };
  const { x, labels } = batchOf(data, data.train, order, 0, rows);
  const r = referenceStep(plan, st, x, labels, rows, { t: 1, seed: 3, training: true, lrT: Math.fround(adamLr(1)) });
  trainer.dispose();
  return { params: maxRelError(got.params, st.params), state: maxRelError(got.state, st.state), loss: r.ce / rows, plan };
}

