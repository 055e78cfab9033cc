// Replicas in <overfit-lab>: the `seeds` and `sweep` attributes, each replica's live curves and
// the min-max band as epochs arrive, the curves per swept value and the sweep's summary (best
// validation loss and the final train/validation gap per value). Pure functions, no DOM.
import type { ModelResult, ReplicaResult } from '../../experiments/result.ts';
import type { ReplicaSpec, SweepParam } from '../../plan/replicas.ts';
import { replicaLr, replicaSpecs, SWEEP_PARAMS, sweepApplies } from '../../plan/replicas.ts';

export { SWEEP_PARAMS, sweepApplies };
export type { SweepParam };

/** The seed counts the `seeds` control offers. */
export const SEED_COUNTS = [1, 3, 5, 10] as const;

/** Values a sweep may have: each is a replica per seed, all on the GPU at once. */
export const MAX_SWEEP_VALUES = 8;

export interface Sweep {
  param: SweepParam;
  values: number[];
}

/** Why a `sweep` text is not a sweep (the element words each in both languages). */
export type SweepError = 'param' | 'empty' | 'number' | 'range' | 'duplicate' | 'too-many';

/** The `seeds` attribute: 1, 3, 5 or 10; anything else is 1. */
export function seedCount(v: unknown): number {
  return SEED_COUNTS.includes(v as (typeof SEED_COUNTS)[number]) ? (v as number) : 1;
}

/** `count` seeds from `seed` on: seed 1, 3 seeds -> 1, 2, 3. */
export const seedList = (seed: number, count: number): number[] => Array.from({ length: count }, (_, i) => seed + i);

/** Whether a value is allowed for the parameter (as the trainer checks it). */
function inRange(param: SweepParam, v: number): boolean {
  if (param === 'dropout') return v >= 0 && v < 1;
  if (param === 'lr') return v > 0;
  return v >= 0;
}

/** Parses `l2=0,0.0001,0.001` (the CLI's --sweep): null for an empty text (no sweep). */
export function parseSweep(text: string | null | undefined): { sweep: Sweep | null; error: SweepError | null } {
  const t = (text ?? '').trim();
  if (!t) return { sweep: null, error: null };
  const eq = t.indexOf('=');
  const param = (eq < 0 ? t : t.slice(0, eq)).trim().toLowerCase() as SweepParam;
  if (!SWEEP_PARAMS.includes(param)) return { sweep: null, error: 'param' };
  const words =
    eq < 0
      ? []
      : t
          .slice(eq + 1)
          .split(',')
          .map((w) => w.trim())
          .filter(Boolean);
  if (!words.length) return { sweep: null, error: 'empty' };
  const values = words.map(Number);
  if (values.some((v) => !Number.isFinite(v))) return { sweep: null, error: 'number' };
  if (values.some((v) => !inRange(param, v))) return { sweep: null, error: 'range' };
  if (new Set(values).size !== values.length) return { sweep: null, error: 'duplicate' };
  if (values.length > MAX_SWEEP_VALUES) return { sweep: null, error: 'too-many' };
  // Ascending, so the summary chart's x axis and the sequential colours follow the values.
  return { sweep: { param, values: values.sort((a, b) => a - b) }, error: null };
}

/** The replicas a run trains, in ExperimentRun's order (each sweep value, then each seed). */
export function runReplicas(seed: number, seeds: number, sweep: Sweep | null): ReplicaSpec[] {
  return replicaSpecs(seedList(seed, seeds), sweep ?? undefined);
}

/** A replica before its first epoch, in the shape of the run's result. */
export function emptyReplica(r: ReplicaSpec): ReplicaResult {
  return { seed: r.seed, l1: r.l1 ?? null, l2: r.l2 ?? null, dropout: r.dropout ?? null, lr: replicaLr(r), history: {}, test: null };
}

/** The swept value of a replica (its own lr, l1, ...), or null without a sweep. */
export const sweptValue = (r: ReplicaResult, sweep: Sweep | null): number | null => (sweep ? r[sweep.param] : null);

/** Adds each replica's metrics of an epoch to its history and widens the band (min, max). */
export function recordReplicaEpoch(m: Pick<ModelResult, 'replicas' | 'historyMin' | 'historyMax'>, replicas: readonly Record<string, number>[]): void {
  replicas.forEach((metrics, i) => {
    const h = m.replicas[i]?.history;
    if (h) for (const [k, v] of Object.entries(metrics)) (h[k] ??= []).push(v);
  });
  for (const k of Object.keys(replicas[0] ?? {})) {
    const vs = replicas.map((r) => r[k]);
    (m.historyMin[k] ??= []).push(Math.min(...vs));
    (m.historyMax[k] ??= []).push(Math.max(...vs));
  }
}

/** Per metric and epoch, the mean of the histories (the epochs every one of them has). */
export function meanHistory(histories: readonly Record<string, number[]>[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const k of Object.keys(histories[0] ?? {})) {
    const n = Math.min(...histories.map((h) => h[k]?.length ?? 0));
    out[k] = Array.from({ length: n }, (_, e) => histories.reduce((s, h) => s + h[k][e], 0) / histories.length);
  }
  return out;
}

/** One swept value's curves: the mean over its seeds. */
export interface SweepCurve {
  value: number;
  history: Record<string, number[]>;
}

export function sweepCurves(replicas: readonly ReplicaResult[], sweep: Sweep): SweepCurve[] {
  return sweep.values.map((value) => ({ value, history: meanHistory(replicas.filter((r) => r[sweep.param] === value).map((r) => r.history)) }));
}

/** A point of the summary chart: the lowest validation loss over the epochs, and validation minus
 *  training loss at the last epoch (null before the first epoch). */
export interface SweepPoint {
  value: number;
  bestVal: number | null;
  gap: number | null;
}

export function sweepSummary(curves: readonly SweepCurve[], lossMetric: string): SweepPoint[] {
  return curves.map(({ value, history }) => {
    const train = history[lossMetric] ?? [];
    const val = (history[`val_${lossMetric}`] ?? []).filter(Number.isFinite);
    const last = Math.min(train.length, val.length) - 1;
    return { value, bestVal: val.length ? Math.min(...val) : null, gap: last >= 0 ? val[last] - train[last] : null };
  });
}

/** Where each swept value sits on the summary chart's x axis. l1, l2 and lr span decades, so
 *  they go on a log scale; a 0 there has no log, so it sits one decade left of the smallest
 *  positive value (its tick says 0). Dropout rates are linear. */
export function sweepPositions(sweep: Sweep): number[] {
  if (sweep.param === 'dropout') return sweep.values.slice();
  const positive = sweep.values.filter((v) => v > 0);
  const zeroAt = positive.length ? Math.floor(Math.log10(Math.min(...positive))) - 1 : 0;
  return sweep.values.map((v) => (v > 0 ? Math.log10(v) : zeroAt));
}

/** A swept value as a tick label and in the legend: 0, 0.0001 -> 1e-4, 0.3. */
export function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 0.01 || a >= 1e4 ? v.toExponential().replace(/e\+?/, 'e').replace(/\.0+e/, 'e') : String(+v.toPrecision(4));
}
