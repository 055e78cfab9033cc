// `npm run bench [-- --json] [--quick]`: our trainer and TensorFlow.js side by side in one headless
// Chromium, the matmul autotune and a kernel table, and optionally a long-run memory check.
// Absolute times depend on the adapter (here often SwiftShader, a CPU Vulkan); every figure is
// printed with the adapter that produced it, and times are medians over measured epochs.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { DatasetName } from '../data/format.ts';
import type { Experiment } from '../experiments/presets.ts';
import { findExperiment } from '../experiments/presets.ts';
import type { TuneResult } from '../graph/autotune.ts';
import type { MatmulPlan } from '../graph/matmul.ts';
import { DEFAULT_MATMUL, matmulShapes, shapeKey } from '../graph/matmul.ts';
import { compilePlan } from '../plan/plan.ts';
import type { ModelSpec } from '../model/spec.ts';
import type { TfBackend } from '../bench/tfjs.ts';
import { TF_BACKENDS } from '../bench/tfjs.ts';
import { parse, positiveInt, UsageError } from './args.ts';
import { openPage } from './browser.ts';
import { checkData, defaultTuneCache, exposeTuneCache } from './train.ts';

export const BENCH_USAGE = `npm run bench -- [--quick] [--json] [--models LIST] [--tfjs LIST|none] [--epochs N]
  [--train-limit N] [--test-limit N] [--retune] [--no-tune] [--tune-cache FILE] [--soak EPOCHS]
  [--replicas R] [--out FILE.json]
  --replicas: R replicas (seeds 1..R) of the dropout model trained together, beside R separate runs
              (default 8; 0 skips it)
  models: ${'imdb-basic, imdb-overfitting, reg-basic, batchnorm, dropout, l2'}; tfjs backends: ${TF_BACKENDS.join(', ')}`;

interface BenchModel {
  id: string;
  experiment: string;
  model: string;
  /** Data limits so the whole bench fits a few minutes on a CPU adapter. */
  limits: [number, number];
  quick: [number, number];
  /** tfjs backends run by default (cpu is far too slow for the big model). */
  backends: TfBackend[];
}

const ALL: TfBackend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
const MODELS: BenchModel[] = [
  { id: 'imdb-basic', experiment: 'imdb-overfit', model: 'basic', limits: [2000, 1000], quick: [1000, 500], backends: ALL },
  { id: 'imdb-overfitting', experiment: 'imdb-overfit', model: 'overfitting', limits: [500, 500], quick: [500, 500], backends: ['webgpu', 'wasm'] },
  { id: 'reg-basic', experiment: 'regularization', model: 'basic', limits: [2000, 1000], quick: [500, 500], backends: ['webgpu', 'webgl', 'wasm'] },
  { id: 'batchnorm', experiment: 'batchnorm', model: 'batchnorm', limits: [2000, 1000], quick: [500, 500], backends: ['webgpu', 'webgl', 'wasm'] },
  { id: 'dropout', experiment: 'dropout', model: 'dropout', limits: [2000, 1000], quick: [500, 500], backends: ['webgpu', 'wasm'] },
  { id: 'l2', experiment: 'regularization', model: 'l2', limits: [2000, 1000], quick: [500, 500], backends: ['webgpu', 'wasm'] },
];
const DEFAULT_MODELS = ['imdb-basic', 'imdb-overfitting', 'reg-basic', 'batchnorm'];
const WARMUP = 1;
const SEED = 1;

