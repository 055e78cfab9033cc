// The debug switch's step check (src/debug/check-step.ts) on real WebGPU: every dispatch of a
// training step and a validation batch against its CPU twin, for models that use every kernel.
import { describe, expect, it } from 'vitest';
import { checkStep, formatChecks } from '../../src/debug/check-step.ts';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { dataShape, lower } from '../../src/graph/lower.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { compilePlan } from '../../src/plan/plan.ts';
import { synthetic, syntheticBinary } from '../synthetic.ts';
import { sharedGpu } from './harness.ts';

const imdb = syntheticBinary({ train: 100, test: 60, features: 100, format: 'bits' });
const pixels = synthetic({ train: 100, test: 60, features: 784, classes: 10, format: 'u8', inputShape: [28, 28] });
const everything: ModelSpec = {
  name: 'everything',
  inputShape: [100],
  layers: [
    { type: 'Flatten' },
    { type: 'BatchNormalization' },
    { type: 'Dense', units: 48, activation: 'relu', kernel_regularizer: { l1: 0.001, l2: 0.001 } },
    { type: 'Dropout', rate: 0.3 },
    { type: 'BatchNormalization' },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ],
};

describe('debug step check: every dispatch of a step vs its CPU twin', () => {
  const cases: [string, ModelSpec, typeof imdb][] = [
    ['L1/L2 + Dropout + BatchNormalization (also on the input)', everything, imdb],
    // the lab's models but the overfitting one (its kernels are the basic one's, larger), each spec once
    ...EXPERIMENTS.filter((e) => e.id !== 'imdb-overfit').flatMap((e) =>
      e.models
        .filter((m) => !(e.id === 'dropout' && m.name === 'basic')) // the same spec as regularization/basic
        .map((m) => [`${e.id}/${m.name}`, m.spec, e.dataset === 'imdb' ? imdb : pixels] as [string, ModelSpec, typeof imdb]),
    ),
  ];
  for (const [name, spec, data] of cases)
    it(name, async () => {
      const { gpu } = await sharedGpu();
      const checks = await checkStep(gpu, spec, data, { batchSize: 50, seed: 5 });
      console.log(`[check-step] ${name}\n${formatChecks(checks)}`);
      // every dispatch of the lowered step and validation batch wrote at least one checked buffer
      const lowered = lower(compilePlan(spec), dataShape(data), { batchSize: 50 });
      const checked = (phase: string) => [...new Set(checks.filter((c) => c.phase === phase).map((c) => c.label))];
      expect(checked('train')).toEqual([...new Set(lowered.train.map((d) => d.label))]);
      expect(checked('validate')).toEqual([...new Set(lowered.validate.map((d) => d.label))]);
      for (const c of checks) expect(c.worst, `${c.phase} ${c.label} -> ${c.buffer}`).toBeLessThanOrEqual(1);
    });

  it('fails where GPU and CPU differ: with zero tolerance the float sums disagree somewhere', async () => {
    const { gpu } = await sharedGpu();
    const checks = await checkStep(gpu, everything, imdb, { batchSize: 50, seed: 5 }, { atol: 0, rtol: 0 });
    expect(checks.some((c) => c.worst > 1)).toBe(true);
    expect(formatChecks(checks)).toMatch(/FAIL/);
  });
});
