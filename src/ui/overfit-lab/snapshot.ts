// The run as the export buttons write it, from the controller's settings and model states. Kept
// apart from export.ts so that the published export types need nothing of the controller.
import type { ExportRun } from './export.ts';
import type { ModelState } from './model-state.ts';
import { bestValEpoch } from './model-state.ts';
import type { Settings } from './settings.ts';

/** What the export buttons write: the settings (or, where they did not parse, the host's id and
 *  seed), the adapter of the last run and every model so far. */
export function exportRun(
  s: Settings | null,
  host: { experiment: string; seed: number },
  adapter: ExportRun['adapter'],
  models: readonly ModelState[],
): ExportRun {
  return {
    experiment: s?.experiment.id ?? host.experiment,
    dataset: s?.dataset ?? '',
    seed: s?.seed ?? host.seed,
    batchSize: s?.experiment.batchSize ?? 0,
    trainLimit: s?.trainLimit ?? null,
    testLimit: s?.testLimit ?? null,
    ...(s && s.replicas.length > 1 ? { seeds: s.seeds, sweep: s.sweep } : {}),
    adapter,
    models: models.map((m) => ({
      name: m.name,
      params: m.params,
      trainableParams: m.trainableParams,
      epochs: m.epochs,
      history: m.history,
      seconds: m.epochSeconds,
      test: m.test,
      bestEpoch: bestValEpoch(m),
      error: m.error,
      replicas: m.replicas,
      historyMin: m.historyMin,
      historyMax: m.historyMax,
      weights: m.weights,
      words: m.words,
      ...(m.earlyStopping ? { earlyStopping: { ...m.earlyStopping } } : {}),
    })),
  };
}
