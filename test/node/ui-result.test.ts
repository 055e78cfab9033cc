// One result model (src/experiments/result.ts) for the runner, <overfit-lab>'s overfit-done event
// and the JSON `train` writes. Its field names are pinned here in the types (tsc); cli.test.ts
// checks them in the JSON of a real run.
import { describe, expect, it } from 'vitest';
import { findExperiment } from '../../src/experiments/presets.ts';
import type { EarlyStoppingOutcome, ModelResult, ReplicaResult, RunResult, RunStats } from '../../src/experiments/result.ts';
import { emptyModelResult } from '../../src/experiments/result.ts';
import type { EARLY_STOPPING_FIELD, EARLY_STOPPING_FIELDS, REPLICA_FIELDS, RUN_FIELDS, STATS_FIELDS } from './result-fields.ts';
import { MODEL_FIELDS } from './result-fields.ts';

// Compile time: the types have exactly these fields, no more, no fewer.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const pinned: [
  Same<keyof RunResult, (typeof RUN_FIELDS)[number]>,
  Same<keyof ModelResult, (typeof MODEL_FIELDS)[number] | typeof EARLY_STOPPING_FIELD>,
  Same<keyof ReplicaResult, (typeof REPLICA_FIELDS)[number] | typeof EARLY_STOPPING_FIELD>,
  Same<keyof EarlyStoppingOutcome, (typeof EARLY_STOPPING_FIELDS)[number]>,
  Same<keyof RunStats, (typeof STATS_FIELDS)[number]>,
] = [true, true, true, true, true];

describe('the result model', () => {
  it('a model before its first epoch: every field, the parameters counted from the preset', () => {
    expect(pinned).toEqual([true, true, true, true, true]);
    const dropout = findExperiment('dropout');
    const r = emptyModelResult(dropout.models[1], 3, dropout.batchSize);
    expect(Object.keys(r)).toEqual(MODEL_FIELDS);
    expect(r).toMatchObject({
      name: 'dropout',
      params: 29_569,
      trainableParams: 29_569,
      epochs: 3,
      batchSize: 500,
      history: {},
      test: null,
      seconds: 0,
      stats: null,
      error: null,
    });
  });
});
