// Whole training steps of models with L1/L2 + Dropout + BatchNormalization through the Trainer
// (src/graph/trainer.ts) on real WebGPU against the reference steps (src/reference/train-step.ts):
// one step, five steps then validation and evaluate() in inference mode, and an epoch whose last
// batch is short. Tolerances are stated beside each check.
import { describe, expect, it } from 'vitest';
import { ACT } from '../../src/plan/plan.ts';
import type { Plan, TensorInfo } from '../../src/plan/plan.ts';
import { initParams, initState } from '../../src/plan/plan.ts';
import { ADAM, adamLr } from '../../src/plan/adam.ts';
import * as ref from '../../src/reference/ops.ts';
import type { ModelState } from '../../src/reference/train-step.ts';
import { penalty, referenceForward, referenceStep } from '../../src/reference/train-step.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { Trainer } from '../../src/graph/trainer.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { batchOf, synthetic, syntheticBinary } from '../synthetic.ts';
import { errorReport, maxAbs, sharedGpu } from './harness.ts';
import { compareOneStep, maxRelError } from './compare.ts';
import { imdbLike, inputBnModel, lab, mnistLike, regModel } from './models.ts';

const { note } = errorReport('train-step');

const identity = (n: number) => new Uint32Array(n).map((_, i) => i);

/** Reference inference (training = false) on the whole test split: mean cross-entropy, accuracy. */
function referenceEvaluate(plan: Plan, st: ModelState, data: Dataset) {
  const n = data.test.count;
  const { x, labels } = batchOf(data, data.test, identity(n), 0, n);
  const { ys } = referenceForward(plan, st, x, n, { t: 0, seed: 0, training: false, lrT: 0 });
  const l = ref.lossFromLogits(ys[ys.length - 1], labels, n, plan.outputs);
  return { ce: l.ce / n, accuracy: l.correct / n };
}

/**
 * Biases whose exact gradient is zero: those of a Dense layer with no activation and no dropout
 * whose output goes straight into BatchNormalization (BN subtracts the batch mean, so a constant
 * shift of its input changes nothing). GPU and reference both compute rounding noise there (about
 * 1e-9 against gradients of 1e-2), and Adam (epsilon 1e-7) turns noise into steps of about lr with
 * random signs, as it does in Keras. These tensors are checked to be noise and kept out of the
 * weight comparison; the multi-step test copies them from the GPU into the reference each step.
 */
function zeroGradientBiases(plan: Plan): TensorInfo[] {
  return plan.ops.flatMap((op) => {
    if (op.kind !== 'batchnorm') return [];
    const dense = plan.ops.find((d) => d.kind === 'dense' && d.output === op.input);
    const e = plan.producers[op.input].epi;
    if (dense?.kind !== 'dense' || e.act !== ACT.linear || e.dropThreshold) return [];
    return plan.tensors.filter((t) => t.offset === dense.bOff && t.kind === 'bias');
  });
}
const inTensors = (ts: TensorInfo[]) => (i: number) => ts.some((t) => i >= t.offset && i < t.offset + t.size);
/** max |g| over the given tensors relative to max |g| over all parameters. */
function gradientShare(grads: Float32Array, ts: TensorInfo[]): number {
  const inside = inTensors(ts);
  let a = 0;
  let all = 0;
  for (let i = 0; i < grads.length; i++) {
    all = Math.max(all, Math.abs(grads[i]));
    if (inside(i)) a = Math.max(a, Math.abs(grads[i]));
  }
  return a / all;
}

/** The gradient Adam sees: cross-entropy gradient plus l1 * sign(w) + 2 * l2 * w. */
function totalGradient(plan: Plan, grads: Float32Array, w: Float32Array): Float64Array {
  const g = Float64Array.from(grads);
  for (const t of plan.tensors) for (let i = t.offset; i < t.offset + t.size; i++) g[i] += t.l1 * Math.sign(w[i]) + 2 * t.l2 * w[i];
  return g;
}
// Adam's first step is lr * g / (|g| + EPS1) with EPS1 = epsilon / sqrt(1 - beta_2) = 3.16e-6, so an
// absolute gradient error e moves the weight by up to lr * EPS1 * e / (|g| + EPS1)^2 (316 e at g = 0).
const EPS1 = ADAM.epsilon / Math.sqrt(1 - ADAM.beta2);

