// The run settings <overfit-lab> reads from its attributes, checked and with the lab's defaults.
import { DEFAULT_BASE } from '../../data/load-browser.ts';
import type { DatasetName } from '../../data/format.ts';
import type { Experiment } from '../../experiments/presets.ts';
import { findExperiment } from '../../experiments/presets.ts';
import { ModelSpecError } from '../../model/spec.ts';
import type { ReplicaSpec } from '../../plan/replicas.ts';
import type { Sweep, SweepError } from './replicas.ts';
import { parseSweep, runReplicas, seedCount, seedList } from './replicas.ts';
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
function pickModels(experiment: Experiment, models: string): Experiment {
  const names = (models ?? '').split(/[\s,]+/).filter(Boolean);
  if (!names.length) return experiment;
  const valid = experiment.models.map((m) => m.name);
  const unknown = names.find((n) => !valid.includes(n));
  if (unknown) throw new ModelSpecError(`models: "${unknown}" is not a model of the experiment "${experiment.id}"; its models are ${valid.join(', ')}`);
  return { ...experiment, models: experiment.models.filter((m) => names.includes(m.name)) };
}

/** Throws (findExperiment's message) for an unknown experiment id or model name; other bad values fall back to
 *  defaults, except a bad `sweep`, which is kept in `sweepError` (the element shows why). */
export function readSettings(h: LabHost): Settings {
  const experiment = pickModels(findExperiment(h.experiment || 'imdb-overfit'), h.models);
  const choices = experiment.datasets ?? [experiment.dataset];
  const dataset = choices.includes(h.datasetName as DatasetName) ? (h.datasetName as DatasetName) : experiment.dataset;
  const seed = Number.isFinite(h.seed) ? Math.trunc(h.seed) : 1;
  const seeds = seedCount(h.seeds);
  const { sweep, error } = parseSweep(h.sweep);
  return {
    experiment,
    dataset,
    seed,
    seeds: seedList(seed, seeds),
    sweep,
    sweepError: error,
    replicas: runReplicas(seed, seeds, sweep),
    epochs: posInt(h.epochs),
    trainLimit: posInt(h.trainLimit),
    testLimit: posInt(h.testLimit),
    base: h.dataBase || DEFAULT_BASE,
    debug: h.debug,
  };
}
