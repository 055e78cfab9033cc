// The train command: argument errors in-process; real runs as a subprocess in headless Chromium.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EARLY_STOPPING_FIELDS, MODEL_FIELDS, REPLICA_FIELDS, RUN_FIELDS, STATS_FIELDS } from './result-fields.ts';
import { runCli } from './run-cli.ts';
import { checkData, parseTrainArgs } from '../../src/cli/train.ts';

const tmp = mkdtempSync(join(tmpdir(), 'overfit-cli-'));

const tuneCache = join(tmp, 'matmul-tune.json');
const cli = (args: string[], opts: Parameters<typeof runCli>[2] = {}) => runCli('train', args, opts);

describe('train arguments', () => {
  const bad: [string[], RegExp][] = [
    [['--experiment', 'nope'], /--experiment "nope" is not valid; valid values: imdb-overfit, regularization, dropout, batchnorm/],
    [['--experiment', 'dropout', '--model', 'l3'], /--model "l3" is not valid; valid values: basic, dropout/],
    [['--experiment', 'dropout', '--epochs', '0'], /--epochs must be a positive integer, got "0"/],
    [['--experiment', 'dropout', '--dataset', 'mnist'], /--dataset "mnist" is not valid; valid values: imdb/],
    [['--experiment', 'dropout', '--seed', 'x'], /--seed must be an integer/],
    [['--experiment', 'dropout', '--fast'], /unknown option --fast; valid options: --experiment, --spec/],
    [[], /give exactly one of --experiment/],
    [['--experiment', 'dropout', '--seeds', '0'], /--seeds takes a count \(--seeds 5: seeds 1..5\) or a list/],
    [['--experiment', 'dropout', '--seeds', '3,x'], /--seeds takes a count/],
    [['--experiment', 'dropout', '--seed', '2', '--seeds', '3'], /give --seed S \(one run\) or --seeds/],
    [
      ['--experiment', 'dropout', '--sweep', 'l3=1'],
      /--sweep "l3" is not a parameter one can sweep: give PARAM=V1,V2,... with PARAM one of l1, l2, dropout, lr/,
    ],
    [['--experiment', 'dropout', '--sweep', 'l2'], /--sweep "l2" is not PARAM=VALUES/],
    [['--experiment', 'dropout', '--sweep', 'l2=0,,1'], /has a value that is not a number/],
    [['--experiment', 'dropout', '--early-stopping', 'x'], /--early-stopping takes PATIENCE or PATIENCE,MIN_DELTA/],
    [['--experiment', 'dropout', '--early-stopping', '{"patience": -1}'], /--early-stopping: patience must be an integer >= 0/],
    [
      ['--experiment', 'dropout', '--early-stopping', '{"monitor": "val_auc"}'],
      /--early-stopping monitors "val_auc", which this model does not log; it logs loss, accuracy/,
    ],
  ];
  for (const [argv, message] of bad) it(argv.join(' ') || '(none)', async () => expect(parseTrainArgs(argv)).rejects.toThrow(message));

  it('matmul: tuned on first use by default, --tune times again, --no-tune takes the first choice; not both', async () => {
    expect(await parseTrainArgs(['--experiment', 'dropout'])).toMatchObject({ options: { matmul: 'tune' }, retune: false });
    expect(await parseTrainArgs(['--experiment', 'dropout', '--tune'])).toMatchObject({ options: { matmul: 'tune' }, retune: true });
    expect(await parseTrainArgs(['--experiment', 'dropout', '--no-tune'])).toMatchObject({ options: { matmul: 'first-choice' }, retune: false });
    await expect(parseTrainArgs(['--experiment', 'dropout', '--tune', '--no-tune'])).rejects.toThrow(/at most one of --tune .* and --no-tune/);
  });

  it('--seeds N is seeds 1..N, --seeds A,B a list; --sweep PARAM=values', async () => {
    const a = await parseTrainArgs(['--experiment', 'regularization', '--seeds', '3', '--sweep', 'l2=0,0.0001,0.01']);
    expect(a.options).toMatchObject({ seeds: [1, 2, 3], sweep: { param: 'l2', values: [0, 0.0001, 0.01] } });
    expect((await parseTrainArgs(['--experiment', 'dropout', '--seeds', '3,7,11'])).options.seeds).toEqual([3, 7, 11]);
  });

  it('--spec takes a preset-shaped JSON file and reports what is wrong in it', async () => {
    const file = join(tmp, 'spec.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'mine',
        dataset: 'imdb',
        batchSize: 500,
        models: [{ name: 'tiny', epochs: 2, spec: { name: 'tiny', inputShape: [100], layers: [{ type: 'Dense', units: 0 }] } }],
      }),
    );
    await expect(parseTrainArgs(['--spec', file])).rejects.toThrow(/models\[0\] \("tiny"\): layer 1 \(Dense\): units must be a positive integer, got 0/);
  });

  it('--spec carries the run: its seed, training and test rows are the defaults of --seed, --train-limit and --test-limit; bad ones name the field', async () => {
    const file = join(tmp, 'run-spec.json');
    const model = { name: 'tiny', epochs: 2, spec: { name: 'tiny', inputShape: [100], layers: [{ type: 'Dense', units: 1, activation: 'sigmoid' }] } };
    const write = (extra: object) => writeFileSync(file, JSON.stringify({ id: 'mine', dataset: 'imdb', batchSize: 50, models: [model], ...extra }));
    write({ seed: 7, trainLimit: 300, testLimit: 200, learningRate: 0.01 });
    const a = await parseTrainArgs(['--spec', file]);
    expect(a.options).toMatchObject({ seed: 7, trainLimit: 300, testLimit: 200 });
    expect(a.experiment.learningRate).toBe(0.01);
    expect((await parseTrainArgs(['--spec', file, '--seed', '2', '--train-limit', '100'])).options).toMatchObject({ seed: 2, trainLimit: 100 });
    for (const [extra, message] of [
      [{ learningRate: 0 }, /experiment: learningRate must be a number > 0 \(Adam's default: 0.001\), got 0/],
      [{ seed: -1 }, /experiment: seed must be an integer in \[0, 4294967295\], got -1/],
      [{ trainLimit: 2.5 }, /experiment: trainLimit must be a positive integer, got 2.5/],
      [{ testLimit: '200' }, /experiment: testLimit must be a positive integer, got "200"/],
    ] as const) {
      write(extra);
      await expect(parseTrainArgs(['--spec', file])).rejects.toThrow(message);
    }
  });

  it('a missing data file names the file and the rebuild command', async () => {
    await expect(checkData('imdb', tmp)).rejects.toThrow(/imdb\.ofl is missing\. Rebuild it with `npm run prepare-data`/);
  });
});

