// A whole train step on the CPU, walking the same plan the GPU executor walks, op for op.
import type { Plan } from '../plan/plan.ts';
import type { BatchNormStats, StepInfo } from './ops.ts';
import { reluLayers } from '../plan/weight-stats.ts';
import { adam, batchNormBackward, batchNormForward, denseBackwardInput, denseBackwardWeights, denseForward, lossFromLogits, markActive, norms } from './ops.ts';

export interface ModelState {
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  /** Batch-norm moving statistics. */
  state: Float32Array;
}

export interface ForwardResult {
  /** Output of each producer (0 is the input batch). */
  ys: Float32Array[];
  stats: Map<number, BatchNormStats>;
}

export function referenceForward(plan: Plan, st: ModelState, x: Float32Array, rows: number, s: StepInfo): ForwardResult {
  const ys: Float32Array[] = [x];
  const stats = new Map<number, BatchNormStats>();
  plan.ops.forEach((op, i) => {
    const epi = plan.producers[op.output].epi;
    if (op.kind === 'dense') {
      ys[op.output] = denseForward(ys[op.input], st.params, op.wOff, op.bOff, rows, op.in, op.out, epi, s);
    } else {
      const W = op.width;
      const moving = st.state.subarray(op.stateOff, op.stateOff + 2 * W);
      const r = batchNormForward(
        ys[op.input],
        rows,
        W,
        st.params.subarray(op.gammaOff, op.gammaOff + W),
        st.params.subarray(op.betaOff, op.betaOff + W),
        moving,
        op.momentum,
        op.epsilon,
        epi,
        s,
      );
      ys[op.output] = r.y;
      stats.set(i, r.stats);
    }
  });
  return { ys, stats };
}

/** Keras' regularization penalty: sum over kernels of l1 * sum|W| + l2 * sum W^2. */
export function penalty(plan: Plan, params: Float32Array): number {
  let p = 0;
  for (const t of plan.tensors) {
    if (!t.l1 && !t.l2) continue;
    const [a, q] = norms(params, t.offset, t.size);
    p += t.l1 * a + t.l2 * q;
  }
  return p;
}

export interface StepResult {
  ce: number;
  correct: number;
  penalty: number;
  grads: Float32Array;
  forward: ForwardResult;
}

/** Forward, loss and backward on one batch: the cross-entropy gradient (penalties excluded). */
export function referenceGradients(
  plan: Plan,
  st: ModelState,
  x: Float32Array,
  labels: ArrayLike<number>,
  rows: number,
  s: StepInfo,
): Omit<StepResult, 'penalty'> {
  const fwd = referenceForward(plan, st, x, rows, s);
  const { ys } = fwd;
  const last = plan.ops[plan.ops.length - 1].output;
  const loss = lossFromLogits(ys[last], labels, rows, plan.outputs);
  const grads = new Float32Array(plan.paramCount);
  const ds: Float32Array[] = [];
  ds[last] = loss.dz;
  for (let i = plan.ops.length - 1; i >= 0; i--) {
    const op = plan.ops[i];
    const ePrev = plan.producers[op.input].epi;
    if (op.kind === 'dense') {
      grads.set(denseBackwardWeights(ys[op.input], ds[op.output], rows, op.in, op.out), op.wOff);
      if (op.input > 0) ds[op.input] = denseBackwardInput(ds[op.output], st.params, op.wOff, ys[op.input], rows, op.out, op.in, ePrev, s);
    } else {
      const W = op.width;
      const r = batchNormBackward(ds[op.output], ys[op.input], rows, W, st.params.subarray(op.gammaOff, op.gammaOff + W), fwd.stats.get(i)!, ePrev, s);
      grads.set(r.dgamma, op.gammaOff);
      grads.set(r.dbeta, op.betaOff);
      if (op.input > 0) ds[op.input] = r.dx;
    }
  }
  return { ce: loss.ce, correct: loss.correct, grads, forward: fwd };
}

/** Forward, loss, backward and Adam (with the penalty gradients) on one batch; updates `st`. */
export function referenceStep(plan: Plan, st: ModelState, x: Float32Array, labels: ArrayLike<number>, rows: number, s: StepInfo): StepResult {
  const pen = penalty(plan, st.params);
  const r = referenceGradients(plan, st, x, labels, rows, s);
  adam(st.params, r.grads, st.m, st.v, s.lrT, plan.tensors);
  return { ...r, penalty: pen };
}

/** Each ReLU layer's dead units on `rows` rows of `x` in inference mode: the columns no row makes
 *  positive (what wstats.wgsl counts after an epoch's validation). */
export function referenceDeadUnits(plan: Plan, st: ModelState, x: Float32Array, rows: number): number[] {
  const { ys } = referenceForward(plan, st, x, rows, { t: 0, seed: 0, training: false, lrT: 0 });
  return reluLayers(plan).map(({ producer, units }) => {
    const flags = new Float32Array(units);
    markActive(ys[producer], rows, units, flags);
    return flags.reduce((n, f) => n + (f ? 0 : 1), 0);
  });
}
