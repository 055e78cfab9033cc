// Saved runs in <overfit-lab>, the pure parts: a pinned run as chart models (its models' mean
// histories, dimmed and labelled "<run name> · <model>"), and what the runs list shows of a run
// (seeds, adapter, each model's test cross-entropy). No DOM, no IndexedDB: Node tests cover it.
import type { ChartModel } from './chart-lines.ts';
import type { SavedModelSummary, SavedRun, SavedRunSummary } from './run-store.ts';

/** The pure cross-entropy metrics a model may log (binary, or ten classes). */
const CROSS_ENTROPIES = ['binary_crossentropy', 'sparse_categorical_crossentropy'] as const;

/** The loss metric of a saved model: the cross-entropy its history (or test scores) has, else `loss`. */
export function savedLossMetric(m: { history?: Record<string, unknown>; test?: Record<string, number> | null }): string {
  return CROSS_ENTROPIES.find((k) => (m.history && k in m.history) || (m.test && k in m.test)) ?? 'loss';
}

/** A model's test cross-entropy (null: no test scores, e.g. it failed). */
export function testCrossEntropy(m: Pick<SavedModelSummary, 'test'>): number | null {
  const k = savedLossMetric(m);
  const v = m.test?.[k];
  return typeof v === 'number' ? v : null;
}

/** The label of a pinned run's model in the legend and the tooltip. */
export const pinnedLabel = (run: string, model: string): string => `${run} · ${model}`;

/** A pinned run's models as the charts take them: each model's mean history (NaN where it
 *  diverged: the chart leaves a gap), in its run's model colour, no band, no best epoch. */
export function pinnedChartModels(run: Pick<SavedRun, 'id' | 'name' | 'models'>): ChartModel[] {
  return run.models.map((m, index) => ({
    name: m.name,
    index,
    history: m.history,
    lossMetric: savedLossMetric(m),
    best: null,
    overfitting: false,
    pinned: { id: run.id, run: run.name },
  }));
}

/** The seeds of a run as the list says them: `1`, `1–3` (contiguous) or `1, 5, 9`. */
export function seedsText(run: Pick<SavedRunSummary, 'seed' | 'seeds'>): string {
  const s = run.seeds && run.seeds.length > 1 ? run.seeds : [run.seed];
  if (s.length === 1) return String(s[0]);
  return s.every((x, i) => x === s[0] + i) ? `${s[0]}–${s.at(-1)}` : s.join(', ');
}

/** The adapter as the list says it: `google swiftshader`. */
export const adapterText = (a: SavedRunSummary['adapter']): string => [a.vendor, a.architecture].filter(Boolean).join(' ') || '?';

/** The file a runs export downloads as. */
export const RUNS_FILE = 'overfit-lab-runs.json';

/** Pins kept in step with the list: a deleted run's pin goes, a renamed one's label follows. */
export function syncPinned(pinned: ReadonlyMap<string, SavedRun>, list: readonly Pick<SavedRunSummary, 'id' | 'name'>[]): Map<string, SavedRun> {
  const names = new Map(list.map((r) => [r.id, r.name]));
  const next = new Map<string, SavedRun>();
  for (const [id, run] of pinned) {
    const name = names.get(id);
    if (name !== undefined) next.set(id, name === run.name ? run : { ...run, name });
  }
  return next;
}

/** Whether a finished run has anything to keep: some model trained at least one epoch. */
export const worthSaving = (models: readonly { history: Record<string, readonly number[]> }[]): boolean =>
  models.some((m) => Object.values(m.history).some((h) => h.length > 0));
