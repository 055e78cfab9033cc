// A trained model in the TensorFlow.js Layers format: model.json (the Keras model config as
// `modelTopology`, and a weights manifest) and one weights.bin shard, what `tf.loadLayersModel`
// reads and `tensorflowjs_converter --input_format tfjs_layers_model` turns into a Keras model.
// Pure data (no DOM): the caller offers the two files for download or writes them.
import { kerasModelConfig } from '../model/keras-json.ts';
import type { ModelSpec } from '../model/spec.ts';
import { layerInfo } from '../model/summary.ts';
import { compilePlan } from '../plan/plan.ts';

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: ReturnType<typeof kerasModelConfig> & { keras_version: string; backend: string };
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
}

export interface TfjsArtifacts {
  /** The contents of model.json (JSON.stringify it). */
  modelJson: TfjsModelJson;
  /** The contents of weights.bin: the manifest's tensors, float32 little-endian, in order. */
  weightsBin: ArrayBuffer;
}

export const WEIGHTS_FILE = 'weights.bin';

/**
 * The TF.js Layers artifacts of `spec` with trained `params` (the plan's packed trainable
 * buffer) and `state` (its batch-norm moving statistics), e.g. `trainer.readState(replica)`.
 * Weights are named `<layer>/<weight>` with Keras' layer names and listed per layer in Keras'
 * order: Dense kernel (in, out), bias; BatchNormalization gamma, beta, moving_mean, moving_variance.
 * `weightsFile` is the weights file's name as model.json's manifest gives it (default
 * `weights.bin`); name it as the file is saved, e.g. `basic.weights.bin` beside `basic.json`.
 */
export function tfjsModelArtifacts(spec: ModelSpec, params: Float32Array, state: Float32Array, weightsFile = WEIGHTS_FILE): TfjsArtifacts {
  if (!weightsFile || /[/\\]/.test(weightsFile)) throw new Error(`tfjs export: the weights file name "${weightsFile}" must be a plain file name`);
  const plan = compilePlan(spec);
  if (params.length !== plan.paramCount) throw new Error(`tfjs export: params has ${params.length} values, the model has ${plan.paramCount}`);
  if (state.length !== plan.stateCount) throw new Error(`tfjs export: state has ${state.length} values, the model has ${plan.stateCount}`);
  const names = layerInfo(spec).map((l) => l.name);
  const weights: TfjsWeightSpec[] = [];
  const parts: Float32Array[] = [];
  const put = (name: string, shape: number[], data: Float32Array) => {
    weights.push({ name, shape, dtype: 'float32' });
    parts.push(data);
  };
  for (const op of plan.ops) {
    const layer = names[op.layer];
    if (op.kind === 'dense') {
      put(`${layer}/kernel`, [op.in, op.out], params.subarray(op.wOff, op.wOff + op.in * op.out));
      put(`${layer}/bias`, [op.out], params.subarray(op.bOff, op.bOff + op.out));
    } else {
      const w = op.width;
      put(`${layer}/gamma`, [w], params.subarray(op.gammaOff, op.gammaOff + w));
      put(`${layer}/beta`, [w], params.subarray(op.betaOff, op.betaOff + w));
      put(`${layer}/moving_mean`, [w], state.subarray(op.stateOff, op.stateOff + w));
      put(`${layer}/moving_variance`, [w], state.subarray(op.stateOff + w, op.stateOff + 2 * w));
    }
  }
  const bin = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bin.set(p, at);
    at += p.length;
  }
  // Float32Array is little-endian on every platform a browser or Node runs on, as the format wants.
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'overfit-lab',
      convertedBy: null,
      modelTopology: { ...kerasModelConfig(spec), keras_version: 'overfit-lab (Keras 2 model config)', backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [weightsFile], weights }],
    },
    weightsBin: bin.buffer,
  };
}
