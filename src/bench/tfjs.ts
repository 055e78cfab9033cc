// The same model, data, batch size and optimizer trained with TensorFlow.js in the page, for the
// side-by-side benchmark. tfjs is loaded from node_modules as its UMD bundles (no network), and
// its WebGPU traffic is counted by the same wrappers as ours (src/bench/gpu-counters.ts).
import type * as TF from '@tensorflow/tfjs';
import type { Dataset, Split } from '../data/dataset.ts';
import { feature } from '../data/dataset.ts';
import type { ModelSpec } from '../model/spec.ts';
import { ADAM } from '../plan/adam.ts';
import type { GpuCounts } from './gpu-counters.ts';
import { diff } from './gpu-counters.ts';

type Tf = typeof TF;
declare global {
  interface Window {
    tf?: Tf & { wasm?: { setWasmPaths(prefix: string): void } };
  }
}

export type TfBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const TF_BACKENDS: readonly TfBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

const DIST = '/node_modules/@tensorflow';
const SCRIPTS = [
  `${DIST}/tfjs/dist/tf.min.js`,
  `${DIST}/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js`,
  `${DIST}/tfjs-backend-wasm/dist/tf-backend-wasm.min.js`,
];

let loading: Promise<Tf> | null = null;

/** Loads tfjs and its WebGPU and WASM backends from node_modules (served by the dev server). */
export function loadTf(): Promise<Tf> {
  loading ??= (async () => {
    for (const src of SCRIPTS)
      await new Promise<void>((resolve, reject) => {
        const s = document.createElement('script');
        s.src = src;
        s.onload = () => resolve();
        s.onerror = () => reject(new Error(`cannot load ${src}; run npm install (devDependencies @tensorflow/*)`));
        document.head.append(s);
      });
    const tf = window.tf!;
    tf.wasm!.setWasmPaths(`${DIST}/tfjs-backend-wasm/dist/`);
    return tf;
  })();
  return loading;
}

/** How tfModel names the model and its layers, and what initializes each Dense kernel. */
type KernelInitializer = NonNullable<Parameters<Tf['layers']['dense']>[0]['kernelInitializer']>;

export interface TfModelOptions {
  kernelInitializer: () => KernelInitializer;
  /** Per spec layer (default: tfjs' own names). */
  layerNames?: string[];
  name?: string;
}

/** A tfjs Sequential model equivalent to our spec (Keras defaults: glorot_uniform, zero bias);
 *  the benchmark seeds each kernel, the Keras JSON fixtures (scripts/keras-fixtures.ts) name it. */
export function tfModel(tf: Tf, spec: ModelSpec, o: TfModelOptions): TF.Sequential {
  const model = tf.sequential(o.name ? { name: o.name } : {});
  spec.layers.forEach((l, i) => {
    const base = { ...(o.layerNames ? { name: o.layerNames[i] } : {}), ...(i === 0 ? { inputShape: spec.inputShape } : {}) };
    if (l.type === 'Flatten') model.add(tf.layers.flatten(base));
    else if (l.type === 'Dense') {
      const r = l.kernel_regularizer;
      const kernelRegularizer =
        r?.l1 && r?.l2
          ? tf.regularizers.l1l2({ l1: r.l1, l2: r.l2 })
          : r?.l1
            ? tf.regularizers.l1({ l1: r.l1 })
            : r?.l2
              ? tf.regularizers.l2({ l2: r.l2 })
              : undefined;
      const kernelInitializer = o.kernelInitializer();
      model.add(tf.layers.dense({ ...base, units: l.units, activation: l.activation ?? 'linear', kernelInitializer, kernelRegularizer }));
    } else if (l.type === 'Dropout') model.add(tf.layers.dropout({ ...base, rate: l.rate }));
    else if (l.type === 'BatchNormalization') model.add(tf.layers.batchNormalization({ ...base, momentum: l.momentum ?? 0.99, epsilon: l.epsilon ?? 0.001 }));
    else model.add(tf.layers.activation({ ...base, activation: l.activation }));
  });
  return model;
}

