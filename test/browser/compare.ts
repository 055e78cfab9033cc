// One GPU train step against the CPU reference step from the same initial weights.
import { Trainer } from '../../src/graph/trainer.ts';
import { initParams, initState } from '../../src/plan/plan.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { limitDataset } from '../../src/data/dataset.ts';
import { adamLr } from '../../src/plan/adam.ts';
import { referenceStep } from '../../src/reference/train-step.ts';
import { batchOf } from '../synthetic.ts';
import { checkStep, formatChecks } from '../../src/debug/check-step.ts';
import { DEBUG, printWgsl, sharedGpu } from './harness.ts';

/** max |gpu - ref| / max(|ref|, 1e-3): relative error with a floor for weights near zero. */
export function maxRelError(gpu: Float32Array, ref: Float32Array, skip: (i: number) => boolean = () => false): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) if (!skip(i)) worst = Math.max(worst, Math.abs(gpu[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-3));
  return Number.isNaN(worst) ? Infinity : worst;
}

/** One GPU step from the trainer's initial weights against referenceStep from the same start. */
export async function compareOneStep(spec: ModelSpec, all: Dataset, rows: number) {
  const data = limitDataset(all, rows); // one batch = one step per epoch
  const { gpu } = await sharedGpu();
  if (DEBUG) {
    const checks = await checkStep(gpu, spec, data, { batchSize: rows, seed: 3, onCompile: printWgsl });
    console.log(`[debug] ${spec.name}, batch ${rows}: one step dispatch by dispatch\n${formatChecks(checks)}`);
    const bad = checks.filter((c) => !(c.worst <= 1));
    if (bad.length) throw new Error(`debug check: ${bad.map((c) => `${c.phase} ${c.label} -> ${c.buffer}`).join(', ')} differ from the CPU reference`);
  }
  const trainer = await Trainer.create(gpu, spec, data, { batchSize: rows, seed: 3 });
  // A permutation of the rows: i * k mod n with k coprime to n (k = 7 unless n is a multiple of 7;
  // i * 7 mod 7 would repeat row 0, a degenerate batch for batch normalization).
  const n = data.train.count;
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  let k = 7;
  while (gcd(k, n) !== 1) k++;
  const order = new Uint32Array(n).map((_, i) => (i * k) % n);
  const metrics = await trainer.runEpoch(order);
  const got = await trainer.readState();
  const plan = trainer.plan;
  const st = { params: initParams(plan, 3), m: new Float32Array(plan.paramCount), v: new Float32Array(plan.paramCount), state: initState(plan) };
  const { x, labels } = batchOf(data, data.train, order, 0, rows);
  const r = referenceStep(plan, st, x, labels, rows, { t: 1, seed: 3, training: true, lrT: Math.fround(adamLr(1)) });
  trainer.dispose();
  // metrics: the GPU epoch's (one step); ce and penalty: the reference step's, at the step's start.
  // start: the parameters both began from; gpu/ref: parameters and moving statistics after the
  // step; grads: the reference's cross-entropy gradients (penalty gradients not included).
  return {
    params: maxRelError(got.params, st.params),
    state: maxRelError(got.state, st.state),
    loss: r.ce / rows,
    ce: r.ce / rows,
    penalty: r.penalty,
    metrics,
    plan,
    start: initParams(plan, 3),
    gpu: got,
    ref: st,
    grads: r.grads,
  };
}
