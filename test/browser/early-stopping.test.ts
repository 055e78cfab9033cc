// Early stopping on real WebGPU: the weights put back are, bit for bit, those a run of exactly
// best_epoch epochs ends with (parameters and batch-norm statistics), per replica too; a run whose
// patience never runs out keeps its last epoch's weights (Keras 2.x); the copies cost no submit
// or readback.
import { describe, expect, it } from 'vitest';
import type { EarlyStoppingConfig } from '../../src/experiments/early-stopping.ts';
import type { Experiment } from '../../src/experiments/presets.ts';
import type { ExperimentRunResult } from '../../src/experiments/run.ts';
import { ExperimentRun } from '../../src/experiments/run.ts';
import { Trainer } from '../../src/graph/trainer.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { Rng } from '../../src/random.ts';
import { syntheticBinary } from '../synthetic.ts';
import { sharedGpu } from './harness.ts';

// BatchNormalization, so its moving statistics are kept and restored too; small data, so the
// validation loss turns up within a few epochs.
const spec: ModelSpec = {
  name: 'm',
  inputShape: [100],
  layers: [
    { type: 'Dense', units: 64, activation: 'relu' },
    { type: 'BatchNormalization' },
    { type: 'Dense', units: 32, activation: 'relu' },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ],
};
const data = syntheticBinary({ train: 120, test: 200, features: 100, format: 'bits', seed: 9 });
// A fifth of the training labels flipped: the model learns the noise, and the validation loss
// turns up after a few epochs.
const noise = new Rng(5);
data.train.y.forEach((y, i) => (data.train.y[i] = noise.next() < 0.2 ? 1 - y : y));
const EPOCHS = 15;
const experiment: Experiment = { id: 'es', dataset: 'imdb', batchSize: 20, models: [{ name: 'm', spec, epochs: EPOCHS }] };

type State = { params: Float32Array; state: Float32Array };

/** Runs the experiment with early stopping; the final weights of each replica, as evaluated. */
async function runWith(earlyStopping: EarlyStoppingConfig, seeds: number[]) {
  const { gpu } = await sharedGpu();
  const finals: State[] = [];
  const run = new ExperimentRun(gpu, experiment, data, {
    seeds,
    earlyStopping,
    onTrained: async (_, t) => {
      for (let r = 0; r < seeds.length; r++) finals.push(await t.readState(r));
    },
  });
  const result: ExperimentRunResult = await run.run();
  return { model: result.models[0], finals };
}

/** A plain run of `epochs` epochs with one seed: its weights, history and test scores. */
async function plain(seed: number, epochs: number) {
  const { gpu } = await sharedGpu();
  const t = await Trainer.create(gpu, spec, data, { batchSize: 20, seed });
  await t.fit({ epochs });
  const out = { state: await t.readState(), history: t.history, test: await t.evaluate(), stats: t.stats };
  t.dispose();
  return out;
}

const bits = (s: State) => [...new Uint32Array(s.params.buffer, s.params.byteOffset, s.params.length), ...new Uint32Array(s.state.buffer)];

describe('early stopping', () => {
  it('patience runs out: the restored weights are, bit for bit, those after the best epoch; the test scores are theirs', async () => {
    const { model, finals } = await runWith({ patience: 2, restore_best_weights: true }, [1]);
    const es = model.earlyStopping!;
    expect(es.stopped_epoch).not.toBeNull();
    expect(es.restored_epoch).toBe(es.best_epoch);
    expect(es.stopped_epoch).toBeLessThan(EPOCHS);
    expect(model.history.val_loss).toHaveLength(es.stopped_epoch!);
    const val = model.history.val_loss;
    expect(val.indexOf(Math.min(...val)) + 1).toBe(es.best_epoch);
    const best = await plain(1, es.best_epoch!);
    expect(bits(finals[0])).toEqual(bits(best.state));
    expect(model.test).toEqual(best.test);
    // The history up to the stop is the plain run's, epoch for epoch.
    const longer = await plain(1, es.stopped_epoch!);
    expect(model.history).toEqual(longer.history);
    expect([model.stats!.submitsPerEpoch, model.stats!.readbacksPerEpoch]).toEqual([1, 1]);
  });

  it('patience does not run out: no stop, no restore; the last epoch’s weights (Keras 2.x)', async () => {
    const { model, finals } = await runWith({ patience: EPOCHS, restore_best_weights: true }, [1]);
    expect(model.earlyStopping).toMatchObject({ stopped_epoch: null, restored_epoch: null });
    expect(model.earlyStopping!.best_epoch).toBeLessThan(EPOCHS);
    const last = await plain(1, EPOCHS);
    expect(bits(finals[0])).toEqual(bits(last.state));
    expect(model.test).toEqual(last.test);
  });

  it('replicas stop on their own: a stopped one ends with the weights after its own best epoch, one that trains on with its last', async () => {
    const seeds = [1, 2, 3];
    const { model, finals } = await runWith({ patience: 1, restore_best_weights: true }, seeds);
    const outcomes = model.replicas.map((r) => r.earlyStopping!);
    // On SwiftShader seeds 1 and 2 stop and seed 3 improves to the end: both paths in one batch.
    expect(outcomes.some((o) => o.stopped_epoch !== null)).toBe(true);
    // The model trains until the last replica stops (here: to its last epoch).
    const allStopped = outcomes.every((o) => o.stopped_epoch !== null);
    expect(model.earlyStopping!.stopped_epoch).toBe(allStopped ? Math.max(...outcomes.map((o) => o.stopped_epoch!)) : null);
    for (const [r, seed] of seeds.entries()) {
      const o = outcomes[r];
      expect(o.restored_epoch).toBe(o.stopped_epoch === null ? null : o.best_epoch);
      const expected = await plain(seed, o.restored_epoch ?? model.history.val_loss.length);
      expect(bits(finals[r]), `replica ${r}`).toEqual(bits(expected.state));
      expect(model.replicas[r].test, `replica ${r}`).toEqual(expected.test);
    }
  });
});
