// The pure parts of <overfit-lab>: curve helpers, exports, the two languages, the manifest.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS, findExperiment } from '../../src/experiments/presets.ts';
import { countParams } from '../../src/model/summary.ts';
import { metricColumns, toCsv, toJson, exportName, type ExportRun } from '../../src/ui/overfit-lab/export.ts';
import { experimentText, formatDuration, MESSAGES, numberFormat, toLocale } from '../../src/ui/i18n.ts';
import { alignColumns, bestEpoch, CONTROL_NAMES, epochRate, overfittingStarted, parseControls, smooth } from '../../src/ui/overfit-lab/series.ts';
import { PALETTE, tokenDeclarations } from '../../src/ui/tokens.ts';
import { manifestText, MANIFEST } from '../../scripts/custom-elements.ts';

describe('curve helpers', () => {
  it('smooth() is TensorBoard’s debiased EMA; weight 0 is the identity', () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const s = smooth([1, 3], 0.5);
    expect(s[0]).toBeCloseTo(1); // debiased: the first value is kept
    expect(s[1]).toBeCloseTo((0.25 + 1.5) / 0.75);
    expect(smooth([2, 2, 2, 2], 0.9).every((v) => Math.abs(v - 2) < 1e-12)).toBe(true);
  });

  it('bestEpoch() is the 1-based epoch of the lowest finite value', () => {
    expect(bestEpoch([0.7, 0.5, 0.6, 0.9])).toBe(2);
    expect(bestEpoch([NaN, 0.5, 0.4])).toBe(3);
    expect(bestEpoch([])).toBeNull();
    expect(bestEpoch(undefined)).toBeNull();
  });

  it('overfittingStarted() once the validation loss has clearly turned up', () => {
    expect(overfittingStarted([0.7, 0.5, 0.6])).toBe(true);
    expect(overfittingStarted([0.7, 0.5, 0.502])).toBe(false); // within 1 %
    expect(overfittingStarted([0.7, 0.5])).toBe(false); // best is the last one
  });

  it('alignColumns() pads shorter models with nulls (uPlot’s aligned data)', () => {
    expect(alignColumns([[1, 2, 3], [4], undefined])).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [4, null, null],
      [null, null, null],
    ]);
    expect(alignColumns([[1, NaN]])).toEqual([
      [1, 2],
      [1, null],
    ]);
    expect(alignColumns([])).toEqual([[]]);
  });

  it('epochRate() starts at the second epoch (the first holds data upload and kernel compiles), over the last intervals', () => {
    expect(epochRate([])).toBeNull();
    expect(epochRate([4000])).toBeNull();
    expect(epochRate([5000, 5500, 6000])).toBeCloseTo(2);
    expect(epochRate([0, 10_000, 10_100, 10_200], 2)).toBeCloseTo(10);
  });

  it('parseControls(): all, none, or a list', () => {
    // `all` is every control but the model editor (`edit`) and the Keras / TF.js tools (`keras`), which a page asks for
    expect([...parseControls(null)]).toEqual(CONTROL_NAMES.filter((c) => c !== 'edit' && c !== 'keras' && c !== 'runs'));
    expect([...parseControls('all')]).toEqual(CONTROL_NAMES.filter((c) => c !== 'edit' && c !== 'keras' && c !== 'runs'));
    expect([...parseControls('all edit keras runs')]).toEqual([...CONTROL_NAMES]);
    expect(parseControls('none').size).toBe(0);
    expect([...parseControls('stop run, chart bogus')]).toEqual(['run', 'stop', 'chart']);
  });

  it('the palette is Okabe–Ito, each colour at least 3:1 against white for up to four models', () => {
    const lum = (hex: string) => {
      const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    };
    for (const c of PALETTE.slice(0, 4)) expect(1.05 / (lum(c) + 0.05)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...EXPERIMENTS.map((e) => e.models.length))).toBeLessThanOrEqual(4);
  });
});

describe('export', () => {
  const run: ExportRun = {
    experiment: 'regularization',
    dataset: 'imdb',
    seed: 7,
    batchSize: 500,
    trainLimit: null,
    testLimit: 100,
    adapter: { vendor: 'google', architecture: 'swiftshader' },
    models: [
      {
        name: 'l1',
        params: 1,
        trainableParams: 1,
        epochs: 2,
        history: { val_loss: [0.5, 0.4], loss: [0.6, 0.45], binary_crossentropy: [0.55, 0.4], extra: [1, 2] },
        seconds: [0.1, 0.2],
        test: { loss: 0.4 },
        bestEpoch: 2,
        error: null,
        replicas: [],
        historyMin: {},
        historyMax: {},
        weights: null,
        words: null,
      },
      {
        name: 'odd, "name"',
        params: 1,
        trainableParams: 1,
        epochs: 2,
        history: { loss: [NaN] },
        seconds: [0.3],
        test: null,
        bestEpoch: null,
        error: 'diverged',
        replicas: [],
        historyMin: {},
        historyMax: {},
        weights: null,
        words: null,
      },
    ],
  };

  it('CSV: Keras’ metric order, one row per model and epoch, quoted names', () => {
    expect(metricColumns(run.models)).toEqual(['loss', 'binary_crossentropy', 'val_loss', 'extra']);
    expect(toCsv(run).split('\n')).toEqual([
      'model,epoch,loss,binary_crossentropy,val_loss,extra,seconds',
      'l1,1,0.6,0.55,0.5,1,0.1',
      'l1,2,0.45,0.4,0.4,2,0.2',
      '"odd, ""name""",1,NaN,,,,0.3',
      '',
    ]);
  });

  it('JSON: the whole run, non-finite numbers as strings', () => {
    const j = JSON.parse(toJson(run));
    expect(j).toMatchObject({ format: 'overfit-lab-history', version: 1, experiment: 'regularization', seed: 7, testLimit: 100 });
    expect(j.models[1].history.loss).toEqual(['NaN']);
    expect(exportName(run, 'csv')).toBe('overfit-lab-regularization-seed7.csv');
  });
});

