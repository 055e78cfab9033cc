// A short matmul autotune: times every variant (src/graph/matmul.ts) on the shapes a model
// dispatches, on this adapter, and picks the fastest per shape. Results are cached per adapter
// and variant set (localStorage in a page; the CLI passes a file-backed store).
import type { Gpu } from '../gpu/device.ts';
import { PipelineCache } from '../gpu/pipelines.ts';
import { packStruct, writeStruct } from '../gpu/struct.ts';
import { MATMUL, NO_ACTIVE, STEP } from './kernels.ts';
import type { MatmulPlan, MatmulShape, MatmulVariant } from './matmul.ts';
import { DEFAULT_MATMUL, MATMUL_VARIANTS, matmulConstants, matmulGrid, shapeFlops, shapeKey } from './matmul.ts';
import { kernelSource } from './sources.ts';

export { matmulShapes } from './matmul.ts';

/** Where tune results live between runs. */
export interface TuneStore {
  /** Where it is, for messages (e.g. `localStorage` or a file path). */
  readonly where: string;
  get(key: string): string | null | Promise<string | null>;
  set(key: string, value: string): void | Promise<void>;
}

export const localStorageStore: TuneStore = {
  where: 'localStorage',
  get: (key) => (typeof localStorage === 'undefined' ? null : localStorage.getItem(key)),
  set: (key, value) => {
    if (typeof localStorage !== 'undefined') localStorage.setItem(key, value);
  },
};

/** No persistence (tests, or to force a fresh tune). */
export const memoryStore = (): TuneStore => {
  const m = new Map<string, string>();
  return { where: 'memory', get: (k) => m.get(k) ?? null, set: (k, v) => void m.set(k, v) };
};

export type Timing = 'timestamp-query' | 'cpu';

export interface ShapeTune {
  key: string;
  shape: MatmulShape;
  /** The fastest variant's id. */
  best: string;
  /** Milliseconds per call for every variant tried (min over the samples). */
  ms: Record<string, number>;
}

export interface TuneResult {
  /** The cache entry's key: adapter and variant set. */
  cacheKey: string;
  store: string;
  /** True when every shape came from the cache (nothing was timed). */
  cached: boolean;
  timing: Timing;
  /** Wall time of this call, and the part spent compiling the variants' pipelines. */
  seconds: number;
  compileSeconds: number;
  plan: MatmulPlan;
  shapes: ShapeTune[];
}

interface Entry {
  best: string;
  ms: Record<string, number>;
  timing: Timing;
}

const VERSION = 1;
/** After the first sample, variants slower than this many times the fastest are not sampled further. */
const PRUNE = 2;

/** Cache key: the adapter (vendor, architecture, description) and the variant set. */
export function tuneCacheKey(gpu: Pick<Gpu, 'adapter'>, variants: readonly MatmulVariant[] = MATMUL_VARIANTS): string {
  const a = gpu.adapter;
  return `overfit-lab:matmul-tune:v${VERSION}:${a.vendor}|${a.architecture}|${a.description}|${variants.map((v) => v.id).join(',')}`;
}

/** The plan from per-shape results: each shape's best, and for other shapes the best in total. */
export function planFrom(shapes: ShapeTune[]): MatmulPlan {
  const total = new Map<string, number>();
  for (const s of shapes) for (const [id, ms] of Object.entries(s.ms)) total.set(id, (total.get(id) ?? 0) + ms);
  const overall = [...total.entries()].sort((a, b) => a[1] - b[1])[0]?.[0] ?? DEFAULT_MATMUL.id;
  return { default: overall, shapes: Object.fromEntries(shapes.map((s) => [s.key, s.best])) };
}

