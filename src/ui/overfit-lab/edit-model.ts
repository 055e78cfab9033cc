// The model editor's data: an experiment as the user edits it (numbers kept as typed), the edits
// (each returns a new draft), the validation of every field with the model spec's own messages
// (validateSpec, compilePlan, validateExperiment), and the experiment as a compact, versioned link.
// Pure: no DOM, so Node tests cover it.
import type { DatasetName } from '../../data/format.ts';
import type { Experiment, ModelRun } from '../../experiments/presets.ts';
import { runFieldError, validateExperiment } from '../../experiments/presets.ts';
import type { LayerSpec, ModelSpec } from '../../model/spec.ts';
import type { LayerInfo } from '../../model/summary.ts';
import { countParams, layerInfo } from '../../model/summary.ts';
import { compilePlan } from '../../plan/plan.ts';

/** At most this many models in one experiment (the lab's six model colours). */
export const MAX_MODELS = 6;

/** Adam's learning rate when the experiment gives none (Keras' default). */
export const DEFAULT_LR = 0.001;

/** The activations a Dense layer may have in the editor. */
export const EDIT_ACTIVATIONS = ['relu', 'sigmoid', 'softmax', 'linear'] as const;

/** A layer as edited: the numbers as typed (an empty L1 / L2 is none; an empty activation is the
 *  spec's none, i.e. linear). */
export interface DraftLayer {
  type: LayerSpec['type'];
  units: string;
  activation: string;
  l1: string;
  l2: string;
  rate: string;
  /** What the editor does not show (a layer's name, batch norm's momentum and epsilon), kept. */
  rest: Record<string, unknown>;
}

export interface DraftModel {
  name: string;
  epochs: number;
  inputShape: number[];
  layers: DraftLayer[];
}

/** An experiment as edited. `batchSize` and `learningRate` as typed; the rest of the run (seed,
 *  epochs, training rows) is the element's own settings. */
export interface Draft {
  /** id, dataset, datasets, testLimit: kept as they came. */
  base: Omit<Experiment, 'models' | 'batchSize' | 'learningRate' | 'seed' | 'trainLimit'>;
  batchSize: string;
  learningRate: string;
  models: DraftModel[];
}

/** The fields of a layer the editor edits. */
export type LayerField = 'units' | 'activation' | 'l1' | 'l2' | 'rate';

/** Run settings the editor edits: the draft's own two and the element's three. */
export type EditRunField = 'epochs' | 'seed' | 'trainLimit' | 'batchSize' | 'learningRate';

const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function draftLayer(l: LayerSpec): DraftLayer {
  const { type, ...all } = l as LayerSpec & Record<string, unknown>;
  const { units, activation, kernel_regularizer, rate, ...rest } = all as Record<string, unknown>;
  const reg = (kernel_regularizer ?? {}) as { l1?: number; l2?: number };
  return { type, units: text(units), activation: text(activation), l1: text(reg.l1), l2: text(reg.l2), rate: text(rate), rest };
}

/** The editor's draft of an experiment (a valid one: a preset, or a checked `spec`). */
export function draftOf(e: Experiment): Draft {
  const { models, batchSize, learningRate, seed: _seed, trainLimit: _trainLimit, ...base } = structuredClone(e);
  return {
    base,
    batchSize: text(batchSize),
    learningRate: text(learningRate ?? DEFAULT_LR),
    models: models.map((m) => ({ name: m.name, epochs: m.epochs, inputShape: m.spec.inputShape, layers: m.spec.layers.map(draftLayer) })),
  };
}

/** A number as typed: empty is undefined, a number is that number, anything else stays a string
 *  (so a message says what was typed: `got "abc"`). */
