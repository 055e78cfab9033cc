// Compile a model spec into a plan: producers (activation buffers), ops in forward order, and
// the packed parameter layout. Pure data: the GPU executor and the CPU reference both walk it.
import type { ActivationName, ModelSpec } from '../model/spec.ts';
import { ModelSpecError, validateSpec } from '../model/spec.ts';
import { Rng } from '../random.ts';

export const ACT = { linear: 0, relu: 1, sigmoid: 2 } as const;
export type ActCode = (typeof ACT)[keyof typeof ACT];

/** What a producer applies to its output (mirrors `Epi` in shaders/common.wgsl). */
export interface Epilogue {
  act: ActCode;
  dropRate: number;
  /** A unit is dropped when its 24-bit hash < threshold; 0 = no dropout. */
  dropThreshold: number;
  dropScale: number;
  /** The dropout mask's layer key: the producer's index. */
  layer: number;
}

/** A buffer of activations (rows, width); producer 0 is the gathered input batch. */
export interface Producer {
  width: number;
  epi: Epilogue;
  /** The spec layer that applies its activation (a Dense with one, or an Activation layer). */
  actLayer?: number;
}

export interface DenseOp {
  kind: 'dense';
  layer: number; // index in spec.layers
  input: number; // producer index
  output: number;
  in: number;
  out: number;
  wOff: number; // W (in, out) row-major, then b (out): contiguous, see shaders/matmul.wgsl mode 2
  bOff: number;
}

export interface BatchNormOp {
  kind: 'batchnorm';
  layer: number;
  input: number;
  output: number;
  width: number;
  gammaOff: number; // gamma (width), then beta (width)
  betaOff: number;
  stateOff: number; // moving mean (width), then moving variance (width), in the state buffer
  momentum: number;
  epsilon: number;
}

export type Op = DenseOp | BatchNormOp;

export interface TensorInfo {
  name: string;
  kind: 'kernel' | 'bias' | 'gamma' | 'beta';
  offset: number;
  size: number;
  l1: number;
  l2: number;
  fanIn: number;
  fanOut: number;
}

export interface Plan {
  spec: ModelSpec;
  features: number;
  /** Output units: 1 (sigmoid, binary cross-entropy) or C (softmax, sparse categorical). */
  outputs: number;
  loss: 'binary_crossentropy' | 'sparse_categorical_crossentropy';
  producers: Producer[];
  ops: Op[];
  tensors: TensorInfo[];
  /** Indices into tensors of every Dense kernel: the weight-norm curve and penalties. */
  kernels: number[];
  regularized: boolean;
  paramCount: number;
  stateCount: number;
}

const DROP_BITS = 1 << 24;

/** A dropout rate as the kernels apply it: a 24-bit hash threshold and the f32 scale of kept units. */
export function dropoutFields(rate: number): { dropThreshold: number; dropScale: number } {
  return { dropThreshold: Math.round(rate * DROP_BITS), dropScale: Math.fround(1 / (1 - rate)) };
}

function epilogue(layer: number): Epilogue {
  return { act: ACT.linear, dropRate: 0, dropThreshold: 0, dropScale: 1, layer };
}

