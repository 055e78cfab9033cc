// A JSON-serializable, Keras-like Sequential model spec, and its validation.

export type ActivationName = 'linear' | 'relu' | 'sigmoid' | 'softmax';

export interface Regularizer {
  l1?: number;
  l2?: number;
}

export type LayerSpec =
  | { type: 'Dense'; units: number; activation?: ActivationName; kernel_regularizer?: Regularizer | null; name?: string }
  | { type: 'Activation'; activation: ActivationName; name?: string }
  | { type: 'Dropout'; rate: number; name?: string }
  | { type: 'BatchNormalization'; momentum?: number; epsilon?: number; name?: string }
  | { type: 'Flatten'; name?: string };

export interface ModelSpec {
  name: string;
  /** Shape of one sample, e.g. [100] or [28, 28]. */
  inputShape: number[];
  layers: LayerSpec[];
}

export const LAYER_TYPES = ['Dense', 'Activation', 'Dropout', 'BatchNormalization', 'Flatten'] as const;
export const ACTIVATIONS: readonly ActivationName[] = ['linear', 'relu', 'sigmoid', 'softmax'];

export class ModelSpecError extends Error {
  override name = 'ModelSpecError';
}

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const isRate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Throws ModelSpecError naming the layer (1-based, as Keras lists them) and the fix. */
export function validateSpec(spec: unknown): asserts spec is ModelSpec {
  const fail = (msg: string): never => {
    throw new ModelSpecError(msg);
  };
  if (!spec || typeof spec !== 'object') fail('model spec must be an object {name, inputShape, layers}');
  const s = spec as Partial<ModelSpec>;
  if (typeof s.name !== 'string' || !s.name) fail('model spec: name must be a non-empty string');
  if (!Array.isArray(s.inputShape) || s.inputShape.length === 0 || !s.inputShape.every(isPosInt))
    fail(`model "${s.name}": inputShape must be a list of positive integers, e.g. [100] or [28, 28], got ${JSON.stringify(s.inputShape)}`);
  if (!Array.isArray(s.layers) || s.layers.length === 0) fail(`model "${s.name}": layers must be a non-empty list`);
  const layers = s.layers as LayerSpec[];
  let flat = s.inputShape!.length === 1;
  layers.forEach((layer, i) => {
    const at = `layer ${i + 1} (${(layer as { type?: string })?.type ?? '?'})`;
    if (!layer || typeof layer !== 'object' || !LAYER_TYPES.includes(layer.type))
      fail(`layer ${i + 1}: type must be one of ${LAYER_TYPES.join(', ')}, got ${JSON.stringify((layer as { type?: unknown })?.type)}`);
    const act = (a: unknown, field: string) => {
      if (!ACTIVATIONS.includes(a as ActivationName)) fail(`${at}: ${field} must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(a)}`);
      if (a === 'softmax' && i !== layers.length - 1 && !(i === layers.length - 2 && layers[i + 1].type === 'Activation'))
        fail(`${at}: softmax is supported only as the model's final activation`);
    };
    switch (layer.type) {
      case 'Flatten':
        flat = true;
        break;
      case 'Dense':
        if (!flat) fail(`${at}: input is ${s.inputShape!.length}-D; add a Flatten layer before the first Dense`);
        if (!isPosInt(layer.units)) fail(`${at}: units must be a positive integer, got ${JSON.stringify(layer.units)}`);
        if (layer.activation !== undefined) act(layer.activation, 'activation');
        if (layer.kernel_regularizer != null) {
          const r = layer.kernel_regularizer;
          if (
            typeof r !== 'object' ||
            (r.l1 === undefined && r.l2 === undefined) ||
            (r.l1 !== undefined && !isRate(r.l1)) ||
            (r.l2 !== undefined && !isRate(r.l2))
          )
            fail(`${at}: kernel_regularizer must be {l1: rate} and/or {l2: rate} with rates >= 0, got ${JSON.stringify(r)}`);
        }
        break;
      case 'Activation':
        act(layer.activation, 'activation');
        break;
      case 'Dropout':
        if (typeof layer.rate !== 'number' || !(layer.rate >= 0 && layer.rate < 1))
          fail(`${at}: rate must be a number in [0, 1), got ${JSON.stringify(layer.rate)}`);
        break;
      case 'BatchNormalization':
        if (layer.momentum !== undefined && !(layer.momentum >= 0 && layer.momentum < 1)) fail(`${at}: momentum must be in [0, 1), got ${layer.momentum}`);
        if (layer.epsilon !== undefined && !(layer.epsilon > 0)) fail(`${at}: epsilon must be > 0, got ${layer.epsilon}`);
        break;
    }
    if (i === 0 && layer.type !== 'Dense' && layer.type !== 'Flatten') fail(`${at}: the first layer must be Dense or Flatten`);
  });
  if (!layers.some((l) => l.type === 'Dense')) fail(`model "${s.name}": needs at least one Dense layer`);
}

/** The pure loss Keras reports for the model: binary cross-entropy for a 1-unit output, else
 *  sparse categorical cross-entropy (the lab's two heads). */
export function lossMetricOf(spec: ModelSpec): 'binary_crossentropy' | 'sparse_categorical_crossentropy' {
  const last = [...spec.layers].reverse().find((l) => l.type === 'Dense');
  return last && last.type === 'Dense' && last.units === 1 ? 'binary_crossentropy' : 'sparse_categorical_crossentropy';
}
