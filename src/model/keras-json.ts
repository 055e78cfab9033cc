// Keras JSON in both directions: the Sequential model config Keras 2.x writes (model.to_json(),
// also tfjs-layers' model.toJSON() and the `modelTopology` of a TF.js Layers model.json), written
// from a model spec, and read back into one. Import accepts exactly what the trainer can run and
// refuses everything else with the layer's Keras name and what is supported.
import type { ActivationName, LayerSpec, ModelSpec, Regularizer } from './spec.ts';
import { ACTIVATIONS, ModelSpecError, validateSpec } from './spec.ts';
import { layerInfo } from './summary.ts';

export interface KerasObject {
  class_name: string;
  config: Record<string, unknown>;
}

/** The `model_config` of model.to_json(): a Sequential model and its layers. */
export interface KerasModelConfig {
  class_name: 'Sequential';
  config: { name: string; layers: KerasObject[] };
}

export const SUPPORTED =
  'supported: a Sequential model of InputLayer, Dense, Dropout, BatchNormalization, Activation and Flatten layers; ' +
  `activations ${ACTIVATIONS.join(', ')}; kernel_regularizer L1, L2 or L1L2; ` +
  'Keras default initializers (glorot_uniform kernels, zero biases; BatchNormalization gamma 1, beta 0, moving mean 0, moving variance 1)';

const obj = (class_name: string, config: Record<string, unknown> = {}): KerasObject => ({ class_name, config });

/** Keras 2's model config of a spec: an InputLayer, then one entry per layer with Keras' names
 *  (dense, dense_1, ...; or the spec's own names) and Keras' default initializers. Regularizers
 *  are written as L1L2 {l1, l2}, the class both Keras 2 and tfjs-layers read. */
export function kerasModelConfig(spec: ModelSpec): KerasModelConfig {
  const info = layerInfo(spec); // validates
  const common = (i: number) => ({ name: info[i].name, trainable: true, dtype: 'float32' });
  const layers: KerasObject[] = [
    obj('InputLayer', { batch_input_shape: [null, ...spec.inputShape], dtype: 'float32', sparse: false, ragged: false, name: `${info[0].name}_input` }),
  ];
  spec.layers.forEach((l, i) => {
    switch (l.type) {
      case 'Dense': {
        const r = l.kernel_regularizer;
        layers.push(
          obj('Dense', {
            ...common(i),
            units: l.units,
            activation: l.activation ?? 'linear',
            use_bias: true,
            kernel_initializer: obj('GlorotUniform', { seed: null }),
            bias_initializer: obj('Zeros'),
            kernel_regularizer: r && (r.l1 || r.l2) ? obj('L1L2', { l1: r.l1 ?? 0, l2: r.l2 ?? 0 }) : null,
            bias_regularizer: null,
            activity_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          }),
        );
        break;
      }
      case 'Dropout':
        layers.push(obj('Dropout', { ...common(i), rate: l.rate, noise_shape: null, seed: null }));
        break;
      case 'BatchNormalization':
        layers.push(
          obj('BatchNormalization', {
            ...common(i),
            axis: -1,
            momentum: l.momentum ?? 0.99,
            epsilon: l.epsilon ?? 0.001,
            center: true,
            scale: true,
            beta_initializer: obj('Zeros'),
            gamma_initializer: obj('Ones'),
            moving_mean_initializer: obj('Zeros'),
            moving_variance_initializer: obj('Ones'),
            beta_regularizer: null,
            gamma_regularizer: null,
            beta_constraint: null,
            gamma_constraint: null,
          }),
        );
        break;
      case 'Activation':
        layers.push(obj('Activation', { ...common(i), activation: l.activation }));
        break;
      case 'Flatten':
        layers.push(obj('Flatten', { ...common(i), data_format: 'channels_last' }));
        break;
    }
  });
  return { class_name: 'Sequential', config: { name: spec.name, layers } };
}

// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Keras 2 stores some floats as float32 widened to double (l2(0.001) -> 0.0010000000474974513):
 *  give back the shortest decimal with the same float32 value. */
function short(x: number): number {
  if (Math.fround(x) !== x) return x;
  for (let p = 1; p <= 9; p++) {
    const d = Number(x.toPrecision(p));
    if (Math.fround(d) === x) return d;
  }
  return x;
}

const INIT_NAMES: Record<'glorot_uniform' | 'zeros' | 'ones', string[]> = {
  glorot_uniform: ['GlorotUniform', 'glorot_uniform'],
  zeros: ['Zeros', 'zeros'],
  ones: ['Ones', 'ones'],
};

function isInit(v: unknown, want: keyof typeof INIT_NAMES): boolean {
  if (v == null) return true; // absent: the layer's default
  const cls = typeof v === 'string' ? v : isObj(v) ? v.class_name : undefined;
  if (typeof cls !== 'string') return false;
  if (INIT_NAMES[want].includes(cls)) return true;
  // tfjs-layers writes glorotUniform as VarianceScaling(1, fan_avg, uniform).
  const c = isObj(v) && isObj(v.config) ? v.config : {};
  return want === 'glorot_uniform' && cls === 'VarianceScaling' && c.scale === 1 && c.mode === 'fan_avg' && c.distribution === 'uniform';
}

const describeValue = (v: unknown) => (isObj(v) && typeof v.class_name === 'string' ? v.class_name : JSON.stringify(v));

/** Keras' dtype field: "float32", or Keras 3's DTypePolicy {name: "float32"}. */
function dtypeOf(v: unknown): unknown {
  if (isObj(v) && isObj(v.config)) return v.config.name;
  return v;
}

/**
 * A model spec from Keras' `model.to_json()` (Keras 2.x; also tfjs-layers' `model.toJSON()`, a
 * TF.js model.json with its `modelTopology`, or a `model_config` wrapper). Accepts a Sequential
 * model of InputLayer, Dense, Dropout, BatchNormalization, Activation and Flatten with L1, L2 or
 * L1L2 kernel regularizers (`{"class_name": "L2", "config": {"l2": ...}}` as newer Keras 2 writes,
 * or `{"class_name": "L1L2", "config": {"l1": ..., "l2": ...}}` as older Keras 2 and tfjs write).
 * Anything the trainer cannot run exactly is refused with a ModelSpecError that names the layer.
 * Layer names are kept only where they differ from the ones Keras would give (dense, dense_1, ...).
 */