export function compilePlan(spec: ModelSpec): Plan {
  validateSpec(spec);
  const features = spec.inputShape.reduce((a, b) => a * b, 1);
  const producers: Producer[] = [{ width: features, epi: epilogue(0) }];
  const ops: Op[] = [];
  const tensors: TensorInfo[] = [];
  let params = 0;
  let state = 0;
  let finalAct = 'linear' as ActivationName;
  let current = 0;
  let lastDense = -1;
  const tensor = (t: Omit<TensorInfo, 'offset'>) => {
    tensors.push({ ...t, offset: params });
    params += t.size;
    return params - t.size;
  };
  const fail = (i: number, msg: string): never => {
    throw new ModelSpecError(`layer ${i + 1} (${spec.layers[i].type}): ${msg}`);
  };
  const setAct = (i: number, act: ActivationName) => {
    const epi = producers[current].epi;
    if (current === 0) fail(i, 'an activation needs a Dense or BatchNormalization layer before it');
    if (epi.act !== ACT.linear || epi.dropThreshold || finalAct !== 'linear')
      fail(i, 'an Activation layer must directly follow a Dense or BatchNormalization layer without an activation');
    if ((act === 'sigmoid' || act === 'softmax') && isOutput(i)) finalAct = act;
    else {
      epi.act = ACT[act as 'linear' | 'relu' | 'sigmoid'];
      producers[current].actLayer = i;
    }
  };
  // The model's last Dense (and whatever follows it) produces the logits.
  const isOutput = (i: number) => spec.layers.slice(i + 1).every((l) => l.type === 'Activation');

  spec.layers.forEach((layer, i) => {
    const name = layer.name ?? `${layer.type.toLowerCase()}_${i}`;
    switch (layer.type) {
      case 'Flatten':
        break;
      case 'Dense': {
        const input = current;
        const fanIn = producers[input].width;
        const r = layer.kernel_regularizer ?? {};
        const wOff = tensor({ name: `${name}/kernel`, kind: 'kernel', size: fanIn * layer.units, l1: r.l1 ?? 0, l2: r.l2 ?? 0, fanIn, fanOut: layer.units });
        const bOff = tensor({ name: `${name}/bias`, kind: 'bias', size: layer.units, l1: 0, l2: 0, fanIn, fanOut: layer.units });
        producers.push({ width: layer.units, epi: epilogue(producers.length) });
        current = producers.length - 1;
        ops.push({ kind: 'dense', layer: i, input, output: current, in: fanIn, out: layer.units, wOff, bOff });
        lastDense = i;
        if (layer.activation && layer.activation !== 'linear') setAct(i, layer.activation);
        break;
      }
      case 'Activation':
        setAct(i, layer.activation);
        break;
      case 'Dropout': {
        const epi = producers[current].epi;
        if (current === 0) fail(i, 'Dropout must follow a Dense or BatchNormalization layer');
        if (epi.dropThreshold) fail(i, 'two Dropout layers in a row are not supported; use one with the combined rate');
        if (finalAct !== 'linear') fail(i, 'Dropout after the output activation is not supported');
        epi.dropRate = layer.rate;
        Object.assign(epi, dropoutFields(layer.rate));
        break;
      }
      case 'BatchNormalization': {
        if (finalAct !== 'linear') fail(i, 'BatchNormalization after the output activation is not supported');
        const input = current;
        const width = producers[input].width;
        const gammaOff = tensor({ name: `${name}/gamma`, kind: 'gamma', size: width, l1: 0, l2: 0, fanIn: width, fanOut: width });
        const betaOff = tensor({ name: `${name}/beta`, kind: 'beta', size: width, l1: 0, l2: 0, fanIn: width, fanOut: width });
        producers.push({ width, epi: epilogue(producers.length) });
        current = producers.length - 1;
        ops.push({
          kind: 'batchnorm',
          layer: i,
          input,
          output: current,
          width,
          gammaOff,
          betaOff,
          stateOff: state,
          momentum: layer.momentum ?? 0.99,
          epsilon: layer.epsilon ?? 0.001,
        });
        state += 2 * width;
        break;
      }
    }
  });

  const last = producers[current];
  const outLayer = `layer ${lastDense + 1} (Dense)`;
  if (ops[ops.length - 1].kind !== 'dense' || ops[ops.length - 1].layer !== lastDense)
    throw new ModelSpecError(`${outLayer}: the model must end with a Dense output layer`);
  if (last.epi.dropThreshold) throw new ModelSpecError(`${outLayer}: the output layer cannot be followed by Dropout`);
  if (finalAct === 'sigmoid' && last.width !== 1)
    throw new ModelSpecError(`${outLayer}: a sigmoid output needs units: 1 (binary cross-entropy), got ${last.width}`);
  if (finalAct === 'softmax' && last.width < 2) throw new ModelSpecError(`${outLayer}: a softmax output needs units >= 2 (one per class), got ${last.width}`);
  if (finalAct === 'linear' || last.epi.act !== ACT.linear)
    throw new ModelSpecError(`${outLayer}: the output layer needs activation 'sigmoid' (binary) or 'softmax' (classes)`);

  return {
    spec,
    features,
    outputs: last.width,
    loss: finalAct === 'sigmoid' ? 'binary_crossentropy' : 'sparse_categorical_crossentropy',
    producers,
    ops,
    tensors,
    kernels: tensors.flatMap((t, i) => (t.kind === 'kernel' ? [i] : [])),
    regularized: tensors.some((t) => t.l1 > 0 || t.l2 > 0),
    paramCount: params,
    stateCount: state,
  };
}

/** Keras initial values: glorot_uniform kernels, zero biases and betas, unit gammas. */
export function initParams(plan: Plan, seed: number): Float32Array {
  const p = new Float32Array(plan.paramCount);
  const rng = new Rng(seed ^ 0x5eed);
  for (const t of plan.tensors) {
    if (t.kind === 'kernel') {
      const limit = Math.sqrt(6 / (t.fanIn + t.fanOut));
      for (let i = 0; i < t.size; i++) p[t.offset + i] = (2 * rng.next() - 1) * limit;
    } else if (t.kind === 'gamma') p.fill(1, t.offset, t.offset + t.size);
  }
  return p;
}

/** Batch-norm moving statistics: mean 0, variance 1. */
export function initState(plan: Plan): Float32Array {
  const s = new Float32Array(plan.stateCount);
  for (const op of plan.ops) if (op.kind === 'batchnorm') s.fill(1, op.stateOff + op.width, op.stateOff + 2 * op.width);
  return s;
}