export function typed(t: string): number | string | undefined {
  const s = t.trim();
  if (!s) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

function layerSpec(l: DraftLayer): LayerSpec {
  switch (l.type) {
    case 'Dense': {
      const l1 = typed(l.l1);
      const l2 = typed(l.l2);
      const reg = l1 === undefined && l2 === undefined ? null : { ...(l1 === undefined ? {} : { l1 }), ...(l2 === undefined ? {} : { l2 }) };
      return {
        type: 'Dense',
        units: typed(l.units),
        ...(l.activation ? { activation: l.activation } : {}),
        ...(reg ? { kernel_regularizer: reg } : {}),
        ...l.rest,
      } as LayerSpec;
    }
    case 'Dropout':
      return { type: 'Dropout', rate: typed(l.rate), ...l.rest } as LayerSpec;
    case 'Activation':
      return { type: 'Activation', activation: l.activation, ...l.rest } as LayerSpec;
    default:
      return { type: l.type, ...l.rest } as LayerSpec;
  }
}

/** A model of the draft as a spec (as typed: it may not be valid). */
export function modelSpecOf(m: DraftModel): ModelSpec {
  return { name: m.name, inputShape: [...m.inputShape], layers: m.layers.map(layerSpec) };
}

/** The run settings the experiment carries besides the draft's (the element's seed, epochs and
 *  training rows). */
export interface RunOverrides {
  seed?: number;
  /** Every model's epochs; undefined: each its own. */
  epochs?: number;
  trainLimit?: number;
}

/** The draft as an experiment (as typed: check it with checkDraft). */
export function experimentOf(d: Draft, run: RunOverrides = {}): Experiment {
  return {
    ...structuredClone(d.base),
    batchSize: typed(d.batchSize) as number,
    learningRate: typed(d.learningRate) as number,
    ...(run.seed === undefined ? {} : { seed: run.seed }),
    ...(run.trainLimit === undefined ? {} : { trainLimit: run.trainLimit }),
    models: d.models.map((m): ModelRun => ({ name: m.name, epochs: run.epochs ?? m.epochs, spec: modelSpecOf(m) })),
  };
}

/** A run field as typed: its value (undefined: the default) or why it is wrong, in the words of
 *  validateExperiment. Empty epochs are each model's own, empty training rows all of them. */
export function runField(field: EditRunField, t: string): { value: number | undefined; error: string | null } {
  const v = typed(t);
  if (field === 'epochs') {
    if (v === undefined) return { value: undefined, error: null };
    return Number.isInteger(v) && (v as number) >= 1
      ? { value: v as number, error: null }
      : { value: undefined, error: `epochs must be a positive integer, got ${JSON.stringify(v)}` };
  }
  // batchSize, seed and learningRate need a value here (the field shows the default)
  const error = runFieldError(field, v === undefined && field !== 'trainLimit' ? '' : v);
  return error ? { value: undefined, error } : { value: v as number | undefined, error: null };
}

/** Where a message belongs: `name`, `model` (the whole model), `L<i>` (layer i, 0-based) or
 *  `L<i>.<field>`. */
export type FieldKey = string;

export interface ModelCheck {
  /** Messages by field (the spec's own words). */
  errors: Map<FieldKey, string>;
  /** The Keras summary when the model is valid. */
  layers: LayerInfo[] | null;
  params: { total: number; trainable: number; nonTrainable: number } | null;
}

const FIELD_OF: [RegExp, LayerField][] = [
  [/^units\b/, 'units'],
  [/^(activation\b|softmax\b)/, 'activation'],
  [/^rate\b/, 'rate'],
];

const badRate = (t: string) => {
  const v = typed(t);
  return v !== undefined && !(typeof v === 'number' && v >= 0);
};

/** Checks one model of the draft: its name among the others (validateExperiment's words), then
 *  the spec (validateSpec's and compilePlan's words, each on its field). validateSpec stops at
 *  the first problem, so a field found wrong is set to a valid stand-in and the model checked
 *  again, until it passes or a problem is not a field's. */
export function checkModel(d: Draft, index: number): ModelCheck {
  const m = d.models[index];
  const errors = new Map<FieldKey, string>();
  if (!m.name.trim()) errors.set('name', `models[${index}].name must be a non-empty string`);
  else if (d.models.findIndex((x) => x.name === m.name) < index) errors.set('name', `models[${index}].name "${m.name}" is used twice`);
  const spec = modelSpecOf({ ...m, name: m.name || 'model' });
  const layers = spec.layers as (LayerSpec & Record<string, unknown>)[];
  for (let tries = 0; tries <= 4 * layers.length + 1; tries++) {
    let message: string;
    try {
      compilePlan(spec);
      break;
    } catch (e) {
      message = (e as Error).message;
    }
    const at = /^layer (\d+) \([^)]*\): (.*)$/s.exec(message);
    if (!at) {
      errors.set('model', message);
      break;
    }
    const i = Number(at[1]) - 1;
    const what = at[2];
    const layer = layers[i];
    let field = FIELD_OF.find(([re]) => re.test(what))?.[1] ?? null;
    if (!field && /^kernel_regularizer\b/.test(what)) field = badRate(m.layers[i].l1) ? 'l1' : 'l2';
    if (!field || errors.has(`L${i}.${field}`)) {
      errors.set(`L${i}`, message);
      break;
    }
    errors.set(`L${i}.${field}`, message);
    // a valid stand-in, so the next problem shows
    if (field === 'units') layer.units = 1;
    else if (field === 'activation') layer.activation = 'linear';
    else if (field === 'rate') layer.rate = 0;
    else delete layer.kernel_regularizer;
  }
  if (errors.size) return { errors, layers: null, params: null };
  const valid = modelSpecOf(m);
  return { errors, layers: layerInfo(valid), params: countParams(valid) };
}

