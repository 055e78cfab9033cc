// Every lab preset builds, counts its parameters as Keras does, and trains 2 short epochs on the
// real data on the GPU with finite, Keras-shaped history. The curves do not move unless a change
// means them to: each preset's histories and test scores equal, bit for bit, a golden file written
// by the code before the lowering refactor. Floating point depends on the adapter, so that check
// holds on SwiftShader (CI, machines without a GPU) and says it is skipped elsewhere. A change that
// moves curves on purpose updates the files (`npx vitest run -u test/browser/presets.test.ts`) and
// says so in its commit.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-browser.ts';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { ExperimentRun } from '../../src/experiments/run.ts';
import { sharedGpu } from './harness.ts';

const KERAS_COUNTS: Record<string, Record<string, number>> = {
  'imdb-overfit': { basic: 58_881, overfitting: 1_154_049 },
  regularization: { basic: 29_569, l1: 29_569, l2: 29_569 },
  dropout: { basic: 29_569, dropout: 29_569 },
  batchnorm: { basic: 118_282, batchnorm: 119_306 },
};

const { gpu: probe } = await sharedGpu();
const swiftshader = probe.adapter.architecture === 'swiftshader';

describe(`lab presets on real data (200 train / 200 test rows, 2 epochs)${swiftshader ? '' : `; golden histories skipped: adapter ${probe.adapter.architecture || probe.adapter.vendor} is not SwiftShader`}`, () => {
  for (const experiment of EXPERIMENTS)
    it(experiment.id, async () => {
      const { gpu } = await sharedGpu();
      const data = await loadDataset(experiment.dataset, { trainLimit: 200, testLimit: 200 });
      const epochs: string[] = [];
      const run = new ExperimentRun(gpu, experiment, data, { epochs: 2, seed: 3 }, (e) => e.type === 'epoch' && epochs.push(`${e.model}:${e.log.epoch}`));
      const result = await run.run();
      expect(Object.fromEntries(result.models.map((m) => [m.name, m.params]))).toEqual(KERAS_COUNTS[experiment.id]);
      expect(epochs).toHaveLength(2 * experiment.models.length);
      const pure = experiment.dataset === 'imdb' ? 'binary_crossentropy' : 'sparse_categorical_crossentropy';
      for (const m of result.models) {
        expect(m.error).toBeNull();
        expect(Object.keys(m.history).sort()).toEqual(['accuracy', 'loss', pure, 'val_accuracy', 'val_loss', `val_${pure}`, 'weight_l1'].sort());
        for (const values of Object.values(m.history)) {
          expect(values).toHaveLength(2);
          for (const v of values) expect(Number.isFinite(v)).toBe(true);
        }
        expect(Object.keys(m.test!).sort()).toEqual(['accuracy', 'loss', pure].sort());
        expect(m.stats!.readbacksPerEpoch).toBe(1);
        expect(m.stats!.buffersCreatedAfterFirstStep).toBe(0);
      }
      expect(JSON.parse(JSON.stringify(result))).toEqual(result); // plain JSON, numbers as numbers
      if (swiftshader) {
        const curves = Object.fromEntries(result.models.map((m) => [m.name, { history: m.history, test: m.test }]));
        await expect(`${JSON.stringify(curves, null, 1)}\n`).toMatchFileSnapshot(`./golden/${experiment.id}.json`);
      }
    });
});
