// CPU twins of every WGSL kernel, on plain Float32Arrays. Sums run in float64, results are
// stored as float32; tests compare the GPU to these with `atol + rtol * |ref|`.
import { ADAM } from '../plan/adam.ts';
import type { Epilogue } from '../plan/plan.ts';
import { ACT } from '../plan/plan.ts';
import { NEAR_ZERO, WSTATS_FLOATS } from '../plan/weight-stats.ts';

/** The per-batch fields of the step uniform that kernels read. */
type F32 = Float32Array;

export interface StepInfo {
  t: number;
  seed: number;
  training: boolean;
  lrT: number;
}

export function activate(x: number, act: number): number {
  if (act === ACT.relu) return Math.max(x, 0);
  if (act === ACT.sigmoid) return 1 / (1 + Math.exp(-x));
  return x;
}

/** d act / d x from the activation's output y. */
export function actGrad(y: number, act: number): number {
  if (act === ACT.relu) return y > 0 ? 1 : 0;
  if (act === ACT.sigmoid) return y * (1 - y);
  return 1;
}

export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

export function dropoutBits(seed: number, t: number, layer: number, unit: number): number {
  return mix32(mix32(mix32(mix32(seed) ^ t) ^ layer) ^ unit) >>> 8;
}

export function dropped(e: Epilogue, s: StepInfo, unit: number): boolean {
  return s.training && e.dropThreshold > 0 && dropoutBits(s.seed, s.t, e.layer, unit) < e.dropThreshold;
}

export function epilogue(z: number, e: Epilogue, s: StepInfo, unit: number): number {
  const y = Math.fround(activate(z, e.act));
  if (s.training && e.dropThreshold > 0) return dropped(e, s, unit) ? 0 : y * e.dropScale;
  return y;
}

export function epilogueGrad(dy: number, y: number, e: Epilogue, s: StepInfo, unit: number): number {
  if (s.training && e.dropThreshold > 0) {
    if (dropped(e, s, unit)) return 0;
    return dy * e.dropScale * actGrad(Math.fround(y / e.dropScale), e.act);
  }
  return dy * actGrad(y, e.act);
}

/** C(rows, N), C[m, n] = out(sum_k A(m, k) * W[wOff + k * kStride + n * nStride], m, n): the loop
 *  both dense products share (W read as (K, N) forward, as its transpose backward). */
function matmulRows(
  a: F32,
  w: F32,
  wOff: number,
  kStride: number,
  nStride: number,
  rows: number,
  K: number,
  N: number,
  out: (acc: number, m: number, n: number) => number,
): F32 {
  const c = new Float32Array(rows * N);
  for (let m = 0; m < rows; m++)
    for (let n = 0; n < N; n++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += a[m * K + k] * w[wOff + k * kStride + n * nStride];
      c[m * N + n] = out(acc, m, n);
    }
  return c;
}

/** Y(rows, N) = epilogue(X(rows, K) * W(K, N) + b); W and b read from `params`. */
export function denseForward(x: F32, params: F32, wOff: number, bOff: number, rows: number, K: number, N: number, e: Epilogue, s: StepInfo): F32 {
  return matmulRows(x, params, wOff, N, 1, rows, K, N, (acc, m, n) => epilogue(Math.fround(Math.fround(acc) + params[bOff + n]), e, s, m * N + n));
}

/** D(rows, N) = (dZ(rows, K) * W(N, K)^T) through the producer's epilogue gradient. */
export function denseBackwardInput(dz: F32, params: F32, wOff: number, yPrev: F32, rows: number, K: number, N: number, e: Epilogue, s: StepInfo): F32 {
  return matmulRows(dz, params, wOff, 1, K, rows, K, N, (acc, m, n) => epilogueGrad(Math.fround(acc), yPrev[m * N + n], e, s, m * N + n));
}

