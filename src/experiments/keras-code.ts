// "Copy as Keras": an experiment as the page ran it, written as a complete TensorFlow / tf.keras
// script in the course's style (load the data, multi-hot, Sequential, compile, fit, evaluate, plot).
// Pure: no DOM, no GPU; the editor's "Copy as Keras" button calls kerasScript().
import type { DatasetName } from '../data/format.ts';
import type { LayerSpec } from '../model/spec.ts';
import { lossMetricOf, ModelSpecError, validateSpec } from '../model/spec.ts';
import { ADAM } from '../plan/adam.ts';
import type { EarlyStoppingConfig } from './early-stopping.ts';
import { earlyStoppingSettings } from './early-stopping.ts';
import type { Experiment } from './presets.ts';

/** The settings of the run the script reproduces: what the page or the CLI trained with. */
export interface KerasScriptOptions {
  /** The run's seed (the page's default is 1); with several seeds, the first one. */
  seed: number;
  /** Adam's learning rate; default 0.001 (Keras' and the page's). */
  learningRate?: number;
  /** Overrides every model's epoch count, as RunOptions.epochs. */
  epochs?: number;
  /** The first N training / test rows, as the page's `train-limit` / `test-limit`. */
  trainLimit?: number;
  testLimit?: number;
  /** The data set (default: the experiment's), e.g. `fashion-mnist` for `batchnorm`. */
  dataset?: DatasetName;
  /** Only these models (by name), as RunOptions.models; default all. */
  models?: string[];
  /** Keras' EarlyStopping for every model, as RunOptions.earlyStopping. */
  earlyStopping?: EarlyStoppingConfig | null;
}

/** Keras' BatchNormalization defaults (the page's too): written out so the script says them. */
const BN_MOMENTUM = 0.99;
const BN_EPSILON = 0.001;

/**
 * A complete Python script that trains `experiment`'s models with tf.keras as the page trained
 * them: the same data (IMDB as `imdb.load_data(num_words=100)` turned multi-hot, or MNIST /
 * Fashion-MNIST scaled by 1/255, cut to the same first rows), one `Sequential` per model with the
 * same layers, initializers (glorot_uniform kernels, zero biases), regularizers, Dropout rates and
 * BatchNormalization settings, Adam with the same learning rate, beta_1, beta_2 and epsilon, the
 * same loss and metrics, batch size and epochs, validation on the test split each epoch, the test
 * scores printed as the lab prints them (`scores_<model>:`) and the loss curves plotted (train
 * solid, validation dashed). The seed is set with `tf.keras.utils.set_random_seed` before each
 * model, as each model of a page run starts from the seed; TensorFlow's random streams are not the
 * page's, so the curves agree in distribution, not digit for digit.
 *
 * One run: replicas (several seeds, sweeps) are not written; pass the first seed.
 * Throws ModelSpecError on an invalid model or option (the message names it).
 */
