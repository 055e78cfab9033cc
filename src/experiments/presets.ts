// The lab's four experiments as plain data (copy one, change it, run it: `--spec FILE.json`).
import type { DatasetName } from '../data/format.ts';
import type { LayerSpec, ModelSpec } from '../model/spec.ts';
import { ModelSpecError, validateSpec } from '../model/spec.ts';

export interface ModelRun {
  name: string;
  epochs: number;
  spec: ModelSpec;
}

export interface Experiment {
  id: string;
  /** The data set; `datasets` lists the ones a user may switch to. */
  dataset: DatasetName;
  datasets?: DatasetName[];
  batchSize: number;
  models: ModelRun[];
  /** Adam's learning rate for every model (default 0.001, Keras'); a `lr` sweep overrides it. */
  learningRate?: number;
  /** Seed of weight initialization, shuffling and dropout (default 1); `--seed` overrides it. */
  seed?: number;
  /** Train on only the first N training rows (default: all); `--train-limit` overrides it. */
  trainLimit?: number;
  /** Validate and test on only the first N test rows (default: all); `--test-limit` overrides it. */
  testLimit?: number;
}

/** The run settings an experiment may carry besides its models. */
export type RunField = 'batchSize' | 'learningRate' | 'seed' | 'trainLimit' | 'testLimit';

/** Why a run setting's value is wrong (the message validateExperiment gives, less its
 *  `experiment: ` prefix), or null when it is fine. `batchSize` is required; the others may be
 *  undefined (their default). */
export function runFieldError(field: RunField, v: unknown): string | null {
  const got = JSON.stringify(v);
  if (v === undefined && field !== 'batchSize') return null;
  switch (field) {
    case 'batchSize':
    case 'trainLimit':
    case 'testLimit':
      return Number.isInteger(v) && (v as number) >= 1 ? null : `${field} must be a positive integer, got ${got}`;
    case 'learningRate':
      return typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : `learningRate must be a number > 0 (Adam's default: 0.001), got ${got}`;
    case 'seed':
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff ? null : `seed must be an integer in [0, 4294967295], got ${got}`;
  }
}

const relu = (units: number, extra: Partial<Extract<LayerSpec, { type: 'Dense' }>> = {}): LayerSpec => ({ type: 'Dense', units, activation: 'relu', ...extra });
const out: LayerSpec = { type: 'Dense', units: 1, activation: 'sigmoid' };
const imdb = (name: string, layers: LayerSpec[]): ModelSpec => ({ name, inputShape: [100], layers });
const basic128 = imdb('basic', [relu(128), relu(128), out]);

/** The lab's image MLP: Dense 128, ReLU, Dense 128, Dense 10 softmax; with `bn`, BatchNormalization
 *  after each hidden Dense. */
function imageMlp(name: string, bn: boolean): ModelSpec {
  const norm: LayerSpec[] = bn ? [{ type: 'BatchNormalization' }] : [];
  const layers: LayerSpec[] = [
    { type: 'Flatten' },
    { type: 'Dense', units: 128 },
    ...norm,
    { type: 'Activation', activation: 'relu' },
    { type: 'Dense', units: 128 },
    ...norm,
  ];
  return { name, inputShape: [28, 28], layers: [...layers, { type: 'Dense', units: 10, activation: 'softmax' }] };
}

export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: 'imdb-overfit',
    dataset: 'imdb',
    batchSize: 500,
    models: [
      { name: 'basic', epochs: 20, spec: imdb('basic', [relu(256), relu(128), out]) },
      { name: 'overfitting', epochs: 300, spec: imdb('overfitting', [relu(1024), relu(512), relu(512), relu(512), out]) },
    ],
  },
  {
    id: 'regularization',
    dataset: 'imdb',
    batchSize: 500,
    models: [
      { name: 'basic', epochs: 20, spec: basic128 },
      { name: 'l1', epochs: 20, spec: imdb('l1', [relu(128, { kernel_regularizer: { l1: 0.001 } }), relu(128, { kernel_regularizer: { l1: 0.001 } }), out]) },
      { name: 'l2', epochs: 20, spec: imdb('l2', [relu(128, { kernel_regularizer: { l2: 0.001 } }), relu(128, { kernel_regularizer: { l2: 0.001 } }), out]) },
    ],
  },
  {
    id: 'dropout',
    dataset: 'imdb',
    batchSize: 500,
    models: [
      { name: 'basic', epochs: 20, spec: basic128 },
      { name: 'dropout', epochs: 20, spec: imdb('dropout', [relu(128), { type: 'Dropout', rate: 0.3 }, relu(128), { type: 'Dropout', rate: 0.3 }, out]) },
    ],
  },
  {
    id: 'batchnorm',
    dataset: 'mnist',
    datasets: ['mnist', 'fashion-mnist'],
    batchSize: 500,
    models: [
      { name: 'basic', epochs: 20, spec: imageMlp('basic', false) },
      { name: 'batchnorm', epochs: 20, spec: imageMlp('batchnorm', true) },
    ],
  },
];

export const EXPERIMENT_IDS = EXPERIMENTS.map((e) => e.id);

export function findExperiment(id: string): Experiment {
  const e = EXPERIMENTS.find((x) => x.id === id);
  if (!e) throw new ModelSpecError(`unknown experiment "${id}"; valid: ${EXPERIMENT_IDS.join(', ')}`);
  return structuredClone(e);
}

/** Checks a user's experiment (e.g. from --spec FILE.json) with messages that name the field. */
export function validateExperiment(e: unknown): asserts e is Experiment {
  const fail = (msg: string): never => {
    throw new ModelSpecError(`experiment: ${msg}`);
  };
  if (!e || typeof e !== 'object') fail('must be an object {id, dataset, batchSize, models}');
  const x = e as Partial<Experiment>;
  if (typeof x.id !== 'string' || !x.id) fail('id must be a non-empty string');
  if (!['imdb', 'mnist', 'fashion-mnist'].includes(x.dataset as string))
    fail(`dataset must be one of imdb, mnist, fashion-mnist, got ${JSON.stringify(x.dataset)}`);
  for (const field of ['batchSize', 'learningRate', 'seed', 'trainLimit', 'testLimit'] as const) {
    const error = runFieldError(field, x[field]);
    if (error) fail(error);
  }
  if (!Array.isArray(x.models) || !x.models.length) fail('models must be a non-empty list of {name, epochs, spec}');
  const names = new Set<string>();
  x.models!.forEach((m, i) => {
    if (!m || typeof m.name !== 'string' || !m.name) fail(`models[${i}].name must be a non-empty string`);
    if (names.has(m.name)) fail(`models[${i}].name "${m.name}" is used twice`);
    names.add(m.name);
    if (!Number.isInteger(m.epochs) || m.epochs < 1) fail(`models[${i}] ("${m.name}"): epochs must be a positive integer, got ${JSON.stringify(m.epochs)}`);
    try {
      validateSpec(m.spec);
    } catch (err) {
      fail(`models[${i}] ("${m.name}"): ${(err as Error).message}`);
    }
  });
}
