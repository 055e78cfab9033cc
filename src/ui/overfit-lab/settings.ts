// The run settings <overfit-lab> reads from its attributes, checked and with the lab's defaults.
import { DEFAULT_BASE } from '../../data/load-browser.ts';
import type { DatasetName } from '../../data/format.ts';
import type { Experiment } from '../../experiments/presets.ts';
import { findExperiment } from '../../experiments/presets.ts';
import type { LabHost } from './types.ts';

export interface Settings {
  experiment: Experiment;
  dataset: DatasetName;
  seed: number;
  epochs: number | undefined;
  trainLimit: number | undefined;
  testLimit: number | undefined;
  base: string;
  debug: boolean;
}

const posInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);

/** Throws (findExperiment's message) for an unknown experiment id; other bad values fall back to defaults. */
export function readSettings(h: LabHost): Settings {
  const experiment = findExperiment(h.experiment || 'imdb-overfit');
  const choices = experiment.datasets ?? [experiment.dataset];
  const dataset = choices.includes(h.datasetName as DatasetName) ? (h.datasetName as DatasetName) : experiment.dataset;
  return {
    experiment,
    dataset,
    seed: Number.isFinite(h.seed) ? Math.trunc(h.seed) : 1,
    epochs: posInt(h.epochs),
    trainLimit: posInt(h.trainLimit),
    testLimit: posInt(h.testLimit),
    base: h.dataBase || DEFAULT_BASE,
    debug: h.debug,
  };
}