describe('a whole training step with L1/L2 + Dropout + BatchNormalization equals the reference step', () => {
  // Updated weights, relative error max |gpu - ref| / max(|ref|, 1e-3):
  //  - <= 1e-4 (the issue's bound) on every weight but the zero-gradient biases above, for the
  //    L2 + Dropout + BN models and the lab's dropout and L1 models (`strict`);
  //  - <= 1e-4 on the well-conditioned weights (|g| >= 100 EPS1) of every model, and on the others
  //    <= 1e-4 plus Adam's amplification of a gradient error of 2e-7 * max |g| (f32 sums). The lab's
  //    batch-norm model needs this: of its 118,794 gradients some sit within a few EPS1 of 0.
  // Moving statistics: the same relative measure <= 1e-5; loss metrics: 1e-5 relative.
  const cases: [string, ModelSpec, Dataset, number, boolean][] = [
    ['L2 + Dropout + BN, batch 1', regModel(100), imdbLike(1, 5), 1, true],
    ['L2 + Dropout + BN, batch 7', regModel(100), imdbLike(7, 5), 7, true],
    ['L2 + Dropout + BN, batch 500', regModel(100), imdbLike(500, 5), 500, true],
    ['L2 + L1 + Dropout + BN, batch 100', regModel(100, { l1: 0.001 }), imdbLike(100, 5), 100, true],
    ["the lab's dropout model, batch 500", lab('dropout', 'dropout'), imdbLike(500, 5), 500, true],
    ["the lab's l1 model, batch 500", lab('regularization', 'l1'), imdbLike(500, 5), 500, true],
    ["the lab's batch-norm model (28x28, 10 classes), batch 100", lab('batchnorm', 'batchnorm'), mnistLike(100, 5), 100, false],
    [
      'BN on the input (no dX written), then Dense + Dropout, batch 50',
      inputBnModel,
      synthetic({ train: 50, test: 5, features: 24, classes: 3, inputShape: [4, 6] }),
      50,
      true,
    ],
  ];
  for (const [what, spec, data, rows, strict] of cases)
    it(what, async () => {
      const r = await compareOneStep(spec, data, rows);
      const pure = r.plan.loss;
      const lr = ADAM.learningRate;
      const skip = zeroGradientBiases(r.plan);
      const skipped = inTensors(skip);
      const g = totalGradient(r.plan, r.grads, r.start);
      const gMax = maxAbs(g);
      const E = 2e-7 * gMax;
      let wellConditioned = 0;
      let worstRatio = 0; // |gpu - ref| / tolerance, over all but the zero-gradient biases
      for (let i = 0; i < g.length; i++) {
        if (skipped(i)) continue;
        const d = Math.abs(r.gpu.params[i] - r.ref.params[i]);
        const scale = Math.max(Math.abs(r.ref.params[i]), 1e-3);
        if (Math.abs(g[i]) >= 100 * EPS1) wellConditioned = Math.max(wellConditioned, d / scale);
        worstRatio = Math.max(worstRatio, d / (1e-4 * scale + (lr * EPS1 * E) / (Math.abs(g[i]) + EPS1) ** 2));
      }
      const err = maxRelError(r.gpu.params, r.ref.params, skipped);
      // Zero-gradient biases start at 0 on both sides; the GPU's step there implies its gradient
      // g = EPS1 * dw / (lr - |dw|): it must be rounding noise too.
      let gpuNoise = 0;
      for (const t of skip)
        for (let i = t.offset; i < t.offset + t.size; i++)
          gpuNoise = Math.max(gpuNoise, (EPS1 * Math.abs(r.gpu.params[i])) / (lr - Math.abs(r.gpu.params[i])) / gMax);
      const refNoise = gradientShare(r.grads, skip);
      note(
        `one step, ${what}: max rel. error`,
        `params ${err.toExponential(2)} (well-conditioned ${wellConditioned.toExponential(2)}; incl. ${skip.map((t) => t.name).join(', ') || 'nothing'}: ${r.params.toExponential(2)}), ` +
          `moving stats ${r.state.toExponential(2)}, worst error / tolerance ${worstRatio.toFixed(3)}` +
          (skip.length ? `; zero-gradient biases' max |g| / max |g|: ref ${refNoise.toExponential(2)}, gpu ${gpuNoise.toExponential(2)}` : ''),
      );
      if (strict) expect(err).toBeLessThanOrEqual(1e-4);
      expect(wellConditioned).toBeLessThanOrEqual(1e-4);
      expect(worstRatio).toBeLessThanOrEqual(1);
      expect(r.state).toBeLessThanOrEqual(1e-5);
      expect(refNoise).toBeLessThanOrEqual(1e-5);
      expect(gpuNoise).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(r.metrics[pure] - r.ce)).toBeLessThanOrEqual(1e-5 * Math.max(1, r.ce));
      // The penalty (of the weights at the step's start) is in `loss` and not in the pure metric.
      expect(Math.abs(r.metrics.loss - r.metrics[pure] - r.penalty)).toBeLessThanOrEqual(1e-5 * Math.max(r.penalty, 1e-3));
      if (r.plan.regularized) expect(r.penalty).toBeGreaterThan(1e-3);
      else expect(r.metrics.loss).toBe(r.metrics[pure]);
    });
});