export interface DraftCheck {
  /** The experiment when every field is valid; null otherwise. */
  experiment: Experiment | null;
  /** Per model, its check. */
  models: ModelCheck[];
  /** The run fields' messages. */
  run: Map<EditRunField, string>;
  /** The first problem (Start's reason), or null. */
  first: string | null;
}

/** Checks the whole draft with the element's run settings as typed (`runText`: the seed, epochs
 *  and training rows fields). */
export function checkDraft(d: Draft, runText: Partial<Record<'seed' | 'epochs' | 'trainLimit', string>> = {}): DraftCheck {
  const run = new Map<EditRunField, string>();
  const values: RunOverrides = {};
  for (const f of ['epochs', 'seed', 'trainLimit'] as const) {
    if (runText[f] === undefined) continue;
    const r = runField(f, runText[f]);
    if (r.error) run.set(f, r.error);
    else values[f] = r.value;
  }
  for (const f of ['batchSize', 'learningRate'] as const) {
    const r = runField(f, d[f]);
    if (r.error) run.set(f, r.error);
  }
  const models = d.models.map((_, i) => checkModel(d, i));
  const modelError = (c: ModelCheck, i: number) => (c.errors.size ? `${d.models[i].name || `models[${i}]`}: ${[...c.errors.values()][0]}` : null);
  let first = [...run.values()][0] ?? models.map(modelError).find((x) => x) ?? null;
  if (!d.models.length) first = 'models must be a non-empty list of {name, epochs, spec}';
  if (d.models.length > MAX_MODELS) first = `at most ${MAX_MODELS} models`;
  let experiment: Experiment | null = null;
  if (!first) {
    experiment = experimentOf(d, values);
    try {
      validateExperiment(experiment);
    } catch (e) {
      first = (e as Error).message;
      experiment = null;
    }
  }
  return { experiment, models, run, first };
}

// ---- edits: each returns a new draft ----

const withModel = (d: Draft, mi: number, f: (m: DraftModel) => DraftModel): Draft => ({ ...d, models: d.models.map((m, i) => (i === mi ? f(m) : m)) });
const withLayers = (d: Draft, mi: number, f: (ls: DraftLayer[]) => DraftLayer[]): Draft => withModel(d, mi, (m) => ({ ...m, layers: f(m.layers) }));

export function setLayerField(d: Draft, mi: number, li: number, field: LayerField, value: string): Draft {
  return withLayers(d, mi, (ls) => ls.map((l, i) => (i === li ? { ...l, [field]: value } : l)));
}

export function setRunText(d: Draft, field: 'batchSize' | 'learningRate', value: string): Draft {
  return { ...d, [field]: value };
}

export function renameModel(d: Draft, mi: number, name: string): Draft {
  return withModel(d, mi, (m) => ({ ...m, name }));
}

const newLayer = (type: 'Dense' | 'Dropout' | 'BatchNormalization', units = '64'): DraftLayer => ({
  type,
  units: type === 'Dense' ? units : '',
  activation: type === 'Dense' ? 'relu' : '',
  l1: '',
  l2: '',
  rate: type === 'Dropout' ? '0.5' : '',
  rest: {},
});

/** BatchNormalization right after the Dense layer `li`: inserts one, or removes the one there. */
export function toggleBatchNorm(d: Draft, mi: number, li: number): Draft {
  return withLayers(d, mi, (ls) =>
    ls[li + 1]?.type === 'BatchNormalization'
      ? ls.filter((_, i) => i !== li + 1)
      : [...ls.slice(0, li + 1), newLayer('BatchNormalization'), ...ls.slice(li + 1)],
  );
}

/** Whether the layer after `li` is a BatchNormalization. */
export const hasBatchNorm = (m: DraftModel, li: number): boolean => m.layers[li + 1]?.type === 'BatchNormalization';

/** A hidden layer (Dense 64 relu, or Dropout 0.5) before the output layer (the last Dense). */
export function addLayer(d: Draft, mi: number, type: 'Dense' | 'Dropout'): Draft {
  return withLayers(d, mi, (ls) => {
    const out = ls.map((l) => l.type).lastIndexOf('Dense');
    const at = out < 0 ? ls.length : out;
    return [...ls.slice(0, at), newLayer(type), ...ls.slice(at)];
  });
}

export function removeLayer(d: Draft, mi: number, li: number): Draft {
  return withLayers(d, mi, (ls) => ls.filter((_, i) => i !== li));
}