/** G(IN + 1, OUT) = [X | 1]^T * dZ: dW rows, then db as the last row. */
export function denseBackwardWeights(x: Float32Array, dz: Float32Array, rows: number, IN: number, OUT: number): Float32Array {
  const g = new Float32Array((IN + 1) * OUT);
  for (let i = 0; i <= IN; i++)
    for (let o = 0; o < OUT; o++) {
      let acc = 0;
      for (let r = 0; r < rows; r++) acc += (i === IN ? 1 : x[r * IN + i]) * dz[r * OUT + o];
      g[i * OUT + o] = acc;
    }
  return g;
}

/** Rows gathered through `order` and expanded to f32 (shaders/gather.wgsl). */
export function gather(features: (row: number, j: number) => number, order: ArrayLike<number>, rowStart: number, rows: number, F: number): Float32Array {
  const x = new Float32Array(rows * F);
  for (let r = 0; r < rows; r++) for (let j = 0; j < F; j++) x[r * F + j] = features(order[rowStart + r], j);
  return x;
}

export interface LossResult {
  ce: number; // sum over rows
  correct: number;
  dz: Float32Array; // mean-reduced gradient w.r.t. the logits
}

/** Sigmoid + binary cross-entropy (outputs 1) or softmax + sparse categorical cross-entropy. */
export function lossFromLogits(z: Float32Array, labels: ArrayLike<number>, rows: number, outputs: number): LossResult {
  const dz = new Float32Array(rows * outputs);
  let ce = 0;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const y = labels[r];
    if (outputs === 1) {
      const v = z[r];
      ce += Math.max(v, 0) - v * y + Math.log1p(Math.exp(-Math.abs(v)));
      correct += v > 0 === (y === 1) ? 1 : 0;
      dz[r] = (1 / (1 + Math.exp(-v)) - y) / rows;
    } else {
      let max = z[r * outputs];
      let best = 0;
      for (let c = 1; c < outputs; c++) if (z[r * outputs + c] > max) [max, best] = [z[r * outputs + c], c];
      let sum = 0;
      for (let c = 0; c < outputs; c++) sum += Math.exp(z[r * outputs + c] - max);
      ce += Math.log(sum) + max - z[r * outputs + y];
      correct += best === y ? 1 : 0;
      for (let c = 0; c < outputs; c++) dz[r * outputs + c] = (Math.exp(z[r * outputs + c] - max) / sum - (c === y ? 1 : 0)) / rows;
    }
  }
  return { ce, correct, dz };
}

export interface PenaltyTensor {
  offset: number;
  size: number;
  l1: number;
  l2: number;
}

/** One Adam step over all parameters, in place, with each tensor's L1/L2 gradient added. */
export function adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, lrT: number, penalties: readonly PenaltyTensor[]): void {
  const l1 = new Float32Array(w.length);
  const l2 = new Float32Array(w.length);
  for (const p of penalties) {
    l1.fill(p.l1, p.offset, p.offset + p.size);
    l2.fill(p.l2, p.offset, p.offset + p.size);
  }
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] + l1[i] * Math.sign(w[i]) + 2 * l2[i] * w[i];
    m[i] = m[i] + (gi - m[i]) * (1 - ADAM.beta1);
    v[i] = v[i] + (gi * gi - v[i]) * (1 - ADAM.beta2);
    w[i] = w[i] - (lrT * m[i]) / (Math.sqrt(v[i]) + ADAM.epsilon);
  }
}

/** sum |w| and sum w^2 of one tensor. */
export function norms(w: Float32Array, offset: number, size: number): [number, number] {
  let a = 0;
  let q = 0;
  for (let i = offset; i < offset + size; i++) {
    a += Math.abs(w[i]);
    q += w[i] * w[i];
  }
  return [a, q];
}

export interface BatchNormStats {
  mean: Float32Array;
  invStd: Float32Array;
}

/** The inference forward of a ReLU layer (matmul.wgsl, batchnorm.wgsl): flags each column that is
 *  positive in some row (with 1, the float whose bits the kernels store). */
export function markActive(y: Float32Array, rows: number, width: number, flags: Float32Array): void {
  for (let j = 0; j < width; j++)
    for (let r = 0; r < rows; r++)
      if (y[r * width + j] > 0) {
        flags[j] = 1;
        break;
      }
}

