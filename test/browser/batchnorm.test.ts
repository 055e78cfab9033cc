// The BatchNormalization kernel (shaders/batchnorm.wgsl) on real WebGPU against the CPU reference
// (src/reference/ops.ts): forward in training and inference, backward through the input
// producer's epilogue, central differences of the GPU forward, and the dropout mask it draws.
// Tolerances are |gpu - ref| <= atol + rtol * |ref|, stated beside each check.
import { describe, expect, it } from 'vitest';
import type { Epilogue } from '../../src/plan/plan.ts';
import { ACT } from '../../src/plan/plan.ts';
import { epiValues, KERNELS, NO_ACTIVE } from '../../src/graph/kernels.ts';
import * as ref from '../../src/reference/ops.ts';
import { centralDifferences } from '../fixtures.ts';
import { maxRelError } from './compare.ts';
import { describeEpi, epilogue as epi, errorReport, maxAbs, pass, randomArray, refStep, runKernel, show } from './harness.ts';

const MOMENTUM = 0.99;
const EPSILON = 0.001;
const { check, note } = errorReport('batchnorm');

const BATCHES = [1, 7, 500];
const FEATURES = [1, 100, 128];

// ---------------------------------------------------------------------------------------------
// BatchNormalization kernel (shaders/batchnorm.wgsl). Bindings: X, P, OUT, ACC, STATS, DY.
// Offsets are deliberately non-zero: gamma at 3 (beta at 3 + W) in P, moving/batch stats at 2.
const G_OFF = 3;
const S_OFF = 2;

/** Input columns with per-feature offsets and spreads, so the mean is far from 0 and varies. */
function bnInput(rows: number, W: number, seed: number): Float32Array<ArrayBuffer> {
  const x = randomArray(rows * W, seed, 1);
  for (let r = 0; r < rows; r++) for (let f = 0; f < W; f++) x[r * W + f] = x[r * W + f] * (0.5 + (f % 5)) + (f % 3) - 1;
  return x;
}

function bnParams(W: number, seed: number) {
  const gamma = randomArray(W, seed, 0.5).map((v) => v + 1);
  const beta = randomArray(W, seed + 1, 0.5);
  const P = new Float32Array(G_OFF + 2 * W);
  P.set(gamma, G_OFF);
  P.set(beta, G_OFF + W);
  const moving = new Float32Array(S_OFF + 2 * W);
  moving.set(randomArray(W, seed + 2, 0.5), S_OFF); // moving mean
  moving.set(
    randomArray(W, seed + 3, 0.5).map((v) => v + 1),
    S_OFF + W,
  ); // moving variance in [0.5, 1.5)
  return { gamma, beta, P, moving };
}

const bnCfg = (W: number, writeDx: number, e: Epilogue) => ({
  epi: epiValues(e),
  width: W,
  gammaOff: G_OFF,
  stateOff: S_OFF,
  writeDx,
  decay: 1 - MOMENTUM,
  epsilon: EPSILON,
  actRstride: 0,
  pRstride: 0,
  accRstride: 0,
  sRstride: 0,
  activeOff: NO_ACTIVE,
});

