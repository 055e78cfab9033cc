// Dispatch, submit and readback counts of regularized models through the Trainer on real WebGPU:
// Dropout and Activation fold into matmul epilogues, BatchNormalization adds its own dispatches,
// and an epoch still has one submit and one readback, with nothing created after the first step.
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.ts';
import { Trainer } from '../../src/graph/trainer.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { synthetic } from '../synthetic.ts';
import { errorReport, sharedGpu } from './harness.ts';
import { imdbLike, inputBnModel, lab, mnistLike, regModel } from './models.ts';

const { note } = errorReport('dispatch-counts');

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
    [
      'BN on the input (2 Dense, 1 BN): the first Dense needs a dX too',
      inputBnModel,
      synthetic({ train: 300, test: 100, features: 24, classes: 3, inputShape: [4, 6] }),
      11,
      5,
    ],
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
      note(
        `dispatches per step, ${what}`,
        `${s.dispatchesPerStep} (L ${L}, BN ${B}, regularized ${plan.regularized}); per validation batch ${s.dispatchesPerValidation}`,
      );
      expect(s.dispatchesPerStep).toBe(perStep);
      const bnOnInput = plan.ops.some((o) => o.kind === 'batchnorm' && o.input === 0) ? 1 : 0;
      expect(s.dispatchesPerStep).toBe(3 * L + 2 + (plan.regularized ? 1 : 0) + 2 * B + bnOnInput);
      expect(s.dispatchesPerValidation).toBe(perValidation);
      expect(s.dispatchesPerValidation).toBe(1 + L + B + 1);
      expect(s.submitsPerEpoch).toBe(1);
      expect(s.readbacksPerEpoch).toBe(1);
      expect(s.buffersCreatedAfterFirstStep).toBe(0);
      expect(s.pipelinesCreatedAfterFirstStep).toBe(0);
      trainer.dispose();
    });
});
