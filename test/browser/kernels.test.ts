// Every core kernel against its CPU twin (src/reference/ops.ts) on real WebGPU, on shapes that
// are and are not multiples of the 64x64 matmul tile. Tolerance: |gpu - ref| <= atol + rtol * |ref|.
import { describe, expect, it } from 'vitest';
import { ACT } from '../../src/plan/plan.ts';
import { DATA_FORMAT, epiValues, KERNELS, TENSOR } from '../../src/graph/kernels.ts';
import { MATMUL_MODE } from '../../src/graph/matmul.ts';
import { ADAM, adamLr } from '../../src/plan/adam.ts';
import { packStructArray } from '../../src/gpu/struct.ts';
import * as ref from '../../src/reference/ops.ts';
import { MATMUL_SHAPES } from '../fixtures.ts';
import { closeness, epilogue, NO_OFFSETS, randomArray, refStep, runKernel } from './harness.ts';

const TOL = { atol: 1e-5, rtol: 1e-4 };
const stepOf = (rows: number) => ({ rows, training: true });

describe('matmul (shaders/matmul.wgsl)', () => {
  for (const [rows, K, N] of MATMUL_SHAPES)
    for (const act of [ACT.linear, ACT.relu, ACT.sigmoid]) {
      it(`forward ${rows}x${K} * ${K}x${N} + b, act ${act}`, async () => {
        const x = randomArray(rows * K, 1);
        const params = randomArray(K * N + N + 5, 2); // W at 5, b right after
        const e = epilogue(act);
        const [, , y] = await runKernel(KERNELS.matmul, {
          cfg: { ...NO_OFFSETS, N, K, bOff: 5, biasOff: 5 + K * N, epi: epiValues(e) },
          inputs: [x, params, rows * N, params],
          step: stepOf(rows),
          constants: { MODE: MATMUL_MODE.forward },
        });
        const want = ref.denseForward(x, params, 5, 5 + K * N, rows, K, N, e, refStep());
        expect(closeness(y.subarray(0, rows * N), want, 1e-4, TOL.rtol).worst).toBeLessThanOrEqual(0);
      });
    }

  for (const [rows, K, N] of MATMUL_SHAPES)
    for (const e of [epilogue(ACT.linear), epilogue(ACT.relu), epilogue(ACT.sigmoid), epilogue(ACT.relu, 0.3)]) {
      it(`dX ${rows}x${K} * (${N}x${K})^T through act ${e.act}${e.dropThreshold ? ' + dropout' : ''}`, async () => {
        const dz = randomArray(rows * K, 3);
        const params = randomArray(N * K + 2, 4);
        const yPrev = randomArray(rows * N, 5).map((v) => (e.act === ACT.sigmoid ? (v + 1) / 2 : e.act === ACT.relu ? Math.max(v, 0) : v));
        const [, , d] = await runKernel(KERNELS.matmul, {
          cfg: { ...NO_OFFSETS, N, K, bOff: 2, epi: epiValues(e) },
          inputs: [dz, params, rows * N, yPrev],
          step: stepOf(rows),
          constants: { MODE: MATMUL_MODE.dX },
        });
        const want = ref.denseBackwardInput(dz, params, 2, yPrev, rows, K, N, e, refStep());
        expect(closeness(d.subarray(0, rows * N), want, TOL.atol, TOL.rtol).worst).toBeLessThanOrEqual(0);
      });
    }

  for (const [rows, IN, OUT] of MATMUL_SHAPES)
    it(`dW+db [X|1]^T(${IN + 1}x${rows}) * dZ(${rows}x${OUT})`, async () => {
      const x = randomArray(rows * IN, 6);
      const dz = randomArray(rows * OUT, 7, 0.01);
      const [, , g] = await runKernel(KERNELS.matmul, {
        cfg: { ...NO_OFFSETS, M: IN + 1, N: OUT, cOff: 3, epi: epiValues(epilogue(ACT.linear)) },
        inputs: [x, dz, 3 + (IN + 1) * OUT, x],
        step: stepOf(rows),
        constants: { MODE: MATMUL_MODE.dW },
      });
      const want = ref.denseBackwardWeights(x, dz, rows, IN, OUT);
      expect(closeness(g.subarray(3, 3 + want.length), want, 1e-6, TOL.rtol).worst).toBeLessThanOrEqual(0);
    });
});