describe('BatchNormalization forward (shaders/batchnorm.wgsl MODE 0) vs reference', () => {
  // y = gamma * x_hat + beta is O(1..5); mean/var come from f32 tree sums on the GPU, float64 sums
  // in the reference. Tolerance: atol 1e-5, rtol 1e-4 on Y, batch stats and moving statistics.
  const TOL = { atol: 1e-5, rtol: 1e-4 };
  const epis = [epi(ACT.linear), epi(ACT.relu), epi(ACT.relu, 0.3, 5)];
  for (const rows of BATCHES)
    for (const W of FEATURES)
      for (const training of [true, false])
        it(`${training ? 'training' : 'inference'}: batch ${rows}, features ${W}`, async () => {
          const x = bnInput(rows, W, rows * 1000 + W);
          const { gamma, beta, P, moving } = bnParams(W, W + 17);
          for (const e of epis) {
            const [, , Y, ACC, STATS] = await runKernel(KERNELS.batchnorm, {
              cfg: bnCfg(W, 0, e),
              inputs: [x, P, rows * W, moving, S_OFF + 2 * W, 1],
              step: { rows, training },
              constants: { MODE: 0 },
            });
            const mv = moving.slice(S_OFF);
            const want = ref.batchNormForward(x, rows, W, gamma, beta, mv, MOMENTUM, EPSILON, e, refStep({ training }));
            const c = check(`BN forward ${training ? 'training' : 'inference'} Y`, Y.subarray(0, rows * W), want.y, TOL.atol, TOL.rtol);
            expect(pass(c), `Y, ${describeEpi(e)}: ${show(c)}`).toBe(true);
            // Units the reference dropped are exactly zero on the GPU (the mask is exact, not close).
            if (e.dropThreshold && training) for (let u = 0; u < rows * W; u++) if (ref.dropped(e, refStep(), u)) expect(Y[u]).toBe(0);
            const cm = check('BN forward moving statistics', ACC.subarray(S_OFF), mv, TOL.atol, TOL.rtol);
            expect(pass(cm), `moving stats: ${show(cm)}`).toBe(true);
            if (training) {
              const cs = check('BN forward batch mean, 1/std', STATS.subarray(S_OFF), [...want.stats.mean, ...want.stats.invStd], TOL.atol, TOL.rtol);
              expect(pass(cs), `batch mean, 1/std: ${show(cs)}`).toBe(true);
            } else {
              // Inference reads the moving statistics and writes neither them nor the batch stats.
              expect(ACC).toEqual(moving);
              expect(maxAbs(STATS)).toBe(0);
            }
          }
        });

  it('inference output is normalized with the moving statistics, not the batch statistics', async () => {
    const rows = 7;
    const W = 100;
    const x = bnInput(rows, W, 77);
    const { P, moving } = bnParams(W, 78);
    const run = (training: boolean) =>
      runKernel(KERNELS.batchnorm, {
        cfg: bnCfg(W, 0, epi(ACT.linear)),
        inputs: [x, P, rows * W, moving, S_OFF + 2 * W, 1],
        step: { rows, training },
        constants: { MODE: 0 },
      });
    const [, , yInf] = await run(false);
    const [, , yTrain] = await run(true);
    for (let r = 0; r < rows; r++)
      for (let f = 0; f < W; f++) {
        const u = r * W + f;
        const expected = (P[G_OFF + f] * (x[u] - moving[S_OFF + f])) / Math.sqrt(moving[S_OFF + W + f] + EPSILON) + P[G_OFF + W + f];
        expect(Math.abs(yInf[u] - expected)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(expected));
      }
    expect(maxRelError(yInf.subarray(0, rows * W), yTrain.subarray(0, rows * W))).toBeGreaterThan(0.1);
  });
});

