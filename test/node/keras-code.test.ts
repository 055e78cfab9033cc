// "Copy as Keras" (src/experiments/keras-code.ts): the script of each preset and of edited models
// equals its golden file under test/golden/keras/, and, read back with a small parser of its own,
// equals the spec layer by layer (and the batch size, epochs, learning rate, seed, data rows).
// With python3 on the PATH every script also passes `python3 -m py_compile`, and the number and
// string literals are checked against Python's own repr and literal_eval.
//
// The golden files are written by the generator and reviewed by eye. After an intended change of
// the scripts, rewrite them with
//   UPDATE_GOLDEN=1 npx vitest run test/node/keras-code.test.ts
// and review the diff (git diff test/golden/keras) before committing it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { KerasScriptOptions } from '../../src/experiments/keras-code.ts';
import { kerasLayerName, kerasScript, pyFloat, pyIdentifiers, pyStr } from '../../src/experiments/keras-code.ts';
import type { Experiment } from '../../src/experiments/presets.ts';
import { EXPERIMENTS, findExperiment, validateExperiment } from '../../src/experiments/presets.ts';
import type { LayerSpec, ModelSpec } from '../../src/model/spec.ts';
import { ModelSpecError } from '../../src/model/spec.ts';
import { compilePlan } from '../../src/plan/plan.ts';

const GOLDEN = fileURLToPath(new URL('../golden/keras/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const relu = (units: number, extra: Partial<Extract<LayerSpec, { type: 'Dense' }>> = {}): LayerSpec => ({ type: 'Dense', units, activation: 'relu', ...extra });
const sigmoid: LayerSpec = { type: 'Dense', units: 1, activation: 'sigmoid' };
const imdbModel = (name: string, layers: LayerSpec[]): ModelSpec => ({ name, inputShape: [100], layers });

/** An edited IMDB experiment: other units, Dropout 0.5, L2 0.01 (and L1+L2, a named layer), a
 *  smaller batch, names that are no Python identifiers (quotes, Korean, a clash). */
const edited: Experiment = {
  id: 'my "edited"\nlab',
  dataset: 'imdb',
  batchSize: 250,
  models: [
    { name: 'basic', epochs: 20, spec: imdbModel('basic', [relu(64), relu(32), sigmoid]) },
    {
      name: "wide l2 + dropout 0.5 'v2'",
      epochs: 40,
      spec: imdbModel("wide l2 + dropout 0.5 'v2'", [
        relu(512, { kernel_regularizer: { l2: 0.01 } }),
        { type: 'Dropout', rate: 0.5 },
        relu(256, { kernel_regularizer: { l1: 1e-5, l2: 0.01 }, name: 'hidden_2' }),
        { type: 'Dropout', rate: 0.5, name: "drop 'b'" },
        { type: 'Dense', units: 1, activation: 'sigmoid', kernel_regularizer: null },
      ]),
    },
    { name: '모델 3', epochs: 10, spec: imdbModel('모델 3', [relu(100, { kernel_regularizer: { l1: 0.0001 } }), sigmoid]) },
    { name: 'wide_l2_dropout_0_5_v2', epochs: 5, spec: imdbModel('clash', [relu(16), sigmoid]) },
  ],
};

/** An edited image experiment: BatchNormalization with other settings, softmax as an Activation layer. */
const editedImages: Experiment = {
  id: 'bn-edited',
  dataset: 'mnist',
  batchSize: 500,
  models: [
    {
      name: 'bn',
      epochs: 20,
      spec: {
        name: 'bn',
        inputShape: [28, 28],
        layers: [
          { type: 'Flatten' },
          { type: 'Dense', units: 256 },
          { type: 'BatchNormalization', momentum: 0.9, epsilon: 1e-5 },
          { type: 'Activation', activation: 'relu' },
          { type: 'Dense', units: 64, activation: 'linear' },
          { type: 'BatchNormalization' },
          { type: 'Activation', activation: 'relu' },
          { type: 'Dropout', rate: 0.25 },
          { type: 'Dense', units: 10 },
          { type: 'Activation', activation: 'softmax' },
        ],
      },
    },
    { name: 'basic', epochs: 20, spec: findExperiment('batchnorm').models[0].spec },
  ],
};

interface Case {
  file: string;
  experiment: Experiment;
  options: KerasScriptOptions;
}

const CASES: Case[] = [
  ...EXPERIMENTS.map((e) => ({ file: e.id, experiment: e, options: { seed: 1 } })),
  {
    file: 'edited',
    experiment: edited,
    options: { seed: 7, learningRate: 0.0005, trainLimit: 5000, earlyStopping: { patience: 3, min_delta: 0.001, restore_best_weights: true } },
  },
  {
    file: 'edited-images',
    experiment: editedImages,
    options: { seed: 42, learningRate: 0.002, epochs: 5, trainLimit: 10000, testLimit: 2000, dataset: 'fashion-mnist', models: ['basic', 'bn'] },
  },
];

// ---- A small reader of the generated Python, independent of the generator ----

type PyValue = number | string | boolean | null | PyValue[] | PyCall;
interface PyCall {
  call: string;
  args: PyValue[];
  kwargs: Record<string, PyValue>;
}

/** Splits `a, b=(1, 2), c='x,y'` at its top-level commas. */
function splitArgs(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === "'") quote = false;
    } else if (c === "'") quote = true;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

/** A single-quoted Python literal, as Python reads it. */
function readPyStr(text: string): string {
  expect(text).toMatch(/^'(?:[^'\\\n]|\\.)*'$/s);
  return text.slice(1, -1).replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|.)/g, (_, e: string) => {
    if (e.length > 1) return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  });
}

