// The history as CSV and JSON (pure), for the export buttons and for course authors' scripts.
import type { ModelResult, RunResult } from '../../experiments/result.ts';
import type { Sweep } from './replicas.ts';

/** A model as exported: its result with the seconds of each epoch and its best validation epoch. */
export interface ExportModel extends Omit<ModelResult, 'batchSize' | 'seconds' | 'stats'> {
  /** GPU-queue seconds of each finished epoch (as in overfit-epoch). */
  seconds: number[];
  bestEpoch: number | null;
}

/** A run as exported: the settings it ran with (batch size and row limits too) and its models. */
export interface ExportRun extends Pick<RunResult, 'experiment' | 'dataset' | 'seed'> {
  batchSize: number;
  trainLimit: number | null;
  testLimit: number | null;
  /** With several replicas only: the seeds and the sweep they ran (each model's `replicas` has every one). */
  seeds?: number[];
  sweep?: Sweep | null;
  /** Null before the first run has a device. */
  adapter: RunResult['adapter'] | null;
  models: ExportModel[];
}

const ORDER = [
  'loss',
  'accuracy',
  'binary_crossentropy',
  'sparse_categorical_crossentropy',
  'val_loss',
  'val_accuracy',
  'val_binary_crossentropy',
  'val_sparse_categorical_crossentropy',
  'weight_l1',
];

/** Metric names in Keras' order, then any others alphabetically. */
export function metricColumns(models: readonly ExportModel[]): string[] {
  const names = new Set(models.flatMap((m) => Object.keys(m.history)));
  const known = ORDER.filter((k) => names.has(k));
  return [...known, ...[...names].filter((k) => !ORDER.includes(k)).sort()];
}

const cell = (v: string | number | null | undefined): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One row per model and epoch: model,epoch,<metrics...>,seconds. With several replicas, one row
 *  per model, replica and epoch: model,replica,seed[,<swept param>],epoch,<metrics...>,seconds. */
export function toCsv(run: ExportRun): string {
  const cols = metricColumns(run.models);
  if (run.models.some((m) => m.replicas.length > 1)) return replicaCsv(run, cols);
  const lines = [['model', 'epoch', ...cols, 'seconds'].join(',')];
  for (const m of run.models) {
    const n = Math.max(0, ...Object.values(m.history).map((c) => c.length));
    for (let i = 0; i < n; i++) lines.push([m.name, i + 1, ...cols.map((c) => m.history[c]?.[i]), m.seconds[i]].map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function replicaCsv(run: ExportRun, cols: string[]): string {
  const param = run.sweep?.param;
  const lines = [['model', 'replica', 'seed', ...(param ? [param] : []), 'epoch', ...cols, 'seconds'].join(',')];
  for (const m of run.models)
    m.replicas.forEach((r, i) => {
      const n = Math.max(0, ...Object.values(r.history).map((c) => c.length));
      const who = [m.name, i, r.seed, ...(param ? [r[param]] : [])];
      for (let e = 0; e < n; e++) lines.push([...who, e + 1, ...cols.map((c) => r.history[c]?.[e]), m.seconds[e]].map(cell).join(','));
    });
  return `${lines.join('\n')}\n`;
}

/** The whole run: settings, every model's history, test scores and errors. */
export function toJson(run: ExportRun): string {
  return JSON.stringify({ format: 'overfit-lab-history', version: 1, ...run }, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2);
}

/** A file name like overfit-lab-dropout-seed1.csv */
export function exportName(run: Pick<ExportRun, 'experiment' | 'seed'>, ext: string): string {
  const safe = run.experiment.replace(/[^a-z0-9_-]+/gi, '-');
  return `overfit-lab-${safe}-seed${run.seed}.${ext}`;
}