describe('train in headless Chromium', { timeout: 120_000 }, () => {
  it('runs a short experiment, prints Keras-style output, writes the history JSON and the loss PNG', async () => {
    const out = join(tmp, 'dropout.json');
    // No tune flag: the first run on this adapter times the matmul variants (a temp cache, not the user's).
    const r = await cli(['--experiment', 'dropout', '--epochs', '2', '--train-limit', '300', '--test-limit', '200', '--tune-cache', tuneCache, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`tuning matmul kernels for this adapter (first run only, cached in ${tuneCache}): `);
    expect(Object.keys(JSON.parse(readFileSync(tuneCache, 'utf8')))).toEqual([expect.stringMatching(/^overfit-lab:matmul-tune:v1:/)]);
    expect(r.out).toMatch(/Model: "dropout"[\s\S]*dropout \(Dropout\)\s+\(None, 128\)\s+0[\s\S]*Total params: 29,569/);
    expect(r.out).toMatch(/^basic\s+epoch 2\/2\s+loss\s+\d\.\d{4}\s+accuracy\s+\d\.\d{4}\s+val_loss\s+\d\.\d{4}\s+val_accuracy\s+\d\.\d{4}\s+\d+\.\d\ds$/m);
    expect(r.out).toMatch(/^scores_basic: 0\.\d+$/m);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    // exactly the result model's fields (src/experiments/result.ts), in order
    expect([Object.keys(json), Object.keys(json.adapter)]).toEqual([RUN_FIELDS, ['vendor', 'architecture']]);
    for (const m of json.models) {
      expect([Object.keys(m), Object.keys(m.stats)]).toEqual([MODEL_FIELDS, STATS_FIELDS]);
      // one replica, the run itself: its history is the model's, its band collapses onto it
      expect(m.replicas.map((r: object) => Object.keys(r))).toEqual([REPLICA_FIELDS]);
      expect([m.replicas[0].history, m.historyMin, m.historyMax]).toEqual([m.history, m.history, m.history]);
      expect(m.replicas[0]).toMatchObject({ seed: 1, l1: null, l2: null, dropout: null, lr: 0.001, test: m.test });
    }
    expect(json).toMatchObject({ experiment: 'dropout', seed: 1, adapter: { vendor: expect.any(String), architecture: expect.any(String) } });
    expect(json.models.map((m: { name: string }) => m.name)).toEqual(['basic', 'dropout']);
    expect(json.models[1]).toMatchObject({
      params: 29_569,
      trainableParams: 29_569,
      epochs: 2,
      batchSize: 500,
      stats: { readbacksPerEpoch: 1, submitsPerEpoch: 1, buffersCreatedAfterFirstStep: 0 },
    });
    expect(json.models[1].history.val_loss).toHaveLength(2);
    // The weight statistics of each epoch and the words by first-layer weight norm.
    expect(r.out).toMatch(
      /^ {2}weights at epoch 2: \d+\.\d % of kernel weights below 1e-3 \(dense \d+\.\d %, dense_1 \d+\.\d %, dense_2 \d+\.\d %\), largest \|w\| [\d.]+$/m,
    );
    expect(r.out).toMatch(/^ {2}dead ReLU units at epoch 2 \(never active on a validation row\): dense \d+ \/ 128, dense_1 \d+ \/ 128$/m);
    expect(r.out).toMatch(/^ {2}words by first-layer weight norm: (\S+ \d\.\d{3}, ){9}\S+ \d\.\d{3}; \d+ of 100 below 1e-3, \d+ below 0\.01$/m);
    for (const m of json.models) {
      expect(m.weights.edges).toHaveLength(49);
      expect(m.weights.epochs.map((e: { tensor: string }[]) => e.map((s) => s.tensor))).toEqual([
        ['dense/kernel', 'dense_1/kernel', 'dense_2/kernel'],
        ['dense/kernel', 'dense_1/kernel', 'dense_2/kernel'],
      ]);
      const first = m.weights.epochs[1][0];
      expect(first.zeros + first.bins.reduce((a: number, b: number) => a + b, 0)).toBe(100 * 128);
      // dead units of the two ReLU layers each epoch, at most all of them
      expect(m.weights.deadUnits.map((e: { layer: string; units: number }[]) => e.map((d) => `${d.layer}/${d.units}`))).toEqual([
        ['dense/128', 'dense_1/128'],
        ['dense/128', 'dense_1/128'],
      ]);
      expect(m.weights.deadUnits.flat().every((d: { dead: number; units: number }) => Number.isInteger(d.dead) && d.dead >= 0 && d.dead <= d.units)).toBe(true);
      expect(m.words).toHaveLength(100);
      expect(m.words.map((w: { word: string }) => w.word)).toEqual(expect.arrayContaining(['<start>', 'the', 'movie']));
    }
    expect(readFileSync(join(tmp, 'dropout.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('--early-stopping 0,0.05: Keras’ messages, the epochs in the JSON, the test scores from the restored weights', async () => {
    const out = join(tmp, 'early.json');
    // No epoch gains 0.05 in val_loss on 300 rows: patience 0 runs out at epoch 2 and epoch 1's weights go back.
    const r = await cli([
      '--experiment',
      'dropout',
      '--model',
      'basic',
      '--epochs',
      '6',
      '--train-limit',
      '300',
      '--test-limit',
      '200',
      '--early-stopping',
      '0,0.05',
      '--tune-cache',
      tuneCache,
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    // The same shapes as the run above: its tune is read from the cache, nothing is timed again.
    expect(r.out).toContain(`matmul kernels: tuned for this adapter, read from ${tuneCache}`);
    expect(r.out).not.toContain('tuning matmul kernels');
    expect(r.out).toMatch(/^basic: Restoring model weights from the end of the best epoch: 1\.\nbasic: Epoch 2: early stopping$/m);
    expect(r.out).toMatch(/^ {2}early stopping: best epoch 1, stopped at epoch 2, weights restored from epoch 1$/m);
    expect(r.out).toMatch(/^ {2}weights at epoch 1: /m); // the restored weights' statistics
    const [m] = JSON.parse(readFileSync(out, 'utf8')).models;
    expect(m.earlyStopping).toEqual({
      settings: { monitor: 'val_loss', min_delta: 0.05, patience: 0, mode: 'auto', baseline: null, restore_best_weights: true, start_from_epoch: 0 },
      best_epoch: 1,
      stopped_epoch: 2,
      restored_epoch: 1,
    });
    expect(Object.keys(m.replicas[0].earlyStopping)).toEqual([...EARLY_STOPPING_FIELDS]);
    expect(m.history.val_loss).toHaveLength(2);
    // the restored weights are epoch 1's: evaluate() gives epoch 1's validation loss (same test rows)
    expect(m.test.loss).toBeCloseTo(m.history.val_loss[0], 6);
  });

  it('Ctrl-C stops after the epoch in flight and still writes the finished epochs (exit 130)', async () => {
    const out = join(tmp, 'interrupted.json');
    let sent = false;
    const r = await cli(
      ['--experiment', 'regularization', '--model', 'l2', '--epochs', '40', '--train-limit', '500', '--test-limit', '100', '--no-tune', '--out', out],
      {
        onLine: (line, kill) => {
          if (!sent && /epoch\s+2\/40/.test(line)) (sent = true), kill();
        },
      },
    );
    expect(r.code).toBe(130);
    expect(r.out).toMatch(/Interrupted: stopping after the epochs in flight/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    const n = json.models[0].history.loss.length;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThan(40);
    expect(json.models[0].test.loss).toBeGreaterThan(0);
  });

  it('no Chromium, and a Chromium without WebGPU, each end with one clear line', async () => {
    const missing = await cli(['--experiment', 'dropout', '--epochs', '1'], { env: { OVERFIT_CHROMIUM: '/nonexistent/chrome' } });
    expect(missing.code).toBe(1);
    expect(missing.err.trim()).toBe(
      'overfit-lab train: OVERFIT_CHROMIUM=/nonexistent/chrome does not exist. Point it at a Chrome or Chromium binary, or unset it to use /usr/bin/chromium.',
    );
    // A real Chromium launched without --enable-unsafe-webgpu: navigator.gpu has no adapter.
    const wrapper = join(tmp, 'chromium-no-webgpu');
    writeFileSync(wrapper, '#!/bin/sh\nfor a; do shift; [ "$a" = --enable-unsafe-webgpu ] || set -- "$@" "$a"; done\nexec /usr/bin/chromium "$@"\n');
    chmodSync(wrapper, 0o755);
    const noGpu = await cli(['--experiment', 'dropout', '--epochs', '1', '--out', join(tmp, 'x.json')], { env: { OVERFIT_CHROMIUM: wrapper } });
    expect(noGpu.code).toBe(1);
    expect(noGpu.err).toMatch(/^overfit-lab train: WebGPU is present but no GPU adapter was granted\..*--enable-unsafe-webgpu/);
    expect(existsSync(join(tmp, 'x.json'))).toBe(false);
  });
});