describe('gather (shaders/gather.wgsl)', () => {
  const n = 37;
  const order = new Uint32Array(n).map((_, i) => (i * 11) % n); // a permutation (11 and 37 coprime)
  const cases = {
    f32: { F: 7, words: 7, data: randomArray(n * 7, 8), value: (d: Uint32Array, r: number, j: number) => new Float32Array(d.buffer)[r * 7 + j] },
    bits: {
      F: 100,
      words: 4,
      data: new Uint32Array(randomArray(n * 4, 9).buffer).map((v) => v ^ 0x9e3779b9),
      value: (d: Uint32Array, r: number, j: number) => (d[r * 4 + (j >>> 5)] >>> (j & 31)) & 1,
    },
    u8: {
      F: 30,
      words: 8,
      data: new Uint32Array(randomArray(n * 8, 10).buffer),
      value: (d: Uint32Array, r: number, j: number) => ((d[r * 8 + (j >>> 2)] >>> ((j & 3) * 8)) & 255) / 255,
    },
  };
  for (const [format, c] of Object.entries(cases))
    it(`${format}: rows 5..21 through a permutation`, async () => {
      const data = new Uint32Array(c.data.buffer);
      const rows = 17;
      const [, , X] = await runKernel(KERNELS.gather, {
        cfg: { features: c.F, rowWords: c.words, format: DATA_FORMAT[format as keyof typeof DATA_FORMAT], orderRstride: 0, xRstride: 0 },
        inputs: [data, order, rows * c.F],
        step: { rowStart: 5, rows },
      });
      const want = ref.gather((r, j) => c.value(data, r, j), order, 5, rows, c.F);
      expect(closeness(X.subarray(0, rows * c.F), want, 0, 1e-7).worst).toBeLessThanOrEqual(0);
    });
});

describe('loss from logits (shaders/loss.wgsl)', () => {
  for (const [rows, C] of [
    [1, 1],
    [7, 1],
    [500, 1],
    [257, 10],
    [1, 10],
  ])
    it(`${C === 1 ? 'sigmoid + binary' : 'softmax + categorical'} cross-entropy, ${rows} rows`, async () => {
      const z = randomArray(rows * C, 11, 6);
      const labels = new Uint32Array(rows).map((_, i) => (i * 7 + 3) % (C === 1 ? 2 : C));
      const order = new Uint32Array(rows).map((_, i) => i);
      const slot = 2;
      const [, , , dz, metrics] = await runKernel(KERNELS.loss, {
        cfg: { classes: C, metricsOff: 8, zRstride: 0, orderRstride: 0, metricsRstride: 0 },
        inputs: [z, labels, order, rows * C, 8 + 4 * (slot + 1)],
        step: { rows, slot, training: true },
      });
      const want = ref.lossFromLogits(z, labels, rows, C);
      expect(closeness(dz.subarray(0, rows * C), want.dz, 1e-7, 1e-5).worst).toBeLessThanOrEqual(0);
      const m = metrics.subarray(8 + 4 * slot);
      expect(closeness([m[0]], [want.ce], 1e-5, 1e-5).worst).toBeLessThanOrEqual(0);
      expect([m[1], m[2]]).toEqual([want.correct, rows]);
    });
});

describe('adam (shaders/adam.wgsl)', () => {
  it('3 steps over 1,000 packed parameters with L1 on one tensor and L2 on another', async () => {
    const n = 1000;
    const tensors = [
      { offset: 0, size: 300, l1: 0.001, l2: 0 },
      { offset: 300, size: 200, l1: 0, l2: 0.001 },
      { offset: 500, size: 500, l1: 0, l2: 0 },
    ];
    const table = packStructArray(TENSOR, tensors);
    let w = randomArray(n, 12);
    w[0] = 0; // sign(0) = 0
    let m = new Float32Array(n);
    let v = new Float32Array(n);
    const want = { w: w.slice(), m: m.slice(), v: v.slice() };
    for (let t = 1; t <= 3; t++) {
      const g = randomArray(n, 100 + t, 0.1);
      const lrT = Math.fround(adamLr(t));
      [, , w, m, v] = await runKernel(KERNELS.adam, {
        cfg: { total: n, tensors: 3, replicas: 1, beta1: ADAM.beta1, beta2: ADAM.beta2, epsilon: ADAM.epsilon },
        inputs: [g, table, w, m, v],
        step: { t, lrT },
      });
      ref.adam(want.w, g, want.m, want.v, lrT, tensors);
    }
    expect(closeness(w, want.w, 1e-7, 1e-5).worst).toBeLessThanOrEqual(0);
    expect(closeness(m, want.m, 1e-8, 1e-5).worst).toBeLessThanOrEqual(0);
    expect(closeness(v, want.v, 1e-10, 1e-5).worst).toBeLessThanOrEqual(0);
  });
});

describe('weight norms (shaders/norms.wgsl)', () => {
  it('sum |w| and sum w^2 per tensor, tensors of 1, 7, 257 and 100,000 values', async () => {
    const sizes = [1, 7, 257, 100_000];
    const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 3));
    const w = randomArray(3 + sizes.reduce((a, b) => a + b), 13);
    const table = packStructArray(
      TENSOR,
      sizes.map((size, i) => ({ offset: offsets[i], size, l1: 0, l2: 0 })),
    );
    const slot = 1;
    const [, , out] = await runKernel(KERNELS.norms, {
      cfg: { tensors: sizes.length, metricsOff: 4, wRstride: 0, metricsRstride: 0 },
      inputs: [w, table, 4 + (slot + 1) * sizes.length * 2],
      step: { slot },
    });
    const want = sizes.flatMap((size, i) => ref.norms(w, offsets[i], size));
    expect(closeness(out.subarray(4 + slot * sizes.length * 2), want, 1e-6, 1e-5).worst).toBeLessThanOrEqual(0);
  });
});
