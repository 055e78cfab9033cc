// TF.js Layers export: model.json + weights.bin of a model with trained weights, loaded by
// @tensorflow/tfjs's own `loadLayersModel` (its http loader, fed the two files through fetchFunc)
// on its CPU backend, predicts 200 real test rows as our CPU reference forward does (inference
// mode, then the output sigmoid or softmax) within 1e-5.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/data/dataset.ts';
import { feature } from '../../src/data/dataset.ts';
import { loadDataset } from '../../src/data/load-node.ts';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { tfjsModelArtifacts, type TfjsArtifacts, WEIGHTS_FILE } from '../../src/experiments/tfjs-export.ts';
import { specFromKerasJson } from '../../src/model/keras-json.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { countParams } from '../../src/model/summary.ts';
import { adamLr } from '../../src/plan/adam.ts';
import { compilePlan, initParams, initState, type Plan } from '../../src/plan/plan.ts';
import { gather } from '../../src/reference/ops.ts';
import { type ModelState, referenceForward, referenceStep } from '../../src/reference/train-step.ts';
import { Rng } from '../../src/random.ts';

const ROWS = 200;
const preset = (id: string, model: string) => EXPERIMENTS.find((e) => e.id === id)!.models.find((m) => m.name === model)!.spec;

/** Dense float rows [start, start + rows) of a split, in order. */
function rowsOf(d: Dataset, split: 'train' | 'test', start: number, rows: number): { x: Float32Array; y: Uint32Array } {
  const s = d[split];
  const order = Array.from({ length: start + rows }, (_, i) => i);
  return { x: gather((r, j) => feature(d, s, r, j), order, start, rows, d.features), y: s.y.slice(start, start + rows) };
}

/** A trained-looking model: Keras' initial weights, 3 Adam steps of the CPU reference on real
 *  training rows (dropout on), then moving statistics pushed well away from 0 / 1 so they matter. */
function trained(plan: Plan, d: Dataset, seed: number): ModelState {
  const st: ModelState = { params: initParams(plan, seed), m: new Float32Array(plan.paramCount), v: new Float32Array(plan.paramCount), state: initState(plan) };
  for (let t = 1; t <= 3; t++) {
    const { x, y } = rowsOf(d, 'train', (t - 1) * 100, 100);
    referenceStep(plan, st, x, y, 100, { t, seed, training: true, lrT: adamLr(t) });
  }
  const rng = new Rng(seed);
  for (const op of plan.ops)
    if (op.kind === 'batchnorm')
      for (let f = 0; f < op.width; f++) {
        st.state[op.stateOff + f] += (rng.next() - 0.5) * 0.6;
        st.state[op.stateOff + op.width + f] *= 0.5 + 1.5 * rng.next();
      }
  return st;
}

/** Our probabilities: the reference forward in inference mode, then the output activation. */
function ourPredictions(plan: Plan, st: ModelState, x: Float32Array, rows: number): Float32Array {
  const { ys } = referenceForward(plan, st, x, rows, { t: 0, seed: 0, training: false, lrT: 0 });
  const z = ys[plan.ops[plan.ops.length - 1].output];
  const C = plan.outputs;
  const p = new Float32Array(rows * C);
  if (plan.loss === 'binary_crossentropy') for (let r = 0; r < rows; r++) p[r] = 1 / (1 + Math.exp(-z[r]));
  else
    for (let r = 0; r < rows; r++) {
      const row = z.subarray(r * C, (r + 1) * C);
      const max = Math.max(...row);
      const e = Array.from(row, (v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      for (let c = 0; c < C; c++) p[r * C + c] = e[c] / sum;
    }
  return p;
}

/** tfjs's own loader reading model.json and weights.bin as files served from one folder. */
async function loadWithTfjs(a: TfjsArtifacts): Promise<tf.LayersModel> {
  const files: Record<string, string | ArrayBuffer> = { 'model.json': JSON.stringify(a.modelJson), [WEIGHTS_FILE]: a.weightsBin };
  const fetchFunc = async (url: RequestInfo | URL) => {
    const body = files[String(url).split('/').pop()!];
    return body === undefined ? new Response('not found', { status: 404 }) : new Response(body);
  };
  return tf.loadLayersModel(tf.io.http('http://overfit-lab.test/export/model.json', { fetchFunc }));
}

let imdb: Dataset;
let mnist: Dataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  [imdb, mnist] = await Promise.all([loadDataset('imdb', { trainLimit: 300, testLimit: ROWS }), loadDataset('mnist', { trainLimit: 300, testLimit: ROWS })]);
});

