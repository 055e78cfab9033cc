// <overfit-lab>'s replicas without a browser: the `seeds` and `sweep` attributes, the live band
// over the seeds, the curves per swept value and the summary, the chart lines of each mode, and
// the CSV with a row per replica.
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/ui/i18n.ts';
import { chartLines } from '../../src/ui/overfit-lab/chart-lines.ts';
import type { ChartModel } from '../../src/ui/overfit-lab/chart-lines.ts';
import { toCsv } from '../../src/ui/overfit-lab/export.ts';
import { modelStates, recordEpoch } from '../../src/ui/overfit-lab/model-state.ts';
import {
  formatValue,
  meanHistory,
  parseSweep,
  runReplicas,
  seedCount,
  seedList,
  sweepApplies,
  sweepCurves,
  sweepPositions,
  sweepSummary,
} from '../../src/ui/overfit-lab/replicas.ts';
import { readSettings } from '../../src/ui/overfit-lab/settings.ts';
import { exportRun } from '../../src/ui/overfit-lab/snapshot.ts';
import type { LabHost } from '../../src/ui/overfit-lab/types.ts';
import { SEQUENTIAL, sequentialColors } from '../../src/ui/tokens.ts';

const host = (over: Partial<LabHost> = {}) =>
  ({
    experiment: 'regularization',
    datasetName: '',
    epochs: 2,
    seed: 1,
    seeds: 1,
    sweep: '',
    trainLimit: 100,
    testLimit: 50,
    dataBase: '',
    debug: false,
    ...over,
  }) as LabHost;