describe('five training steps, then validation and evaluate() in inference mode', () => {
  it('moving statistics, weights, loss/val_loss penalties and inference outputs match the reference', async () => {
    const { gpu } = await sharedGpu();
    const rows = 64;
    const seed = 5;
    const data = imdbLike(rows, 40);
    const spec = regModel(100, { l1: 0.002, l2: 0.001 });
    const trainer = await Trainer.create(gpu, spec, data, { batchSize: rows, seed });
    const plan = trainer.plan;
    const skip = zeroGradientBiases(plan);
    expect(skip.map((t) => t.name)).toEqual(['dense_0/bias']);
    const order = new Uint32Array(rows).map((_, i) => (i * 13 + 5) % rows); // one batch = one step per epoch
    const st: ModelState = {
      params: initParams(plan, seed),
      m: new Float32Array(plan.paramCount),
      v: new Float32Array(plan.paramCount),
      state: initState(plan),
    };
    const { x, labels } = batchOf(data, data.train, order, 0, rows);
    const pure = trainer.lossMetric;
    let last: Record<string, number> = {};
    let worst = { params: 0, state: 0, share: 0 };
    for (let t = 1; t <= 5; t++) {
      const got = (last = await trainer.runEpoch(order));
      const r = referenceStep(plan, st, x, labels, rows, { t, seed, training: true, lrT: Math.fround(adamLr(t)) });
      const now = await trainer.readState();
      worst = {
        params: Math.max(worst.params, maxRelError(now.params, st.params, inTensors(skip))),
        state: Math.max(worst.state, maxRelError(now.state, st.state)),
        share: Math.max(worst.share, gradientShare(r.grads, skip)),
      };
      for (const b of skip) st.params.set(now.params.subarray(b.offset, b.offset + b.size), b.offset);
      const val = referenceEvaluate(plan, st, data);
      const valPenalty = penalty(plan, st.params);
      // loss = cross-entropy + penalty of the weights the step started from; the pure metric has none.
      expect(Math.abs(got[pure] - r.ce / rows), `step ${t} ${pure}`).toBeLessThanOrEqual(1e-5 * (r.ce / rows));
      expect(Math.abs(got.loss - got[pure] - r.penalty), `step ${t} penalty in loss`).toBeLessThanOrEqual(1e-5 * r.penalty);
      // val_loss = validation cross-entropy (inference mode) + penalty of the weights after the step.
      expect(Math.abs(got[`val_${pure}`] - val.ce), `step ${t} val_${pure}`).toBeLessThanOrEqual(1e-5 * val.ce);
      expect(Math.abs(got.val_loss - got[`val_${pure}`] - valPenalty), `step ${t} penalty in val_loss`).toBeLessThanOrEqual(1e-5 * valPenalty);
      expect(got.val_accuracy, `step ${t} val_accuracy`).toBeCloseTo(val.accuracy, 6);
      if (t === 5)
        note(
          'after 5 steps: penalty in loss (gpu, ref)',
          `${(got.loss - got[pure]).toPrecision(7)}, ${r.penalty.toPrecision(7)}; in val_loss ${(got.val_loss - got[`val_${pure}`]).toPrecision(7)}, ${valPenalty.toPrecision(7)}`,
        );
    }
    note(
      '5 steps: max rel. error over the steps',
      `moving stats ${worst.state.toExponential(2)}, params ${worst.params.toExponential(2)} (zero-gradient bias share ${worst.share.toExponential(2)})`,
    );
    expect(worst.state).toBeLessThanOrEqual(1e-5);
    expect(worst.params).toBeLessThanOrEqual(1e-4);
    expect(worst.share).toBeLessThanOrEqual(1e-5);
    const after = await trainer.readState();
    // The moving statistics did move (5 updates with momentum 0.99); validation did not move them
    // (it ran after every step above, and the state still equals the training-only reference).
    expect(maxRelError(after.state, initState(plan))).toBeGreaterThan(1e-3);

    // evaluate() = the last validation = a reference forward in inference mode (moving statistics,
    // no dropout) with the GPU's own weights and moving statistics.
    const scores = await trainer.evaluate();
    expect([scores.loss, scores.accuracy, scores[pure]]).toEqual([last.val_loss, last.val_accuracy, last[`val_${pure}`]]);
    const gpuState: ModelState = { params: after.params, m: st.m, v: st.v, state: after.state };
    const inf = referenceEvaluate(plan, gpuState, data);
    note('evaluate() vs reference inference with the GPU weights', `${scores[pure].toPrecision(7)} vs ${inf.ce.toPrecision(7)}`);
    expect(Math.abs(scores[pure] - inf.ce)).toBeLessThanOrEqual(1e-5 * inf.ce);
    expect(scores.accuracy).toBeCloseTo(inf.accuracy, 6);
    expect(Math.abs(scores.loss - scores[pure] - penalty(plan, after.params))).toBeLessThanOrEqual(1e-5 * scores.loss);
    // ...and not the training-mode forward (batch statistics, dropout) on the same rows,
    const n = data.test.count;
    const tb = batchOf(data, data.test, identity(n), 0, n);
    const trainMode = referenceForward(plan, { ...gpuState, state: after.state.slice() }, tb.x, n, { t: 6, seed, training: true, lrT: 0 });
    const ceTrainMode = ref.lossFromLogits(trainMode.ys[trainMode.ys.length - 1], tb.labels, n, 1).ce / n;
    expect(Math.abs(ceTrainMode - inf.ce) / inf.ce).toBeGreaterThan(1e-2);
    // ...nor inference with the initial moving statistics: the updated ones are used.
    const initStats = referenceEvaluate(plan, { ...gpuState, state: initState(plan) }, data);
    expect(Math.abs(initStats.ce - inf.ce) / inf.ce).toBeGreaterThan(1e-4);
    trainer.dispose();
  });
});

