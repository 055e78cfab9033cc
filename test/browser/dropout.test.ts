// Dropout on real WebGPU against the CPU reference (src/reference/ops.ts): the matmul with a
// dropout epilogue (forward, and dX through it), and the dropout mask itself (exact twin of the
// reference, its statistics over 10^6 draws, and backward applying the forward mask).
// Tolerances are |gpu - ref| <= atol + rtol * |ref|, stated beside each check.
import { describe, expect, it } from 'vitest';
import { ACT } from '../../src/plan/plan.ts';
import { epiValues, KERNELS } from '../../src/graph/kernels.ts';
import { MATMUL_MODE } from '../../src/graph/matmul.ts';
import * as ref from '../../src/reference/ops.ts';
import { MATMUL_SHAPES } from '../fixtures.ts';
import { describeEpi, epilogue as epi, errorReport, NO_OFFSETS, pass, randomArray, refStep, runKernel, show } from './harness.ts';

const { check, note } = errorReport('dropout');

// ---------------------------------------------------------------------------------------------
// Matmul with a dropout epilogue (shaders/matmul.wgsl MODE 0 and MODE 1).

describe('matmul forward and dX with a dropout epilogue vs reference', () => {
  // Forward: K products of values in [-1, 1] plus a bias, then scaled by up to 2: atol 1e-4, rtol
  // 1e-4 (as the core forward tests). dX: atol 1e-5, rtol 1e-4 (as the core dX tests).
  const epis = [epi(ACT.linear, 0.3), epi(ACT.relu, 0.3), epi(ACT.sigmoid, 0.5)];
  for (const [rows, K, N] of MATMUL_SHAPES)
    it(`forward ${rows}x${K} * ${K}x${N} + b`, async () => {
      const x = randomArray(rows * K, 21);
      const params = randomArray(K * N + N + 5, 22);
      for (const e of epis) {
        const [, , y] = await runKernel(KERNELS.matmul, {
          cfg: { ...NO_OFFSETS, N, K, bOff: 5, biasOff: 5 + K * N, epi: epiValues(e) },
          inputs: [x, params, rows * N, params],
          step: { rows },
          constants: { MODE: MATMUL_MODE.forward },
        });
        const want = ref.denseForward(x, params, 5, 5 + K * N, rows, K, N, e, refStep());
        const c = check('matmul forward + dropout', y.subarray(0, rows * N), want, 1e-4, 1e-4);
        expect(pass(c), `${describeEpi(e)}: ${show(c)}`).toBe(true);
        for (let u = 0; u < rows * N; u++) if (ref.dropped(e, refStep(), u)) expect(y[u]).toBe(0);
        // Inference: no unit is dropped or scaled.
        const [, , yi] = await runKernel(KERNELS.matmul, {
          cfg: { ...NO_OFFSETS, N, K, bOff: 5, biasOff: 5 + K * N, epi: epiValues(e) },
          inputs: [x, params, rows * N, params],
          step: { rows, training: false },
          constants: { MODE: MATMUL_MODE.forward },
        });
        const wantInf = ref.denseForward(x, params, 5, 5 + K * N, rows, K, N, epi(e.act), refStep({ training: false }));
        const ci = check('matmul forward, inference', yi.subarray(0, rows * N), wantInf, 1e-4, 1e-4);
        expect(pass(ci), `inference, ${describeEpi(e)}: ${show(ci)}`).toBe(true);
      }
    });

  for (const [rows, K, N] of MATMUL_SHAPES)
    it(`dX ${rows}x${K} * (${N}x${K})^T through the producer's epilogue`, async () => {
      const s = refStep();
      const dz = randomArray(rows * K, 23);
      const params = randomArray(N * K + 2, 24);
      for (const e of epis) {
        const yPrev = randomArray(rows * N, 25).map((v, u) => ref.epilogue(v, e, s, u));
        const [, , d] = await runKernel(KERNELS.matmul, {
          cfg: { ...NO_OFFSETS, N, K, bOff: 2, epi: epiValues(e) },
          inputs: [dz, params, rows * N, yPrev],
          step: { rows },
          constants: { MODE: MATMUL_MODE.dX },
        });
        const want = ref.denseBackwardInput(dz, params, 2, yPrev, rows, K, N, e, s);
        const c = check('matmul dX through dropout', d.subarray(0, rows * N), want, 1e-5, 1e-4);
        expect(pass(c), `${describeEpi(e)}: ${show(c)}`).toBe(true);
        for (let u = 0; u < rows * N; u++) if (ref.dropped(e, s, u)) expect(d[u]).toBe(0);
      }
    });
});

