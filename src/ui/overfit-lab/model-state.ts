// Each model's state while it trains: its result (the shared ModelResult) as it grows, and what
// the cards and charts need besides. Pure functions, no DOM.
import type { EarlyStoppingSettings } from '../../experiments/early-stopping.ts';
import type { EarlyStoppingOutcome, ModelResult } from '../../experiments/result.ts';
import { emptyModelResult, recordWeights } from '../../experiments/result.ts';
import type { ModelSpec } from '../../model/spec.ts';
import { lossMetricOf } from '../../model/spec.ts';
import { replicaSpecs } from '../../plan/replicas.ts';
import type { DeadUnits, WeightStats } from '../../plan/weight-stats.ts';
import { emptyReplica, recordReplicaEpoch } from './replicas.ts';
import { bestEpoch, epochRate } from './series.ts';
import type { Settings } from './settings.ts';
import type { ErrorKind, OverfitEarlyStopping } from './types.ts';

export interface ModelState extends ModelResult {
  spec: ModelSpec;
  /** Position in the experiment: the model's colour. */
  index: number;
  /** Seconds of each finished epoch. */
  epochSeconds: number[];
  /** Active-clock times (ms, pauses excluded) at which epochs ended. */
  ends: number[];
  /** binary_crossentropy or sparse_categorical_crossentropy. */
  lossMetric: string;
  /** What kind of failure `error` is. */
  errorKind: ErrorKind | null;
  done: boolean;
  /** With early stopping: each replica's state after the latest epoch (Keras' `wait` too); empty
   *  before the first epoch. `earlyStopping` (the result's) follows it, then the run's outcome. */
  earlyStoppingStates: OverfitEarlyStopping[];
  /** The final weights (replica 0's trainable `params` and batch-norm `state`, as
   *  trainer.readState gives them) once training ended and any kept weights are back: what
   *  "Export TF.js model" writes. Null before; never in the result or the events. */
  final: ModelWeights | null;
}

/** A model's weights as the trainer reads them back. */
export interface ModelWeights {
  params: Float32Array;
  state: Float32Array;
}

/** The experiment's models before their first epoch. */
export function modelStates(s: Settings): ModelState[] {
  return s.experiment.models.map((m, index) => ({
    ...emptyModelResult(m, s.epochs ?? m.epochs, s.experiment.batchSize),
    spec: m.spec,
    index,
    epochSeconds: [],
    ends: [],
    lossMetric: lossMetricOf(m.spec),
    errorKind: null,
    done: false,
    replicas: modelReplicas(s, m.spec),
    earlyStoppingStates: [],
    final: null,
    ...(s.earlyStopping ? { earlyStopping: { settings: s.earlyStopping, best_epoch: null, stopped_epoch: null, restored_epoch: null } } : {}),
  }));
}

/** A model's replicas before its first epoch (a dropout sweep leaves a model without Dropout at
 *  its seeds). One replica is the run itself: its result keeps no replicas (as the runner's does). */
function modelReplicas(s: Settings, spec: ModelSpec) {
  const list = replicaSpecs(s.seeds, s.sweep ?? undefined, spec);
  return list.length > 1 ? list.map(emptyReplica) : [];
}

/** Adds a finished epoch's metrics (with several replicas: their mean, each one's and the band),
 *  its weight statistics (the first replica's, as the runner's result keeps them, so the Weights
 *  view grows while the model trains) and time; `at` is the active clock when it ended. */
export function recordEpoch(
  m: ModelState,
  epoch: {
    metrics: Record<string, number>;
    seconds: number;
    replicas?: Record<string, number>[];
    /** Per replica, per kernel tensor (EpochLog's). */
    weightStats?: WeightStats[][];
    deadUnits?: DeadUnits[][];
  },
  at: number,
): void {
  for (const [k, v] of Object.entries(epoch.metrics)) (m.history[k] ??= []).push(v);
  if (m.replicas.length > 1 && epoch.replicas?.length === m.replicas.length) recordReplicaEpoch(m, epoch.replicas);
  recordWeights(m, epoch);
  m.epochSeconds.push(epoch.seconds);
  m.seconds += epoch.seconds;
  m.ends.push(at);
}

const outcomeOf = (s: EarlyStoppingOutcome): EarlyStoppingOutcome => ({
  best_epoch: s.best_epoch,
  stopped_epoch: s.stopped_epoch,
  restored_epoch: s.restored_epoch,
});

/** An epoch's early stopping state (one per replica): kept per replica, each replica's outcome
 *  so far, and the model's (one run: its replica's; several: stopped once all of them are). */
export function recordEarlyStopping(m: ModelState, states: readonly OverfitEarlyStopping[], epoch: number): void {
  m.earlyStoppingStates = states.map((s) => ({ ...outcomeOf(s), wait: s.wait }));
  if (m.replicas.length > 1) m.replicas.forEach((r, i) => states[i] && (r.earlyStopping = outcomeOf(states[i])));
  if (!m.earlyStopping || !states.length) return;
  const one = states.length === 1 ? states[0] : null;
  m.earlyStopping = {
    settings: m.earlyStopping.settings,
    ...(one ? outcomeOf(one) : { best_epoch: null, stopped_epoch: states.every((s) => s.stopped_epoch !== null) ? epoch : null, restored_epoch: null }),
  };
}

/** The run's outcome for a finished model (its result's early stopping and each replica's). */
export function finishEarlyStopping(m: ModelState, result: Pick<ModelResult, 'earlyStopping' | 'replicas'>): void {
  if (result.earlyStopping) m.earlyStopping = { settings: result.earlyStopping.settings, ...outcomeOf(result.earlyStopping) };
  if (m.replicas.length > 1)
    m.replicas.forEach((r, i) => {
      const o = result.replicas[i]?.earlyStopping;
      if (o) r.earlyStopping = outcomeOf(o);
    });
}

/** A model that is one run, with early stopping: its settings, outcome so far and `wait`; null
 *  without early stopping or with several replicas (each decides on its own). */
export function runEarlyStopping(m: ModelState): (OverfitEarlyStopping & { settings: EarlyStoppingSettings }) | null {
  if (!m.earlyStopping || m.replicas.length > 1) return null;
  return { ...m.earlyStopping, wait: m.earlyStoppingStates[0]?.wait ?? 0 };
}

/** Whether early stopping ended the model's training before its last epoch. */
export const stoppedEarly = (m: ModelState): boolean => m.earlyStopping?.stopped_epoch != null;

/** The epoch with the lowest validation loss. */
export function bestValEpoch(m: ModelState): number | null {
  return bestEpoch(m.history[`val_${m.lossMetric}`]);
}

/** Wall-clock epochs per second of a model while it shares the GPU with the others. */
export function modelRate(m: ModelState): number | null {
  return epochRate(m.ends);
}

/** Seconds left for a model still training, at its recent rate. */
export function modelEta(m: ModelState, running: boolean): number | null {
  const r = modelRate(m);
  const left = m.epochs - m.epochSeconds.length;
  return r && left > 0 && running && !m.error && !m.done && !stoppedEarly(m) ? left / r : null;
}