describe('seeds and sweep attributes', () => {
  it('seeds: 1, 3, 5 or 10 from `seed` on; anything else is one', () => {
    expect([1, 3, 5, 10].map(seedCount)).toEqual([1, 3, 5, 10]);
    expect([0, 2, 4, -3, 1.5, Number.NaN, undefined].map(seedCount)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(seedList(1, 3)).toEqual([1, 2, 3]);
    expect(seedList(7, 1)).toEqual([7]);
  });

  it('sweep: the CLI format, values sorted; each mistake named', () => {
    expect(parseSweep('')).toEqual({ sweep: null, error: null });
    expect(parseSweep(' l2 = 0.01, 0 ,0.0001 ')).toEqual({ sweep: { param: 'l2', values: [0, 0.0001, 0.01] }, error: null });
    expect(parseSweep('LR=1e-3,3e-3').sweep).toEqual({ param: 'lr', values: [0.001, 0.003] });
    expect(parseSweep('l3=1').error).toBe('param');
    expect(parseSweep('=1').error).toBe('param');
    expect(parseSweep('l2').error).toBe('empty');
    expect(parseSweep('l2=').error).toBe('empty');
    expect(parseSweep('l2=0,abc').error).toBe('number');
    expect(parseSweep('l2=-1').error).toBe('range');
    expect(parseSweep('dropout=1').error).toBe('range');
    expect(parseSweep('lr=0').error).toBe('range');
    expect(parseSweep('l1=0.1,0.1').error).toBe('duplicate');
    expect(parseSweep('l1=1,2,3,4,5,6,7,8,9').error).toBe('too-many');
  });

  it('every sweep error has its message in English and Korean', () => {
    for (const t of [MESSAGES.en, MESSAGES.ko])
      for (const k of ['param', 'empty', 'number', 'range', 'duplicate', 'too-many'] as const) expect(t.sweepErrors[k]).toMatch(/\S/);
    expect(MESSAGES.en.bandNote(3)).toBe('shaded: the range over 3 seeds');
    expect(MESSAGES.ko.bandNote(3)).toContain('3');
  });

  it('settings: replicas in the trainer’s order; one replica without seeds or sweep; a bad sweep kept as its error', () => {
    expect(readSettings(host()).replicas).toEqual([{ seed: 1 }]);
    const s = readSettings(host({ seed: 4, seeds: 3, sweep: 'l2=0,0.01' }));
    expect(s.seeds).toEqual([4, 5, 6]);
    expect(s.replicas).toEqual(runReplicas(4, 3, { param: 'l2', values: [0, 0.01] }));
    expect(s.replicas.map((r) => [r.l2, r.seed])).toEqual([
      [0, 4],
      [0, 5],
      [0, 6],
      [0.01, 4],
      [0.01, 5],
      [0.01, 6],
    ]);
    const bad = readSettings(host({ sweep: 'l2=x' }));
    expect([bad.sweep, bad.sweepError, bad.replicas.length]).toEqual([null, 'number', 1]);
  });
});

describe('live replicas', () => {
  const epoch = (losses: number[]) => ({
    metrics: { binary_crossentropy: losses.reduce((a, b) => a + b) / losses.length },
    seconds: 0.5,
    replicas: losses.map((l) => ({ binary_crossentropy: l, val_binary_crossentropy: l + 0.1 })),
  });

  it('one replica keeps the result as before (no replicas, no band)', () => {
    const [m] = modelStates(readSettings(host()));
    recordEpoch(m, { metrics: { loss: 1 }, seconds: 1 }, 0);
    expect([m.replicas, m.historyMin, m.historyMax, m.history]).toEqual([[], {}, {}, { loss: [1] }]);
  });

  it('seeds: each replica’s history, and per epoch the min and max over them', () => {
    const [m] = modelStates(readSettings(host({ seeds: 3 })));
    expect(m.replicas.map((r) => r.seed)).toEqual([1, 2, 3]);
    recordEpoch(m, epoch([0.5, 0.7, 0.6]), 0);
    recordEpoch(m, epoch([0.4, 0.3, 0.45]), 1);
    expect(m.historyMin.binary_crossentropy).toEqual([0.5, 0.3]);
    expect(m.historyMax.binary_crossentropy).toEqual([0.7, 0.45]);
    expect(m.replicas[1].history.binary_crossentropy).toEqual([0.7, 0.3]);
    expect(m.history.binary_crossentropy[0]).toBeCloseTo(0.6);
  });

  it('sweep: curves per value are the mean over its seeds; the summary is the best val loss and the last gap', () => {
    const s = readSettings(host({ seeds: 3, sweep: 'l2=0,0.01' }));
    const [m] = modelStates(s);
    recordEpoch(m, epoch([1, 2, 3, 10, 20, 30]), 0);
    recordEpoch(m, epoch([0.5, 1, 1.5, 4, 5, 6]), 1);
    const curves = sweepCurves(m.replicas, s.sweep!);
    expect(curves.map((c) => [c.value, c.history.binary_crossentropy])).toEqual([
      [0, [2, 1]],
      [0.01, [20, 5]],
    ]);
    const summary = sweepSummary(curves, 'binary_crossentropy');
    expect(summary[0].value).toBe(0);
    expect(summary[0].bestVal).toBeCloseTo(1.1);
    expect(summary[0].gap).toBeCloseTo(0.1);
    expect(sweepSummary([{ value: 1, history: {} }], 'binary_crossentropy')).toEqual([{ value: 1, bestVal: null, gap: null }]);
    expect(meanHistory([{ a: [1, 2] }, { a: [3] }])).toEqual({ a: [2] });
  });

  it('summary x axis: log for l1, l2 and lr with 0 one decade left of the smallest value; linear for dropout', () => {
    expect(sweepPositions({ param: 'l2', values: [0, 0.0001, 0.001, 0.01] })).toEqual([-5, -4, -3, -2]);
    expect(sweepPositions({ param: 'lr', values: [0.003] })[0]).toBeCloseTo(Math.log10(0.003));
    expect(sweepPositions({ param: 'dropout', values: [0, 0.2, 0.5] })).toEqual([0, 0.2, 0.5]);
    expect([0, 0.0001, 0.00015, 0.001, 0.01, 0.3, 1].map(formatValue)).toEqual(['0', '1e-4', '1.5e-4', '1e-3', '0.01', '0.3', '1']);
  });

  it('the sequential palette comes from the tokens, in order, ends included', () => {
    expect(sequentialColors(1)).toEqual([SEQUENTIAL[0]]);
    const c = sequentialColors(3);
    expect([c[0], c[2]]).toEqual([SEQUENTIAL[0], SEQUENTIAL[SEQUENTIAL.length - 1]]);
    expect(new Set(sequentialColors(8)).size).toBe(8);
  });
});

describe('chart lines', () => {
  const labels = { training: 'training', validation: 'validation', bestVal: 'best val', gap: 'gap' };
  const colors = ['#0072B2', '#D55E00'];
  const model = (over: Partial<ChartModel> = {}): ChartModel => ({
    name: 'l2',
    index: 1,
    history: { binary_crossentropy: [1, 0.5], val_binary_crossentropy: [1.2, 0.9], weight_l1: [3, 4] },
    lossMetric: 'binary_crossentropy',
    best: 2,
    overfitting: false,
    ...over,
  });

  it('one run: training and validation per model, the gap shaded (validation above training on loss)', () => {
    const { lines, bands } = chartLines('loss', { models: [model()], labels, colors });
    expect(lines.map((l) => [l.role, l.color, l.dash ?? null])).toEqual([
      ['train', '#D55E00', null],
      ['val', '#D55E00', [6, 4]],
    ]);
    expect(bands.map((b) => b.between)).toEqual([[1, 0]]);
    expect(chartLines('accuracy', { models: [model()], labels, colors }).bands[0].between).toEqual([0, 1]);
    expect(chartLines('weights', { models: [model()], labels, colors }).bands).toEqual([]);
    expect(chartLines('summary', { models: [model()], labels, colors }).lines).toEqual([]);
  });

  it('seeds: a band between invisible max and min edges for each curve, no gap fill', () => {
    const band = {
      min: { binary_crossentropy: [0.9, 0.4], val_binary_crossentropy: [1.1, 0.8] },
      max: { binary_crossentropy: [1.1, 0.6], val_binary_crossentropy: [1.3, 1] },
    };
    const { lines, bands } = chartLines('loss', { models: [model({ band })], labels, colors });
    expect(lines.map((l) => [l.role, l.width])).toEqual([
      ['train', 2],
      ['val', 2],
      ['max', 0],
      ['min', 0],
      ['max', 0],
      ['min', 0],
    ]);
    expect(bands.map((b) => b.between)).toEqual([
      [2, 3],
      [4, 5],
    ]);
    expect(lines[3].values).toEqual([0.9, 0.4]);
  });

  it('sweep: a curve pair per value in its sequential colour, the highlighted one wider and the rest faded; the summary has best and gap', () => {
    const curves = [
      { value: 0, history: { binary_crossentropy: [1, 0.5], val_binary_crossentropy: [1.2, 1.3] } },
      { value: 0.01, history: { binary_crossentropy: [1, 0.8], val_binary_crossentropy: [1.1, 0.9] } },
    ];
    const m = model({ sweep: { curves, summary: sweepSummary(curves, 'binary_crossentropy') } });
    const sweep = { labels: ['0', '0.01'], colors: sequentialColors(2), highlight: 1, model: 'l2' };
    const { lines, bands } = chartLines('loss', { models: [m], labels, colors, sweep });
    expect(bands).toEqual([]);
    expect(lines.map((l) => [l.group, l.role, l.color, l.alpha, l.width])).toEqual([
      ['l2 0', 'train', SEQUENTIAL[0], 0.2, 2],
      ['l2 0', 'val', SEQUENTIAL[0], 0.2, 2],
      ['l2 0.01', 'train', SEQUENTIAL[8], 1, 3],
      ['l2 0.01', 'val', SEQUENTIAL[8], 1, 3],
    ]);
    const summary = chartLines('summary', { models: [m], labels, colors, sweep }).lines;
    expect(summary.map((l) => [l.role, l.color, l.points])).toEqual([
      ['best', '#D55E00', true],
      ['gap', '#D55E00', true],
    ]);
    expect(summary[0].values).toEqual([1.2, 0.9]);
    expect(summary[1].values?.map((v) => +v.toFixed(6))).toEqual([0.8, 0.1]);
  });

  it('sweep of several models: the epoch charts draw the picked one, a model the sweep leaves alone in its colour; the summary has every swept one', () => {
    const curves = [{ value: 0.3, history: { binary_crossentropy: [1], val_binary_crossentropy: [1.2] } }];
    const swept = (name: string, index: number) => model({ name, index, sweep: { curves, summary: sweepSummary(curves, 'binary_crossentropy') } });
    const reference = model({ name: 'basic', index: 0 });
    const models = [reference, swept('a', 1), swept('b', 2)];
    const sweep = { labels: ['0.3'], colors: sequentialColors(1), highlight: null, model: 'b' };
    const loss = chartLines('loss', { models, labels, colors: [...colors, '#009E73'], sweep }).lines;
    expect(loss.map((l) => [l.group, l.role, l.color])).toEqual([
      ['basic', 'train', '#0072B2'],
      ['basic', 'val', '#0072B2'],
      ['b 0.3', 'train', SEQUENTIAL[0]],
      ['b 0.3', 'val', SEQUENTIAL[0]],
    ]);
    const summary = chartLines('summary', { models, labels, colors: [...colors, '#009E73'], sweep }).lines;
    expect(summary.map((l) => [l.group, l.color])).toEqual([
      ['a', '#D55E00'],
      ['a', '#D55E00'],
      ['b', '#009E73'],
      ['b', '#009E73'],
    ]);
  });

  it('a dropout sweep varies the models with Dropout; the others keep one replica per seed', () => {
    const s = readSettings(host({ experiment: 'dropout', seeds: 3, sweep: 'dropout=0,0.5' }));
    const [basic, dropout] = modelStates(s);
    expect(basic.replicas.map((r) => [r.seed, r.dropout])).toEqual([
      [1, null],
      [2, null],
      [3, null],
    ]);
    expect(dropout.replicas.map((r) => [r.seed, r.dropout])).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [1, 0.5],
      [2, 0.5],
      [3, 0.5],
    ]);
    expect([sweepApplies(basic.spec, s.sweep!), sweepApplies(dropout.spec, s.sweep!), sweepApplies(basic.spec, { param: 'l2' })]).toEqual([false, true, true]);
    expect(modelStates(readSettings(host({ experiment: 'dropout', sweep: 'dropout=0,0.5' })))[0].replicas).toEqual([]);
  });
});