/** Glorot-uniform kernels seeded per layer (seed * 100 + k): the benchmark's runs repeat. */
export function seededGlorot(tf: Tf, seed: number): () => KernelInitializer {
  let k = 0;
  return () => tf.initializers.glorotUniform({ seed: seed * 100 + k++ });
}

/** Rows of a split as float features (tfjs trains on dense tensors). */
export function denseRows(d: Dataset, split: Split): Float32Array {
  const x = new Float32Array(split.count * d.features);
  for (let r = 0; r < split.count; r++) for (let j = 0; j < d.features; j++) x[r * d.features + j] = feature(d, split, r, j);
  return x;
}

export interface TfRun {
  backend: TfBackend;
  /** What tfjs actually runs (e.g. wasm with SIMD and threads). */
  detail: string;
  epochMs: number[];
  history: Record<string, number[]>;
  /** WebGPU calls during one training batch (webgpu backend only). */
  perStep: GpuCounts | null;
  /** WebGPU calls during one whole epoch, validation included (webgpu backend only). */
  perEpoch: GpuCounts | null;
  numTensorsAfter: number;
}

/** Trains `epochs` epochs (the first ones are the warm-up the caller drops) and times each. */
export async function runTf(o: {
  backend: TfBackend;
  spec: ModelSpec;
  data: Dataset;
  batchSize: number;
  epochs: number;
  seed: number;
  counters: () => GpuCounts;
}): Promise<TfRun> {
  const tf = await loadTf();
  if (!(await tf.setBackend(o.backend))) throw new Error(`tfjs backend ${o.backend} is not available here`);
  await tf.ready();
  const binary = o.data.classes === 2;
  const shape = (n: number) => [n, ...o.data.inputShape];
  const tensors = (split: Split) =>
    [tf.tensor(denseRows(o.data, split), shape(split.count)), tf.tensor2d(Float32Array.from(split.y), [split.count, 1])] as const;
  const [x, y] = tensors(o.data.train);
  const [xt, yt] = tensors(o.data.test);
  const model = tfModel(tf, o.spec, { kernelInitializer: seededGlorot(tf, o.seed) });
  model.compile({
    optimizer: tf.train.adam(ADAM.learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon),
    loss: binary ? 'binaryCrossentropy' : 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  const epochMs: number[] = [];
  let t0 = 0;
  let c0: GpuCounts | null = null;
  let b0: GpuCounts | null = null;
  let perStep: GpuCounts | null = null;
  let perEpoch: GpuCounts | null = null;
  const gpu = o.backend === 'webgpu';
  const last = o.epochs - 1;
  const probe = Math.min(1, Math.ceil(o.data.train.count / o.batchSize) - 1); // a full batch of the last epoch
  const h = await model.fit(x, y, {
    batchSize: o.batchSize,
    epochs: o.epochs,
    shuffle: true,
    validationData: [xt, yt],
    verbose: 0,
    yieldEvery: 'never',
    callbacks: {
      onEpochBegin: async (e) => {
        t0 = performance.now();
        if (gpu && e === last) c0 = o.counters();
      },
      onBatchBegin: async (b) => {
        if (gpu && perStep === null && c0 && b === probe) b0 = o.counters();
      },
      onBatchEnd: async (b) => {
        if (gpu && b0 && b === probe && perStep === null) perStep = diff(o.counters(), b0);
      },
      onEpochEnd: async (e) => {
        epochMs.push(performance.now() - t0);
        if (gpu && e === last && c0) perEpoch = diff(o.counters(), c0);
      },
    },
  });
  model.dispose();
  tf.dispose([x, y, xt, yt]);
  const detail =
    o.backend === 'wasm' ? `wasm (${self.crossOriginIsolated ? 'SIMD + threads' : 'SIMD, no threads: page not cross-origin isolated'})` : o.backend;
  return {
    backend: o.backend,
    detail,
    epochMs,
    history: Object.fromEntries(Object.entries(h.history).map(([k, v]) => [k, v.map(Number)])),
    perStep,
    perEpoch,
    numTensorsAfter: tf.memory().numTensors,
  };
}