function readPyValue(text: string): PyValue {
  const t = text.trim();
  if (t.startsWith("'")) return readPyStr(t);
  if (/^-?(\d+\.\d*|\d+)(e[+-]\d+)?$/.test(t)) return Number(t);
  if (t === 'None') return null;
  if (t === 'True' || t === 'False') return t === 'True';
  if (t.startsWith('(') && t.endsWith(')')) return splitArgs(t.slice(1, -1)).map(readPyValue);
  if (t.startsWith('[') && t.endsWith(']')) return splitArgs(t.slice(1, -1)).map(readPyValue);
  const call = t.match(/^([\w.]+)\((.*)\)$/s);
  if (!call) throw new Error(`not a Python value this reader knows: ${t}`);
  const c: PyCall = { call: call[1], args: [], kwargs: {} };
  for (const a of splitArgs(call[2])) {
    const kw = a.match(/^(\w+)=(.*)$/s);
    if (kw) c.kwargs[kw[1]] = readPyValue(kw[2]);
    else c.args.push(readPyValue(a));
  }
  return c;
}

const asCall = (v: PyValue): PyCall => {
  expect(v).toHaveProperty('call');
  return v as PyCall;
};

interface ReadModel {
  id: string;
  name: string;
  layers: LayerSpec[];
  inputShape: number[];
  /** Every Dense's initializers. */
  initializers: [PyValue, PyValue][];
  adam: PyCall;
  loss: PyValue;
  metrics: PyValue;
  batchSize: number;
  epochs: number;
  callbacks: PyValue[];
  seeded: boolean;
}

/** A Keras layer call back to the spec's layer. */
function toLayer(c: PyCall): LayerSpec {
  const name = c.kwargs.name as string | undefined;
  const named = name === undefined ? {} : { name };
  switch (c.call) {
    case 'layers.Dense': {
      const r = c.kwargs.kernel_regularizer;
      let kernel_regularizer: { l1?: number; l2?: number } | undefined;
      if (r !== undefined) {
        const rc = asCall(r);
        if (rc.call === 'regularizers.l1') kernel_regularizer = { l1: rc.args[0] as number };
        else if (rc.call === 'regularizers.l2') kernel_regularizer = { l2: rc.args[0] as number };
        else if (rc.call === 'regularizers.l1_l2') kernel_regularizer = { l1: rc.kwargs.l1 as number, l2: rc.kwargs.l2 as number };
        else throw new Error(`unknown regularizer ${rc.call}`);
      }
      return { type: 'Dense', units: c.args[0] as number, activation: c.kwargs.activation as never, kernel_regularizer, ...named };
    }
    case 'layers.Dropout':
      return { type: 'Dropout', rate: c.args[0] as number, ...named };
    case 'layers.Activation':
      return { type: 'Activation', activation: c.args[0] as never, ...named };
    case 'layers.BatchNormalization':
      return { type: 'BatchNormalization', momentum: c.kwargs.momentum as number, epsilon: c.kwargs.epsilon as number, ...named };
    case 'layers.Flatten':
      return { type: 'Flatten', ...named };
  }
  throw new Error(`unknown layer ${c.call}`);
}

