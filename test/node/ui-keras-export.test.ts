// "Take it elsewhere" without a browser: the element's Copy as Keras arguments from its settings
// (models shown, seed, epochs, rows, learning rate, early stopping; the first of several seeds,
// with a note), the file names, the TF.js files of a model, and a Keras model.json imported into
// the editor's draft (a new model; six at most; the data set's input shape).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kerasScript } from '../../src/experiments/keras-code.ts';
import { findExperiment } from '../../src/experiments/presets.ts';
import { specFromKerasJson } from '../../src/model/keras-json.ts';
import { compilePlan, initParams, initState } from '../../src/plan/plan.ts';
import { checkDraft, draftOf, experimentOf, importModel, MAX_MODELS } from '../../src/ui/overfit-lab/edit-model.ts';
import { fileSafe, kerasFileName, kerasRun, kerasScriptOf, tfjsFileNames, tfjsFiles } from '../../src/ui/overfit-lab/keras-export.ts';
import { readSettings } from '../../src/ui/overfit-lab/settings.ts';
import type { LabHost } from '../../src/ui/overfit-lab/types.ts';

const host = (over: Partial<LabHost> = {}) =>
  ({
    experiment: 'dropout',
    models: '',
    datasetName: '',
    epochs: 2,
    seed: 1,
    seeds: 1,
    sweep: '',
    earlyStopping: '',
    trainLimit: 300,
    testLimit: 200,
    dataBase: '',
    debug: false,
    ...over,
  }) as LabHost;

const fixture = (name: string) => readFileSync(`test/fixtures/keras/${name}.json`, 'utf8');

describe('Copy as Keras from the element’s settings', () => {
  it('the run as the page runs it: seed, epochs, rows, data set, the models shown', () => {
    const s = readSettings(host());
    const { experiment, options, note } = kerasRun(s);
    expect(experiment.id).toBe('dropout');
    expect(options).toEqual({ seed: 1, epochs: 2, trainLimit: 300, testLimit: 200, dataset: 'imdb', models: ['basic', 'dropout'] });
    expect(note).toBeNull();
    const script = kerasScriptOf(s);
    expect(script).toBe(kerasScript(findExperiment('dropout'), { seed: 1, epochs: 2, trainLimit: 300, testLimit: 200 }));
    expect(script).toContain('x_train[:300]');
    expect(script).toContain('Dropout(');
  });

  it('the models attribute, the edited experiment’s learning rate, the picked data set and early stopping reach the script', () => {
    expect(kerasRun(readSettings(host({ models: 'dropout' }))).options.models).toEqual(['dropout']);
    expect(kerasScriptOf(readSettings(host({ models: 'dropout' })))).not.toMatch(/basic/);
    const edited = { ...experimentOf(draftOf(findExperiment('dropout'))), learningRate: 0.01 };
    expect(kerasRun(readSettings(host({ edited }))).options.learningRate).toBe(0.01);
    expect(kerasScriptOf(readSettings(host({ edited })))).toMatch(/learning_rate=0\.01\b/);
    const bn = kerasRun(readSettings(host({ experiment: 'batchnorm', datasetName: 'fashion-mnist' })));
    expect(bn.options.dataset).toBe('fashion-mnist');
    const es = kerasRun(readSettings(host({ earlyStopping: '3' })));
    expect(es.options.earlyStopping).toMatchObject({ patience: 3, monitor: 'val_loss' });
    expect(kerasScriptOf(readSettings(host({ earlyStopping: '3' })))).toMatch(/EarlyStopping\(/);
  });

  it('several seeds: the first one, with a note; a sweep: the models as they are, with a note', () => {
    const seeds = kerasRun(readSettings(host({ seed: 4, seeds: 3 })));
    expect(seeds.options.seed).toBe(4);
    expect(seeds.note).toEqual({ kind: 'seeds', seed: 4, count: 3 });
    const sweep = kerasRun(readSettings(host({ sweep: 'dropout=0.1,0.5' })));
    expect(sweep.note).toEqual({ kind: 'sweep', param: 'dropout', seed: 1 });
  });

  it('file names', () => {
    expect(kerasFileName({ experiment: { id: 'dropout' }, seed: 3 })).toBe('overfit-lab-dropout-seed3.py');
    expect(tfjsFileNames('basic')).toEqual({ json: 'basic.json', weights: 'basic.weights.bin' });
    expect(fileSafe('a b/c')).toBe('a-b-c');
    expect(fileSafe('../x')).toBe('x');
    expect(fileSafe('')).toBe('model');
  });

  it('a model’s TF.js files: model.json names the weights file saved beside it; the weights as float32', () => {
    const m = findExperiment('dropout').models[1];
    const plan = compilePlan(m.spec);
    const params = initParams(plan, 1);
    const f = tfjsFiles(m, { params, state: initState(plan) });
    expect(f.json.name).toBe('dropout.json');
    expect(f.weights.name).toBe('dropout.weights.bin');
    const json = JSON.parse(f.json.text);
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['dropout.weights.bin']);
    expect(f.weights.bytes.byteLength).toBe(4 * plan.paramCount);
    expect(new Float32Array(f.weights.bytes)[0]).toBe(params[0]);
  });
});

describe('Import a Keras model into the editor', () => {
  it('a new model at the end, named as in its JSON (or _2 when taken), with the first model’s epochs', () => {
    const d = draftOf(findExperiment('dropout'));
    const out = importModel(d, specFromKerasJson(fixture('imdb-overfit.basic')));
    if (!('draft' in out)) throw new Error('refused');
    expect(out.name).toBe('basic_2'); // the dropout experiment has a "basic" already
    expect(out.draft.models).toHaveLength(3);
    const check = checkDraft(out.draft);
    expect(check.first).toBeNull();
    expect(check.models[2].params?.total).toBe(58_881);
    expect(out.draft.models[2].epochs).toBe(d.models[0].epochs);
    const ov = importModel(d, specFromKerasJson(fixture('imdb-overfit.overfitting')));
    expect('draft' in ov && ov.name).toBe('overfitting');
  });

  it('refused: a seventh model; an input shape that is not the data set’s', () => {
    let d = draftOf(findExperiment('dropout'));
    const spec = specFromKerasJson(fixture('imdb-overfit.basic'));
    while (d.models.length < MAX_MODELS) {
      const out = importModel(d, spec);
      if (!('draft' in out)) throw new Error('refused');
      d = out.draft;
    }
    expect(importModel(d, spec)).toEqual({ refused: { kind: 'full', max: MAX_MODELS } });
    const mnist = specFromKerasJson(fixture('batchnorm.basic'));
    expect(importModel(draftOf(findExperiment('dropout')), mnist)).toEqual({ refused: { kind: 'shape', got: [28, 28], want: [100], dataset: 'imdb' } });
    const ok = importModel(draftOf(findExperiment('batchnorm')), mnist);
    expect('draft' in ok && checkDraft(ok.draft).first).toBeNull();
  });
});