describe('an epoch of several batches with a short last one (BN over step.rows, masks per step)', () => {
  it('batches of 32, 32 and 6 rows, validation batches of 32 and 13: equal to three reference steps', async () => {
    const { gpu } = await sharedGpu();
    const seed = 9;
    const data = syntheticBinary({ train: 70, test: 45, features: 24, format: 'f32' });
    // Every Dense is followed by an activation or a dropout before its BN: no zero-gradient bias.
    const spec: ModelSpec = {
      name: 'short-batch',
      inputShape: [24],
      layers: [
        { type: 'Dense', units: 20, activation: 'relu', kernel_regularizer: { l1: 0.001 } },
        { type: 'BatchNormalization' },
        { type: 'Dropout', rate: 0.25 },
        { type: 'Dense', units: 12, kernel_regularizer: { l2: 0.001 } },
        { type: 'Dropout', rate: 0.5 },
        { type: 'BatchNormalization' },
        { type: 'Activation', activation: 'sigmoid' },
        { type: 'Dense', units: 1, activation: 'sigmoid' },
      ],
    };
    const trainer = await Trainer.create(gpu, spec, data, { batchSize: 32, seed });
    const plan = trainer.plan;
    expect(zeroGradientBiases(plan)).toEqual([]);
    const order = new Uint32Array(70).map((_, i) => (i * 3 + 1) % 70); // 3 and 70 are coprime
    const got = await trainer.runEpoch(order);
    const after = await trainer.readState();
    const st: ModelState = {
      params: initParams(plan, seed),
      m: new Float32Array(plan.paramCount),
      v: new Float32Array(plan.paramCount),
      state: initState(plan),
    };
    let ce = 0;
    let lossSum = 0;
    for (const [t, start, rows] of [
      [1, 0, 32],
      [2, 32, 32],
      [3, 64, 6],
    ]) {
      const b = batchOf(data, data.train, order, start, rows);
      const r = referenceStep(plan, st, b.x, b.labels, rows, { t, seed, training: true, lrT: Math.fround(adamLr(t)) });
      ce += r.ce;
      lossSum += r.ce + r.penalty * rows;
    }
    const val = referenceEvaluate(plan, st, data);
    const errParams = maxRelError(after.params, st.params);
    const errState = maxRelError(after.state, st.state);
    note('3 steps with a short last batch: max rel. error', `params ${errParams.toExponential(2)}, moving stats ${errState.toExponential(2)}`);
    expect(errParams).toBeLessThanOrEqual(1e-4);
    expect(errState).toBeLessThanOrEqual(1e-5);
    // Keras' epoch loss: the row-weighted mean over batches of (cross-entropy + penalty).
    expect(Math.abs(got.binary_crossentropy - ce / 70)).toBeLessThanOrEqual(1e-5 * (ce / 70));
    expect(Math.abs(got.loss - lossSum / 70)).toBeLessThanOrEqual(1e-5 * (lossSum / 70));
    expect(Math.abs(got.val_binary_crossentropy - val.ce)).toBeLessThanOrEqual(1e-5 * val.ce);
    expect(Math.abs(got.val_loss - val.ce - penalty(plan, st.params))).toBeLessThanOrEqual(1e-5 * got.val_loss);
    expect(got.val_accuracy).toBeCloseTo(val.accuracy, 6);
    trainer.dispose();
  });
});
