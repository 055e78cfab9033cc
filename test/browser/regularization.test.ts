// Regularization on real WebGPU against the CPU reference (src/reference/ops.ts, train-step.ts):
// the batch-norm kernel (forward in training and inference, backward), the matmul with a dropout
// epilogue, the dropout mask itself (exact, and its statistics), and whole training steps of
// models with L1/L2 + Dropout + BatchNormalization through the Trainer.
// Tolerances are |gpu - ref| <= atol + rtol * |ref|, stated beside each check.
import { afterAll, describe, expect, it } from 'vitest';
import type { Epilogue } from '../../src/plan/plan.ts';
import { ACT } from '../../src/plan/plan.ts';
import { KERNELS } from '../../src/graph/kernels.ts';
import { MATMUL_MODE } from '../../src/graph/matmul.ts';
import { ADAM } from '../../src/plan/adam.ts';
import { f32 } from '../../src/gpu/buffers.ts';
import * as ref from '../../src/reference/ops.ts';
import { closeness, epiFields, MATMUL_TILE, randomArray, runKernel, sharedGpu, STEP } from './harness.ts';
import { compareOneStep, maxRelError } from './compare.ts';
import { batchOf, synthetic, syntheticBinary } from '../synthetic.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { Trainer } from '../../src/graph/trainer.ts';
import type { Plan, TensorInfo } from '../../src/plan/plan.ts';
import { initParams, initState } from '../../src/plan/plan.ts';
import type { LayerSpec, ModelSpec } from '../../src/model/spec.ts';
import { adamLr } from '../../src/plan/adam.ts';
import type { ModelState } from '../../src/reference/train-step.ts';
import { penalty, referenceForward, referenceStep } from '../../src/reference/train-step.ts';

const MOMENTUM = 0.99;
const EPSILON = 0.001;
const DROP_BITS = 2 ** 24;
const epi = (act: number, rate = 0, layer = 3): Epilogue => ({
  act: act as Epilogue['act'],
  dropRate: rate,
  dropThreshold: Math.round(rate * DROP_BITS),
  dropScale: Math.fround(1 / (1 - rate)),
  layer,
});
const describeEpi = (e: Epilogue) => `${['linear', 'relu', 'sigmoid'][e.act]}${e.dropThreshold ? ` + dropout ${e.dropRate}` : ''}`;
const tiles = (M: number, N: number): [number, number] => [Math.ceil(N / (MATMUL_TILE.WG_N * MATMUL_TILE.TN)), Math.ceil(M / (MATMUL_TILE.WG_M * MATMUL_TILE.TM))];
const refStep = (o: Partial<ref.StepInfo> = {}): ref.StepInfo => ({ t: STEP.t, seed: STEP.seed, training: true, lrT: STEP.lrT, ...o });
const pass = (c: { worst: number }) => c.worst <= 0;
const show = (c: ReturnType<typeof closeness>) => `worst excess ${c.worst.toExponential(2)} at ${c.at}: gpu ${c.got} vs ref ${c.ref}`;
const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};
/** max |gpu - ref| / max(|ref|, floor) */
const maxRel = (got: ArrayLike<number>, want: ArrayLike<number>, floor = 1e-3) => {
  let w = 0;
  for (let i = 0; i < want.length; i++) w = Math.max(w, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), floor));
  return Number.isNaN(w) ? Infinity : w;
};
const report: Record<string, string> = {};
const note = (key: string, value: string) => {
  report[key] = value;
  console.log(`[regularization] ${key}: ${value}`);
};
/** Worst |gpu - ref| / (atol + rtol * |ref|) per checked quantity, printed after the kernel tests. */
const worstRatio = new Map<string, number>();
function check(what: string, got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number) {
  let w = 0;
  for (let i = 0; i < want.length; i++) w = Math.max(w, Number.isNaN(got[i]) ? Infinity : Math.abs(got[i] - want[i]) / (atol + rtol * Math.abs(want[i])));
  worstRatio.set(what, Math.max(worstRatio.get(what) ?? 0, w));
  return closeness(got, want, atol, rtol);
}
afterAll(() => {
  for (const [what, w] of worstRatio) console.log(`[regularization] worst error / tolerance, ${what}: ${w.toFixed(3)}`);
});

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
  moving.set(randomArray(W, seed + 3, 0.5).map((v) => v + 1), S_OFF + W); // moving variance in [0.5, 1.5)
  return { gamma, beta, P, moving };
}