export function specFromKerasJson(json: string | object, name?: string): ModelSpec {
  let root: unknown = json;
  if (typeof json === 'string') {
    try {
      root = JSON.parse(json);
    } catch (e) {
      throw new ModelSpecError(`Keras model JSON: not valid JSON (${(e as Error).message})`);
    }
  }
  if (isObj(root) && isObj(root.modelTopology)) root = root.modelTopology;
  if (isObj(root) && isObj(root.model_config)) root = root.model_config;
  if (!isObj(root) || typeof root.class_name !== 'string')
    throw new ModelSpecError(`Keras model JSON: expected {"class_name": "Sequential", "config": {...}} as model.to_json() writes; ${SUPPORTED}`);
  const rootCfg = root.config;
  const modelName = isObj(rootCfg) && typeof rootCfg.name === 'string' ? rootCfg.name : undefined;
  if (root.class_name !== 'Sequential')
    throw new ModelSpecError(`model "${modelName ?? '?'}" (${root.class_name}): only Sequential models can be imported; ${SUPPORTED}`);
  const list = Array.isArray(rootCfg) ? rootCfg : isObj(rootCfg) ? rootCfg.layers : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new ModelSpecError(`model "${modelName ?? '?'}" (Sequential): config.layers must be a non-empty list`);

  let inputShape: number[] | undefined;
  const layers: LayerSpec[] = [];
  const kerasNames: string[] = [];
  list.forEach((entry: unknown, k: number) => {
    const cls = isObj(entry) && typeof entry.class_name === 'string' ? entry.class_name : '?';
    const c: Json = isObj(entry) && isObj(entry.config) ? entry.config : {};
    const lname = typeof c.name === 'string' ? c.name : `#${k + 1}`;
    const at = `layer ${k + 1} "${lname}" (${cls})`;
    const fail = (msg: string): never => {
      throw new ModelSpecError(`${at}: ${msg}; ${SUPPORTED}`);
    };
    if (!isObj(entry) || !isObj(entry.config)) fail('expected {"class_name": ..., "config": {...}}');
    if (c.trainable === false) fail('trainable: false (frozen layers) is not supported');
    const dtype = dtypeOf(c.dtype);
    if (dtype != null && dtype !== 'float32') fail(`dtype ${JSON.stringify(dtype)} is not supported (float32 only)`);
    const nulls = (...keys: string[]) => {
      for (const key of keys) if (c[key] != null) fail(`${key} ${describeValue(c[key])} is not supported`);
    };
    const inits = (pairs: [string, keyof typeof INIT_NAMES][]) => {
      for (const [key, want] of pairs)
        if (!isInit(c[key], want)) fail(`${key} ${describeValue(c[key])} is not supported (the trainer initializes it with ${want})`);
    };

    // The input shape: an InputLayer, or batch_input_shape on the first layer (Keras 2 / tfjs).
    const shapeField = c.batch_input_shape ?? c.batch_shape;
    if (shapeField !== undefined || cls === 'InputLayer') {
      if (layers.length > 0 || inputShape) fail('an input shape is only supported on the first layer');
      const s = shapeField;
      if (!Array.isArray(s) || s.length < 2 || !s.slice(1).every((d) => Number.isInteger(d) && d > 0))
        fail(`the input shape must be [null, d1, ...] with positive sizes, got ${JSON.stringify(s)}`);
      inputShape = (s as number[]).slice(1);
    }
    const add = (l: LayerSpec) => {
      if (!inputShape) fail('the model has no input shape: give the first layer input_shape (or start with an InputLayer)');
      layers.push(l);
      kerasNames.push(lname);
    };
    const activation = (v: unknown): ActivationName => {
      if (v == null) return 'linear';
      if (typeof v !== 'string' || !ACTIVATIONS.includes(v as ActivationName)) fail(`activation ${describeValue(v)} is not supported`);
      return v as ActivationName;
    };

    switch (cls) {
      case 'InputLayer':
        if (c.sparse === true || c.ragged === true) fail('sparse or ragged inputs are not supported');
        break;
      case 'Dense': {
        if (!Number.isInteger(c.units) || (c.units as number) < 1) fail(`units must be a positive integer, got ${JSON.stringify(c.units)}`);
        if (c.use_bias === false) fail('use_bias: false is not supported (every Dense layer has a bias)');
        nulls('bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint');
        inits([
          ['kernel_initializer', 'glorot_uniform'],
          ['bias_initializer', 'zeros'],
        ]);
        const act = activation(c.activation);
        const reg = regularizer(c.kernel_regularizer, fail);
        add({
          type: 'Dense',
          units: c.units as number,
          ...(act !== 'linear' ? { activation: act } : {}),
          ...(reg ? { kernel_regularizer: reg } : {}),
        });
        break;
      }
      case 'Dropout': {
        const rate = c.rate;
        if (!isNum(rate) || rate < 0 || rate >= 1) fail(`rate must be a number in [0, 1), got ${JSON.stringify(rate)}`);
        nulls('noise_shape');
        add({ type: 'Dropout', rate: short(rate as number) });
        break;
      }
      case 'BatchNormalization': {
        const axis = Array.isArray(c.axis) && c.axis.length === 1 ? c.axis[0] : c.axis;
        if (axis != null && axis !== -1 && axis !== 1) fail(`axis ${JSON.stringify(c.axis)} is not supported (only the feature axis, -1)`);
        if (c.center === false || c.scale === false) fail('center: false or scale: false is not supported');
        if (c.renorm === true) fail('renorm is not supported');
        if (c.synchronized === true) fail('synchronized is not supported');
        nulls('virtual_batch_size', 'adjustment', 'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint');
        inits([
          ['beta_initializer', 'zeros'],
          ['gamma_initializer', 'ones'],
          ['moving_mean_initializer', 'zeros'],
          ['moving_variance_initializer', 'ones'],
        ]);
        const momentum = c.momentum == null ? 0.99 : c.momentum;
        const epsilon = c.epsilon == null ? 0.001 : c.epsilon;
        if (!isNum(momentum) || momentum < 0 || momentum >= 1) fail(`momentum must be in [0, 1), got ${JSON.stringify(c.momentum)}`);
        if (!isNum(epsilon) || epsilon <= 0) fail(`epsilon must be > 0, got ${JSON.stringify(c.epsilon)}`);
        const m = short(momentum as number);
        const e = short(epsilon as number);
        add({ type: 'BatchNormalization', ...(m !== 0.99 ? { momentum: m } : {}), ...(e !== 0.001 ? { epsilon: e } : {}) });
        break;
      }
      case 'Activation':
        add({ type: 'Activation', activation: activation(c.activation) });
        break;
      case 'Flatten':
        if (c.data_format != null && c.data_format !== 'channels_last')
          fail(`data_format ${JSON.stringify(c.data_format)} is not supported (channels_last only)`);
        add({ type: 'Flatten' });
        break;
      default:
        fail(`${cls} layers are not supported`);
    }
  });
  if (!inputShape || layers.length === 0) throw new ModelSpecError(`model "${modelName ?? '?'}" (Sequential): no layers besides the input; ${SUPPORTED}`);

  const spec: ModelSpec = { name: name ?? modelName ?? 'imported', inputShape, layers };
  try {
    validateSpec(spec);
  } catch (e) {
    // validateSpec counts spec layers; say which Keras layer it means.
    const msg = (e as Error).message.replace(/^layer (\d+) \((\w+)\)/, (_, n: string, t: string) => `layer "${kerasNames[Number(n) - 1]}" (${t})`);
    throw new ModelSpecError(`Keras model "${spec.name}": ${msg}`);
  }
  // Keep a layer's name only where it differs from the one Keras would give it.
  const defaults = layerInfo(spec).map((l) => l.name);
  spec.layers = layers.map((l, i) => (kerasNames[i] === defaults[i] ? l : { ...l, name: kerasNames[i] }));
  return spec;
}

