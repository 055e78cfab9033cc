// Keras 2.x `tf.keras.callbacks.EarlyStopping` (2.11-2.15), decision for decision: what to keep
// and when to stop. The weights themselves stay on the GPU: the caller copies them when told to
// keep or restore (Trainer.keepWeights / restoreWeights), so nothing is read back.
//
// Keras 2.x restores the best weights only when patience runs out; a run that reaches its last
// epoch keeps the last epoch's weights (Keras 3 restores then too). Epochs here are 0-based in
// the calls, as Keras' `epoch` argument; the results are 1-based epoch numbers, as Keras prints
// them ("Epoch 7: early stopping", "Restoring model weights from the end of the best epoch: 4").

export interface EarlyStoppingConfig {
  /** A metric of the epoch's logs; default val_loss. */
  monitor?: string;
  /** An improvement must beat the best by more than this (absolute); default 0. */
  min_delta?: number;
  /** Epochs without improvement before stopping; default 0. */
  patience?: number;
  /** auto: max for metrics ending in acc, accuracy or auc, else min. */
  mode?: 'auto' | 'min' | 'max';
  /** Patience is only reset by epochs that also beat this value. */
  baseline?: number | null;
  restore_best_weights?: boolean;
  /** Epochs (0-based) before this one are not monitored (warm-up). */
  start_from_epoch?: number;
}

export type EarlyStoppingSettings = Required<EarlyStoppingConfig>;

/** What the caller does after an epoch: copy the weights aside, stop, put the kept ones back. */
export interface EarlyStoppingAction {
  keep: boolean;
  stop: boolean;
  restore: boolean;
}

/** The defaults of Keras' constructor, the given values checked; a wrong value throws naming it. */
export function earlyStoppingSettings(c: EarlyStoppingConfig): EarlyStoppingSettings {
  const known = ['monitor', 'min_delta', 'patience', 'mode', 'baseline', 'restore_best_weights', 'start_from_epoch'];
  // Keras' `verbose` only prints; accepted so that arguments copied from Keras work.
  const unknown = Object.keys(c).find((k) => !known.includes(k) && k !== 'verbose');
  if (unknown) throw new RangeError(`early stopping: unknown argument "${unknown}"; Keras' arguments are ${known.join(', ')}`);
  const s: EarlyStoppingSettings = {
    monitor: c.monitor ?? 'val_loss',
    min_delta: c.min_delta ?? 0,
    patience: c.patience ?? 0,
    mode: c.mode ?? 'auto',
    baseline: c.baseline ?? null,
    restore_best_weights: c.restore_best_weights ?? false,
    start_from_epoch: c.start_from_epoch ?? 0,
  };
  const fail = (what: string): never => {
    throw new RangeError(`early stopping: ${what}`);
  };
  if (typeof s.monitor !== 'string' || !s.monitor) fail('monitor must be a metric name such as val_loss');
  if (!Number.isFinite(s.min_delta)) fail(`min_delta must be a number, got ${s.min_delta}`);
  if (!Number.isInteger(s.patience) || s.patience < 0) fail(`patience must be an integer >= 0, got ${s.patience}`);
  if (!['auto', 'min', 'max'].includes(s.mode)) fail(`mode must be auto, min or max, got ${s.mode}`);
  if (s.baseline !== null && !Number.isFinite(s.baseline)) fail(`baseline must be a number or null, got ${s.baseline}`);
  if (typeof s.restore_best_weights !== 'boolean') fail('restore_best_weights must be true or false');
  if (!Number.isInteger(s.start_from_epoch) || s.start_from_epoch < 0) fail(`start_from_epoch must be an integer >= 0, got ${s.start_from_epoch}`);
  return s;
}

/** The metrics every epoch logs for a model whose pure loss is `lossMetric`: what can be monitored. */
export const loggedMetrics = (lossMetric: string): string[] => ['loss', 'accuracy', lossMetric, 'val_loss', 'val_accuracy', `val_${lossMetric}`, 'weight_l1'];

/** Throws, before any epoch, when the monitored metric is not one the model logs (Keras would
 *  warn every epoch and never stop). */
