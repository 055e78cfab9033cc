// The model editor without a browser: drafts of the presets round-trip exactly, every edit, each
// field's message (the model spec's own words), the summary as it changes, the `controls` default,
// the link encoding, and the run's learning rate reaching every replica.
import { describe, expect, it } from 'vitest';
import type { Experiment } from '../../src/experiments/presets.ts';
import { EXPERIMENTS, findExperiment, validateExperiment } from '../../src/experiments/presets.ts';
import { ExperimentRun } from '../../src/experiments/run.ts';
import type { Gpu } from '../../src/gpu/device.ts';
import type { Dataset } from '../../src/data/dataset.ts';
import { validateSpec } from '../../src/model/spec.ts';
import {
  addLayer,
  addModel,
  checkDraft,
  checkModel,
  decodeExperiment,
  draftOf,
  duplicateModel,
  encodeExperiment,
  experimentOf,
  hasBatchNorm,
  LINK_VERSION,
  LinkError,
  MAX_MODELS,
  removeLayer,
  removeModel,
  renameModel,
  runField,
  setLayerField,
  setRunText,
  toggleBatchNorm,
} from '../../src/ui/overfit-lab/edit-model.ts';
import type { LabRunner } from '../../src/ui/overfit-lab/lab-runner.ts';
import { RunController } from '../../src/ui/overfit-lab/run-controller.ts';
import type { Settings } from '../../src/ui/overfit-lab/settings.ts';
import { readSettings, runExperiment } from '../../src/ui/overfit-lab/settings.ts';
import { parseControls } from '../../src/ui/overfit-lab/series.ts';
import type { OverfitStartDetail } from '../../src/ui/overfit-lab/types.ts';
import { FakeHost } from './fake-host.ts';
import { MESSAGES } from '../../src/ui/i18n.ts';