export interface BenchArgs {
  quick: boolean;
  json: boolean;
  models: BenchModel[];
  /** Backends per model; null: each model's default. */
  tfjs: TfBackend[] | null;
  epochs: number;
  trainLimit?: number;
  testLimit?: number;
  tune: 'cached' | 'retune' | 'off';
  tuneCache: string;
  soak: number;
  replicas: number;
  out: string | null;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  const v = parse(argv, {
    quick: { type: 'boolean' },
    json: { type: 'boolean' },
    models: { type: 'string' },
    tfjs: { type: 'string' },
    epochs: { type: 'string' },
    'train-limit': { type: 'string' },
    'test-limit': { type: 'string' },
    retune: { type: 'boolean' },
    'no-tune': { type: 'boolean' },
    'tune-cache': { type: 'string' },
    soak: { type: 'string' },
    replicas: { type: 'string' },
    out: { type: 'string' },
  });
  const quick = Boolean(v.quick);
  const ids = v.models ? v.models.split(',').map((s) => s.trim()) : quick ? ['imdb-basic', 'batchnorm'] : DEFAULT_MODELS;
  const models = ids.map((id) => {
    const m = MODELS.find((x) => x.id === id);
    if (!m) throw new UsageError(`--models: "${id}" is not valid; valid values: ${MODELS.map((x) => x.id).join(', ')}`);
    return m;
  });
  let tfjs: TfBackend[] | null = null;
  if (v.tfjs !== undefined) {
    tfjs = v.tfjs === 'none' ? [] : (v.tfjs.split(',').map((s) => s.trim()) as TfBackend[]);
    for (const b of tfjs) if (!TF_BACKENDS.includes(b)) throw new UsageError(`--tfjs: "${b}" is not valid; valid values: ${TF_BACKENDS.join(', ')}, none`);
  }
  const epochs = positiveInt('epochs', v.epochs) ?? 3;
  if (epochs < 3) throw new UsageError('--epochs must be at least 3 (the median of >= 3 measured epochs)');
  if (v.retune && v['no-tune']) throw new UsageError('give at most one of --retune and --no-tune');
  return {
    quick,
    json: Boolean(v.json),
    models,
    tfjs,
    epochs,
    trainLimit: positiveInt('train-limit', v['train-limit']),
    testLimit: positiveInt('test-limit', v['test-limit']),
    tune: v['no-tune'] ? 'off' : v.retune ? 'retune' : 'cached',
    tuneCache: resolve(v['tune-cache'] ?? defaultTuneCache()),
    soak: v.soak === undefined ? 0 : positiveInt('soak', v.soak)!,
    replicas: v.replicas === undefined ? (quick ? 0 : 8) : v.replicas === '0' ? 0 : positiveInt('replicas', v.replicas)!,
    out: v.out ? resolve(v.out) : null,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Row {
  model: string;
  impl: string;
  train: number;
  test: number;
  epochMs: number[];
  medianMs: number;
  samplesPerSec: number;
  dispatchesPerStep: number | null;
  submitsPerStep: number | null;
  submitsPerEpoch: number | null;
  readbacksPerEpoch: number | null;
  buffersCreatedPerEpoch: number | null;
  peakGpuBytes: number | null;
  valLoss: number;
  valLossCheck?: 'ok' | 'out of range';
  error?: string;
}

export async function bench(argv: string[], out = process.stdout): Promise<number> {
  const args = parseBenchArgs(argv);
  const say = (line = '') => {
    if (!args.json) out.write(`${line}\n`);
  };
  const progress = (line: string) => process.stderr.write(args.json || !process.stderr.isTTY ? '' : `\r\x1b[K${line}`);
  const datasets = [...new Set(args.models.map((m) => findExperiment(m.experiment).dataset))] as DatasetName[];
  for (const d of datasets) await checkData(d);
  const load0 = loadavg();
  const started = Date.now();

  const session = await openPage('/src/bench/page.html', undefined, {
    // Full-resolution timestamps (Chrome quantizes them otherwise) and cross-origin isolation,
    // which tfjs' WASM backend needs for its threads.
    args: ['--enable-webgpu-developer-features'],
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  });
  try {
    const { page } = session;
    await exposeTuneCache(page, args.tuneCache);
    await page.waitForFunction(() => window.bench?.ready === true);
    const info = await page.evaluate(() => window.bench.info());
    const a = info.adapter;
    const adapter =
      `${a.vendor || '?'} ${a.architecture || ''}${a.description ? ` (${a.description})` : ''}${a.isFallbackAdapter ? ', fallback adapter (CPU)' : ''}`.trim();
    say(
      `overfit-lab bench — adapter: ${adapter}; ${info.userAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}; ${cpus().length} CPU cores; load average ${load0[0].toFixed(2)}`,
    );
    say(`timestamp-query: ${info.timestampQuery ? 'yes' : 'no (CPU-side timing)'}; tfjs wasm: ${info.crossOriginIsolated ? 'SIMD + threads' : 'SIMD'}`);

    // 1. Autotune for every benchmarked model's shapes (batch rows as the Trainer sizes them).
    const specs = new Map<string, { m: BenchModel; e: Experiment; spec: ModelSpec; limits: [number, number] }>();
    for (const m of args.models) {
      const e = findExperiment(m.experiment);
      const spec = e.models.find((x) => x.name === m.model)!.spec;
      const base = args.quick ? m.quick : m.limits;
      specs.set(m.id, { m, e, spec, limits: [args.trainLimit ?? base[0], args.testLimit ?? base[1]] });
    }
    const shapesOf = (id: string) => {
      const { e, spec, limits } = specs.get(id)!;
      return matmulShapes(compilePlan(spec), Math.min(e.batchSize, Math.max(...limits)));
    };
    const allShapes = [...new Map([...specs.keys()].flatMap((id) => shapesOf(id)).map((s) => [shapeKey(s), s])).values()];
    let tune: TuneResult | null = null;
    let plan: MatmulPlan | undefined;
    if (args.tune !== 'off') {
      progress(`autotuning the matmul on ${allShapes.length} shapes...`);
      tune = await page.evaluate(([s, force, quick]) => window.bench.tune(s, { force, samples: quick ? 2 : 3 }), [
        allShapes,
        args.tune === 'retune',
        args.quick,
      ] as const);
      plan = tune.plan;
    }

    // 2. Kernel table: the chosen variant (and the default) on each shape, measured afresh.
    progress('timing the kernels...');
    const kernels = await page.evaluate(([s, p, quick]) => window.bench.kernels(s, p ?? { default: 'tiled-4x4-16x16' }, { samples: quick ? 1 : 2 }), [
      allShapes,
      plan,
      args.quick,
    ] as const);

    // 3. Training epochs: ours, then tfjs on each backend, same data/batch/optimizer.
    const rows: Row[] = [];
    const epochs = WARMUP + args.epochs;
    for (const [id, { m, e, spec, limits }] of specs) {
      const run = { spec, dataset: e.dataset, trainLimit: limits[0], testLimit: limits[1], batchSize: e.batchSize, epochs, seed: SEED };
      const steps = Math.ceil(limits[0] / e.batchSize);
      progress(`${id}: overfit-lab...`);
      const ours = await page.evaluate((o) => window.bench.ours(o), { ...run, plan });
      const measured = ours.epochMs.slice(WARMUP);
      const valLoss = ours.history.val_loss.at(-1)!;
      rows.push({
        model: id,
        impl: 'overfit-lab',
        train: ours.train,
        test: ours.test,
        epochMs: measured,
        medianMs: median(measured),
        samplesPerSec: ours.train / (median(measured) / 1000),
        dispatchesPerStep: ours.stats.dispatchesPerStep,
        submitsPerStep: ours.perEpoch!.submits / steps,
        submitsPerEpoch: ours.perEpoch!.submits,
        readbacksPerEpoch: ours.perEpoch!.readbacks,
        buffersCreatedPerEpoch: ours.perEpoch!.buffersCreated,
        peakGpuBytes: ours.peakBytes,
        valLoss,
      });
      for (const backend of (args.tfjs ?? (args.quick ? (id === 'imdb-basic' ? ['webgpu', 'wasm'] : []) : m.backends)) as TfBackend[]) {
        progress(`${id}: tfjs ${backend}...`);
        try {
          const t = await page.evaluate((o) => window.bench.tfjs(o), { ...run, backend });
          const ms = t.epochMs.slice(WARMUP);
          const v = t.history.val_loss.at(-1)!;
          rows.push({
            model: id,
            impl: `tfjs ${t.detail}`,
            train: t.train,
            test: t.test,
            epochMs: ms,
            medianMs: median(ms),
            samplesPerSec: t.train / (median(ms) / 1000),
            dispatchesPerStep: t.perStep?.dispatches ?? null,
            submitsPerStep: t.perStep?.submits ?? null,
            submitsPerEpoch: t.perEpoch?.submits ?? null,
            readbacksPerEpoch: t.perEpoch?.readbacks ?? null,
            buffersCreatedPerEpoch: t.perEpoch?.buffersCreated ?? null,
            peakGpuBytes: t.peakBytes,
            valLoss: v,
            // Same model and data, different initial weights: the same range, not the same digits.
            valLossCheck: Math.abs(v - valLoss) <= Math.max(0.1, 0.25 * Math.abs(valLoss)) ? 'ok' : 'out of range',
          });
        } catch (err) {
          rows.push({
            model: id,
            impl: `tfjs ${backend}`,
            train: limits[0],
            test: limits[1],
            epochMs: [],
            medianMs: NaN,
            samplesPerSec: NaN,
            dispatchesPerStep: null,
            submitsPerStep: null,
            submitsPerEpoch: null,
            readbacksPerEpoch: null,
            buffersCreatedPerEpoch: null,
            peakGpuBytes: null,
            valLoss: NaN,
            error: (err as Error).message.split('\n')[0],
          });
        }
      }
    }

    // 4. R replicas trained together against R separate runs, side by side on the same data.
    const replicas = args.replicas ? await replicaRun(session.page, args, plan, progress) : null;

    // 5. Optional long run: GPU buffers and JS heap at epoch 1 and later.
    let soak: Awaited<ReturnType<typeof soakRun>> | null = null;
    if (args.soak) soak = await soakRun(session.page, args.soak, plan, progress);
    progress('');
    const load1 = loadavg();

    const ratios = args.models.map((m) => {
      const mine = rows.find((r) => r.model === m.id && r.impl === 'overfit-lab')!;
      const others = rows.filter((r) => r.model === m.id && r.impl.startsWith('tfjs') && Number.isFinite(r.medianMs));
      const webgpu = others.find((r) => r.impl === 'tfjs webgpu');
      const fastest = [...others].sort((x, y) => x.medianMs - y.medianMs)[0];
      return {
        model: m.id,
        vsWebgpu: webgpu ? webgpu.medianMs / mine.medianMs : null,
        fastest: fastest?.impl ?? null,
        vsFastest: fastest ? fastest.medianMs / mine.medianMs : null,
      };
    });
    const report = {
      adapter: info.adapter,
      browser: info.userAgent,
      timestampQuery: info.timestampQuery,
      cpuCores: cpus().length,
      loadAverage: { start: load0, end: load1 },
      seconds: (Date.now() - started) / 1000,
      method: `per model: ${WARMUP} warm-up epoch, then the median of ${args.epochs} epochs; an epoch is training + validation on the test split; samples/s = train rows / median epoch seconds; batch ${[...specs.values()][0]?.e.batchSize}`,
      tune: tune && {
        store: args.tuneCache,
        cached: tune.cached,
        seconds: tune.seconds,
        compileSeconds: tune.compileSeconds,
        timing: tune.timing,
        plan: tune.plan,
        shapes: tune.shapes,
      },
      kernels,
      rows,
      ratios,
      replicas,
      soak,
    };
    if (args.out) {
      await mkdir(dirname(args.out), { recursive: true });
      await writeFile(args.out, `${JSON.stringify(report, null, 2)}\n`);
    }
    if (args.json) {
      out.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    printReport(report, say, adapter);
    if (args.out) say(`wrote ${args.out}`);
    return 0;
  } finally {
    await session.close();
  }
}

/** The dropout model (it uses every per-replica setting's kernels) as R replicas and as R runs. */
async function replicaRun(page: import('playwright-core').Page, args: BenchArgs, plan: MatmulPlan | undefined, progress: (s: string) => void) {
  const e = findExperiment('dropout');
  const spec = e.models.find((m) => m.name === 'dropout')!.spec;
  const [trainLimit, testLimit] = [args.trainLimit ?? 2000, args.testLimit ?? 1000];
  const run = { spec, dataset: e.dataset, trainLimit, testLimit, batchSize: e.batchSize, epochs: WARMUP + args.epochs, seed: SEED, plan };
  const seeds = Array.from({ length: args.replicas }, (_, i) => i + 1);
  progress(`replicas: ${seeds.length} together...`);
  const together = await page.evaluate((o) => window.bench.ours(o), { ...run, replicas: seeds.map((seed) => ({ seed })) });
  const separate = [];
  for (const seed of seeds) {
    progress(`replicas: run ${seed} of ${seeds.length} alone...`);
    separate.push(await page.evaluate((o) => window.bench.ours(o), { ...run, seed }));
  }
  const togetherMs = median(together.epochMs.slice(WARMUP));
  const separateMs = separate.reduce((s, r) => s + median(r.epochMs.slice(WARMUP)), 0);
  return {
    model: 'dropout',
    replicas: seeds.length,
    train: trainLimit,
    test: testLimit,
    togetherMs,
    separateMs,
    speedup: separateMs / togetherMs,
    dispatchesPerStep: { together: together.stats.dispatchesPerStep, alone: separate[0].stats.dispatchesPerStep },
    submitsPerEpoch: { together: together.perEpoch!.submits, separate: separate.reduce((s, r) => s + r.perEpoch!.submits, 0) },
    readbacksPerEpoch: { together: together.perEpoch!.readbacks, separate: separate.reduce((s, r) => s + r.perEpoch!.readbacks, 0) },
  };
}

async function soakRun(page: import('playwright-core').Page, epochs: number, plan: MatmulPlan | undefined, progress: (s: string) => void) {
  const e = findExperiment('imdb-overfit');
  const spec = e.models.find((m) => m.name === 'overfitting')!.spec;
  const limits = { trainLimit: 100, testLimit: 100 };
  const cdp = await page.context().newCDPSession(page);
  const heapAfterGc = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  await page.evaluate((o) => window.bench.soakStart(o), { spec, dataset: e.dataset, ...limits, batchSize: e.batchSize, seed: SEED, plan });
  const points: {
    epoch: number;
    liveBuffers: number;
    liveBytes: number;
    buffersCreated: number;
    arenaBytes: number;
    buffersCreatedAfterFirstStep: number;
    jsHeapBytes: number;
    valLoss: number;
  }[] = [];
  let done = 0;
  const marks = [1, ...[1, 2, 3, 4, 5, 6].map((k) => Math.round((k * epochs) / 6))].filter((x, i, a) => x >= 1 && a.indexOf(x) === i);
  const t0 = Date.now();
  for (const mark of marks) {
    const r = await page.evaluate((n) => window.bench.soakEpochs(n), mark - done);
    done = mark;
    points.push({
      epoch: r.epoch,
      liveBuffers: r.liveBuffers,
      liveBytes: r.liveBytes,
      buffersCreated: r.buffersCreated,
      arenaBytes: r.stats.gpuBytes,
      buffersCreatedAfterFirstStep: r.stats.buffersCreatedAfterFirstStep,
      jsHeapBytes: await heapAfterGc(),
      valLoss: r.valLoss!,
    });
    progress(`memory run: epoch ${done}/${epochs}`);
  }
  await page.evaluate(() => window.bench.soakStop());
  return { model: 'imdb-overfitting', ...limits, epochs, seconds: (Date.now() - t0) / 1000, points };
}

type Report = {
  adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean };
  loadAverage: { start: number[]; end: number[] };
  seconds: number;
  method: string;
  tune: { store: string; cached: boolean; seconds: number; compileSeconds: number; timing: string; plan: MatmulPlan; shapes: TuneResult['shapes'] } | null;
  kernels: {
    timing: string;
    resolutionNs: number | null;
    rows: { shape: string; gflop: number; variant: string; ms: number; gflops: number; defaultMs?: number; defaultGflops?: number }[];
  };
  rows: Row[];
  ratios: { model: string; vsWebgpu: number | null; fastest: string | null; vsFastest: number | null }[];
  replicas: Awaited<ReturnType<typeof replicaRun>> | null;
  soak: Awaited<ReturnType<typeof soakRun>> | null;
};

function table(head: string[], body: (string | number)[][], say: (s: string) => void, right = head.map((_, i) => i > 1)) {
  const cells = [head, ...body.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const [k, r] of cells.entries()) {
    say(
      r
        .map((c, i) => (right[i] ? c.padStart(w[i]) : c.padEnd(w[i])))
        .join('  ')
        .trimEnd(),
    );
    if (k === 0) say(w.map((x) => '-'.repeat(x)).join('  '));
  }
}

const f = (v: number | null | undefined, d = 0) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));
const mib = (b: number | null) => (b === null ? '-' : (b / 2 ** 20).toFixed(1));