describe('languages', () => {
  it('picks ko for Korean tags, en otherwise', () => {
    expect(toLocale('ko')).toBe('ko');
    expect(toLocale('ko-KR')).toBe('ko');
    expect(toLocale('en-GB')).toBe('en');
    expect(toLocale('')).toBe('en');
    expect(toLocale(undefined)).toBe('en');
  });

  it('both languages have every message and an explanation of every experiment', () => {
    const shape = (o: unknown): unknown =>
      typeof o === 'function'
        ? 'fn'
        : Array.isArray(o)
          ? o.length > 0
          : o && typeof o === 'object'
            ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, shape(v)]))
            : typeof o;
    expect(shape(MESSAGES.ko)).toEqual(shape(MESSAGES.en));
    for (const e of EXPERIMENTS)
      for (const m of Object.values(MESSAGES)) {
        const x = experimentText(m, e.id);
        expect(x.body.length).toBeGreaterThan(0);
        expect(x.lookFor.length).toBeGreaterThanOrEqual(2);
      }
    expect(MESSAGES.ko.experiments.dropout.title).toBe('드롭아웃');
    expect(/[가-힣]/.test(MESSAGES.ko.status.done)).toBe(true);
  });

  it('parameter counts, units and epochs in the prose come from the presets', () => {
    expect(MESSAGES.en.experiments['imdb-overfit'].body[0]).toMatch(
      /“basic” \(256-128-1 units, 58,881 parameters\) trains for 20 epochs; “overfitting” \(1024-512-512-512-1 units, 1,154,049 parameters\) for 300\.$/,
    );
    expect(MESSAGES.ko.experiments['imdb-overfit'].body[0]).toContain(
      '“basic”(256-128-1 유닛, 파라미터 58,881개)은 20 에폭, “overfitting”(1024-512-512-512-1 유닛, 파라미터 1,154,049개)은 300 에폭',
    );
    const [basic, overfitting] = findExperiment('imdb-overfit').models;
    expect([countParams(basic.spec).total, countParams(overfitting.spec).total]).toEqual([58_881, 1_154_049]);
  });

  it('formats numbers and durations per language', () => {
    expect(numberFormat('en').int(1154049)).toBe('1,154,049');
    expect(numberFormat('en').percent(0.8523)).toBe('85.2%');
    expect(formatDuration(MESSAGES.en, 'en', 12.4)).toBe('12 s');
    expect(formatDuration(MESSAGES.en, 'en', 150)).toBe('2.5 min');
    expect(formatDuration(MESSAGES.ko, 'ko', 12.4)).toBe('12초');
  });
});

describe('custom-elements.json', () => {
  it('is up to date with the element’s JSDoc (npm run manifest)', () => {
    expect(readFileSync(MANIFEST, 'utf8')).toBe(manifestText());
  });

  it('documents the attributes, events, parts and custom properties the issue asks for', () => {
    const d = JSON.parse(manifestText()).modules[0].declarations[0];
    expect(d.tagName).toBe('overfit-lab');
    const names = (l: { name: string }[]) => l.map((x) => x.name);
    expect(names(d.attributes)).toEqual(
      expect.arrayContaining(['experiment', 'lang', 'epochs', 'seed', 'autostart', 'controls', 'data-base', 'train-limit', 'test-limit', 'spec']),
    );
    expect(names(d.events)).toEqual(['overfit-start', 'overfit-epoch', 'overfit-done', 'overfit-error']);
    expect(d.events.every((e: { type?: { text: string } }) => /^CustomEvent<Overfit\w+Detail>$/.test(e.type?.text ?? ''))).toBe(true);
    // Every documented custom property is declared by the tokens, and every declared one is documented.
    const declared = new Map([...tokenDeclarations().matchAll(/(--overfit-[\w-]+): (.*);/g)].map((m) => [m[1], m[2]]));
    const documented = names(d.cssProperties);
    for (const p of documented) expect(declared.has(p)).toBe(true);
    for (const p of [...declared.keys()].filter((p) => !/^--overfit-color-[2-6]$/.test(p))) expect(documented).toContain(p);
    // The documented defaults are the tokens' (a font list may be documented by its first and last family).
    const families = (v: string) => v.toLowerCase().split(/\s*,\s*/);
    for (const p of d.cssProperties as { name: string; default: string }[])
      expect(families(declared.get(p.name)!)).toEqual(expect.arrayContaining(families(p.default)));
  });
});