const dropout = () => draftOf(findExperiment('dropout'));
const specMessage = (spec: unknown) => {
  try {
    validateSpec(spec);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('drafts', () => {
  it('every preset round-trips: the same models, batch size and epochs; the learning rate is Adam’s default', () => {
    for (const e of EXPERIMENTS) {
      const back = experimentOf(draftOf(e));
      expect(back).toEqual({ ...e, learningRate: 0.001 });
      const check = checkDraft(draftOf(e));
      expect(check.first).toBeNull();
      expect(check.experiment).toEqual(back);
    }
  });

  it('the run settings join the experiment: seed, every model’s epochs and the training rows', () => {
    const e = experimentOf(dropout(), { seed: 3, epochs: 2, trainLimit: 300 });
    expect(e).toMatchObject({ id: 'dropout', seed: 3, trainLimit: 300, batchSize: 500, learningRate: 0.001 });
    expect(e.models.map((m) => m.epochs)).toEqual([2, 2]);
    expect(() => validateExperiment(e)).not.toThrow();
  });

  it('Dropout 0.5 and L2 0.01 on the dropout model’s Dense layers', () => {
    let d = dropout();
    const m = d.models.findIndex((x) => x.name === 'dropout');
    d.models[m].layers.forEach((l, i) => {
      if (l.type === 'Dropout') d = setLayerField(d, m, i, 'rate', '0.5');
    });
    for (const i of [0, 2]) d = setLayerField(d, m, i, 'l2', '0.01');
    const spec = checkDraft(d).experiment!.models[m].spec;
    expect(spec.layers).toEqual([
      { type: 'Dense', units: 128, activation: 'relu', kernel_regularizer: { l2: 0.01 } },
      { type: 'Dropout', rate: 0.5 },
      { type: 'Dense', units: 128, activation: 'relu', kernel_regularizer: { l2: 0.01 } },
      { type: 'Dropout', rate: 0.5 },
      { type: 'Dense', units: 1, activation: 'sigmoid' },
    ]);
  });
});

describe('validation as you type: the model spec’s messages, each on its field', () => {
  it('a Dropout rate of 1.5, units 0 and a bad L1 at once, each with validateSpec’s words', () => {
    let d = dropout();
    d = setLayerField(d, 1, 1, 'rate', '1.5');
    d = setLayerField(d, 1, 0, 'units', '0');
    d = setLayerField(d, 1, 2, 'l1', '-1');
    const c = checkModel(d, 1);
    expect(c.errors.get('L1.rate')).toBe('layer 2 (Dropout): rate must be a number in [0, 1), got 1.5');
    expect(c.errors.get('L0.units')).toBe('layer 1 (Dense): units must be a positive integer, got 0');
    expect(c.errors.get('L2.l1')).toBe('layer 3 (Dense): kernel_regularizer must be {l1: rate} and/or {l2: rate} with rates >= 0, got {"l1":-1}');
    expect(c.params).toBeNull();
    // the same words as the spec itself gives for that one problem
    const one = setLayerField(dropout(), 1, 1, 'rate', '1.5');
    expect(checkModel(one, 1).errors.get('L1.rate')).toBe(specMessage(experimentOf(one).models[1].spec));
    const all = checkDraft(d);
    expect(all.experiment).toBeNull();
    expect(all.first).toBe('dropout: layer 1 (Dense): units must be a positive integer, got 0');
  });

  it('text that is not a number says what was typed; an empty unit count says undefined', () => {
    expect(checkModel(setLayerField(dropout(), 0, 0, 'units', 'abc'), 0).errors.get('L0.units')).toBe(
      'layer 1 (Dense): units must be a positive integer, got "abc"',
    );
    expect(checkModel(setLayerField(dropout(), 0, 0, 'units', ''), 0).errors.get('L0.units')).toMatch(/units must be a positive integer, got/);
  });

  it('structural problems (compilePlan) belong to the layer; names to the name field', () => {
    const d = dropout();
    const twoDropouts = {
      ...d,
      models: [d.models[0], { ...d.models[1], layers: [d.models[1].layers[0], d.models[1].layers[1], d.models[1].layers[1], ...d.models[1].layers.slice(2)] }],
    };
    expect(checkModel(twoDropouts, 1).errors.get('L2')).toBe(
      'layer 3 (Dropout): two Dropout layers in a row are not supported; use one with the combined rate',
    );
    const sigmoid2 = setLayerField(d, 0, 2, 'units', '2');
    expect(checkModel(sigmoid2, 0).errors.get('L2')).toMatch(/a sigmoid output needs units: 1/);
    const softmaxHidden = setLayerField(d, 0, 0, 'activation', 'softmax');
    expect(checkModel(softmaxHidden, 0).errors.get('L0.activation')).toBe("layer 1 (Dense): softmax is supported only as the model's final activation");
    expect(checkModel(renameModel(d, 1, 'basic'), 1).errors.get('name')).toBe('models[1].name "basic" is used twice');
    expect(checkModel(renameModel(d, 0, ''), 0).errors.get('name')).toBe('models[0].name must be a non-empty string');
  });

  it('run fields: validateExperiment’s words; empty epochs and training rows are the defaults', () => {
    expect(runField('learningRate', '0')).toEqual({ value: undefined, error: "learningRate must be a number > 0 (Adam's default: 0.001), got 0" });
    expect(runField('learningRate', '0.01')).toEqual({ value: 0.01, error: null });
    expect(runField('batchSize', '12.5').error).toBe('batchSize must be a positive integer, got 12.5');
    expect(runField('seed', '-1').error).toBe('seed must be an integer in [0, 4294967295], got -1');
    expect(runField('seed', '').error).toBe('seed must be an integer in [0, 4294967295], got ""');
    expect(runField('epochs', '')).toEqual({ value: undefined, error: null });
    expect(runField('epochs', '0').error).toBe('epochs must be a positive integer, got 0');
    expect(runField('trainLimit', '')).toEqual({ value: undefined, error: null });
    expect(runField('trainLimit', 'x').error).toBe('trainLimit must be a positive integer, got "x"');
    const c = checkDraft(setRunText(dropout(), 'batchSize', '0'), { seed: '2', epochs: 'x' });
    expect([...c.run.keys()]).toEqual(['epochs', 'batchSize']);
    expect(c.first).toBe('epochs must be a positive integer, got "x"');
  });
});

describe('edits', () => {
  it('BatchNormalization after a Dense layer: on and off; the summary counts its 4 parameters per feature', () => {
    const d = dropout();
    const before = checkModel(d, 0).params!.total;
    const on = toggleBatchNorm(d, 0, 0);
    expect(hasBatchNorm(on.models[0], 0)).toBe(true);
    expect(on.models[0].layers.map((l) => l.type)).toEqual(['Dense', 'BatchNormalization', 'Dense', 'Dense']);
    const c = checkModel(on, 0);
    expect(c.params).toEqual({ total: before + 4 * 128, trainable: before + 2 * 128, nonTrainable: 2 * 128 });
    expect(c.layers!.map((l) => l.name)).toEqual(['dense', 'batch_normalization', 'dense_1', 'dense_2']);
    expect(toggleBatchNorm(on, 0, 0)).toEqual(d);
  });

  it('add and remove layers; the parameter count follows', () => {
    const d = addLayer(dropout(), 0, 'Dense');
    expect(d.models[0].layers.map((l) => `${l.type}${l.units}`)).toEqual(['Dense128', 'Dense128', 'Dense64', 'Dense1']);
    expect(checkModel(d, 0).params!.total).toBe(29_569 - 129 + 128 * 64 + 64 + 65);
    const dr = addLayer(d, 0, 'Dropout');
    expect(dr.models[0].layers.map((l) => l.type)).toEqual(['Dense', 'Dense', 'Dense', 'Dropout', 'Dense']);
    expect(dr.models[0].layers[3].rate).toBe('0.5');
    expect(removeLayer(removeLayer(dr, 0, 3), 0, 2)).toEqual(dropout());
  });

  it('add, duplicate, rename and remove models, at most six, at least one', () => {
    let d = dropout();
    d = duplicateModel(d, 1);
    expect(d.models.map((m) => m.name)).toEqual(['basic', 'dropout', 'dropout_copy']);
    d = addModel(d);
    expect(d.models[3]).toMatchObject({ name: 'model_4', epochs: 20, inputShape: [100] });
    expect(experimentOf(d).models[3].spec.layers).toEqual([
      { type: 'Dense', units: 64, activation: 'relu' },
      { type: 'Dense', units: 1, activation: 'sigmoid' },
    ]);
    d = addModel(addModel(d));
    expect(d.models).toHaveLength(MAX_MODELS);
    expect(addModel(d)).toBe(d);
    expect(duplicateModel(d, 0)).toBe(d);
    d = renameModel(d, 2, 'wide');
    expect(checkDraft(d).experiment!.models[2].spec.name).toBe('wide');
    let one = dropout();
    one = removeModel(one, 0);
    expect(one.models.map((m) => m.name)).toEqual(['dropout']);
    expect(removeModel(one, 0)).toBe(one);
    // a new image model starts with Flatten
    const img = addModel(draftOf(findExperiment('batchnorm')));
    expect(experimentOf(img).models[2].spec.layers.map((l) => l.type)).toEqual(['Flatten', 'Dense', 'Dense']);
    expect(checkModel(img, 2).errors.size).toBe(0);
  });
});

describe('the experiment as a link', () => {
  it('round-trips, compact and versioned', async () => {
    let d = dropout();
    d = setLayerField(d, 1, 1, 'rate', '0.5');
    const e = experimentOf(d, { seed: 4, epochs: 3, trainLimit: 300 });
    const link = await encodeExperiment(e);
    expect(link).toMatch(new RegExp(`^${LINK_VERSION}\\.[A-Za-z0-9_-]+$`));
    expect(link.length).toBeLessThan(JSON.stringify(e).length / 2);
    expect(await decodeExperiment(link)).toEqual(e);
  });

  it('a newer version, a damaged text or an invalid experiment say so', async () => {
    const e = findExperiment('dropout');
    const link = await encodeExperiment(e);
    const fails = async (text: string) =>
      decodeExperiment(text).then(
        () => null,
        (x: LinkError) => x,
      );
    const newer = await fails(link.replace(/^1\./, '2.'));
    expect(newer).toBeInstanceOf(LinkError);
    expect(newer).toMatchObject({ kind: 'version', message: expect.stringMatching(/newer version of overfit-lab \(format 2; this one reads up to 1\)/) });
    expect(await fails('1.abc')).toMatchObject({ kind: 'corrupt' });
    expect(await fails('hello')).toMatchObject({ kind: 'corrupt' });
    const bad: Experiment = { ...e, batchSize: 0 };
    expect(await fails(await encodeExperiment(bad))).toMatchObject({ kind: 'invalid', message: 'experiment: batchSize must be a positive integer, got 0' });
  });
});

describe('the edit control and the run’s learning rate', () => {
  it('`all` is every control but the editor; `all edit` adds it', () => {
    expect(parseControls('all').has('edit')).toBe(false);
    expect(parseControls('').has('edit')).toBe(false);
    expect(parseControls('all edit').has('edit')).toBe(true);
    expect(parseControls('all edit').has('run')).toBe(true);
    expect([...parseControls('run edit')]).toEqual(['run', 'edit']);
  });

  it('the experiment’s learningRate and seed reach every replica; a lr sweep keeps its own', () => {
    const gpu = { adapter: { vendor: 'test', architecture: 'test' } } as unknown as Gpu;
    const data = { name: 'imdb' } as unknown as Dataset;
    const e = { ...findExperiment('dropout'), learningRate: 0.01, seed: 5 };
    const run = new ExperimentRun(gpu, e, data, {});
    expect(run.replicas.get('basic')).toEqual([{ seed: 5, lr: 0.01 }]);
    expect(run.result.seed).toBe(5);
    const sweep = new ExperimentRun(gpu, e, data, { seeds: [1], sweep: { param: 'lr', values: [0.1, 0.2] } });
    expect(sweep.replicas.get('basic')).toEqual([
      { seed: 1, lr: 0.1 },
      { seed: 1, lr: 0.2 },
    ]);
    expect(new ExperimentRun(gpu, findExperiment('dropout'), data, {}).replicas.get('basic')).toEqual([{ seed: 1 }]);
  });

  it('every editor text exists in both languages', () => {
    expect(Object.keys(MESSAGES.ko.edit).sort()).toEqual(Object.keys(MESSAGES.en.edit).sort());
  });
});

describe('the run controller and the edited experiment', () => {
  it('runs the edited experiment, says so in overfit-start (a spec that repeats the run), and refuses while an edit is invalid', async () => {
    const h = new FakeHost();
    Object.assign(h, { epochs: 2, seed: 4, trainLimit: 300, testLimit: 200 });
    const opened: Settings[] = [];
    const runner: LabRunner = {
      probe: async () => null,
      open: async (s) => {
        opened.push(s);
        throw new Error('no GPU in this test');
      },
    };
    const c = new RunController(h, runner);
    const starts: OverfitStartDetail[] = [];
    h.addEventListener('overfit-start', (e) => starts.push((e as CustomEvent<OverfitStartDetail>).detail));
    let d = setLayerField(dropout(), 1, 1, 'rate', '0.5');
    h.edited = checkDraft(d).experiment;
    h.update();
    await c.probe();
    expect(c.models.map((m) => m.name)).toEqual(['basic', 'dropout']);
    expect(c.models[1].spec.layers[1]).toEqual({ type: 'Dropout', rate: 0.5 });

    // an invalid edit: Start does nothing
    d = setLayerField(d, 1, 1, 'rate', '1.5');
    h.editError = checkDraft(d).first;
    expect(h.editError).toBe('dropout: layer 2 (Dropout): rate must be a number in [0, 1), got 1.5');
    await c.start();
    expect(opened).toHaveLength(0);
    expect(starts).toHaveLength(0);

    h.editError = null;
    await c.start();
    expect(opened).toHaveLength(1);
    expect(opened[0].experiment.models[1].spec.layers[1]).toEqual({ type: 'Dropout', rate: 0.5 });
    const [start] = starts;
    expect(start.experiment).toMatchObject({ id: 'dropout', dataset: 'imdb', seed: 4, trainLimit: 300, testLimit: 200, learningRate: 0.001 });
    expect(start.experiment.models.map((m) => m.epochs)).toEqual([2, 2]);
    expect(() => validateExperiment(start.experiment)).not.toThrow();
    // the spec it gives repeats the run: the same settings from it
    h.edited = start.experiment;
    h.epochs = undefined;
    expect(runExperiment(readSettings(h))).toEqual(start.experiment);
  });
});