const mixed: ModelSpec = {
  name: 'mixed',
  inputShape: [100],
  layers: [
    { type: 'Dense', units: 64, kernel_regularizer: { l1: 0.0005, l2: 0.001 } },
    { type: 'BatchNormalization', momentum: 0.9, epsilon: 0.0001 },
    { type: 'Activation', activation: 'relu' },
    { type: 'Dropout', rate: 0.2 },
    { type: 'Dense', units: 32, activation: 'relu', kernel_regularizer: { l2: 0.001 } },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ],
};

const cases: [string, () => ModelSpec, () => Dataset][] = [
  ['regularization l2 (Dense + L2, IMDB)', () => preset('regularization', 'l2'), () => imdb],
  ['dropout (Dense + Dropout, IMDB)', () => preset('dropout', 'dropout'), () => imdb],
  ['batchnorm (Flatten, Dense, BatchNormalization, Activation, softmax; MNIST)', () => preset('batchnorm', 'batchnorm'), () => mnist],
  ['mixed (L1L2, BN momentum 0.9 epsilon 1e-4, Activation, Dropout; IMDB)', () => mixed, () => imdb],
];

describe('TF.js Layers export: tf.loadLayersModel predicts as we do', () => {
  it.each(cases)('%s: 200 test rows within 1e-5', async (label, specOf, dataOf) => {
    const spec = specOf();
    const d = dataOf();
    const plan = compilePlan(spec);
    const st = trained(plan, d, 7);
    const a = tfjsModelArtifacts(spec, st.params, st.state);
    expect(a.weightsBin.byteLength).toBe(4 * (plan.paramCount + plan.stateCount));
    const model = await loadWithTfjs(a);
    expect(model.countParams()).toBe(countParams(spec).total);
    // The model.json's topology imports back to the spec we exported.
    expect(specFromKerasJson(JSON.parse(JSON.stringify(a.modelJson)))).toEqual(spec);

    const { x } = rowsOf(d, 'test', 0, ROWS);
    const ours = ourPredictions(plan, st, x, ROWS);
    const out = model.predict(tf.tensor(x, [ROWS, ...spec.inputShape])) as tf.Tensor;
    const theirs = out.dataSync() as Float32Array;
    expect(theirs.length).toBe(ours.length);
    const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    const max = maxDiff(ours, theirs);
    // Sanity: the predictions are not degenerate (the rows differ, the weights matter).
    expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(0.05);
    console.log(`tfjs export ${label}: max |tfjs - reference| over ${ROWS} rows x ${plan.outputs} = ${max.toExponential(2)}`);
    expect(max).toBeLessThanOrEqual(1e-5);
    out.dispose();
    model.dispose();
    if (plan.stateCount) {
      // Negative control: the same weights with the moving statistics left at 0 / 1 predict
      // differently, so the match above depends on the exported moving_mean / moving_variance.
      const stale = await loadWithTfjs(tfjsModelArtifacts(spec, st.params, initState(plan)));
      const p = stale.predict(tf.tensor(x, [ROWS, ...spec.inputShape])) as tf.Tensor;
      expect(maxDiff(ours, p.dataSync() as Float32Array)).toBeGreaterThan(1e-2);
      p.dispose();
      stale.dispose();
    }
  });

  it('model.json: the layers-model format, Keras names, weights per layer in Keras order', () => {
    const spec = preset('batchnorm', 'batchnorm');
    const plan = compilePlan(spec);
    const params = initParams(plan, 1);
    const state = initState(plan);
    const { modelJson, weightsBin } = tfjsModelArtifacts(spec, params, state);
    expect(modelJson).toMatchObject({ format: 'layers-model', generatedBy: 'overfit-lab', convertedBy: null });
    expect(modelJson.modelTopology).toMatchObject({ class_name: 'Sequential', config: { name: 'batchnorm' }, backend: 'tensor_flow.js' });
    expect(modelJson.weightsManifest).toHaveLength(1);
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(modelJson.weightsManifest[0].weights.map((w) => `${w.name} ${w.shape.join('x')} ${w.dtype}`)).toEqual([
      'dense/kernel 784x128 float32',
      'dense/bias 128 float32',
      'batch_normalization/gamma 128 float32',
      'batch_normalization/beta 128 float32',
      'batch_normalization/moving_mean 128 float32',
      'batch_normalization/moving_variance 128 float32',
      'dense_1/kernel 128x128 float32',
      'dense_1/bias 128 float32',
      'batch_normalization_1/gamma 128 float32',
      'batch_normalization_1/beta 128 float32',
      'batch_normalization_1/moving_mean 128 float32',
      'batch_normalization_1/moving_variance 128 float32',
      'dense_2/kernel 128x10 float32',
      'dense_2/bias 10 float32',
    ]);
    const bin = new Float32Array(weightsBin);
    expect(bin.length).toBe(119_306);
    expect(Array.from(bin.subarray(0, 5))).toEqual(Array.from(params.subarray(0, 5))); // dense/kernel first, row-major (in, out)
    expect(Array.from(bin.subarray(784 * 128 + 128 * 4, 784 * 128 + 128 * 5))).toEqual(new Array(128).fill(1)); // moving_variance
    expect(() => tfjsModelArtifacts(spec, params.subarray(1), state)).toThrow(/params has 118793 values, the model has 118794/);
  });

  it('weightsFile names the weights file in the manifest; tfjs loads the pair under those names', async () => {
    const spec = preset('dropout', 'dropout');
    const plan = compilePlan(spec);
    const st = trained(plan, imdb, 3);
    const named = tfjsModelArtifacts(spec, st.params, st.state, 'dropout.weights.bin');
    expect(named.modelJson.weightsManifest[0].paths).toEqual(['dropout.weights.bin']);
    // the same bytes as the default name's
    expect(new Uint8Array(named.weightsBin)).toEqual(new Uint8Array(tfjsModelArtifacts(spec, st.params, st.state).weightsBin));
    const files: Record<string, string | ArrayBuffer> = { 'dropout.json': JSON.stringify(named.modelJson), 'dropout.weights.bin': named.weightsBin };
    const fetchFunc = async (url: RequestInfo | URL) => {
      const body = files[String(url).split('/').pop()!];
      return body === undefined ? new Response('not found', { status: 404 }) : new Response(body);
    };
    const model = await tf.loadLayersModel(tf.io.http('http://overfit-lab.test/export/dropout.json', { fetchFunc }));
    const { x } = rowsOf(imdb, 'test', 0, ROWS);
    const out = model.predict(tf.tensor(x, [ROWS, ...spec.inputShape])) as tf.Tensor;
    const ours = ourPredictions(plan, st, x, ROWS);
    expect((out.dataSync() as Float32Array).reduce((m, v, i) => Math.max(m, Math.abs(v - ours[i])), 0)).toBeLessThanOrEqual(1e-5);
    out.dispose();
    model.dispose();
    expect(() => tfjsModelArtifacts(spec, st.params, st.state, 'a/b.bin')).toThrow(/must be a plain file name/);
    expect(() => tfjsModelArtifacts(spec, st.params, st.state, '')).toThrow(/must be a plain file name/);
  });
});
