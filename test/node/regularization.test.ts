// Regularization on the CPU side: the lab's parameter counts, Dropout rate validation, and the
// reference BatchNormalization backward against central differences of its own forward (the GPU
// kernels are checked against this reference in test/browser/batchnorm.test.ts and dropout.test.ts).
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { compilePlan } from '../../src/plan/plan.ts';
import type { Epilogue } from '../../src/plan/plan.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { ModelSpecError, validateSpec } from '../../src/model/spec.ts';
import { countParams, layerInfo, summary } from '../../src/model/summary.ts';
import { batchNormBackward, batchNormForward } from '../../src/reference/ops.ts';
import type { StepInfo } from '../../src/reference/ops.ts';
import { Rng } from '../../src/random.ts';
import { centralDifferences } from '../fixtures.ts';

const labModel = (id: string, name: string): ModelSpec => EXPERIMENTS.find((e) => e.id === id)!.models.find((m) => m.name === name)!.spec;

describe("summary() of the lab's batch-norm models", () => {
  it('Flatten 28x28 -> Dense 128 -> BN -> relu -> Dense 128 -> BN -> Dense 10: 119,306 = 118,794 trainable + 512', () => {
    const spec = labModel('batchnorm', 'batchnorm');
    expect(countParams(spec)).toEqual({ total: 119_306, trainable: 118_794, nonTrainable: 512 });
    expect(layerInfo(spec).map((l) => [l.name, l.params, l.trainable])).toEqual([
      ['flatten', 0, 0],
      ['dense', 100_480, 100_480],
      ['batch_normalization', 512, 256],
      ['activation', 0, 0],
      ['dense_1', 16_512, 16_512],
      ['batch_normalization_1', 512, 256],
      ['dense_2', 1290, 1290],
    ]);
    const text = summary(spec).split('\n');
    expect(text.slice(-4, -1)).toEqual(['Total params: 119,306', 'Trainable params: 118,794', 'Non-trainable params: 512']);
    // The packed trainable buffer holds exactly the trainable parameters; the moving statistics
    // (the non-trainable half of each BN layer) live in the separate state buffer.
    const plan = compilePlan(spec);
    expect([plan.paramCount, plan.stateCount]).toEqual([118_794, 512]);
  });

  it('the same model without BatchNormalization: 118,282, all trainable', () => {
    const spec = labModel('batchnorm', 'basic');
    expect(countParams(spec)).toEqual({ total: 118_282, trainable: 118_282, nonTrainable: 0 });
    expect(compilePlan(spec).stateCount).toBe(0);
  });

  it('Dropout adds no parameters; L1/L2 add none either', () => {
    expect(countParams(labModel('dropout', 'dropout')).total).toBe(29_569);
    expect(countParams(labModel('regularization', 'l1')).total).toBe(29_569);
    expect(countParams(labModel('regularization', 'l2')).total).toBe(29_569);
  });
});

describe('Dropout rate outside [0, 1) is a spec error with a clear message', () => {
  const withRate = (rate: unknown) => ({
    name: 'm',
    inputShape: [10],
    layers: [
      { type: 'Dense', units: 4, activation: 'relu' },
      { type: 'Dropout', rate },
      { type: 'Dense', units: 1, activation: 'sigmoid' },
    ],
  });
  for (const rate of [1, 1.5, -0.1, -1e-9, Number.NaN, Number.POSITIVE_INFINITY, '0.3', null, undefined])
    it(`rate ${typeof rate === 'string' ? JSON.stringify(rate) : String(rate)}`, () => {
      const message = /^layer 2 \(Dropout\): rate must be a number in \[0, 1\), got /;
      expect(() => validateSpec(withRate(rate))).toThrow(ModelSpecError);
      expect(() => validateSpec(withRate(rate))).toThrow(message);
      expect(() => compilePlan(withRate(rate) as ModelSpec)).toThrow(message);
    });

  it('rates 0, 0.3 and 0.999 compile; the threshold is round(rate * 2^24) and the scale 1 / (1 - rate)', () => {
    for (const rate of [0, 0.3, 0.999]) {
      const epi = compilePlan(withRate(rate) as ModelSpec).producers[1].epi;
      expect(epi.dropThreshold).toBe(Math.round(rate * 2 ** 24));
      expect(epi.dropScale).toBe(Math.fround(1 / (1 - rate)));
      expect(epi.dropRate).toBe(rate);
    }
  });
});

describe('reference BatchNormalization backward matches central differences of its forward', () => {
  // L = sum(w * y) for fixed random w, so dL/dy = w; y = BN(x) in training mode (batch statistics).
  const linear: Epilogue = { act: 0, dropRate: 0, dropThreshold: 0, dropScale: 1, layer: 1 };
  const s: StepInfo = { t: 1, seed: 5, training: true, lrT: 0 };
  for (const [rows, W] of [
    [1, 3],
    [7, 5],
    [7, 1],
    [500, 2],
  ] as const)
    it(`rows ${rows}, features ${W}`, async () => {
      const rng = new Rng(rows * 100 + W);
      const rand = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.next());
      const x = rand(rows * W, -2, 3);
      const gamma = rand(W, 0.5, 1.5);
      const beta = rand(W, -0.5, 0.5);
      const w = rand(rows * W, -1, 1);
      const loss = () => {
        const { y } = batchNormForward(x, rows, W, gamma, beta, new Float32Array(2 * W).fill(1), 0.99, 0.001, linear, s);
        let l = 0;
        for (let i = 0; i < y.length; i++) l += w[i] * y[i];
        return l;
      };
      const fwd = batchNormForward(x, rows, W, gamma, beta, new Float32Array(2 * W).fill(1), 0.99, 0.001, linear, s);
      const g = batchNormBackward(w, x, rows, W, gamma, fwd.stats, linear, s);
      const cd = centralDifferences(loss, 1e-2, 1e-2);
      for (let i = 0; i < x.length; i += Math.max(1, Math.floor(x.length / 60))) await cd.probe(x, i, g.dx[i]);
      for (let f = 0; f < W; f++) {
        await cd.probe(gamma, f, g.dgamma[f]);
        await cd.probe(beta, f, g.dbeta[f]);
      }
      expect(cd.worst).toBeLessThan(1e-2);
    });
});