/** A kernel_regularizer: null, or L1 / L2 / L1L2 in either Keras 2 form; zero rates are dropped. */
function regularizer(r: unknown, fail: (msg: string) => never): Regularizer | null {
  if (r == null) return null;
  if (!isObj(r) || typeof r.class_name !== 'string') return fail(`kernel_regularizer ${JSON.stringify(r)} is not supported`);
  const c = isObj(r.config) ? r.config : {};
  const rate = (key: 'l1' | 'l2', dflt: number): number => {
    const v = c[key] ?? dflt;
    if (!isNum(v) || v < 0) fail(`kernel_regularizer ${r.class_name}: ${key} must be a number >= 0, got ${JSON.stringify(c[key])}`);
    return short(v as number);
  };
  let l1 = 0;
  let l2 = 0;
  switch (r.class_name) {
    case 'L1L2':
    case 'l1_l2':
      l1 = rate('l1', 0);
      l2 = rate('l2', 0);
      break;
    case 'L1':
    case 'l1':
      l1 = rate('l1', 0.01);
      break;
    case 'L2':
    case 'l2':
      l2 = rate('l2', 0.01);
      break;
    default:
      return fail(`kernel_regularizer ${r.class_name} is not supported (L1, L2 or L1L2 only)`);
  }
  if (!l1 && !l2) return null;
  return { ...(l1 ? { l1 } : {}), ...(l2 ? { l2 } : {}) };
}
