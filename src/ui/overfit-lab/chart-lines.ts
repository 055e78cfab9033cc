// What each chart of <overfit-lab> draws, as lines (one uPlot series each) and shaded bands
// between two lines. Three modes: one run (training solid, validation dashed, the gap shaded),
// seeds (each model's mean with its min-max band over the seeds) and a sweep (one curve per
// swept value, mean over seeds, in the sequential palette, for one swept model at a time; a model
// the sweep leaves alone is drawn as in the other modes), plus the sweep's summary chart.
// Pure: no DOM, no uPlot, so Node tests cover it.
import type { SweepCurve, SweepPoint } from './replicas.ts';

export type ChartKind = 'loss' | 'accuracy' | 'weights' | 'summary';
export const CHART_KINDS: readonly ChartKind[] = ['loss', 'accuracy', 'weights', 'summary'];

export interface ChartModel {
  name: string;
  index: number;
  history: Record<string, number[]>;
  lossMetric: string;
  best: number | null;
  overfitting: boolean;
  /** Seeds mode: per epoch the smallest and largest value over the seeds. */
  band?: { min: Record<string, number[]>; max: Record<string, number[]> };
  /** Sweep mode: the curves of each swept value (mean over seeds) and the summary points. */
  sweep?: { curves: SweepCurve[]; summary: SweepPoint[] };
  /** Early stopping of a model that is one run: its best, stopped and restored epochs so far. */
  earlyStopping?: { best_epoch: number | null; stopped_epoch: number | null; restored_epoch: number | null };
  /** A saved run pinned next to the current one: its id and name; drawn dimmed, labelled
   *  "<run> · <model>", without bands or markers. */
  pinned?: { id: string; run: string };
}

export interface ChartLine {
  /** What the tooltip groups it under: the model (and swept value). */
  group: string;
  role: 'train' | 'val' | 'weights' | 'min' | 'max' | 'best' | 'gap';
  label: string;
  color: string;
  values: readonly number[] | undefined;
  dash?: number[];
  width: number;
  /** 0..1; faded curves of values not highlighted. */
  alpha?: number;
  /** Summary chart: a dot at each value. */
  points?: boolean;
  /** A pinned saved run's line (dimmed). */
  pinned?: boolean;
}

export interface ChartBand {
  /** Indices into the lines: the upper and the lower edge. */
  between: [number, number];
  color: string;
  alpha: number;
}

export interface LineLabels {
  training: string;
  validation: string;
  bestVal: string;
  gap: string;
}

export interface ChartLinesInput {
  models: ChartModel[];
  labels: LineLabels;
  /** The model colours (themeable) and, in sweep mode, one sequential colour per value. */
  colors: readonly string[];
  /** `model`: the swept model whose curves the epoch charts draw (the others share the colours). */
  sweep?: { labels: string[]; colors: string[]; highlight: number | null; model: string | null };
}

/** The metric a chart plots (loss: the pure cross-entropy). */
export const metricOf = (kind: Exclude<ChartKind, 'summary'>, m: ChartModel): string =>
  kind === 'weights' ? 'weight_l1' : kind === 'loss' ? m.lossMetric : 'accuracy';

/** How a pinned run's lines look: its model colour, faint and thin. */
export const PINNED_ALPHA = 0.45;
export const PINNED_WIDTH = 1.5;

/** Alpha of a swept value's curves: every one full, or the highlighted one only. */
const sweepAlpha = (highlight: number | null, i: number) => (highlight === null || highlight === i ? 1 : 0.2);

