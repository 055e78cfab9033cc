// Every lab preset builds, counts its parameters as Keras does, and trains 2 short epochs on the
// real data on the GPU with finite, Keras-shaped history.
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

describe('lab presets on real data (200 train / 200 test rows, 2 epochs)', () => {
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
    });
});