export function kerasScript(experiment: Experiment, options: KerasScriptOptions): string {
  const o = checkOptions(experiment, options);
  const runs = options.models?.length ? experiment.models.filter((m) => options.models!.includes(m.name)) : experiment.models;
  const dataset = options.dataset ?? experiment.dataset;
  const idents = pyIdentifiers(runs.map((m) => m.name));
  const es = options.earlyStopping ? earlyStoppingSettings(options.earlyStopping) : null;
  const lines: string[] = [];
  const add = (...l: string[]) => lines.push(...l);

  add(
    `# overfit-lab, "Copy as Keras": the experiment ${pyComment(experiment.id)} as the page ran it,`,
    `# on ${dataset}, with seed ${o.seed}.`,
    '# TensorFlow 2.x with tf.keras; the page follows Keras 2 semantics (TF <= 2.15, or TF >= 2.16 with',
    '# `pip install tf-keras` and TF_USE_LEGACY_KERAS=1). Needs numpy and matplotlib.',
    'import matplotlib.pyplot as plt',
    'import numpy as np',
    'import tensorflow as tf',
    `from tensorflow.keras import layers, optimizers, regularizers`,
    `from tensorflow.keras.datasets import ${dataset === 'imdb' ? 'imdb' : dataset === 'mnist' ? 'mnist' : 'fashion_mnist'}`,
    '',
    "# The seed fixes this script's initial weights, shuffles and dropout masks. TensorFlow draws them",
    "# from other random streams than the page, so the curves agree with the page's in distribution,",
    '# not digit for digit.',
    `SEED = ${o.seed}`,
    '',
  );
  add(...dataLines(dataset, o.trainLimit, o.testLimit));

  runs.forEach((m, i) => {
    const id = idents[i];
    const loss = lossMetricOf(m.spec);
    const epochs = o.epochs ?? m.epochs;
    add(
      '',
      `# Model ${pyStr(m.name)}`,
      `tf.keras.utils.set_random_seed(SEED)  # each model starts from the seed, as on the page`,
      `model_${id} = tf.keras.Sequential([`,
      ...m.spec.layers.map((l, j, all) => `    ${layerCall(l, kerasLayerName(all, j), j === 0 ? m.spec.inputShape : null)},`),
      '])',
      `model_${id}.compile(`,
      `    optimizer=optimizers.Adam(learning_rate=${pyFloat(o.learningRate)}, beta_1=${pyFloat(ADAM.beta1)}, beta_2=${pyFloat(ADAM.beta2)}, epsilon=${pyFloat(ADAM.epsilon)}),`,
      `    loss=${pyStr(loss)},`,
      `    metrics=['accuracy', ${pyStr(loss)}])`,
      `model_${id}.summary()`,
    );
    const callbacks = es ? `, callbacks=[${earlyStoppingCall(es)}]` : '';
    if (es && !['loss', 'accuracy', 'val_loss', 'val_accuracy', loss, `val_${loss}`].includes(es.monitor))
      add(`# Keras does not log ${pyStr(es.monitor)} (the page does): this EarlyStopping warns and never stops.`);
    add(
      `history_${id} = model_${id}.fit(x_train, y_train, batch_size=${experiment.batchSize}, epochs=${epochs}, validation_data=(x_test, y_test), verbose=2${callbacks})`,
      `scores_${id} = model_${id}.evaluate(x_test, y_test, batch_size=${experiment.batchSize}, verbose=0)`,
      `print(${pyStr(`scores_${m.name}:`)}, scores_${id}[-1])  # [loss, accuracy, ${loss}]: the lab prints the last`,
    );
  });

  add(
    '',
    '',
    'def plot_history(histories):',
    "    # The page's loss chart: each model's pure cross-entropy, train solid, validation dashed.",
    '    plt.figure(figsize=(16, 10))',
    '    for name, history in histories:',
    "        key = next(k for k in history.history if k.endswith('crossentropy') and not k.startswith('val_'))",
    '        epochs = [e + 1 for e in history.epoch]',
    "        train = plt.plot(epochs, history.history[key], label=name + ' train')",
    "        plt.plot(epochs, history.history['val_' + key], '--', color=train[0].get_color(), label=name + ' validation')",
    "    plt.xlabel('Epochs')",
    "    plt.ylabel('Cross-entropy')",
    '    plt.legend()',
    '    plt.show()',
    '',
    '',
    `plot_history([${runs.map((m, i) => `(${pyStr(m.name)}, history_${idents[i]})`).join(', ')}])`,
  );
  return `${lines.join('\n')}\n`;
}

interface CheckedOptions {
  seed: number;
  learningRate: number;
  epochs?: number;
  trainLimit?: number;
  testLimit?: number;
}