export function chartLines(kind: ChartKind, input: ChartLinesInput): { lines: ChartLine[]; bands: ChartBand[] } {
  const lines: ChartLine[] = [];
  const bands: ChartBand[] = [];
  const { labels, colors, sweep } = input;
  const add = (l: ChartLine) => lines.push(l) - 1;
  for (const m of input.models) {
    const color = colors[m.index % colors.length];
    if (kind === 'summary') {
      if (!m.sweep) continue;
      const points = m.sweep.summary;
      // best validation loss solid, the last epoch's gap dashed
      for (const role of ['best', 'gap'] as const)
        add({
          group: m.name,
          role,
          label: `${m.name} ${role === 'best' ? labels.bestVal : labels.gap}`,
          color,
          values: points.map((p) => (role === 'best' ? p.bestVal : p.gap) ?? Number.NaN),
          width: 2,
          ...(role === 'gap' ? { dash: [6, 4] } : {}),
          points: true,
        });
      continue;
    }
    const metric = metricOf(kind, m);
    if (m.pinned) {
      const group = `${m.pinned.run} · ${m.name}`;
      const look = { group, color, alpha: PINNED_ALPHA, width: PINNED_WIDTH, pinned: true };
      if (kind === 'weights') add({ role: 'weights', label: group, values: m.history[metric], ...look });
      else {
        add({ role: 'train', label: `${group} ${labels.training}`, values: m.history[metric], ...look });
        add({ role: 'val', label: `${group} ${labels.validation}`, values: m.history[`val_${metric}`], dash: [6, 4], ...look });
      }
      continue;
    }
    if (m.sweep && sweep) {
      if (m.name !== sweep.model) continue;
      m.sweep.curves.forEach((c, i) => {
        const group = `${m.name} ${sweep.labels[i]}`;
        const look = { color: sweep.colors[i], alpha: sweepAlpha(sweep.highlight, i), width: sweep.highlight === i ? 3 : 2 };
        if (kind === 'weights') add({ group, role: 'weights', label: group, values: c.history[metric], ...look });
        else {
          add({ group, role: 'train', label: `${group} ${labels.training}`, values: c.history[metric], ...look });
          add({ group, role: 'val', label: `${group} ${labels.validation}`, values: c.history[`val_${metric}`], dash: [6, 4], ...look });
        }
      });
      continue;
    }
    const names = kind === 'weights' ? [metric] : [metric, `val_${metric}`];
    const at = names.map((k, j) =>
      add(
        kind === 'weights'
          ? { group: m.name, role: 'weights', label: m.name, color, values: m.history[k], width: 2 }
          : j === 0
            ? { group: m.name, role: 'train', label: `${m.name} ${labels.training}`, color, values: m.history[k], width: 2 }
            : { group: m.name, role: 'val', label: `${m.name} ${labels.validation}`, color, values: m.history[k], width: 2, dash: [6, 4] },
      ),
    );
    if (m.band) {
      // Each curve's range over the seeds, between two invisible edges.
      for (const k of names) {
        const hi = add({ group: m.name, role: 'max', label: `${m.name} ${k} max`, color, values: m.band.max[k], width: 0 });
        const lo = add({ group: m.name, role: 'min', label: `${m.name} ${k} min`, color, values: m.band.min[k], width: 0 });
        bands.push({ between: [hi, lo], color, alpha: 0.18 });
      }
    } else if (kind !== 'weights') {
      // The train/validation gap: validation above training for loss, below it for accuracy.
      bands.push({ between: kind === 'loss' ? [at[1], at[0]] : [at[0], at[1]], color, alpha: 0.12 });
    }
  }
  return { lines, bands };
}

/** The pinned lines' groups of a chart, in order, each once: what its container's data-pinned says. */
export const pinnedGroups = (lines: readonly ChartLine[]): string[] => [...new Set(lines.filter((l) => l.pinned).map((l) => l.group))];

/** What early stopping adds to the charts of a model that is one run: the patience window (from
 *  its best epoch to the stop, or to the latest epoch while it waits; null before an epoch
 *  without improvement) and the epoch whose weights were restored (null: none). */
export interface EarlyStoppingMarks {
  window: [number, number] | null;
  restored: number | null;
}

export function earlyStoppingMarks(m: ChartModel): EarlyStoppingMarks | null {
  const es = m.earlyStopping;
  if (!es || m.band || m.sweep || m.pinned) return null;
  const seen = Math.max(0, ...Object.values(m.history).map((h) => h.length));
  const end = es.stopped_epoch ?? seen;
  return { window: es.best_epoch !== null && end > es.best_epoch ? [es.best_epoch, end] : null, restored: es.restored_epoch };
}

/** The marks as the chart's container states them (data-patience, data-restored): `model:from-to`
 *  and `model:epoch`, space-separated in the models' order; empty: none. */
export function earlyStoppingData(drawn: readonly { name: string; window: [number, number] | null; restored: number | null }[]): {
  patience: string;
  restored: string;
} {
  return {
    patience: drawn.flatMap((d) => (d.window ? [`${d.name}:${d.window[0]}-${d.window[1]}`] : [])).join(' '),
    restored: drawn.flatMap((d) => (d.restored !== null ? [`${d.name}:${d.restored}`] : [])).join(' '),
  };
}
