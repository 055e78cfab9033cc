// Finite-difference check of the CPU reference's backward pass (the GPU is checked against it).
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../src/model/spec.ts';
import { compilePlan, initParams, initState } from '../../src/plan/plan.ts';
import { lossFromLogits } from '../../src/reference/ops.ts';
import type { StepInfo } from '../../src/reference/ops.ts';
import { referenceForward, referenceGradients } from '../../src/reference/train-step.ts';
import { Rng } from '../../src/random.ts';
import { centralDifferences } from '../fixtures.ts';

async function check(spec: ModelSpec, rows: number, classes: number) {
  const plan = compilePlan(spec);
  const rng = new Rng(9);
  const x = Float32Array.from({ length: rows * plan.features }, () => rng.next() * 2 - 1);
  const labels = Uint32Array.from({ length: rows }, () => Math.floor(rng.next() * classes));
  const params = initParams(plan, 4);
  const s: StepInfo = { t: 3, seed: 11, training: true, lrT: 0 };
  const fresh = () => ({ params, m: new Float32Array(0), v: new Float32Array(0), state: initState(plan) });
  const lossAt = () => {
    const st = fresh();
    const { ys } = referenceForward(plan, st, x, rows, s);
    return lossFromLogits(ys[ys.length - 1], labels, rows, plan.outputs).ce / rows;
  };
  const { grads } = referenceGradients(plan, fresh(), x, labels, rows, s);
  const cd = centralDifferences(lossAt, 1e-2, 1e-3);
  for (let i = 0; i < plan.paramCount; i += Math.max(1, Math.floor(plan.paramCount / 150))) await cd.probe(params, i, grads[i]);
  return cd.worst;
}

describe('reference gradients match central differences (h = 1e-2, float32 forward)', () => {
  it('sigmoid MLP, binary cross-entropy', async () => {
    const spec: ModelSpec = {
      name: 'm',
      inputShape: [6],
      layers: [
        { type: 'Dense', units: 5, activation: 'sigmoid' },
        { type: 'Dense', units: 4, activation: 'sigmoid' },
        { type: 'Dense', units: 1, activation: 'sigmoid' },
      ],
    };
    expect(await check(spec, 9, 2)).toBeLessThan(2e-2);
  });
  it('softmax output, sparse categorical cross-entropy', async () => {
    const spec: ModelSpec = {
      name: 'm',
      inputShape: [6],
      layers: [
        { type: 'Dense', units: 5, activation: 'sigmoid' },
        { type: 'Dense', units: 4, activation: 'softmax' },
      ],
    };
    expect(await check(spec, 9, 4)).toBeLessThan(2e-2);
  });
  it('dropout (fixed mask for a fixed step) and batch normalization', async () => {
    const spec: ModelSpec = {
      name: 'm',
      inputShape: [6],
      layers: [
        { type: 'Dense', units: 5 },
        { type: 'BatchNormalization' },
        { type: 'Activation', activation: 'sigmoid' },
        { type: 'Dropout', rate: 0.3 },
        { type: 'Dense', units: 4, activation: 'sigmoid' },
        { type: 'BatchNormalization' },
        { type: 'Dense', units: 3, activation: 'softmax' },
      ],
    };
    expect(await check(spec, 12, 3)).toBeLessThan(2e-2);
  });
});