/** Every model of a script, in order, as the script builds, compiles and fits it. */
function readModels(script: string): ReadModel[] {
  const blocks = [...script.matchAll(/^# Model (.*)\n((?:.+\n)+)/gm)];
  return blocks.map(([, nameLit, block]) => {
    const seq = block.match(/^model_(\w+) = tf\.keras\.Sequential\(\[\n((?: {4}.*,\n)+)\]\)$/m);
    if (!seq) throw new Error(`no Sequential in\n${block}`);
    const id = seq[1];
    const calls = seq[2]
      .trimEnd()
      .split('\n')
      .map((line) => asCall(readPyValue(line.trim().replace(/,$/, ''))));
    const compile = block.match(new RegExp(`^model_${id}\\.compile\\(\\n {4}optimizer=(.*),\\n {4}loss=(.*),\\n {4}metrics=(.*)\\)$`, 'm'));
    if (!compile) throw new Error(`no compile for ${id}`);
    const fit = block.match(
      new RegExp(
        `^history_${id} = model_${id}\\.fit\\(x_train, y_train, batch_size=(\\d+), epochs=(\\d+), validation_data=\\(x_test, y_test\\), verbose=2(?:, callbacks=(\\[.*\\]))?\\)$`,
        'm',
      ),
    );
    if (!fit) throw new Error(`no fit for ${id}`);
    expect(block).toMatch(new RegExp(`^scores_${id} = model_${id}\\.evaluate\\(x_test, y_test, batch_size=${fit[1]}, verbose=0\\)$`, 'm'));
    const printed = block.match(new RegExp(`^print\\((.*), scores_${id}\\[-1\\]\\)  #.*$`, 'm'));
    if (!printed) throw new Error(`no print of scores_${id}`);
    expect(readPyStr(printed[1])).toBe(`scores_${readPyStr(nameLit)}:`);
    return {
      id,
      name: readPyStr(nameLit),
      layers: calls.map(toLayer),
      inputShape: calls[0].kwargs.input_shape as number[],
      initializers: calls.filter((c) => c.call === 'layers.Dense').map((c) => [c.kwargs.kernel_initializer, c.kwargs.bias_initializer]),
      adam: asCall(readPyValue(compile[1])),
      loss: readPyValue(compile[2]),
      metrics: readPyValue(compile[3]),
      batchSize: Number(fit[1]),
      epochs: Number(fit[2]),
      callbacks: fit[3] ? (readPyValue(fit[3]) as PyValue[]) : [],
      seeded: block.startsWith('tf.keras.utils.set_random_seed(SEED)'),
    };
  });
}

/** The Keras names of the edited layers whose names TensorFlow would refuse (not a scope name). */
const RENAMED: Record<string, string> = { "drop 'b'": 'drop_b' };

/** What the page runs for a spec layer, with Keras' defaults made explicit where the script writes them. */
function expected(layer: LayerSpec): LayerSpec {
  const l = layer.name === undefined || /^[A-Za-z0-9][\w.-]*$/.test(layer.name) ? layer : { ...layer, name: RENAMED[layer.name] };
  if (l.type === 'BatchNormalization') return { ...l, momentum: l.momentum ?? 0.99, epsilon: l.epsilon ?? 0.001 };
  if (l.type === 'Dense') return { ...l, kernel_regularizer: l.kernel_regularizer ?? undefined };
  return l;
}

function checkAgainstSpec(script: string, c: Case): void {
  const e = c.experiment;
  const o = c.options;
  const runs = o.models?.length ? e.models.filter((m) => o.models!.includes(m.name)) : e.models;
  const models = readModels(script);
  expect(models.map((m) => m.name)).toEqual(runs.map((m) => m.name));
  expect(new Set(models.map((m) => m.id)).size).toBe(models.length);
  expect(script).toMatch(new RegExp(`^SEED = ${o.seed}$`, 'm'));
  expect(script.match(/set_random_seed\(/g)).toHaveLength(runs.length);
  runs.forEach((run, i) => {
    const m = models[i];
    expect(m.seeded, `${run.name}: seeded before it is built`).toBe(true);
    expect(m.layers, `${run.name}: layer by layer`).toEqual(run.spec.layers.map(expected));
    expect(m.inputShape).toEqual(run.spec.inputShape);
    expect(m.initializers).toEqual(run.spec.layers.filter((l) => l.type === 'Dense').map(() => ['glorot_uniform', 'zeros']));
    expect(m.adam).toEqual({
      call: 'optimizers.Adam',
      args: [],
      kwargs: { learning_rate: o.learningRate ?? 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 },
    });
    const lastDense = run.spec.layers.filter((l): l is Extract<LayerSpec, { type: 'Dense' }> => l.type === 'Dense').at(-1);
    const lossName = lastDense?.units === 1 ? 'binary_crossentropy' : 'sparse_categorical_crossentropy';
    expect(m.loss).toBe(lossName);
    expect(m.metrics).toEqual(['accuracy', lossName]);
    expect(m.batchSize).toBe(e.batchSize);
    expect(m.epochs).toBe(o.epochs ?? run.epochs);
    if (o.earlyStopping) {
      expect(m.callbacks).toHaveLength(1);
      const es = asCall(m.callbacks[0]);
      expect(es.call).toBe('tf.keras.callbacks.EarlyStopping');
      expect(es.kwargs).toEqual({ monitor: 'val_loss', ...o.earlyStopping });
    } else expect(m.callbacks).toEqual([]);
  });
  // The data: the set, the page's rows, and the preparation.
  const dataset = o.dataset ?? e.dataset;
  if (dataset === 'imdb') {
    expect(script).toContain('NUM_WORDS = 100\n(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=NUM_WORDS)\n');
    expect(script).toContain('x_train = multi_hot_sequences(x_train, dimension=NUM_WORDS)\nx_test = multi_hot_sequences(x_test, dimension=NUM_WORDS)\n');
  } else {
    const module = dataset === 'mnist' ? 'mnist' : 'fashion_mnist';
    expect(script).toContain(`from tensorflow.keras.datasets import ${module}\n`);
    expect(script).toContain(`(x_train, y_train), (x_test, y_test) = ${module}.load_data()\n`);
    expect(script).toContain('x_train, x_test = x_train / 255.0, x_test / 255.0\n');
  }
  const slices = [...script.matchAll(/^x_(train|test), y_\1 = x_\1\[:(\d+)\], y_\1\[:(\d+)\]$/gm)].map((s) => [s[1], Number(s[2]), Number(s[3])]);
  expect(slices).toEqual([...(o.trainLimit ? [['train', o.trainLimit, o.trainLimit]] : []), ...(o.testLimit ? [['test', o.testLimit, o.testLimit]] : [])]);
  // The plot: every model's history under its name, in order.
  const plot = script.match(/^plot_history\((\[.*\])\)$/m);
  expect(plot).not.toBeNull();
  expect(plot![1]).toBe(`[${models.map((m) => `(${pyStr(m.name)}, history_${m.id})`).join(', ')}]`);
}

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'keras-code-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kerasScript', () => {
  it('the edited experiments are valid, and their models compile to plans the page can train', () => {
    for (const e of [edited, editedImages]) {
      validateExperiment(e);
      for (const m of e.models) expect(() => compilePlan(m.spec)).not.toThrow();
    }
  });

  for (const c of CASES) {
    describe(c.file, () => {
      const script = kerasScript(c.experiment, c.options);

      it(`equals test/golden/keras/${c.file}.py`, () => {
        const path = join(GOLDEN, `${c.file}.py`);
        if (UPDATE) {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(path, script);
        }
        let golden: string;
        try {
          golden = readFileSync(path, 'utf8');
        } catch {
          throw new Error(`missing ${path}: write it with UPDATE_GOLDEN=1 and review it`);
        }
        expect(script).toBe(golden);
      });

      it('read back, equals the spec layer by layer, and the run settings', () => checkAgainstSpec(script, c));

      it.skipIf(!python)(`compiles with python3 -m py_compile${python ? '' : ' (skipped: python3 is not on the PATH)'}`, () => {
        const file = join(dir, `${c.file}.py`);
        writeFileSync(file, script);
        const r = spawnSync('python3', ['-m', 'py_compile', file], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      });
    });
  }

  it('writes only the picked models, in the experiment order', () => {
    const s = kerasScript(findExperiment('regularization'), { seed: 1, models: ['l2', 'basic'] });
    expect(readModels(s).map((m) => m.name)).toEqual(['basic', 'l2']);
  });

  it('refuses what the page would refuse, naming it', () => {
    const reg = findExperiment('regularization');
    expect(() => kerasScript(reg, { seed: 1, models: ['nope'] })).toThrow(/"nope" is not a model of the experiment "regularization"/);
    expect(() => kerasScript(reg, { seed: -1 })).toThrow(ModelSpecError);
    expect(() => kerasScript(reg, { seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => kerasScript(reg, { seed: 1, learningRate: 0 })).toThrow(/learningRate must be a number > 0/);
    expect(() => kerasScript(reg, { seed: 1, trainLimit: 2.5 })).toThrow(/trainLimit must be a positive integer/);
    const bad = structuredClone(reg);
    bad.models[0].spec.layers[0] = { type: 'Dense', units: 0 };
    expect(() => kerasScript(bad, { seed: 1 })).toThrow(/units must be a positive integer/);
    expect(() => kerasScript(reg, { seed: 1, earlyStopping: { patience: -1 } })).toThrow(/patience/);
  });

  it('says when EarlyStopping monitors a metric only the page logs', () => {
    const s = kerasScript(findExperiment('dropout'), { seed: 1, earlyStopping: { monitor: 'weight_l1', patience: 2 } });
    expect(s).toContain("# Keras does not log 'weight_l1' (the page does): this EarlyStopping warns and never stops.");
  });
});

describe('Python literals', () => {
  const floats = [
    0.001,
    0.0005,
    1e-7,
    1e-5,
    1e-4,
    0.0001234,
    0.3,
    0.5,
    0.99,
    0.999,
    0.9,
    1,
    2,
    100,
    1.5e16,
    1e16,
    1e15,
    123456789.125,
    1 / 3,
    -0.25,
    -1e-7,
    0,
    5e-324,
    1.7976931348623157e308,
  ];
  it('pyFloat writes the shortest round-trip digits, as repr', () => {
    expect(floats.map(pyFloat)).toEqual([
      '0.001',
      '0.0005',
      '1e-07',
      '1e-05',
      '0.0001',
      '0.0001234',
      '0.3',
      '0.5',
      '0.99',
      '0.999',
      '0.9',
      '1.0',
      '2.0',
      '100.0',
      '1.5e+16',
      '1e+16',
      '1000000000000000.0',
      '123456789.125',
      '0.3333333333333333',
      '-0.25',
      '-1e-07',
      '0.0',
      '5e-324',
      '1.7976931348623157e+308',
    ]);
    expect(pyFloat(Math.fround(0.001))).toBe('0.0010000000474974513');
    expect(() => pyFloat(Number.NaN)).toThrow(RangeError);
  });

  const strings = [
    "it's",
    'back\\slash',
    'line\nbreak\r\t',
    '모델 3',
    'nul\u0000 bell\u0007 del\u007f',
    'sep\u2028\u2029',
    'zw\u200bj',
    'emoji 🙂',
    '"quoted"',
  ];
  it('pyStr quotes any text so that Python reads it back', () => {
    for (const s of strings) expect(readPyStr(pyStr(s))).toBe(s);
    expect(pyStr("it's")).toBe("'it\\'s'");
    expect(pyStr('모델')).toBe("'모델'");
  });

  it('kerasLayerName: names TensorFlow takes, unique in the model, none when nothing is left', () => {
    const named = (...names: (string | undefined)[]): LayerSpec[] => names.map((name) => ({ type: 'Dropout', rate: 0.1, name }));
    const layers = named('ok.name-1', "drop 'b'", undefined, 'drop_b', '--', '_x/y>z', '모델');
    expect(layers.map((_, i) => kerasLayerName(layers, i))).toEqual(['ok.name-1', 'drop_b', undefined, 'drop_b_2', undefined, 'x_y_z', undefined]);
  });

  it('pyIdentifiers: ASCII words, else the position; unique', () => {
    expect(pyIdentifiers(['basic', 'l2 + dropout', '모델', 'l2_dropout', '3d', '__'])).toEqual(['basic', 'l2_dropout', '3', 'l2_dropout_2', '3d', '6']);
  });

  it.skipIf(!python)(`Python's repr and literal_eval agree${python ? '' : ' (skipped: python3 is not on the PATH)'}`, () => {
    const code = [
      'import ast, json, sys',
      'data = json.load(sys.stdin)',
      'print(json.dumps({"floats": [repr(float(x)) for x in data["floats"]], "strings": [ast.literal_eval(s) for s in data["quoted"]]}))',
    ].join('\n');
    const input = JSON.stringify({ floats: floats.map(String), quoted: strings.map(pyStr) });
    const r = spawnSync('python3', ['-c', code], { input, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.floats).toEqual(floats.map(pyFloat));
    expect(out.strings).toEqual(strings);
  });
});