// ---------------------------------------------------------------------------------------------
// The dropout mask: exact twin of the reference, statistics over >= 10^6 draws on the GPU.
describe('dropout mask (dropout_bits in shaders/common.wgsl vs dropoutBits in the reference)', () => {
  const R = 1000;
  const C = 1000; // R * C = 10^6 draws per mask
  const ones = new Float32Array(R).fill(1);
  // W (1 x C) of ones at offset 0, bias of zeros after it: Z = 1 exactly, Y = epilogue(1).
  const wb = new Float32Array(2 * C).fill(1, 0, C);

  /** The GPU mask of one (seed, t, layer): Y = 1 * scale where kept, 0 where dropped. */
  async function gpuMask(rate: number, seed: number, t: number, layer: number) {
    const e = epi(ACT.linear, rate, layer);
    const [, , y] = await runKernel(KERNELS.matmul, {
      cfg: { ...NO_OFFSETS, N: C, K: 1, biasOff: C, epi: epiValues(e) },
      inputs: [ones, wb, R * C, wb],
      step: { rows: R, seed, t, training: true },
      constants: { MODE: MATMUL_MODE.forward },
    });
    return { y: y.subarray(0, R * C), e };
  }

  const kept = (y: Float32Array) => y.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);

  it('the same (seed, step, layer) gives exactly the reference mask and values (10^6 units)', async () => {
    for (const [rate, seed, t, layer] of [
      [0.3, 7, 1, 3],
      [0.5, 0xdeadbeef, 123456, 1],
      [0.1, 0, 0, 0],
    ]) {
      const { y, e } = await gpuMask(rate, seed, t, layer);
      const s = refStep({ seed, t });
      let mismatches = 0;
      for (let u = 0; u < R * C; u++) if (y[u] !== Math.fround(ref.epilogue(1, e, s, u))) mismatches++;
      expect(mismatches, `rate ${rate}, seed ${seed}, t ${t}, layer ${layer}`).toBe(0);
      expect(new Set(y)).toEqual(new Set([0, e.dropScale]));
    }
  });

  for (const rate of [0.3, 0.5, 0.1])
    it(`kept fraction over 10^6 draws is within 3 sigma of 1 - ${rate}`, async () => {
      const { y } = await gpuMask(rate, 7, 1, 3);
      const n = R * C;
      const p = 1 - rate;
      const frac = kept(y) / n;
      const sigma = Math.sqrt((p * (1 - p)) / n);
      const z = (frac - p) / sigma;
      note(`kept fraction, rate ${rate}`, `${frac.toFixed(6)} (expected ${p}, sigma ${sigma.toExponential(2)}, ${z.toFixed(2)} sigma)`);
      expect(Math.abs(z)).toBeLessThanOrEqual(3);
    });

  it('masks differ across steps, layers and seeds, and look independent (agreement p^2 + q^2 within 4 sigma)', async () => {
    const rate = 0.3;
    const p = 1 - rate;
    const n = R * C;
    const base = (await gpuMask(rate, 7, 1, 3)).y;
    const agreeExpected = p * p + (1 - p) * (1 - p);
    const sigma = Math.sqrt((agreeExpected * (1 - agreeExpected)) / n);
    const others = { 'next step (t 2)': [7, 2, 3], 'another layer (4)': [7, 1, 4], 'another seed (8)': [8, 1, 3] } as const;
    for (const [what, [seed, t, layer]] of Object.entries(others)) {
      const y = (await gpuMask(rate, seed, t, layer)).y;
      let agree = 0;
      for (let u = 0; u < n; u++) if ((y[u] === 0) === (base[u] === 0)) agree++;
      const z = (agree / n - agreeExpected) / sigma;
      note(`mask agreement with ${what}`, `${(agree / n).toFixed(6)} (independent: ${agreeExpected.toFixed(4)}, ${z.toFixed(2)} sigma)`);
      expect(agree, what).toBeLessThan(n);
      expect(Math.abs(z), what).toBeLessThanOrEqual(4);
    }
    // Neighbouring units (next column, next row) are not correlated either.
    for (const [what, d] of [
      ['next unit', 1],
      ['next row', C],
    ] as const) {
      let agree = 0;
      for (let u = 0; u + d < n; u++) if ((base[u] === 0) === (base[u + d] === 0)) agree++;
      const z = (agree / (n - d) - agreeExpected) / sigma;
      note(`mask agreement with the ${what}`, `${(agree / (n - d)).toFixed(6)} (${z.toFixed(2)} sigma)`);
      expect(Math.abs(z), what).toBeLessThanOrEqual(4);
    }
  });

  it('backward applies the forward mask: dX is zero exactly where the forward output was dropped', async () => {
    const rows = 7;
    const K = 5;
    const N = 128;
    const e = epi(ACT.linear, 0.3, 2);
    const x = randomArray(rows * K, 41);
    const params = randomArray(K * N + N, 42);
    const [, , y] = await runKernel(KERNELS.matmul, {
      cfg: { ...NO_OFFSETS, N, K, biasOff: K * N, epi: epiValues(e) },
      inputs: [x, params, rows * N, params],
      step: { rows },
      constants: { MODE: MATMUL_MODE.forward },
    });
    const dz = randomArray(rows * 3, 43);
    const w2 = randomArray(N * 3, 44);
    const [, , d] = await runKernel(KERNELS.matmul, {
      cfg: { ...NO_OFFSETS, N, K: 3, epi: epiValues(e) },
      inputs: [dz, w2, rows * N, y],
      step: { rows },
      constants: { MODE: MATMUL_MODE.dX },
    });
    let droppedCount = 0;
    for (let u = 0; u < rows * N; u++) {
      if (y[u] === 0) droppedCount++;
      expect(d[u] === 0, `unit ${u}`).toBe(y[u] === 0);
    }
    expect(droppedCount).toBeGreaterThan(0);
  });
});