const bnCfg = (W: number, writeDx: number, e: Epilogue) => [W, G_OFF, S_OFF, writeDx, f32(1 - MOMENTUM), f32(EPSILON), 0, 0, ...epiFields(e)];

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
              groups: [W, 1],
              constants: { MODE: 0 },
            });
            const mv = moving.slice(S_OFF);
            const want = ref.batchNormForward(x, rows, W, gamma, beta, mv, MOMENTUM, EPSILON, e, refStep({ training }));
            const c = check(`BN forward ${training ? 'training' : 'inference'} Y`, Y.subarray(0, rows * W), want.y, TOL.atol, TOL.rtol);
            expect(pass(c), `Y, ${describeEpi(e)}: ${show(c)}`).toBe(true);
            // Units the reference dropped are exactly zero on the GPU (the mask is exact, not close).
            if (e.dropThreshold && training)
              for (let u = 0; u < rows * W; u++) if (ref.dropped(e, refStep(), u)) expect(Y[u]).toBe(0);
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
      runKernel(KERNELS.batchnorm, { cfg: bnCfg(W, 0, epi(ACT.linear)), inputs: [x, P, rows * W, moving, S_OFF + 2 * W, 1], step: { rows, training }, groups: [W, 1], constants: { MODE: 0 } });
    const [, , yInf] = await run(false);
    const [, , yTrain] = await run(true);
    for (let r = 0; r < rows; r++)
      for (let f = 0; f < W; f++) {
        const u = r * W + f;
        const expected = P[G_OFF + f] * (x[u] - moving[S_OFF + f]) / Math.sqrt(moving[S_OFF + W + f] + EPSILON) + P[G_OFF + W + f];
        expect(Math.abs(yInf[u] - expected)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(expected));
      }
    expect(maxRel(yInf.subarray(0, rows * W), yTrain.subarray(0, rows * W))).toBeGreaterThan(0.1);
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
          const { stats } = ref.batchNormForward(x, rows, W, gamma, P.subarray(G_OFF + W), new Float32Array(2 * W).fill(1), MOMENTUM, EPSILON, epi(ACT.linear), s);
          const STATS = new Float32Array(S_OFF + 2 * W);
          STATS.set(stats.mean, S_OFF);
          STATS.set(stats.invStd, S_OFF + W);
          const want = ref.batchNormBackward(dy, x, rows, W, gamma, stats, ePrev, s);
          for (const writeDx of [1, 0]) {
            const [, , DX, G] = await runKernel(KERNELS.batchnorm, {
              cfg: bnCfg(W, writeDx, ePrev),
              inputs: [x, P, rows * W, G_OFF + 2 * W, STATS, dy],
              step: { rows, training: true },
              groups: [W, 1],
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
      const [, , Y] = await runKernel(KERNELS.batchnorm, { cfg: bnCfg(W, 0, epi(ACT.linear)), inputs: [x, P, rows * W, S_OFF + 2 * W, S_OFF + 2 * W, 1], step: { rows, training: true }, groups: [W, 1], constants: { MODE: 0 } });
      let l = 0;
      for (let u = 0; u < rows * W; u++) l += w[u] * Y[u];
      return l;
    };
    const [, , , , STATS] = await runKernel(KERNELS.batchnorm, { cfg: bnCfg(W, 0, epi(ACT.linear)), inputs: [x, P, rows * W, S_OFF + 2 * W, S_OFF + 2 * W, 1], step: { rows, training: true }, groups: [W, 1], constants: { MODE: 0 } });
    const [, , DX, G] = await runKernel(KERNELS.batchnorm, { cfg: bnCfg(W, 1, epi(ACT.linear)), inputs: [x, P, rows * W, G_OFF + 2 * W, STATS, w], step: { rows, training: true }, groups: [W, 1], constants: { MODE: 1 } });
    const h = 1e-2;
    let worst = 0;
    const probe = async (arr: Float32Array, i: number, analytic: number) => {
      const keep = arr[i];
      arr[i] = keep + h;
      const up = await lossAt();
      arr[i] = keep - h;
      const down = await lossAt();
      arr[i] = keep;
      const fd = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - analytic) / (Math.abs(fd) + Math.abs(analytic) + 1e-2));
    };
    for (let u = 0; u < rows * W; u++) await probe(x, u, DX[u]);
    for (let f = 0; f < 2 * W; f++) await probe(P, G_OFF + f, G[G_OFF + f]);
    note('BN GPU backward vs central differences (7x3), worst relative difference', worst.toExponential(2));
    expect(worst).toBeLessThan(1e-2);
  });
});