function checkOptions(experiment: Experiment, options: KerasScriptOptions): CheckedOptions {
  const fail = (msg: string): never => {
    throw new ModelSpecError(`Copy as Keras: ${msg}`);
  };
  const posInt = (v: number | undefined, what: string) => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) fail(`${what} must be a positive integer, got ${v}`);
  };
  if (!Number.isInteger(options.seed) || options.seed < 0) fail(`seed must be an integer >= 0, got ${options.seed}`);
  const learningRate = options.learningRate ?? ADAM.learningRate;
  if (!(Number.isFinite(learningRate) && learningRate > 0)) fail(`learningRate must be a number > 0, got ${learningRate}`);
  posInt(options.epochs, 'epochs');
  posInt(options.trainLimit, 'trainLimit');
  posInt(options.testLimit, 'testLimit');
  posInt(experiment.batchSize, 'batchSize');
  const unknown = options.models?.find((n) => !experiment.models.some((m) => m.name === n));
  if (unknown !== undefined) fail(`"${unknown}" is not a model of the experiment "${experiment.id}"`);
  if (!experiment.models.length) fail('the experiment has no models');
  for (const m of experiment.models) {
    validateSpec(m.spec);
    posInt(m.epochs, `model "${m.name}": epochs`);
  }
  return { seed: options.seed, learningRate, epochs: options.epochs, trainLimit: options.trainLimit, testLimit: options.testLimit };
}

/** Loading, cutting to the page's rows and preparing the data set, in the course's style. */
function dataLines(dataset: DatasetName, trainLimit: number | undefined, testLimit: number | undefined): string[] {
  const cut = (rows: string): string[] => [
    ...(trainLimit !== undefined || testLimit !== undefined
      ? [`# The page used the first ${[trainLimit && `${trainLimit} training`, testLimit && `${testLimit} test`].filter(Boolean).join(' and ')} ${rows}.`]
      : []),
    ...(trainLimit !== undefined ? [`x_train, y_train = x_train[:${trainLimit}], y_train[:${trainLimit}]`] : []),
    ...(testLimit !== undefined ? [`x_test, y_test = x_test[:${testLimit}], y_test[:${testLimit}]`] : []),
  ];
  if (dataset === 'imdb')
    return [
      '# IMDB reviews as word indices, the 100 most frequent words only (Keras shuffles each split with',
      "# seed 113; the page's data keep that order).",
      'NUM_WORDS = 100',
      '(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=NUM_WORDS)',
      ...cut('reviews'),
      '',
      '',
      'def multi_hot_sequences(sequences, dimension):',
      '    # One row per review: 1.0 in the column of every word index it contains.',
      '    results = np.zeros((len(sequences), dimension))',
      '    for i, word_indices in enumerate(sequences):',
      '        results[i, word_indices] = 1.0',
      '    return results',
      '',
      '',
      'x_train = multi_hot_sequences(x_train, dimension=NUM_WORDS)',
      'x_test = multi_hot_sequences(x_test, dimension=NUM_WORDS)',
      '# Labels as a column, the shape of the one-unit output (Keras 3 requires it for the',
      '# binary_crossentropy metric; Keras 2 takes either).',
      "y_train = y_train.reshape(-1, 1).astype('float32')",
      "y_test = y_test.reshape(-1, 1).astype('float32')",
    ];
  const module = dataset === 'mnist' ? 'mnist' : 'fashion_mnist';
  return [
    `# 28x28 grey-level images (${dataset === 'mnist' ? 'digits' : 'clothing'}), labels 0-9.`,
    `(x_train, y_train), (x_test, y_test) = ${module}.load_data()`,
    ...cut('images'),
    'x_train, x_test = x_train / 255.0, x_test / 255.0',
  ];
}

/** One layer as the Keras call that builds it; `inputShape` on the model's first layer. */
function layerCall(l: LayerSpec, name: string | undefined, inputShape: number[] | null): string {
  const args: string[] = [];
  switch (l.type) {
    case 'Dense': {
      args.push(String(l.units));
      if (l.activation !== undefined) args.push(`activation=${pyStr(l.activation)}`);
      args.push("kernel_initializer='glorot_uniform'", "bias_initializer='zeros'");
      const r = l.kernel_regularizer;
      if (r && r.l1 !== undefined && r.l2 !== undefined) args.push(`kernel_regularizer=regularizers.l1_l2(l1=${pyFloat(r.l1)}, l2=${pyFloat(r.l2)})`);
      else if (r?.l1 !== undefined) args.push(`kernel_regularizer=regularizers.l1(${pyFloat(r.l1)})`);
      else if (r?.l2 !== undefined) args.push(`kernel_regularizer=regularizers.l2(${pyFloat(r.l2)})`);
      break;
    }
    case 'Activation':
      args.push(pyStr(l.activation));
      break;
    case 'Dropout':
      args.push(pyFloat(l.rate));
      break;
    case 'BatchNormalization':
      args.push(`momentum=${pyFloat(l.momentum ?? BN_MOMENTUM)}`, `epsilon=${pyFloat(l.epsilon ?? BN_EPSILON)}`);
      break;
    case 'Flatten':
      break;
  }
  if (name !== undefined) args.push(`name=${pyStr(name)}`);
  if (inputShape) args.push(`input_shape=(${inputShape.join(', ')}${inputShape.length === 1 ? ',' : ''})`);
  return `layers.${l.type}(${args.join(', ')})`;
}