/** `base`, or `base_2`, `base_3`, ... : a name no model of the draft has. */
export function freeName(d: Draft, base: string): string {
  const names = new Set(d.models.map((m) => m.name));
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base}_${n}`)) return `${base}_${n}`;
}

/** A copy of model `mi`, named `<name>_copy`, right after it (at most MAX_MODELS). */
export function duplicateModel(d: Draft, mi: number): Draft {
  if (d.models.length >= MAX_MODELS) return d;
  const m = structuredClone(d.models[mi]);
  m.name = freeName(d, `${d.models[mi].name}_copy`);
  return { ...d, models: [...d.models.slice(0, mi + 1), m, ...d.models.slice(mi + 1)] };
}

/** A small new model on the experiment's input: (Flatten,) Dense 64 relu, and the first model's
 *  output layer. */
export function addModel(d: Draft): Draft {
  if (d.models.length >= MAX_MODELS || !d.models.length) return d;
  const first = d.models[0];
  const out = [...first.layers].reverse().find((l) => l.type === 'Dense');
  const layers: DraftLayer[] = [
    ...(first.inputShape.length > 1 ? [{ ...newLayer('Dense'), type: 'Flatten' as const, units: '', activation: '' }] : []),
    newLayer('Dense'),
    out ? { ...structuredClone(out), l1: '', l2: '', rest: {} } : newLayer('Dense', '1'),
  ];
  const model: DraftModel = { name: freeName(d, `model_${d.models.length + 1}`), epochs: first.epochs, inputShape: [...first.inputShape], layers };
  return { ...d, models: [...d.models, model] };
}

/** The input shape each data set's rows have (IMDB: 100 multi-hot words; the image sets 28x28). */
export const DATA_SHAPES: Record<DatasetName, readonly number[]> = { imdb: [100], mnist: [28, 28], 'fashion-mnist': [28, 28] };

/** Why a model cannot join the draft: too many models already, or an input shape that is not the
 *  data set's (the shapes named). */
export type ImportRefusal = { kind: 'full'; max: number } | { kind: 'shape'; got: number[]; want: number[]; dataset: DatasetName };

/** An imported model (specFromKerasJson's) added at the end of the draft, named as it was (or
 *  `<name>_2`, ... when taken), training for the first model's epochs; or why it cannot be. */
export function importModel(d: Draft, spec: ModelSpec): { draft: Draft; name: string } | { refused: ImportRefusal } {
  if (d.models.length >= MAX_MODELS) return { refused: { kind: 'full', max: MAX_MODELS } };
  const dataset = d.base.dataset;
  const want = [...DATA_SHAPES[dataset]];
  if (spec.inputShape.length !== want.length || spec.inputShape.some((v, i) => v !== want[i]))
    return { refused: { kind: 'shape', got: [...spec.inputShape], want, dataset } };
  const name = freeName(d, spec.name?.trim() || 'imported');
  const model: DraftModel = { name, epochs: d.models[0]?.epochs ?? 20, inputShape: want, layers: spec.layers.map((l) => draftLayer(structuredClone(l))) };
  return { draft: { ...d, models: [...d.models, model] }, name };
}

export function removeModel(d: Draft, mi: number): Draft {
  return d.models.length > 1 ? { ...d, models: d.models.filter((_, i) => i !== mi) } : d;
}

// ---- the experiment as a link: `1.<base64url of deflate-raw(JSON)>` ----

/** The link format's version; a link of a newer one is refused with a message. */
export const LINK_VERSION = 1;

export class LinkError extends Error {
  override name = 'LinkError';
  constructor(
    readonly kind: 'version' | 'corrupt' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

const b64url = (bytes: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const unb64url = (t: string): Uint8Array => {
  const s = atob(t.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** The experiment as a compact link text: `1.` and the base64url of its deflated JSON. */
export async function encodeExperiment(e: Experiment): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(e));
  return `${LINK_VERSION}.${b64url(await through(json, new CompressionStream('deflate-raw')))}`;
}

/** The experiment a link text holds, checked (validateExperiment); throws LinkError saying why
 *  not: a newer version, a damaged text, or an experiment that is not valid. */
export async function decodeExperiment(link: string): Promise<Experiment> {
  const m = /^(\d+)\.([A-Za-z0-9_-]+)$/.exec(link.trim());
  if (!m) throw new LinkError('corrupt', 'the link’s experiment is damaged (it is not VERSION.DATA)');
  const version = Number(m[1]);
  if (version > LINK_VERSION)
    throw new LinkError('version', `the link was made by a newer version of overfit-lab (format ${version}; this one reads up to ${LINK_VERSION})`);
  if (version < 1) throw new LinkError('corrupt', `the link’s format ${version} is unknown`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(await through(unb64url(m[2]), new DecompressionStream('deflate-raw'))));
  } catch (e) {
    throw new LinkError('corrupt', `the link’s experiment is damaged (${(e as Error).message})`);
  }
  try {
    validateExperiment(json);
  } catch (e) {
    throw new LinkError('invalid', (e as Error).message);
  }
  return json;
}