describe('BatchNormalization backward (shaders/batchnorm.wgsl MODE 1) vs reference', () => {
  // dX = gamma/std/n * (n dy - sum dy - x_hat sum(dy x_hat)) cancels; its absolute error scales
  // with gamma/std * |dy|, so atol = 1e-5 * max|dX_ref| (and >= 1e-6), rtol 1e-4. dgamma and dbeta
  // are sums over the batch: atol 1e-5 * rows^0.5, rtol 1e-4.
  const ePrevs = [epi(ACT.linear), epi(ACT.relu), epi(ACT.sigmoid), epi(ACT.relu, 0.3, 4)];
  for (const rows of BATCHES)
    for (const W of FEATURES)
      it(`batch ${rows}, features ${W}, through the input producer's epilogue`, async () => {
        const s = refStep();
        const { gamma, P } = bnParams(W, W + 31);
        const dy = randomArray(rows * W, rows + W + 5);
        for (const ePrev of ePrevs) {
          // X is what the producer stored: its epilogue of some pre-activation z.
          const z = bnInput(rows, W, rows * 10 + W);
          const x = z.map((v, u) => ref.epilogue(v, ePrev, s, u));
          const { stats } = ref.batchNormForward(
            x,
            rows,
            W,
            gamma,
            P.subarray(G_OFF + W),
            new Float32Array(2 * W).fill(1),
            MOMENTUM,
            EPSILON,
            epi(ACT.linear),
            s,
          );
          const STATS = new Float32Array(S_OFF + 2 * W);
          STATS.set(stats.mean, S_OFF);
          STATS.set(stats.invStd, S_OFF + W);
          const want = ref.batchNormBackward(dy, x, rows, W, gamma, stats, ePrev, s);
          for (const writeDx of [1, 0]) {
            const [, , DX, G] = await runKernel(KERNELS.batchnorm, {
              cfg: bnCfg(W, writeDx, ePrev),
              inputs: [x, P, rows * W, G_OFF + 2 * W, STATS, dy],
              step: { rows, training: true },
              constants: { MODE: 1 },
            });
            const what = `${describeEpi(ePrev)}, write_dx ${writeDx}`;
            if (writeDx) {
              const c = check('BN backward dX', DX.subarray(0, rows * W), want.dx, Math.max(1e-6, 1e-5 * maxAbs(want.dx)), 1e-4);
              expect(pass(c), `dX, ${what}: ${show(c)}`).toBe(true);
              if (ePrev.dropThreshold) for (let u = 0; u < rows * W; u++) if (ref.dropped(ePrev, s, u)) expect(DX[u]).toBe(0);
            } else expect(maxAbs(DX), `dX untouched, ${what}`).toBe(0);
            const cg = check('BN backward dgamma, dbeta', G.subarray(G_OFF, G_OFF + 2 * W), [...want.dgamma, ...want.dbeta], 1e-5 * Math.sqrt(rows), 1e-4);
            expect(pass(cg), `dgamma, dbeta, ${what}: ${show(cg)}`).toBe(true);
          }
        }
      });

  it('GPU backward matches central differences of the GPU forward (batch 7, features 3)', async () => {
    // L = sum(w * Y) with Y from the GPU forward in training mode; h = 1e-2 on O(1) values in f32.
    const rows = 7;
    const W = 3;
    const x = bnInput(rows, W, 91);
    const { P } = bnParams(W, 92);
    const w = randomArray(rows * W, 93);
    const lossAt = async () => {
      const [, , Y] = await runKernel(KERNELS.batchnorm, {
        cfg: bnCfg(W, 0, epi(ACT.linear)),
        inputs: [x, P, rows * W, S_OFF + 2 * W, S_OFF + 2 * W, 1],
        step: { rows, training: true },
        constants: { MODE: 0 },
      });
      let l = 0;
      for (let u = 0; u < rows * W; u++) l += w[u] * Y[u];
      return l;
    };
    const [, , , , STATS] = await runKernel(KERNELS.batchnorm, {
      cfg: bnCfg(W, 0, epi(ACT.linear)),
      inputs: [x, P, rows * W, S_OFF + 2 * W, S_OFF + 2 * W, 1],
      step: { rows, training: true },
      constants: { MODE: 0 },
    });
    const [, , DX, G] = await runKernel(KERNELS.batchnorm, {
      cfg: bnCfg(W, 1, epi(ACT.linear)),
      inputs: [x, P, rows * W, G_OFF + 2 * W, STATS, w],
      step: { rows, training: true },
      constants: { MODE: 1 },
    });
    const cd = centralDifferences(lossAt, 1e-2, 1e-2);
    for (let u = 0; u < rows * W; u++) await cd.probe(x, u, DX[u]);
    for (let f = 0; f < 2 * W; f++) await cd.probe(P, G_OFF + f, G[G_OFF + f]);
    note('BN GPU backward vs central differences (7x3), worst relative difference', cd.worst.toExponential(2));
    expect(cd.worst).toBeLessThan(1e-2);
  });
});

describe('dropout mask drawn by the batch-norm kernel (dropout_bits in shaders/common.wgsl)', () => {
  it('the batch-norm kernel draws the same mask (gamma 0, beta 1: output = epilogue(1))', async () => {
    const rows = 500;
    const W = 128;
    const e = epi(ACT.linear, 0.3, 6);
    const P = new Float32Array(G_OFF + 2 * W).fill(1, G_OFF + W); // gamma 0, beta 1
    for (const training of [true, false]) {
      const [, , y] = await runKernel(KERNELS.batchnorm, {
        cfg: bnCfg(W, 0, e),
        inputs: [randomArray(rows * W, 5), P, rows * W, new Float32Array(S_OFF + 2 * W).fill(1), S_OFF + 2 * W, 1],
        step: { rows, seed: 11, t: 9, training },
        constants: { MODE: 0 },
      });
      const s = refStep({ seed: 11, t: 9, training });
      let mismatches = 0;
      for (let u = 0; u < rows * W; u++) if (y[u] !== Math.fround(ref.epilogue(1, e, s, u))) mismatches++;
      expect(mismatches, training ? 'training' : 'inference').toBe(0);
      // Inference drops nothing (whatever the reference says).
      if (!training) expect(y.subarray(0, rows * W).every((v) => v !== 0)).toBe(true);
    }
  });
});
