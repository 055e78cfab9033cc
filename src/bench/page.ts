// The page `npm run bench` drives: our Trainer and TensorFlow.js on the same data in one browser,
// the matmul autotune and kernel table, and the long-run memory check. Node calls window.bench.
import type { Dataset } from '../data/dataset.ts';
import { limitDataset } from '../data/dataset.ts';
import type { DatasetName } from '../data/format.ts';
import { loadDataset } from '../data/load-browser.ts';
import type { Gpu } from '../gpu/device.ts';
import { acquireGpu } from '../gpu/device.ts';
import { PipelineCache } from '../gpu/pipelines.ts';
import type { TuneStore } from '../graph/autotune.ts';
import { autotuneMatmul, localStorageStore, timeShapes } from '../graph/autotune.ts';
import { cliTuneStore } from '../cli/tune-store.ts';
import type { MatmulPlan, MatmulShape } from '../graph/matmul.ts';
import { DEFAULT_MATMUL, shapeFlops, shapeKey, variantFor } from '../graph/matmul.ts';
import { Trainer } from '../graph/trainer.ts';
import type { ModelSpec } from '../model/spec.ts';
import type { ReplicaSpec } from '../plan/replicas.ts';
import type { GpuCounts } from './gpu-counters.ts';
import { diff, installGpuCounters, resetPeak } from './gpu-counters.ts';
import type { TfBackend } from './tfjs.ts';
import { runTf } from './tfjs.ts';

const counters = installGpuCounters(); // before any device exists

declare global {
  interface Window {
    bench: typeof api;
  }
}

let gpuPromise: Promise<Gpu> | null = null;
const gpu = () => (gpuPromise ??= acquireGpu());
const datasets = new Map<string, Promise<Dataset>>();
async function data(name: DatasetName, trainLimit?: number, testLimit?: number): Promise<Dataset> {
  if (!datasets.has(name)) datasets.set(name, loadDataset(name));
  return limitDataset(await datasets.get(name)!, trainLimit, testLimit);
}

const store = (): TuneStore => cliTuneStore() ?? localStorageStore;

export interface RunSpec {
  spec: ModelSpec;
  dataset: DatasetName;
  trainLimit?: number;
  testLimit?: number;
  batchSize: number;
  /** Total epochs; the caller drops the warm-up ones. */
  epochs: number;
  seed: number;
}

const heap = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;

let soak: { trainer: Trainer; first: { live: number; bytes: number } | null } | null = null;

const api = {
  ready: true,

  async info() {
    const g = await gpu();
    const adapter = await navigator.gpu.requestAdapter();
    return {
      adapter: g.adapter,
      timestampQuery: g.hasTimestamps,
      features: adapter ? [...adapter.features].sort() : [],
      crossOriginIsolated: self.crossOriginIsolated,
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
    };
  },

  async tune(shapes: MatmulShape[], o: { force?: boolean; samples?: number } = {}) {
    return autotuneMatmul(await gpu(), shapes, { store: store(), force: o.force, samples: o.samples });
  },

  /** ms per call of the planned variant (and the default) for each shape, measured afresh. */
  async kernels(shapes: MatmulShape[], plan: MatmulPlan, o: { samples?: number } = {}) {
    const g = await gpu();
    const timing = g.hasTimestamps ? ('timestamp-query' as const) : ('cpu' as const);
    const pipelines = new PipelineCache(g.device);
    let resolutionNs: number | null = null;
    const rows = [];
    for (const s of shapes) {
      const chosen = variantFor(plan, s);
      const vs = chosen.id === DEFAULT_MATMUL.id ? [chosen] : [chosen, DEFAULT_MATMUL];
      const r = await timeShapes(g, [s], vs, timing, { samples: o.samples ?? 3, pipelines });
      if (r.resolutionNs !== null) resolutionNs = resolutionNs === null ? r.resolutionNs : gcd(resolutionNs, r.resolutionNs);
      const ms = r.entries[0].ms;
      rows.push({
        shape: shapeKey(s),
        mode: s.mode,
        gflop: shapeFlops(s) / 1e9,
        variant: chosen.id,
        ms: ms[chosen.id],
        gflops: shapeFlops(s) / ms[chosen.id] / 1e6,
        defaultMs: ms[DEFAULT_MATMUL.id],
        defaultGflops: shapeFlops(s) / ms[DEFAULT_MATMUL.id] / 1e6,
      });
    }
    return { timing, resolutionNs, rows };
  },

  /** Our Trainer: per-epoch wall time, its stats, and the WebGPU calls counted in the page. */
  async ours(o: RunSpec & { plan?: MatmulPlan; profile?: boolean; replicas?: ReplicaSpec[] }) {
    const g = await gpu();
    const d = await data(o.dataset, o.trainLimit, o.testLimit);
    resetPeak();
    const before = counters();
    const trainer = await Trainer.create(g, o.spec, d, { batchSize: o.batchSize, seed: o.seed, matmul: o.plan, profile: o.profile, replicas: o.replicas });
    const created = diff(counters(), before);
    const epochMs: number[] = [];
    let perEpoch: GpuCounts | null = null;
    for (let e = 0; e < o.epochs; e++) {
      const c0 = counters();
      const t0 = performance.now();
      await trainer.fit({ epochs: 1 });
      epochMs.push(performance.now() - t0);
      perEpoch = diff(counters(), c0);
    }
    const result = {
      epochMs,
      history: trainer.history,
      stats: trainer.stats,
      setup: created,
      perEpoch,
      peakBytes: counters().peakBytes - before.liveBytes,
      profile: trainer.profile,
      train: d.train.count,
      test: d.test.count,
    };
    trainer.dispose();
    return result;
  },

  async tfjs(o: RunSpec & { backend: TfBackend }) {
    const d = await data(o.dataset, o.trainLimit, o.testLimit);
    resetPeak();
    const live = counters().liveBytes;
    const r = await runTf({ ...o, data: d, counters });
    return { ...r, peakBytes: o.backend === 'webgpu' ? counters().peakBytes - live : null, train: d.train.count, test: d.test.count };
  },

  /** Long-run memory: start a trainer, then call soakEpochs repeatedly. */
  async soakStart(o: Omit<RunSpec, 'epochs'> & { plan?: MatmulPlan }) {
    const g = await gpu();
    const d = await data(o.dataset, o.trainLimit, o.testLimit);
    soak = { trainer: await Trainer.create(g, o.spec, d, { batchSize: o.batchSize, seed: o.seed, matmul: o.plan }), first: null };
    return { train: d.train.count, test: d.test.count };
  },

  async soakEpochs(n: number) {
    const s = soak!;
    const t0 = performance.now();
    await s.trainer.fit({ epochs: n });
    const c = counters();
    return {
      epoch: s.trainer.epoch,
      seconds: (performance.now() - t0) / 1000,
      liveBuffers: c.liveBuffers,
      liveBytes: c.liveBytes,
      buffersCreated: c.buffersCreated,
      stats: s.trainer.stats,
      heap: heap(),
      valLoss: s.trainer.history.val_loss.at(-1),
    };
  },

  soakStop() {
    soak?.trainer.dispose();
    soak = null;
  },
};

function gcd(a: number, b: number): number {
  return b ? gcd(b, a % b) : a;
}

window.bench = api;