/** wstats.wgsl: one tensor's weight statistics block (layout in src/plan/weight-stats.ts). */
export function weightStats(w: Float32Array, offset: number, size: number, edges: Float32Array): Float32Array {
  const out = new Float32Array(WSTATS_FLOATS);
  const bins = edges.length - 1;
  let max = 0;
  for (let i = offset; i < offset + size; i++) {
    const a = Math.abs(w[i]);
    if (a === 0) out[0]++;
    else if (a < edges[0]) out[1]++;
    else if (a >= edges[bins]) out[2 + bins]++;
    else {
      let lo = 0; // the largest i with edges[i] <= a
      let hi = bins;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (edges[mid] <= a) lo = mid;
        else hi = mid;
      }
      out[2 + lo]++;
    }
    if (a < Math.fround(NEAR_ZERO)) out[3 + bins]++;
    if (a > max) max = a;
  }
  out[4 + bins] = max;
  return out;
}
/** shaders/batchnorm.wgsl mode 0. Updates `moving` (mean, then variance) in training. The kernel
 *  gets decay = 1 - momentum and epsilon as f32 (as Keras casts them); so does this twin. */
export function batchNormForward(
  x: Float32Array,
  rows: number,
  W: number,
  gamma: Float32Array,
  beta: Float32Array,
  moving: Float32Array,
  momentum: number,
  epsilon: number,
  e: Epilogue,
  s: StepInfo,
): { y: Float32Array; stats: BatchNormStats } {
  const decay = Math.fround(1 - momentum);
  const eps = Math.fround(epsilon);
  const mean = new Float32Array(W);
  const invStd = new Float32Array(W);
  for (let f = 0; f < W; f++) {
    if (s.training) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += x[r * W + f];
      mean[f] = sum / rows;
      let q = 0;
      for (let r = 0; r < rows; r++) q += (x[r * W + f] - mean[f]) ** 2;
      const variance = Math.fround(q / rows);
      invStd[f] = 1 / Math.sqrt(variance + eps);
      moving[f] = moving[f] - (moving[f] - mean[f]) * decay;
      moving[W + f] = moving[W + f] - (moving[W + f] - variance) * decay;
    } else {
      mean[f] = moving[f];
      invStd[f] = 1 / Math.sqrt(moving[W + f] + eps);
    }
  }
  const y = new Float32Array(rows * W);
  for (let r = 0; r < rows; r++)
    for (let f = 0; f < W; f++) {
      const u = r * W + f;
      y[u] = epilogue(Math.fround(gamma[f] * (x[u] - mean[f]) * invStd[f] + beta[f]), e, s, u);
    }
  return { y, stats: { mean, invStd } };
}

/** shaders/batchnorm.wgsl mode 1: dX through the input producer's epilogue, dgamma, dbeta. */
export function batchNormBackward(
  dy: Float32Array,
  x: Float32Array,
  rows: number,
  W: number,
  gamma: Float32Array,
  stats: BatchNormStats,
  ePrev: Epilogue,
  s: StepInfo,
): { dx: Float32Array; dgamma: Float32Array; dbeta: Float32Array } {
  const dx = new Float32Array(rows * W);
  const dgamma = new Float32Array(W);
  const dbeta = new Float32Array(W);
  for (let f = 0; f < W; f++) {
    let sdy = 0;
    let sdyx = 0;
    for (let r = 0; r < rows; r++) {
      const u = r * W + f;
      sdy += dy[u];
      sdyx += dy[u] * (x[u] - stats.mean[f]) * stats.invStd[f];
    }
    dgamma[f] = sdyx;
    dbeta[f] = sdy;
    const k = (gamma[f] * stats.invStd[f]) / rows;
    for (let r = 0; r < rows; r++) {
      const u = r * W + f;
      const d = k * (rows * dy[u] - sdy - (x[u] - stats.mean[f]) * stats.invStd[f] * sdyx);
      dx[u] = epilogueGrad(Math.fround(d), x[u], ePrev, s, u);
    }
  }
  return { dx, dgamma, dbeta };
}
