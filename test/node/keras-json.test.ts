// Keras JSON import and export. The fixtures under test/fixtures/keras are the lab's models as
// tfjs-layers' model.toJSON() writes them (Keras-compatible; built with its layers API by
// scripts/keras-fixtures.ts, not by Python Keras, which is not installed here); the hand-written
// configs below follow Keras 2.x's model.to_json() (InputLayer, GlorotUniform, L1/L2 classes,
// float32-widened rates).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_DIR, FIXTURES, tfjsKerasJson } from '../../scripts/keras-fixtures.ts';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { kerasModelConfig, specFromKerasJson } from '../../src/model/keras-json.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { ModelSpecError } from '../../src/model/spec.ts';
import { countParams, layerInfo, summary } from '../../src/model/summary.ts';
import { compilePlan } from '../../src/plan/plan.ts';

const fixture = (file: string) => readFileSync(join(FIXTURE_DIR, file), 'utf8');
const preset = (id: string, model: string) => EXPERIMENTS.find((e) => e.id === id)!.models.find((m) => m.name === model)!.spec;
/** A plan without tensor names (they follow the spec's layer names). */
const planShape = (spec: ModelSpec) => {
  const p = compilePlan(spec);
  return { ops: p.ops, producers: p.producers, tensors: p.tensors.map(({ name: _, ...t }) => t), outputs: p.outputs, loss: p.loss };
};

describe("the lab's models as Keras JSON (tfjs-layers toJSON fixtures)", () => {
  it('the committed fixtures are what tfjs-layers writes today', () => {
    for (const [file, spec] of FIXTURES) expect(JSON.parse(fixture(file)), file).toEqual(tfjsKerasJson(spec));
  });

  const counts: [string, string, number][] = [
    ['imdb-overfit', 'basic', 58_881],
    ['imdb-overfit', 'overfitting', 1_154_049],
    ['regularization', 'basic', 29_569],
    ['regularization', 'l1', 29_569],
    ['regularization', 'l2', 29_569],
    ['dropout', 'basic', 29_569],
    ['dropout', 'dropout', 29_569],
    ['batchnorm', 'basic', 118_282],
    ['batchnorm', 'batchnorm', 119_306],
  ];
  it.each(counts)('%s.%s imports to the preset: %i parameters, the same summary and plan', (id, model, total) => {
    const spec = specFromKerasJson(fixture(`${id}.${model}.json`));
    const want = preset(id, model);
    expect(spec).toEqual(want);
    expect(countParams(spec).total).toBe(total);
    expect(countParams(spec)).toEqual(countParams(want));
    expect(layerInfo(spec)).toEqual(layerInfo(want));
    expect(summary(spec)).toBe(summary(want));
    expect(planShape(spec)).toEqual(planShape(want));
  });

  it('the four experiments cover the counts the course prints: 58,881, 1,154,049, 29,569, 119,306', () => {
    const first = (id: string, model: string) => countParams(specFromKerasJson(fixture(`${id}.${model}.json`))).total;
    expect([first('imdb-overfit', 'basic'), first('imdb-overfit', 'overfitting'), first('regularization', 'l2'), first('batchnorm', 'batchnorm')]).toEqual([
      58_881, 1_154_049, 29_569, 119_306,
    ]);
  });
});