export function checkMonitor(s: EarlyStoppingSettings, lossMetric: string): void {
  const logged = loggedMetrics(lossMetric);
  if (!logged.includes(s.monitor)) throw new RangeError(`early stopping monitors "${s.monitor}", which this model does not log; it logs ${logged.join(', ')}`);
}

/** One model's (or replica's) callback state. */
export class EarlyStopping {
  readonly settings: EarlyStoppingSettings;
  /** Epochs since the last improvement that beat the baseline (Keras' `wait`). */
  wait = 0;
  /** The best monitored value so far. */
  best: number;
  /** 1-based epoch of the best value (null before one was monitored). */
  bestEpoch: number | null = null;
  /** 1-based epoch at which patience ran out (null while training goes on). */
  stoppedEpoch: number | null = null;
  /** Whether weights were kept (Keras' best_weights is not None). */
  private kept = false;
  private readonly higherIsBetter: boolean;
  private readonly delta: number;

  constructor(config: EarlyStoppingConfig = {}) {
    this.settings = earlyStoppingSettings(config);
    const { mode, monitor, min_delta } = this.settings;
    this.higherIsBetter = mode === 'max' || (mode === 'auto' && /(acc|accuracy|auc)$/.test(monitor));
    this.delta = this.higherIsBetter ? Math.abs(min_delta) : -Math.abs(min_delta);
    this.best = this.higherIsBetter ? -Infinity : Infinity;
  }

  private improves(value: number, reference: number): boolean {
    return this.higherIsBetter ? value - this.delta > reference : value - this.delta < reference;
  }

  /** Keras' on_epoch_end for the 0-based `epoch` and its logs. */
  onEpochEnd(epoch: number, logs: Record<string, number>): EarlyStoppingAction {
    const none = { keep: false, stop: false, restore: false };
    const { monitor, restore_best_weights: restore, baseline, patience, start_from_epoch } = this.settings;
    const current = logs[monitor];
    if (current === undefined)
      throw new RangeError(`early stopping monitors "${monitor}", which this model does not log; it logs ${Object.keys(logs).join(', ')}`);
    if (epoch < start_from_epoch) return none;
    // Keras keeps the first monitored epoch's weights, in case no epoch ever improves.
    let keep = false;
    if (restore && !this.kept) keep = this.kept = true;
    this.wait++;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch + 1;
      if (restore) keep = this.kept = true;
      // Patience restarts only for an epoch that beats both the baseline and the best.
      if (baseline === null || this.improves(current, baseline)) this.wait = 0;
      return { ...none, keep };
    }
    if (this.wait >= patience && epoch > 0) {
      this.stoppedEpoch = epoch + 1;
      return { keep, stop: true, restore: restore && this.kept };
    }
    return { ...none, keep };
  }
}

/** The CLI's --early-stopping and the element's `early-stopping`: `3` or `3,0.001` (patience and
 *  min_delta; monitors val_loss and restores the best weights, as a course would use it), or a
 *  JSON object of Keras' arguments with Keras' defaults (`{"patience": 3, "monitor": "val_accuracy"}`). */
export function parseEarlyStopping(text: string): EarlyStoppingSettings {
  const t = text.trim();
  if (t.startsWith('{')) {
    let config: unknown;
    try {
      config = JSON.parse(t);
    } catch (e) {
      throw new RangeError(`early stopping: not valid JSON (${(e as Error).message})`);
    }
    if (!config || typeof config !== 'object' || Array.isArray(config))
      throw new RangeError('early stopping: the JSON form must be an object of Keras arguments');
    return earlyStoppingSettings(config as EarlyStoppingConfig);
  }
  const [p, d, ...rest] = t.split(',').map((s) => s.trim());
  const patience = Number(p);
  const minDelta = d === undefined ? 0 : Number(d);
  if (rest.length || !p || !Number.isInteger(patience) || patience < 0 || d === '' || !Number.isFinite(minDelta))
    throw new RangeError(`early stopping takes PATIENCE or PATIENCE,MIN_DELTA (e.g. 3 or 3,0.001) or a JSON object of Keras arguments, got "${text}"`);
  return earlyStoppingSettings({ monitor: 'val_loss', patience, min_delta: minDelta, restore_best_weights: true });
}