function printReport(r: Report, say: (s?: string) => void, adapter: string) {
  say(`load average ${r.loadAverage.start[0].toFixed(2)} at start, ${r.loadAverage.end[0].toFixed(2)} at end; ${r.seconds.toFixed(0)} s in all`);
  say(`method: ${r.method}`);
  say();
  if (r.tune) {
    say(
      `Matmul autotune (${adapter}; ${r.tune.timing}; ${r.tune.cached ? `cached in ${r.tune.store}` : `${r.tune.seconds.toFixed(1)} s, ${r.tune.compileSeconds.toFixed(1)} s of it compiling; saved to ${r.tune.store}`})`,
    );
    const ids = Object.keys(r.tune.shapes[0]?.ms ?? {});
    table(
      ['shape', 'chosen', 'spread', ...ids],
      r.tune.shapes.map((s) => {
        const best = s.ms[s.best];
        return [s.key, s.best, `${(Math.max(...Object.values(s.ms)) / best).toFixed(1)}x`, ...ids.map((id) => f(s.ms[id], 2))];
      }),
      say,
      [false, false, true, ...ids.map(() => true)],
    );
    say(`(ms per call, min of the samples; spread = slowest / fastest; default for other shapes: ${r.tune.plan.default})`);
    say();
  }
  const k = r.kernels;
  const res = k.timing === 'timestamp-query' ? `timestamp-query, observed resolution ${k.resolutionNs} ns` : 'CPU-side timing (no timestamp-query)';
  say(`Kernel table: the lab's matmul shapes (${adapter}; ${res})`);
  table(
    ['shape (mode MxNxK)', 'GFLOP', 'variant', 'ms/call', 'GFLOP/s', `${DEFAULT_MATMUL.id} ms`, 'GFLOP/s'],
    k.rows.map((x) => [x.shape, x.gflop.toFixed(4), x.variant, f(x.ms, 2), f(x.gflops, 2), f(x.defaultMs, 2), f(x.defaultGflops, 2)]),
    say,
    [false, true, false, true, true, true, true],
  );
  say();
  say(`Training epochs (${adapter}; median of the measured epochs)`);
  table(
    [
      'model',
      'implementation',
      'train/test',
      'ms/epoch',
      'samples/s',
      'dispatch/step',
      'submits/step',
      'submits/epoch',
      'readbacks/epoch',
      'new buffers/epoch',
      'peak GPU MiB',
      'val_loss',
      'check',
    ],
    r.rows.map((x) => [
      x.model,
      x.impl,
      `${x.train}/${x.test}`,
      f(x.medianMs),
      f(x.samplesPerSec),
      f(x.dispatchesPerStep),
      f(x.submitsPerStep, 1),
      f(x.submitsPerEpoch),
      f(x.readbacksPerEpoch),
      f(x.buffersCreatedPerEpoch),
      mib(x.peakGpuBytes),
      x.error ? `error: ${x.error}` : f(x.valLoss, 4),
      x.valLossCheck ?? '',
    ]),
    say,
    [false, false, true, true, true, true, true, true, true, true, true, true, false],
  );
  say('(dispatches, submits, readbacks and buffers are WebGPU calls counted in the page; "-" where a backend does not use WebGPU)');
  say();
  say('Speed ratio (their ms/epoch / ours; > 1 means overfit-lab is faster)');
  table(
    ['model', 'vs tfjs webgpu', 'fastest tfjs backend', 'vs fastest'],
    r.ratios.map((x) => [x.model, x.vsWebgpu ? `${x.vsWebgpu.toFixed(2)}x` : '-', x.fastest ?? '-', x.vsFastest ? `${x.vsFastest.toFixed(2)}x` : '-']),
    say,
    [false, true, false, true],
  );
  if (r.replicas) {
    const x = r.replicas;
    say();
    say(`Replicas: ${x.replicas} seeds of the ${x.model} model on ${x.train} train / ${x.test} test rows (${adapter}; median epoch)`);
    say(
      `  trained together:   ${x.togetherMs.toFixed(0)} ms per epoch, ${x.dispatchesPerStep.together} dispatches per step, ${x.submitsPerEpoch.together} submit and ${x.readbacksPerEpoch.together} readback per epoch`,
    );
    say(
      `  ${x.replicas} separate runs:     ${x.separateMs.toFixed(0)} ms per epoch in all, ${x.dispatchesPerStep.alone} dispatches per step each, ${x.submitsPerEpoch.separate} submits and ${x.readbacksPerEpoch.separate} readbacks per epoch`,
    );
    say(
      `  together is ${x.speedup.toFixed(2)}x the separate runs' speed. On a CPU adapter the FLOPs dominate; on a GPU these small models leave most of it idle, so the gain there is expected to be far larger.`,
    );
  }
  if (r.soak) {
    const s = r.soak;
    say();
    say(`Long run: ${s.model}, ${s.epochs} epochs on ${s.trainLimit} train / ${s.testLimit} test rows (${adapter}; ${s.seconds.toFixed(0)} s)`);
    table(
      ['epoch', 'live GPU buffers', 'live GPU MiB', 'buffers created (page)', 'new after 1st step', 'JS heap KiB (after GC)', 'val_loss'],
      s.points.map((p) => [
        p.epoch,
        p.liveBuffers,
        mib(p.liveBytes),
        p.buffersCreated,
        p.buffersCreatedAfterFirstStep,
        (p.jsHeapBytes / 1024).toFixed(0),
        f(p.valLoss, 4),
      ]),
      say,
      [true, true, true, true, true, true, true],
    );
  }
}
