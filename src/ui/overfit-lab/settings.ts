// The run settings <overfit-lab> reads from its attributes, checked and with the lab's defaults.
import { DEFAULT_BASE } from '../../data/load-browser.ts';
import type { DatasetName } from '../../data/format.ts';
import type { EarlyStoppingSettings } from '../../experiments/early-stopping.ts';
import { checkMonitor, parseEarlyStopping } from '../../experiments/early-stopping.ts';
import type { Experiment } from '../../experiments/presets.ts';
import { findExperiment } from '../../experiments/presets.ts';
import type { ModelSpec } from '../../model/spec.ts';
import { lossMetricOf, ModelSpecError } from '../../model/spec.ts';
import type { ReplicaSpec } from '../../plan/replicas.ts';
import type { Sweep, SweepError } from './replicas.ts';
import { parseSweep, runReplicas, SEED_COUNTS, seedCount, seedList } from './replicas.ts';
import type { LabHost } from './types.ts';

export interface Settings {
  experiment: Experiment;
  dataset: DatasetName;
  seed: number;
  /** The run's seeds: `seed` and the next ones (`[seed]` for one). */
  seeds: number[];
  sweep: Sweep | null;
  /** Why the `sweep` text is not a sweep: the run cannot start until it is fixed. */
  sweepError: SweepError | null;
  /** Keras' EarlyStopping for every model (each replica on its own), or null: off. */
  earlyStopping: EarlyStoppingSettings | null;
  /** Why the `early-stopping` text does not parse (the parser's English message): the run cannot
   *  start until it is fixed. */
  earlyStoppingError: string | null;
  /** Every replica (seeds crossed with the sweep's values), in the trainer's order. */
  replicas: ReplicaSpec[];
  epochs: number | undefined;
  trainLimit: number | undefined;
  testLimit: number | undefined;
  base: string;
  debug: boolean;
}

const posInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

/** The experiment with only the named models (`models`: names split by spaces or commas; empty:
 *  all); an unknown name throws, listing the experiment's models. */
export function pickModels(experiment: Experiment, models: string): Experiment {
  const names = (models ?? '').split(/[\s,]+/).filter(Boolean);
  if (!names.length) return experiment;
  const valid = experiment.models.map((m) => m.name);
  const unknown = names.find((n) => !valid.includes(n));
  if (unknown) throw new ModelSpecError(`models: "${unknown}" is not a model of the experiment "${experiment.id}"; its models are ${valid.join(', ')}`);
  return { ...experiment, models: experiment.models.filter((m) => names.includes(m.name)) };
}

/** The `early-stopping` attribute: empty is off; `3`, `3,0.001` or a JSON object of Keras'
 *  arguments (parseEarlyStopping); a bad one is kept as the parser's message. */
export function readEarlyStopping(
  text: string | null | undefined,
  models: readonly { spec: ModelSpec }[] = [],
): { settings: EarlyStoppingSettings | null; error: string | null } {
  const t = (text ?? '').trim();
  if (!t) return { settings: null, error: null };
  try {
    const settings = parseEarlyStopping(t);
    // A monitor the models do not log would fail every model at its first epoch: say so now.
    for (const m of models) checkMonitor(settings, lossMetricOf(m.spec));
    return { settings, error: null };
  } catch (e) {
    return { settings: null, error: (e as Error).message };
  }
}

/** What the patience field shows for an `early-stopping` text: its patience (a JSON one's too),
 *  a bad number as typed, or empty (off, or a text that is not a number). */
export function patienceField(text: string | null | undefined): string {
  const t = (text ?? '').trim();
  const { settings } = readEarlyStopping(t);
  if (settings) return String(settings.patience);
  return t && Number.isFinite(Number(t)) ? t : '';
}

/** The `early-stopping` text once a patience is typed: empty is off; a whole number keeps the
 *  current min_delta (`3,0.001` -> `5,0.001`) and replaces a JSON object (the field edits the
 *  simple form); anything else is kept as typed, so its error shows. */
export function withPatience(current: string | null | undefined, typed: string): string {
  const p = typed.trim();
  if (!p) return '';
  const c = (current ?? '').trim();
  const delta = c.startsWith('{') ? undefined : c.split(',')[1]?.trim();
  return /^\d+$/.test(p) && delta && Number.isFinite(Number(delta)) ? `${p},${delta}` : p;
}

/** The experiment is the host's edited one when it has one, else the preset with the picked models.
 *  Throws (findExperiment's message) for an unknown experiment id or model name; other bad values fall back to
 *  defaults, except a bad `sweep` or `early-stopping`, which is kept in `sweepError` or
 *  `earlyStoppingError` (the element shows why). */
export function readSettings(h: LabHost): Settings {
  const experiment = h.edited ? structuredClone(h.edited) : pickModels(findExperiment(h.experiment || 'imdb-overfit'), h.models);
  const choices = experiment.datasets ?? [experiment.dataset];
  const dataset = choices.includes(h.datasetName as DatasetName) ? (h.datasetName as DatasetName) : experiment.dataset;
  const seed = Number.isFinite(h.seed) ? Math.trunc(h.seed) : 1;
  const seeds = seedCount(h.seeds);
  const { sweep, error } = parseSweep(h.sweep);
  const es = readEarlyStopping(h.earlyStopping, experiment.models);
  return {
    experiment,
    dataset,
    seed,
    seeds: seedList(seed, seeds),
    sweep,
    sweepError: error,
    earlyStopping: es.settings,
    earlyStoppingError: es.error,
    replicas: runReplicas(seed, seeds, sweep),
    epochs: posInt(h.epochs),
    trainLimit: posInt(h.trainLimit),
    testLimit: posInt(h.testLimit),
    base: h.dataBase || DEFAULT_BASE,
    debug: h.debug,
  };
}

/** The experiment a run of these settings trains, as one `spec` that repeats it: the data set
 *  picked, the seed, every model's epochs and the row limits in it. */
export function runExperiment(s: Settings): Experiment {
  const e = structuredClone(s.experiment);
  return {
    ...e,
    dataset: s.dataset,
    seed: s.seed,
    ...(s.trainLimit === undefined ? {} : { trainLimit: s.trainLimit }),
    ...(s.testLimit === undefined ? {} : { testLimit: s.testLimit }),
    models: e.models.map((m) => ({ ...m, epochs: s.epochs ?? m.epochs })),
  };
}

/** An attribute with a value the element cannot use, and what it uses instead. */
export interface ReplacedValue {
  attribute: string;
  value: unknown;
  used: string;
}

/** The numeric attributes (and the data set) given values that readSettings replaced: a page's
 *  author learns that `train-limit="0"` trains on every row, rather than finding out from the curves. */
export function replacedValues(h: LabHost, s: Settings): ReplacedValue[] {
  const out: ReplacedValue[] = [];
  const check = (attribute: string, value: unknown, ok: boolean, used: string) => {
    if (value !== undefined && value !== null && value !== '' && !ok) out.push({ attribute, value, used });
  };
  check('epochs', h.epochs, s.epochs !== undefined, "each model's own epochs");
  check('train-limit', h.trainLimit, s.trainLimit !== undefined, 'every training row');
  check('test-limit', h.testLimit, s.testLimit !== undefined, 'every test row');
  check('seed', h.seed, Number.isFinite(h.seed) && Number.isInteger(h.seed), String(s.seed));
  check('seeds', h.seeds, seedCount(h.seeds) === h.seeds, `${s.seeds.length} (one of ${SEED_COUNTS.join(', ')})`);
  check('dataset', h.datasetName, s.dataset === h.datasetName, s.dataset);
  return out;
}