describe('kerasModelConfig', () => {
  it('every preset round-trips: kerasModelConfig -> JSON text -> specFromKerasJson is the same spec', () => {
    for (const e of EXPERIMENTS)
      for (const m of e.models) expect(specFromKerasJson(JSON.stringify(kerasModelConfig(m.spec))), `${e.id}.${m.name}`).toEqual(m.spec);
  });

  it('non-default rates, momentum, epsilon, L1L2 and custom names round-trip too', () => {
    const spec: ModelSpec = {
      name: 'mixed',
      inputShape: [4, 5],
      layers: [
        { type: 'Flatten' },
        { type: 'Dense', units: 7, kernel_regularizer: { l1: 0.0005, l2: 0.002 }, name: 'hidden' },
        { type: 'BatchNormalization', momentum: 0.9, epsilon: 0.0001 },
        { type: 'Activation', activation: 'relu' },
        { type: 'Dropout', rate: 0.25 },
        { type: 'Dense', units: 3, activation: 'softmax' },
      ],
    };
    expect(specFromKerasJson(kerasModelConfig(spec))).toEqual(spec);
  });

  it('writes Keras 2 layer configs: InputLayer, Keras names, initializers, regularizer, BN fields', () => {
    const cfg = kerasModelConfig(preset('batchnorm', 'batchnorm'));
    expect(cfg.class_name).toBe('Sequential');
    expect(cfg.config.name).toBe('batchnorm');
    expect(cfg.config.layers.map((l) => [l.class_name, l.config.name])).toEqual([
      ['InputLayer', 'flatten_input'],
      ['Flatten', 'flatten'],
      ['Dense', 'dense'],
      ['BatchNormalization', 'batch_normalization'],
      ['Activation', 'activation'],
      ['Dense', 'dense_1'],
      ['BatchNormalization', 'batch_normalization_1'],
      ['Dense', 'dense_2'],
    ]);
    expect(cfg.config.layers[0].config.batch_input_shape).toEqual([null, 28, 28]);
    expect(cfg.config.layers[2].config).toMatchObject({
      units: 128,
      activation: 'linear',
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
    });
    expect(cfg.config.layers[3].config).toMatchObject({ axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true });
    expect(kerasModelConfig(preset('regularization', 'l2')).config.layers[1].config.kernel_regularizer).toEqual({
      class_name: 'L1L2',
      config: { l1: 0, l2: 0.001 },
    });
    expect(kerasModelConfig(preset('dropout', 'dropout')).config.layers[2].config).toMatchObject({ name: 'dropout', rate: 0.3 });
  });
});

/** The regularization lab's l2 model as Keras 2.x (tf.keras 2.15) writes model.to_json(). */
const keras2L2 = (reg: object) => ({
  class_name: 'Sequential',
  config: {
    name: 'sequential_3',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 100], dtype: 'float32', sparse: false, ragged: false, name: 'dense_9_input' } },
      ...[9, 10, 11].map((n) => ({
        class_name: 'Dense',
        config: {
          name: `dense_${n}`,
          trainable: true,
          dtype: 'float32',
          units: n === 11 ? 1 : 128,
          activation: n === 11 ? 'sigmoid' : 'relu',
          use_bias: true,
          kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
          bias_initializer: { class_name: 'Zeros', config: {} },
          kernel_regularizer: n === 11 ? null : reg,
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        },
      })),
    ],
  },
  keras_version: '2.15.0',
  backend: 'tensorflow',
});

describe('specFromKerasJson reads both Keras 2 regularizer forms', () => {
  const l2 = preset('regularization', 'l2');
  const named = { ...l2, name: 'sequential_3', layers: l2.layers.map((l, i) => ({ ...l, name: `dense_${9 + i}` })) };
  it('newer Keras 2: {"class_name": "L2", "config": {"l2": 0.0010000000474974513}} (float32 widened)', () => {
    expect(specFromKerasJson(keras2L2({ class_name: 'L2', config: { l2: 0.0010000000474974513 } }))).toEqual(named);
    expect(specFromKerasJson(keras2L2({ class_name: 'L1', config: { l1: 0.0010000000474974513 } })).layers[0]).toMatchObject({
      kernel_regularizer: { l1: 0.001 },
    });
  });
  it('older Keras 2 and tfjs: {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.001}}; a name argument wins', () => {
    expect(specFromKerasJson(keras2L2({ class_name: 'L1L2', config: { l1: 0, l2: 0.001 } }))).toEqual(named);
    const both = specFromKerasJson(JSON.stringify(keras2L2({ class_name: 'L1L2', config: { l1: 0.01, l2: 0.02 } })), 'mine');
    expect(both.name).toBe('mine');
    expect(both.layers[1]).toEqual({ type: 'Dense', units: 128, activation: 'relu', kernel_regularizer: { l1: 0.01, l2: 0.02 }, name: 'dense_10' });
  });
  it('a TF.js model.json ({modelTopology}) and a {model_config} wrapper are read too', () => {
    const topo = keras2L2({ class_name: 'L2', config: { l2: 0.001 } });
    expect(specFromKerasJson({ format: 'layers-model', modelTopology: topo })).toEqual(named);
    expect(specFromKerasJson({ modelTopology: { keras_version: '2.15.0', model_config: topo } })).toEqual(named);
  });
});