/**
 * The Keras name of layer `i` when its spec names it: TensorFlow takes only names of the form
 * `[A-Za-z0-9][A-Za-z0-9_.-]*` (it uses them as scope names), and a model's layer names must
 * differ. Other characters become `_` (`drop 'b'` -> `drop_b`), a clash gets `_2`, `_3`; a name with
 * nothing left is dropped (Keras names the layer). The names only label the layers.
 */
export function kerasLayerName(layers: readonly LayerSpec[], i: number): string | undefined {
  const used = new Set<string>();
  let result: string | undefined;
  layers.forEach((l, j) => {
    if (j > i || l.name === undefined) return;
    const base = l.name
      .split(/[^A-Za-z0-9_.-]+/)
      .filter(Boolean)
      .join('_')
      .replace(/^[^A-Za-z0-9]+/, '');
    if (!base) return;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    if (j === i) result = name;
  });
  return result;
}

/** Keras' EarlyStopping with the arguments that differ from its defaults (monitor and patience always). */
function earlyStoppingCall(s: ReturnType<typeof earlyStoppingSettings>): string {
  const args = [`monitor=${pyStr(s.monitor)}`, `patience=${s.patience}`];
  if (s.min_delta !== 0) args.push(`min_delta=${pyFloat(s.min_delta)}`);
  if (s.mode !== 'auto') args.push(`mode=${pyStr(s.mode)}`);
  if (s.baseline !== null) args.push(`baseline=${pyFloat(s.baseline)}`);
  if (s.restore_best_weights) args.push('restore_best_weights=True');
  if (s.start_from_epoch !== 0) args.push(`start_from_epoch=${s.start_from_epoch}`);
  return `tf.keras.callbacks.EarlyStopping(${args.join(', ')})`;
}

/**
 * A float as Python's `repr` writes it: the shortest digits that read back as the same double
 * (0.001, not 0.0010000000474974513), fixed notation for 1e-4 <= |x| < 1e16, else `1e-07` style;
 * integral values keep `.0`. Throws on NaN and infinities (no Python literal).
 */
export function pyFloat(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`no Python literal for ${x}`);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // JS's toExponential() without digits is also the shortest round-trip form: d[.ddd]e±E.
  const [mantissa, exp] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const point = Number(exp) + 1; // x = 0.digits * 10^point
  if (point <= -4 || point > 16) {
    const e = Number(exp);
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A Python string literal (single quotes) of any text: quotes, backslashes, line breaks and other
 *  control or invisible format characters escaped; other Unicode (e.g. Korean) kept as it is. */
export function pyStr(s: string): string {
  const body = s.replace(/[\\']|[\p{C}\p{Zl}\p{Zp}]/gu, (c) => {
    if (c === '\\' || c === "'") return `\\${c}`;
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${hex(code, 2)}` : code <= 0xffff ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
  });
  return `'${body}'`;
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** Text made safe inside a `#` comment: one line, no control characters. */
const pyComment = (s: string) => JSON.stringify(s).replace(/[\p{C}\p{Zl}\p{Zp}]/gu, ' ');

/** Suffixes for `model_<x>`, `history_<x>`, `scores_<x>`: each name's ASCII letters, digits and
 *  underscores (other runs become one `_`), else its 1-based position; unique (`_2`, `_3` on clashes). */
export function pyIdentifiers(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    const base = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || String(i + 1);
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    return id;
  });
}
