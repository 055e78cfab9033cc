// Per-layer shapes and parameter counts, and the table Keras' model.summary() prints.
import type { LayerSpec, ModelSpec } from './spec.ts';
import { validateSpec } from './spec.ts';

export interface LayerInfo {
  name: string;
  type: LayerSpec['type'];
  outputShape: number[];
  params: number;
  trainable: number;
}

const KERAS_NAMES: Record<LayerSpec['type'], string> = {
  Dense: 'dense',
  Activation: 'activation',
  Dropout: 'dropout',
  BatchNormalization: 'batch_normalization',
  Flatten: 'flatten',
};

export function layerInfo(spec: ModelSpec): LayerInfo[] {
  validateSpec(spec);
  const seen = new Map<string, number>();
  let shape = spec.inputShape;
  return spec.layers.map((layer) => {
    const base = KERAS_NAMES[layer.type];
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    const name = layer.name ?? (n === 0 ? base : `${base}_${n}`);
    const width = shape.reduce((a, b) => a * b, 1);
    let params = 0;
    let trainable = 0;
    if (layer.type === 'Flatten') shape = [width];
    if (layer.type === 'Dense') {
      params = trainable = width * layer.units + layer.units;
      shape = [layer.units];
    }
    if (layer.type === 'BatchNormalization') {
      params = 4 * width;
      trainable = 2 * width;
    }
    return { name, type: layer.type, outputShape: shape, params, trainable };
  });
}

export function countParams(spec: ModelSpec): { total: number; trainable: number; nonTrainable: number } {
  const info = layerInfo(spec);
  const total = info.reduce((s, l) => s + l.params, 0);
  const trainable = info.reduce((s, l) => s + l.trainable, 0);
  return { total, trainable, nonTrainable: total - trainable };
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pad = (s: string, w: number) => (s.length >= w ? `${s} ` : s.padEnd(w));

/** The table Keras 2 prints for model.summary(). */
export function summary(spec: ModelSpec): string {
  const info = layerInfo(spec);
  const { total, trainable, nonTrainable } = countParams(spec);
  const rule = (c: string) => c.repeat(65);
  const row = (a: string, b: string, c: string) => ` ${pad(a, 28)}${pad(b, 26)}${c}`.trimEnd();
  return [
    `Model: "${spec.name}"`,
    rule('_'),
    row('Layer (type)', 'Output Shape', 'Param #'),
    rule('='),
    info.map((l) => row(`${l.name} (${l.type})`, `(None, ${l.outputShape.join(', ')})`, String(l.params))).join('\n\n'),
    rule('='),
    `Total params: ${fmt(total)}`,
    `Trainable params: ${fmt(trainable)}`,
    `Non-trainable params: ${fmt(nonTrainable)}`,
    rule('_'),
  ].join('\n');
}