describe('CSV with replicas', () => {
  const adapter = { vendor: 'test', architecture: 'fake' };

  it('unchanged with one replica: model,epoch,...', () => {
    const s = readSettings(host());
    const models = modelStates(s).slice(0, 1);
    recordEpoch(models[0], { metrics: { loss: 1 }, seconds: 0.5 }, 0);
    const run = exportRun(s, host(), adapter, models);
    expect('seeds' in run || 'sweep' in run).toBe(false);
    expect(toCsv(run)).toBe('model,epoch,loss,seconds\nbasic,1,1,0.5\n');
  });

  it('a row per model, replica and epoch, with the seed and the swept value', () => {
    const s1 = readSettings(host({ seeds: 1, sweep: 'l2=0,0.01' }));
    const [m] = modelStates(s1);
    recordEpoch(m, { metrics: { loss: 1.5 }, seconds: 0.5, replicas: [{ loss: 1 }, { loss: 2 }] }, 0);
    const run = exportRun(s1, host(), adapter, [m]);
    expect(run.sweep).toEqual({ param: 'l2', values: [0, 0.01] });
    expect(toCsv(run)).toBe('model,replica,seed,l2,epoch,loss,seconds\nbasic,0,1,0,1,1,0.5\nbasic,1,1,0.01,1,2,0.5\n');
    const seeds = readSettings(host({ seeds: 3 }));
    const [a] = modelStates(seeds);
    recordEpoch(a, { metrics: { loss: 2 }, seconds: 1, replicas: [{ loss: 1 }, { loss: 2 }, { loss: 3 }] }, 0);
    expect(
      toCsv(exportRun(seeds, host(), adapter, [a]))
        .split('\n')
        .slice(0, 2),
    ).toEqual(['model,replica,seed,epoch,loss,seconds', 'basic,0,1,1,1,1']);
  });
});