describe('specFromKerasJson refuses what the trainer cannot run, naming the layer and what is supported', () => {
  const base = () => JSON.parse(fixture('dropout.dropout.json'));
  const refusal = (edit: (m: { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }) => void) => {
    const m = base();
    edit(m);
    try {
      specFromKerasJson(m);
    } catch (e) {
      expect(e).toBeInstanceOf(ModelSpecError);
      return (e as Error).message;
    }
    throw new Error('not refused');
  };
  const supported = /supported: a Sequential model of InputLayer, Dense, Dropout, BatchNormalization, Activation and Flatten layers/;

  it('a Conv2D layer', () => {
    const msg = refusal((m) => m.config.layers.splice(1, 0, { class_name: 'Conv2D', config: { name: 'conv2d', filters: 8, kernel_size: [3, 3] } }));
    expect(msg).toMatch(/^layer 2 "conv2d" \(Conv2D\): Conv2D layers are not supported; /);
    expect(msg).toMatch(supported);
  });
  it('a tanh activation', () => {
    const msg = refusal((m) => (m.config.layers[2].config.activation = 'tanh'));
    expect(msg).toMatch(/^layer 3 "dense_1" \(Dense\): activation "tanh" is not supported; /);
    expect(msg).toMatch(/activations linear, relu, sigmoid, softmax/);
  });
  it('a bias_regularizer, an activity_regularizer, an unknown kernel_regularizer', () => {
    const reg = { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } };
    expect(refusal((m) => (m.config.layers[0].config.bias_regularizer = reg))).toMatch(
      /^layer 1 "dense" \(Dense\): bias_regularizer L1L2 is not supported; .*kernel_regularizer L1, L2 or L1L2/,
    );
    expect(refusal((m) => (m.config.layers[4].config.activity_regularizer = reg))).toMatch(
      /^layer 5 "dense_2" \(Dense\): activity_regularizer L1L2 is not supported/,
    );
    expect(refusal((m) => (m.config.layers[0].config.kernel_regularizer = { class_name: 'OrthogonalRegularizer', config: {} }))).toMatch(
      /^layer 1 "dense" \(Dense\): kernel_regularizer OrthogonalRegularizer is not supported \(L1, L2 or L1L2 only\)/,
    );
  });
  it('a Functional model', () => {
    const functional = { class_name: 'Functional', config: { name: 'model', layers: [], input_layers: [], output_layers: [] } };
    expect(() => specFromKerasJson(functional)).toThrow(/^model "model" \(Functional\): only Sequential models can be imported; supported: a Sequential model/);
  });
  it('use_bias false, another initializer, a BatchNormalization axis, channels_first, a frozen layer', () => {
    expect(refusal((m) => (m.config.layers[0].config.use_bias = false))).toMatch(/^layer 1 "dense" \(Dense\): use_bias: false is not supported/);
    expect(refusal((m) => (m.config.layers[0].config.kernel_initializer = { class_name: 'HeNormal', config: { seed: null } }))).toMatch(
      /^layer 1 "dense" \(Dense\): kernel_initializer HeNormal is not supported \(the trainer initializes it with glorot_uniform\)/,
    );
    expect(refusal((m) => (m.config.layers[1].config.trainable = false))).toMatch(/^layer 2 "dropout" \(Dropout\): trainable: false/);
    const bn = JSON.parse(fixture('batchnorm.batchnorm.json'));
    bn.config.layers[2].config.axis = 1;
    expect(specFromKerasJson(bn).layers[2]).toEqual({ type: 'BatchNormalization' }); // [batch, features]: axis 1 is -1
    bn.config.layers[2].config.axis = [0];
    expect(() => specFromKerasJson(bn)).toThrow(/^layer 3 "batch_normalization" \(BatchNormalization\): axis \[0\] is not supported/);
    const flat = JSON.parse(fixture('batchnorm.batchnorm.json'));
    flat.config.layers[0].config.data_format = 'channels_first';
    expect(() => specFromKerasJson(flat)).toThrow(/^layer 1 "flatten" \(Flatten\): data_format "channels_first" is not supported/);
  });
  it("what validateSpec refuses is reported with the Keras layer's name; bad JSON and no input shape too", () => {
    expect(refusal((m) => (m.config.layers[0].config.activation = 'softmax'))).toMatch(
      /^Keras model "dropout": layer "dense" \(Dense\): softmax is supported only as/,
    );
    expect(refusal((m) => delete m.config.layers[0].config.batch_input_shape)).toMatch(/^layer 1 "dense" \(Dense\): the model has no input shape/);
    expect(() => specFromKerasJson('{"class_name": ')).toThrow(/^Keras model JSON: not valid JSON/);
  });
});