// ---------------------------------------------------------------------------------------------
// Matmul with a dropout epilogue (shaders/matmul.wgsl MODE 0 and MODE 1).
const MM_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 100, 128],
  [7, 128, 100],
  [7, 1, 128],
  [500, 100, 128],
  [500, 128, 1],
  [500, 1, 100],
];

describe('matmul forward and dX with a dropout epilogue vs reference', () => {
  // Forward: K products of values in [-1, 1] plus a bias, then scaled by up to 2: atol 1e-4, rtol
  // 1e-4 (as the core forward tests). dX: atol 1e-5, rtol 1e-4 (as the core dX tests).
  const epis = [epi(ACT.linear, 0.3), epi(ACT.relu, 0.3), epi(ACT.sigmoid, 0.5)];
  for (const [rows, K, N] of MM_SHAPES)
    it(`forward ${rows}x${K} * ${K}x${N} + b`, async () => {
      const x = randomArray(rows * K, 21);
      const params = randomArray(K * N + N + 5, 22);
      for (const e of epis) {
        const [, , y] = await runKernel(KERNELS.matmul, {
          cfg: [0, N, K, 0, 5, 0, 5 + K * N, 0, ...epiFields(e)],
          inputs: [x, params, rows * N, params],
          step: { rows },
          groups: tiles(rows, N),
          constants: { MODE: MATMUL_MODE.forward },
        });
        const want = ref.denseForward(x, params, 5, 5 + K * N, rows, K, N, e, refStep());
        const c = check('matmul forward + dropout', y.subarray(0, rows * N), want, 1e-4, 1e-4);
        expect(pass(c), `${describeEpi(e)}: ${show(c)}`).toBe(true);
        for (let u = 0; u < rows * N; u++) if (ref.dropped(e, refStep(), u)) expect(y[u]).toBe(0);
        // Inference: no unit is dropped or scaled.
        const [, , yi] = await runKernel(KERNELS.matmul, {
          cfg: [0, N, K, 0, 5, 0, 5 + K * N, 0, ...epiFields(e)],
          inputs: [x, params, rows * N, params],
          step: { rows, training: false },
          groups: tiles(rows, N),
          constants: { MODE: MATMUL_MODE.forward },
        });
        const wantInf = ref.denseForward(x, params, 5, 5 + K * N, rows, K, N, epi(e.act), refStep({ training: false }));
        const ci = check('matmul forward, inference', yi.subarray(0, rows * N), wantInf, 1e-4, 1e-4);
        expect(pass(ci), `inference, ${describeEpi(e)}: ${show(ci)}`).toBe(true);
      }
    });

  for (const [rows, K, N] of MM_SHAPES)
    it(`dX ${rows}x${K} * (${N}x${K})^T through the producer's epilogue`, async () => {
      const s = refStep();
      const dz = randomArray(rows * K, 23);
      const params = randomArray(N * K + 2, 24);
      for (const e of epis) {
        const yPrev = randomArray(rows * N, 25).map((v, u) => ref.epilogue(v, e, s, u));
        const [, , d] = await runKernel(KERNELS.matmul, {
          cfg: [0, N, K, 0, 2, 0, 0, 0, ...epiFields(e)],
          inputs: [dz, params, rows * N, yPrev],
          step: { rows },
          groups: tiles(rows, N),
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
      cfg: [0, C, 1, 0, 0, 0, C, 0, ...epiFields(e)],
      inputs: [ones, wb, R * C, wb],
      step: { rows: R, seed, t, training: true },
      groups: tiles(R, C),
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
        groups: [W, 1],
        constants: { MODE: 0 },
      });
      const s = refStep({ seed: 11, t: 9, training });
      let mismatches = 0;
      for (let u = 0; u < rows * W; u++) if (y[u] !== Math.fround(ref.epilogue(1, e, s, u))) mismatches++;
      expect(mismatches, training ? 'training' : 'inference').toBe(0);
      if (!training) expect(kept(y.subarray(0, rows * W))).toBe(rows * W);
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
    for (const [what, d] of [['next unit', 1], ['next row', C]] as const) {
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
    const [, , y] = await runKernel(KERNELS.matmul, { cfg: [0, N, K, 0, 0, 0, K * N, 0, ...epiFields(e)], inputs: [x, params, rows * N, params], step: { rows }, groups: tiles(rows, N), constants: { MODE: MATMUL_MODE.forward } });
    const dz = randomArray(rows * 3, 43);
    const w2 = randomArray(N * 3, 44);
    const [, , d] = await runKernel(KERNELS.matmul, { cfg: [0, N, 3, 0, 0, 0, 0, 0, ...epiFields(e)], inputs: [dz, w2, rows * N, y], step: { rows }, groups: tiles(rows, N), constants: { MODE: MATMUL_MODE.dX } });
    let droppedCount = 0;
    for (let u = 0; u < rows * N; u++) {
      if (y[u] === 0) droppedCount++;
      expect(d[u] === 0, `unit ${u}`).toBe(y[u] === 0);
    }
    expect(droppedCount).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Whole training steps through the Trainer (src/graph/trainer.ts) against the reference steps.
const hidden = (units: number, reg: { l1?: number; l2?: number }): LayerSpec => ({ type: 'Dense', units, kernel_regularizer: reg });
/** L2 + Dropout + BatchNormalization, with BN both before an activation and after a dropout. */
const regModel = (features: number, reg2: { l1?: number; l2?: number } = { l2: 0.001 }): ModelSpec => ({
  name: 'l2-dropout-bn',
  inputShape: [features],
  layers: [
    hidden(64, { l2: 0.001 }),
    { type: 'BatchNormalization' },
    { type: 'Activation', activation: 'relu' },
    { type: 'Dropout', rate: 0.3 },
    { ...hidden(32, reg2), activation: 'relu' } as LayerSpec,
    { type: 'Dropout', rate: 0.3 },
    { type: 'BatchNormalization' },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ],
});
/** BatchNormalization straight on the (flattened) input: its backward writes no dX. */
const inputBnModel: ModelSpec = {
  name: 'input-bn',
  inputShape: [4, 6],
  layers: [{ type: 'Flatten' }, { type: 'BatchNormalization' }, { type: 'Dense', units: 16, activation: 'relu' }, { type: 'Dropout', rate: 0.2 }, { type: 'Dense', units: 3, activation: 'softmax' }],
};
const lab = (id: string, name: string): ModelSpec => structuredClone(EXPERIMENTS.find((e) => e.id === id)!.models.find((m) => m.name === name)!.spec);
const mnistLike = (train: number, test: number) => synthetic({ train, test, features: 784, classes: 10, format: 'u8', inputShape: [28, 28] });
const imdbLike = (train: number, test: number) => syntheticBinary({ train, test, features: 100, format: 'bits' });
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
    if (!dense || dense.kind !== 'dense' || e.act !== ACT.linear || e.dropThreshold) return [];
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
    ['BN on the input (no dX written), then Dense + Dropout, batch 50', inputBnModel, synthetic({ train: 50, test: 5, features: 24, classes: 3, inputShape: [4, 6] }), 50, true],
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
      for (const t of skip) for (let i = t.offset; i < t.offset + t.size; i++) gpuNoise = Math.max(gpuNoise, (EPS1 * Math.abs(r.gpu.params[i])) / (lr - Math.abs(r.gpu.params[i])) / gMax);
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
    const st: ModelState = { params: initParams(plan, seed), m: new Float32Array(plan.paramCount), v: new Float32Array(plan.paramCount), state: initState(plan) };
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
      if (t === 5) note('after 5 steps: penalty in loss (gpu, ref)', `${(got.loss - got[pure]).toPrecision(7)}, ${r.penalty.toPrecision(7)}; in val_loss ${(got.val_loss - got[`val_${pure}`]).toPrecision(7)}, ${valPenalty.toPrecision(7)}`);
    }
    note('5 steps: max rel. error over the steps', `moving stats ${worst.state.toExponential(2)}, params ${worst.params.toExponential(2)} (zero-gradient bias share ${worst.share.toExponential(2)})`);
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
    const st: ModelState = { params: initParams(plan, seed), m: new Float32Array(plan.paramCount), v: new Float32Array(plan.paramCount), state: initState(plan) };
    let ce = 0;
    let lossSum = 0;
    for (const [t, start, rows] of [[1, 0, 32], [2, 32, 32], [3, 64, 6]]) {
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

describe('dispatch and readback budgets with regularization', () => {
  // Per training step: gather + [norms, when any kernel is regularized] + L matmuls forward + loss
  // + (2L - 1) matmuls backward (dW for every Dense, dX for all but the first) + adam = 3L + 2
  // (+1 regularized) for an L-Dense MLP, within the core's 3L + 3. Dropout and Activation fold into
  // the producer's epilogue (+0); each BatchNormalization adds a forward and a backward dispatch
  // (+2), and a BN straight on the input one more (the first Dense then needs its dX).
  // Validation: gather + L + B + loss. One submit and one readback per epoch.
  const cases: [string, ModelSpec, Dataset, number, number][] = [
    ["the lab's dropout model (3 Dense, 2 Dropout)", lab('dropout', 'dropout'), imdbLike(300, 100), 11, 5],
    ["the lab's l2 model (3 Dense, L2)", lab('regularization', 'l2'), imdbLike(300, 100), 12, 5],
    ["the lab's basic image model (3 Dense, 1 Activation)", lab('batchnorm', 'basic'), mnistLike(200, 50), 11, 5],
    ["the lab's batch-norm model (3 Dense, 2 BN, 1 Activation)", lab('batchnorm', 'batchnorm'), mnistLike(200, 50), 15, 7],
    ['L2 + Dropout + BN (3 Dense, 2 BN, 2 Dropout, L2)', regModel(100), imdbLike(300, 100), 16, 7],
    ['BN on the input (2 Dense, 1 BN): the first Dense needs a dX too', inputBnModel, synthetic({ train: 300, test: 100, features: 24, classes: 3, inputShape: [4, 6] }), 11, 5],
  ];
  for (const [what, spec, data, perStep, perValidation] of cases)
    it(what, async () => {
      const { gpu } = await sharedGpu();
      const trainer = await Trainer.create(gpu, spec, data, { batchSize: 100 });
      const plan = trainer.plan;
      const L = plan.ops.filter((o) => o.kind === 'dense').length;
      const B = plan.ops.length - L;
      await trainer.fit({ epochs: 2 });
      const s = trainer.stats;
      note(`dispatches per step, ${what}`, `${s.dispatchesPerStep} (L ${L}, BN ${B}, regularized ${plan.regularized}); per validation batch ${s.dispatchesPerValidation}`);
      expect(s.dispatchesPerStep).toBe(perStep);
      const bnOnInput = plan.ops.some((o) => o.kind === 'batchnorm' && o.input === 0) ? 1 : 0;
      expect(s.dispatchesPerStep).toBe(3 * L + 2 + (plan.regularized ? 1 : 0) + 2 * B + bnOnInput);
      expect(s.dispatchesPerStep).toBeLessThanOrEqual(3 * L + 3 + 2 * B + bnOnInput);
      expect(s.dispatchesPerValidation).toBe(perValidation);
      expect(s.submitsPerEpoch).toBe(1);
      expect(s.readbacksPerEpoch).toBe(1);
      expect(s.buffersCreatedAfterFirstStep).toBe(0);
      expect(s.pipelinesCreatedAfterFirstStep).toBe(0);
      trainer.dispose();
    });
});
