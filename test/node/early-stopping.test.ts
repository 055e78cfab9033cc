// Keras 2.x EarlyStopping's decisions, epoch by epoch, on hand-made logs (expected values worked
// through tf.keras 2.15's on_epoch_end by hand), and the CLI/attribute forms.
import { describe, expect, it } from 'vitest';
import type { EarlyStoppingAction, EarlyStoppingConfig } from '../../src/experiments/early-stopping.ts';
import { checkMonitor, EarlyStopping, parseEarlyStopping } from '../../src/experiments/early-stopping.ts';

/** Feeds val_loss (or `monitor`) values until the callback stops; its actions per epoch. */
function run(config: EarlyStoppingConfig, values: number[], monitor = 'val_loss') {
  const es = new EarlyStopping(config);
  const actions: EarlyStoppingAction[] = [];
  for (const [e, v] of values.entries()) {
    const a = es.onEpochEnd(e, { loss: 1, [monitor]: v });
    actions.push(a);
    if (a.stop) break;
  }
  const code = (a: EarlyStoppingAction) => `${a.keep ? 'k' : '-'}${a.stop ? 's' : '-'}${a.restore ? 'r' : '-'}`;
  return { es, epochs: actions.length, actions: actions.map(code).join(' ') };
}

describe('EarlyStopping (tf.keras 2.x semantics)', () => {
  it('patience 2 with restore: keeps each improvement, stops two epochs after the best, restores it', () => {
    const { es, epochs, actions } = run({ patience: 2, restore_best_weights: true }, [0.5, 0.4, 0.45, 0.41, 0.3]);
    expect(epochs).toBe(4);
    expect(actions).toBe('k-- k-- --- -sr');
    expect([es.bestEpoch, es.stoppedEpoch, es.best]).toEqual([2, 4, 0.4]);
  });

  it('without restore nothing is kept and nothing restored', () => {
    expect(run({ patience: 1 }, [0.5, 0.6, 0.7]).actions).toBe('--- -s-');
  });

  it('patience never runs out: no stop, the best epoch still known', () => {
    const { es, epochs } = run({ patience: 3, restore_best_weights: true }, [0.5, 0.45, 0.47, 0.46]);
    expect([epochs, es.bestEpoch, es.stoppedEpoch]).toEqual([4, 2, null]);
  });

  it('min_delta: a smaller gain is not an improvement', () => {
    const { es, epochs } = run({ patience: 1, min_delta: 0.05 }, [0.5, 0.46, 0.4]);
    expect([epochs, es.bestEpoch, es.stoppedEpoch]).toEqual([2, 1, 2]);
    // the sign of min_delta does not matter (Keras takes its absolute value)
    expect(run({ patience: 1, min_delta: -0.05 }, [0.5, 0.46, 0.4]).es.stoppedEpoch).toBe(2);
  });

  it('patience 0 stops at the first epoch that does not improve, never at the first epoch', () => {
    expect(run({ patience: 0 }, [0.5, 0.4, 0.6]).es.stoppedEpoch).toBe(3);
  });

  it('baseline: improvements that miss the baseline do not reset patience, but never stop either', () => {
    // Keras returns right after an improvement, so a steadily improving run goes on.
    const { es, epochs } = run({ patience: 1, baseline: 0.3 }, [0.5, 0.4, 0.35, 0.36]);
    expect([epochs, es.stoppedEpoch, es.wait]).toEqual([4, 4, 4]);
    expect(run({ patience: 1, baseline: 0.45 }, [0.5, 0.4, 0.42, 0.43]).es.stoppedEpoch).toBe(3);
  });

  it('mode auto maximizes accuracy-like metrics; mode max and min force it', () => {
    expect(run({ monitor: 'val_accuracy', patience: 0 }, [0.6, 0.7, 0.65], 'val_accuracy').es.stoppedEpoch).toBe(3);
    expect(run({ monitor: 'val_accuracy', patience: 0, mode: 'min' }, [0.6, 0.7], 'val_accuracy').es.stoppedEpoch).toBe(2);
    expect(run({ monitor: 'val_score', patience: 0, mode: 'max' }, [1, 2, 1], 'val_score').es.bestEpoch).toBe(2);
  });

  it('start_from_epoch: earlier epochs are not monitored (nor kept)', () => {
    const { es, actions } = run({ patience: 0, restore_best_weights: true, start_from_epoch: 2 }, [0.1, 0.2, 0.5, 0.6]);
    expect(actions).toBe('--- --- k-- -sr');
    expect([es.bestEpoch, es.stoppedEpoch]).toEqual([3, 4]);
  });

  it('restore with no improvement after the first epoch restores the first epoch', () => {
    const { es, actions } = run({ patience: 1, restore_best_weights: true }, [0.5, 0.5]);
    expect(actions).toBe('k-- -sr');
    expect(es.bestEpoch).toBe(1);
  });

  it('a metric the model does not log, and bad arguments, throw naming the fix', () => {
    expect(() => new EarlyStopping({ monitor: 'val_auc' }).onEpochEnd(0, { val_loss: 1 })).toThrow(
      /monitors "val_auc", which this model does not log; it logs val_loss/,
    );
    expect(() => new EarlyStopping({ patience: -1 })).toThrow(/patience must be an integer >= 0/);
    expect(() => new EarlyStopping({ mode: 'up' as 'min' })).toThrow(/mode must be auto, min or max/);
    expect(() => new EarlyStopping({ patiance: 3 } as EarlyStoppingConfig)).toThrow(/unknown argument "patiance"/);
    expect(() => checkMonitor(new EarlyStopping({ monitor: 'val_accuracy' }).settings, 'binary_crossentropy')).not.toThrow();
    expect(() => checkMonitor(new EarlyStopping({ monitor: 'val_acc' }).settings, 'binary_crossentropy')).toThrow(
      /monitors "val_acc", which this model does not log/,
    );
  });
});

describe('parseEarlyStopping', () => {
  it('PATIENCE[,MIN_DELTA] monitors val_loss and restores; JSON is Keras arguments with Keras defaults', () => {
    expect(parseEarlyStopping('3')).toEqual({
      monitor: 'val_loss',
      min_delta: 0,
      patience: 3,
      mode: 'auto',
      baseline: null,
      restore_best_weights: true,
      start_from_epoch: 0,
    });
    expect(parseEarlyStopping(' 5, 0.001 ')).toMatchObject({ patience: 5, min_delta: 0.001, restore_best_weights: true });
    expect(parseEarlyStopping('{"patience": 2, "monitor": "val_accuracy"}')).toMatchObject({
      patience: 2,
      monitor: 'val_accuracy',
      restore_best_weights: false,
    });
  });

  it('anything else says what it takes', () => {
    for (const bad of ['', 'x', '3,', '3,a', '1.5', '-1', '3,0.1,2']) expect(() => parseEarlyStopping(bad)).toThrow(/PATIENCE or PATIENCE,MIN_DELTA/);
    expect(() => parseEarlyStopping('{patience: 3}')).toThrow(/not valid JSON/);
    expect(() => parseEarlyStopping('{"patience": "3"}')).toThrow(/patience must be an integer/);
  });
});
