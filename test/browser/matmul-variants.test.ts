// Every matmul variant (src/graph/matmul.ts) against the CPU reference in all three modes, on
// shapes that are and are not multiples of each tile, with the epilogues the models use.
// Tolerance: |gpu - ref| <= atol + rtol * |ref|.
import { describe, expect, it } from 'vitest';
import { ACT } from '../../src/plan/plan.ts';
import { epiValues, KERNELS } from '../../src/graph/kernels.ts';
import { kernelSource } from '../../src/graph/sources.ts';
import { DEFAULT_MATMUL, MATMUL_MODE, MATMUL_VARIANTS, matmulConstants, matmulMain } from '../../src/graph/matmul.ts';
import * as ref from '../../src/reference/ops.ts';
import { MATMUL_SHAPES } from '../fixtures.ts';
import { closeness, epilogue, NO_OFFSETS, randomArray, refStep, runKernel } from './harness.ts';

// Floats past the end of an output that must stay zero: a row and a vector more than the output.
const pad = (N: number) => N + 4;

it('the default variant is the matmul kernel without one; variants differ only in the generated main', () => {
  expect(kernelSource(KERNELS.matmul)).toBe(kernelSource(KERNELS.matmul, DEFAULT_MATMUL));
  for (const v of MATMUL_VARIANTS) expect(kernelSource(KERNELS.matmul, v).code.endsWith(matmulMain(v))).toBe(true);
  expect(new Set(MATMUL_VARIANTS.map((v) => v.id)).size).toBe(MATMUL_VARIANTS.length);
});

for (const v of MATMUL_VARIANTS)
  describe(`matmul variant ${v.id}`, () => {
    const kernel = KERNELS.matmul;
    for (const [rows, K, N] of MATMUL_SHAPES) {
      it(`forward ${rows}x${K} * ${K}x${N} + b, relu`, async () => {
        const x = randomArray(rows * K, 1);
        const params = randomArray(K * N + N + 5, 2);
        const e = epilogue(ACT.relu);
        const [, , y] = await runKernel(kernel, {
          cfg: { ...NO_OFFSETS, N, K, bOff: 5, biasOff: 5 + K * N, epi: epiValues(e) },
          inputs: [x, params, rows * N + pad(N), params],
          step: { rows, training: true },
          variant: v,
          constants: matmulConstants(v, MATMUL_MODE.forward),
        });
        const want = ref.denseForward(x, params, 5, 5 + K * N, rows, K, N, e, refStep());
        expect(closeness(y.subarray(0, rows * N), want, 1e-4, 1e-4).worst).toBeLessThanOrEqual(0);
        // nothing written past the output
        expect(y.subarray(rows * N, rows * N + pad(N)).every((z) => z === 0)).toBe(true);
      });

      it(`dX ${rows}x${K} * (${N}x${K})^T through relu + dropout`, async () => {
        const e = epilogue(ACT.relu, 0.3);
        const dz = randomArray(rows * K, 3);
        const params = randomArray(N * K + 2, 4);
        const yPrev = randomArray(rows * N, 5).map((z) => Math.max(z, 0));
        const [, , d] = await runKernel(kernel, {
          cfg: { ...NO_OFFSETS, N, K, bOff: 2, epi: epiValues(e) },
          inputs: [dz, params, rows * N, yPrev],
          step: { rows, training: true },
          variant: v,
          constants: matmulConstants(v, MATMUL_MODE.dX),
        });
        const want = ref.denseBackwardInput(dz, params, 2, yPrev, rows, K, N, e, refStep());
        expect(closeness(d.subarray(0, rows * N), want, 1e-5, 1e-4).worst).toBeLessThanOrEqual(0);
      });

      it(`dW+db [X|1]^T(${K + 1}x${rows}) * dZ(${rows}x${N})`, async () => {
        const x = randomArray(rows * K, 6);
        const dz = randomArray(rows * N, 7, 0.01);
        const [, , g] = await runKernel(kernel, {
          cfg: { ...NO_OFFSETS, M: K + 1, N, cOff: 3, epi: epiValues(epilogue(ACT.linear)) },
          inputs: [x, dz, 3 + (K + 1) * N + 4, x],
          step: { rows, training: true },
          variant: v,
          constants: matmulConstants(v, MATMUL_MODE.dW),
        });
        const want = ref.denseBackwardWeights(x, dz, rows, K, N);
        expect(closeness(g.subarray(3, 3 + want.length), want, 1e-6, 1e-4).worst).toBeLessThanOrEqual(0);
        expect([...g.subarray(0, 3), ...g.subarray(3 + want.length)].every((z) => z === 0)).toBe(true);
      });
    }
  });
