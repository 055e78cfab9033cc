// One result model (src/experiments/result.ts) for the runner, <overfit-lab>'s overfit-done event
// and the JSON `train` writes. Its field names are pinned here: in the types (tsc) and in the
// JSON of a real one-epoch run.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExperiment } from '../../src/experiments/presets.ts';
import type { ModelResult, RunResult, RunStats } from '../../src/experiments/result.ts';
import { emptyModelResult } from '../../src/experiments/result.ts';
import { runCli } from './run-cli.ts';

const RUN_FIELDS = ['experiment', 'dataset', 'seed', 'adapter', 'models'] as const;
const MODEL_FIELDS = ['name', 'params', 'trainableParams', 'epochs', 'batchSize', 'history', 'test', 'seconds', 'stats', 'error'] as const;
const STATS_FIELDS = [
  'dispatchesPerStep',
  'dispatchesPerValidation',
  'submitsPerEpoch',
  'readbacksPerEpoch',
  'buffersCreatedAfterFirstStep',
  'pipelinesCreatedAfterFirstStep',
  'gpuBytes',
  'matmul',
] as const;

// Compile time: the types have exactly these fields, no more, no fewer.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const pinned: [
  Same<keyof RunResult, (typeof RUN_FIELDS)[number]>,
  Same<keyof ModelResult, (typeof MODEL_FIELDS)[number]>,
  Same<keyof RunStats, (typeof STATS_FIELDS)[number]>,
] = [true, true, true];

describe('the result model', () => {
  it('a model before its first epoch: every field, the parameters counted from the preset', () => {
    expect(pinned).toEqual([true, true, true]);
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

  it('train writes exactly these fields (one real epoch in headless Chromium)', { timeout: 120_000 }, async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'overfit-result-')), 'run.json');
    const r = await runCli('train', [
      '--experiment',
      'dropout',
      '--model',
      'basic',
      '--epochs',
      '1',
      '--train-limit',
      '200',
      '--test-limit',
      '100',
      '--out',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(json)).toEqual(RUN_FIELDS);
    expect(Object.keys(json.adapter)).toEqual(['vendor', 'architecture']);
    expect(Object.keys(json.models[0])).toEqual(MODEL_FIELDS);
    expect(Object.keys(json.models[0].stats)).toEqual(STATS_FIELDS);
  });
});