export interface TuneOptions {
  store?: TuneStore;
  variants?: readonly MatmulVariant[];
  /** Ignore cached results and time again. */
  force?: boolean;
  /** Timed samples per (shape, variant), interleaved across variants; the min is kept. Default 3
   *  (variants more than 2x behind after the first get no more). */
  samples?: number;
  /** Dispatches per sample are chosen so one sample takes about this long. Default 4 ms. */
  targetMs?: number;
  /** Use CPU-side timing even when timestamp queries exist. */
  cpuTiming?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Times the variants on the shapes that are not cached yet and returns the per-shape plan. */
export async function autotuneMatmul(gpu: Gpu, shapes: MatmulShape[], options: TuneOptions = {}): Promise<TuneResult> {
  const started = performance.now();
  const store = options.store ?? memoryStore();
  const variants = options.variants ?? MATMUL_VARIANTS;
  const cacheKey = tuneCacheKey(gpu, variants);
  const timing: Timing = gpu.hasTimestamps && !options.cpuTiming ? 'timestamp-query' : 'cpu';
  let cache: Record<string, Entry> = {};
  if (!options.force) {
    try {
      cache = JSON.parse((await store.get(cacheKey)) ?? '{}') as Record<string, Entry>;
    } catch {
      cache = {}; // a corrupt entry is re-timed
    }
  }
  const todo = shapes.filter((s) => !cache[shapeKey(s)]?.ms);
  let compileSeconds = 0;
  if (todo.length) {
    const timed = await timeShapes(gpu, todo, variants, timing, options);
    for (const [i, s] of todo.entries()) cache[shapeKey(s)] = { ...timed.entries[i], timing };
    compileSeconds = timed.compileSeconds;
    await store.set(cacheKey, JSON.stringify(cache));
  }
  const result = shapes.map((shape) => ({ key: shapeKey(shape), shape, best: cache[shapeKey(shape)].best, ms: cache[shapeKey(shape)].ms }));
  return {
    cacheKey,
    store: store.where,
    cached: todo.length === 0,
    timing: todo.length ? timing : (cache[shapeKey(shapes[0])]?.timing ?? timing),
    seconds: (performance.now() - started) / 1000,
    compileSeconds,
    plan: planFrom(result),
    shapes: result,
  };
}

/** Per shape: ms per call of each variant and the fastest; with timestamps also their quantum
 *  (gcd of the raw values, ns). Scratch buffers are freed before returning. */
export async function timeShapes(
  gpu: Gpu,
  shapes: MatmulShape[],
  variants: readonly MatmulVariant[],
  timing: Timing,
  options: Pick<TuneOptions, 'samples' | 'targetMs' | 'onProgress'> & { pipelines?: PipelineCache } = {},
): Promise<{ entries: Omit<Entry, 'timing'>[]; resolutionNs: number | null; compileSeconds: number }> {
  const { device } = gpu;
  const samples = options.samples ?? 3;
  const targetMs = options.targetMs ?? 4;
  const cache = options.pipelines ?? new PipelineCache(device);
  const compileStart = performance.now();
  let quantum = 0n;
  const gcd = (a: bigint, b: bigint): bigint => (b ? gcd(b, a % b) : a);
  const modes = [...new Set(shapes.map((s) => s.mode))];
  const pipelines = new Map<string, GPUComputePipeline>();
  await Promise.all(
    variants.flatMap((v) => modes.map(async (mode) => pipelines.set(`${v.id}|${mode}`, await cache.get(kernelSource(MATMUL, v), matmulConstants(v, mode))))),
  );
  const compileSeconds = (performance.now() - compileStart) / 1000;

  const floats = (f: (s: MatmulShape) => number) => Math.max(4, ...shapes.map(f));
  const owned: GPUBuffer[] = [];
  const buffer = (n: number, usage: number) => {
    const b = device.createBuffer({ label: 'autotune', size: 4 * Math.ceil(n / 4) * 4, usage: usage | GPUBufferUsage.COPY_DST });
    owned.push(b);
    return b;
  };
  const S = GPUBufferUsage.STORAGE;
  const A = buffer(
    floats((s) => s.M * s.K),
    S,
  );
  const B = buffer(
    floats((s) => s.K * s.N + s.N),
    S,
  );
  const C = buffer(
    floats((s) => s.M * s.N),
    S,
  );
  const AUX = buffer(
    floats((s) => s.M * s.N),
    S,
  );
  const step = buffer(64, GPUBufferUsage.UNIFORM);
  const cfg = buffer(MATMUL.cfg.size / 4, GPUBufferUsage.UNIFORM);
  const replicas = buffer(4, S); // one replica: seed 0, no dropout override
  const active = buffer(4, S); // marks nothing: active_off is NO_ACTIVE
  const query = timing === 'timestamp-query' ? device.createQuerySet({ label: 'autotune', type: 'timestamp', count: 2 }) : null;
  const resolve = buffer(4, GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC);
  const readback = buffer(4, GPUBufferUsage.MAP_READ);
  const bindGroups = new Map<string, GPUBindGroup>();
  const bindGroup = (v: MatmulVariant) => {
    let bg = bindGroups.get(v.id);
    if (!bg) {
      const entries = [step, cfg, A, B, C, AUX, replicas, active].map((b, binding) => ({
        binding,
        resource: { buffer: b, ...(binding === 0 ? { size: STEP.size } : {}) },
      }));
      bg = device.createBindGroup({ label: `autotune ${v.id}`, layout: cache.layout(kernelSource(MATMUL, v)), entries });
      bindGroups.set(v.id, bg);
    }
    return bg;
  };

  /** Milliseconds per call over `reps` back-to-back dispatches in one pass. */
  const run = async (v: MatmulVariant, s: MatmulShape, reps: number): Promise<number> => {
    const enc = device.createCommandEncoder({ label: 'autotune' });
    const pass = enc.beginComputePass(query ? { timestampWrites: { querySet: query, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {});
    pass.setPipeline(pipelines.get(`${v.id}|${s.mode}`)!);
    pass.setBindGroup(0, bindGroup(v), [0]);
    const [gx, gy] = matmulGrid(v, s.M, s.N);
    for (let r = 0; r < reps; r++) pass.dispatchWorkgroups(gx, gy);
    pass.end();
    if (query) {
      enc.resolveQuerySet(query, 0, 2, resolve, 0);
      enc.copyBufferToBuffer(resolve, 0, readback, 0, 16);
    }
    const t0 = performance.now();
    device.queue.submit([enc.finish()]);
    if (!query) {
      await device.queue.onSubmittedWorkDone();
      return (performance.now() - t0) / reps;
    }
    await readback.mapAsync(GPUMapMode.READ);
    const [begin, end] = new BigUint64Array(readback.getMappedRange(0, 16));
    readback.unmap();
    quantum = gcd(gcd(quantum, begin), end);
    return Number(end - begin) / 1e6 / reps;
  };

  const out: Omit<Entry, 'timing'>[] = [];
  try {
    for (const [i, s] of shapes.entries()) {
      const stepBytes = new ArrayBuffer(64);
      writeStruct(new DataView(stepBytes), 0, STEP, { rowStart: 0, rows: s.mode === 2 ? s.K : s.M, t: 1, slot: 0, seed: 1, training: 1 });
      device.queue.writeBuffer(step, 0, stepBytes);
      // Cfg: forward reads the bias after W; dW has M = IN + 1 rows; epilogue linear, no dropout.
      const epi = { act: 0, dropThreshold: 0, dropScale: 1, layer: 0 };
      const dW = s.mode === 2;
      device.queue.writeBuffer(
        cfg,
        0,
        packStruct(MATMUL.cfg, {
          M: dW ? s.M : 0,
          N: s.N,
          K: dW ? 0 : s.K,
          aOff: 0,
          bOff: 0,
          cOff: 0,
          biasOff: dW ? 0 : s.K * s.N,
          auxOff: 0,
          epi,
          aRstride: 0,
          bRstride: 0,
          cRstride: 0,
          auxRstride: 0,
          activeOff: NO_ACTIVE,
        }),
      );
      const reps = new Map<string, number>();
      const ms: Record<string, number> = {};
      for (const v of variants) {
        // The first call sizes a sample (short kernels repeat to ~targetMs) and is the first sample.
        const first = Math.max(await run(v, s, 1), 1e-3);
        reps.set(v.id, Math.min(64, Math.max(1, Math.ceil(targetMs / first))));
        ms[v.id] = first;
      }
      // Variants far behind keep that time; the rest get the other samples, interleaved.
      const lead = Math.min(...Object.values(ms));
      const contenders = variants.filter((v) => ms[v.id] <= PRUNE * lead);
      for (let k = 1; k < samples; k++) for (const v of contenders) ms[v.id] = Math.min(ms[v.id], await run(v, s, reps.get(v.id)!));
      const best = Object.entries(ms).sort((a, b) => a[1] - b[1])[0][0];
      out.push({ best, ms });
      options.onProgress?.(i + 1, shapes.length);
    }
  } finally {
    for (const b of owned) b.destroy();
    query?.destroy();
  }
  return { entries: out, resolutionNs: query ? Number(quantum) : null, compileSeconds };
}

/** Summary figures for a report: per shape the spread (slowest / fastest) and the default's cost. */
export function tuneSummary(r: TuneResult) {
  const rows = r.shapes.map((s) => {
    const times = Object.values(s.ms);
    const best = s.ms[s.best];
    return {
      shape: s.key,
      gflop: shapeFlops(s.shape) / 1e9,
      best: s.best,
      bestMs: best,
      bestGflops: shapeFlops(s.shape) / best / 1e6,
      defaultMs: s.ms[DEFAULT_MATMUL.id],
      worstMs: Math.max(...times),
      spread: Math.max(...times) / best,
    };
  });
  const sum = (f: (x: (typeof rows)[number]) => number) => rows.reduce((a, x) => a + f(x), 0);
  return {
    rows,
    totalBestMs: sum((x) => x.bestMs),
    totalDefaultMs: sum((x) => x.defaultMs ?? NaN),
    totalWorstMs: sum((x) => x.worstMs),
    speedupOverDefault: sum((x) => x.defaultMs ?? NaN) / sum((x) => x.bestMs),
  };
}
