// Runs one kernel on real WebGPU with given inputs and reads back its writable bindings; the
// epilogues, grids, reference steps and error figures the kernel tests share.
import { afterAll, inject } from 'vitest';
import type { Gpu } from '../../src/gpu/device.ts';
import { acquireGpu } from '../../src/gpu/device.ts';
import { PipelineCache } from '../../src/gpu/pipelines.ts';
import type { StructValues } from '../../src/gpu/struct.ts';
import { packStruct, writeStruct } from '../../src/gpu/struct.ts';
import type { KernelDef } from '../../src/graph/kernels.ts';
import { NO_ACTIVE, STEP as STEP_STRUCT } from '../../src/graph/kernels.ts';
import type { MatmulVariant } from '../../src/graph/matmul.ts';
import { kernelSource } from '../../src/graph/sources.ts';
import type { Epilogue } from '../../src/plan/plan.ts';
import type { StepInfo } from '../../src/reference/ops.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The debug switch (OVERFIT_DEBUG, see vite.config.ts). */
    overfitDebug: boolean;
  }
}

/** The debug switch: print every pipeline's WGSL; compareOneStep also checks its step dispatch by dispatch. */
export const DEBUG = inject('overfitDebug') ?? false;
export const printWgsl = (label: string, code: string) => console.log(`// ---- WGSL of pipeline ${label} ----\n${code}`);

let shared: Promise<{ gpu: Gpu; cache: PipelineCache }> | undefined;

export function sharedGpu() {
  shared ??= acquireGpu().then((gpu) => ({ gpu, cache: new PipelineCache(gpu.device, DEBUG ? printWgsl : undefined) }));
  return shared;
}

/** The step uniform as tests write it (training as a boolean). */
export interface TestStep {
  rowStart: number;
  rows: number;
  t: number;
  slot: number;
  lrT: number;
  seed: number;
  training: boolean;
}

export const STEP: TestStep = { rowStart: 0, rows: 1, t: 1, slot: 0, lrT: 0.001, seed: 7, training: true };

type Input = Float32Array | Uint32Array | number; // a number is the size in floats of a zeroed buffer

type Cfg<K extends KernelDef> = StructValues<K['cfg']['fields']>;

/** The bindings a kernel test may leave out: one replica with the step's seed and no dropout
 *  override, and Adam's step size `step.lrT` for the step's slot. */
function defaultInput(name: string, step: TestStep): Input {
  if (name === 'REPLICAS') return new Uint32Array([step.seed, 0, 0, 0]);
  if (name === 'LR_T') return new Float32Array(step.slot + 1).fill(step.lrT);
  if (name === 'ACTIVE') return 4; // kernels that mark no active units (active_off NO_ACTIVE)
  throw new Error(`runKernel: input ${name} missing`);
}

/**
 * Runs `kernel` once (replica 0). `cfg` is its typed Cfg; `groups` defaults to the kernel's own grid for
 * that Cfg and `step.rows`; `constants` add to the kernel's workgroup constants.
 */
export async function runKernel<K extends KernelDef>(
  kernel: K,
  o: { cfg: Cfg<K>; inputs: Input[]; step?: Partial<TestStep>; groups?: [number, number]; constants?: Record<string, number>; variant?: MatmulVariant },
): Promise<Float32Array<ArrayBuffer>[]> {
  const { gpu, cache } = await sharedGpu();
  const device = gpu.device;
  const step = { ...STEP, ...o.step };
  const stepBytes = new ArrayBuffer(256);
  const { lrT: _, ...fields } = step; // Adam's step size goes in LR_T
  writeStruct(new DataView(stepBytes), 0, STEP_STRUCT, { ...fields, training: step.training ? 1 : 0 });
  const make = (data: ArrayBufferView<ArrayBuffer> | null, size: number, usage: number) => {
    const b = device.createBuffer({ size: Math.max(16, size), usage: usage | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    if (data) device.queue.writeBuffer(b, 0, data);
    return b;
  };
  const stepBuf = make(new Uint8Array(stepBytes), 256, GPUBufferUsage.UNIFORM);
  const cfg = packStruct(kernel.cfg, o.cfg as never);
  const cfgBuf = make(cfg, cfg.byteLength, GPUBufferUsage.UNIFORM);
  const inputs = kernel.bindings.map((b, i) => o.inputs[i] ?? defaultInput(b.name, step));
  const bufs = inputs.map((x) =>
    typeof x === 'number' ? make(null, 4 * x, GPUBufferUsage.STORAGE) : make(x as ArrayBufferView<ArrayBuffer>, x.byteLength, GPUBufferUsage.STORAGE),
  );
  const source = kernelSource(kernel, o.variant);
  const pipeline = await cache.get(source, { ...kernel.workgroup, ...o.constants });
  const bindGroup = device.createBindGroup({
    layout: cache.layout(source),
    entries: [stepBuf, cfgBuf, ...bufs].map((buffer, binding) => ({ binding, resource: { buffer, ...(binding === 0 ? { size: STEP_STRUCT.size } : {}) } })),
  });
  const [x, y] = o.groups ?? kernel.grid(o.cfg as never, step.rows, o.variant);
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup, [0]);
  pass.dispatchWorkgroups(x, y, 1);
  pass.end();
  const reads = bufs.map((b) => {
    const r = device.createBuffer({ size: b.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    enc.copyBufferToBuffer(b, 0, r, 0, b.size);
    return r;
  });
  device.queue.submit([enc.finish()]);
  const out = await Promise.all(
    reads.map(async (r) => {
      await r.mapAsync(GPUMapMode.READ);
      const f = new Float32Array(r.getMappedRange().slice(0));
      r.destroy();
      return f;
    }),
  );
  [stepBuf, cfgBuf, ...bufs].forEach((b) => b.destroy());
  return out;
}

/** Largest violation of |got - ref| <= atol + rtol * |ref| (<= 0 passes), and where. */
export function closeness(got: ArrayLike<number>, ref: ArrayLike<number>, atol: number, rtol: number) {
  let worst = -Infinity;
  let at = -1;
  for (let i = 0; i < ref.length; i++) {
    const excess = Math.abs(got[i] - ref[i]) - (atol + rtol * Math.abs(ref[i]));
    if (!(excess <= worst) || Number.isNaN(got[i])) {
      worst = Number.isNaN(got[i]) ? Infinity : excess;
      at = i;
    }
  }
  return { worst, at, got: got[at], ref: ref[at] };
}

/** Deterministic test data in [-scale, scale). */
export function randomArray(n: number, seed: number, scale = 1): Float32Array<ArrayBuffer> {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = (((s >>> 8) / 16777216) * 2 - 1) * scale;
  }
  return a;
}

/** Activation `act`, then dropout at `rate` as the plan encodes it (threshold of 2^24, scale) for `layer`. */
export const epilogue = (act: number, rate = 0, layer = 3): Epilogue => ({
  act: act as Epilogue['act'],
  dropRate: rate,
  dropThreshold: Math.round(rate * 2 ** 24),
  dropScale: Math.fround(1 / (1 - rate)),
  layer,
});
export const describeEpi = (e: Epilogue) => `${['linear', 'relu', 'sigmoid'][e.act]}${e.dropThreshold ? ` + dropout ${e.dropRate}` : ''}`;

/** The reference's view of the test step (STEP), with overrides. */
export const refStep = (o: Partial<StepInfo> = {}): StepInfo => ({ t: STEP.t, seed: STEP.seed, training: true, lrT: STEP.lrT, ...o });

export const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

export const pass = (c: { worst: number }) => c.worst <= 0;
export const show = (c: ReturnType<typeof closeness>) => `worst excess ${c.worst.toExponential(2)} at ${c.at}: gpu ${c.got} vs ref ${c.ref}`;

/**
 * The error figures a test file prints, tagged `[tag]`: `note` logs a line; `check` is closeness()
 * that also keeps the worst |gpu - ref| / (atol + rtol * |ref|) per quantity, printed after the
 * file's tests.
 */
export function errorReport(tag: string) {
  const worstRatio = new Map<string, number>();
  afterAll(() => {
    for (const [what, w] of worstRatio) console.log(`[${tag}] worst error / tolerance, ${what}: ${w.toFixed(3)}`);
  });
  return {
    note(key: string, value: string) {
      console.log(`[${tag}] ${key}: ${value}`);
    },
    check(what: string, got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number) {
      let w = 0;
      for (let i = 0; i < want.length; i++) w = Math.max(w, Number.isNaN(got[i]) ? Infinity : Math.abs(got[i] - want[i]) / (atol + rtol * Math.abs(want[i])));
      worstRatio.set(what, Math.max(worstRatio.get(what) ?? 0, w));
      return closeness(got, want, atol, rtol);
    },
  };
}

/** A matmul Cfg with every size and offset 0, to spread the ones a test sets over. */
export const NO_OFFSETS = {
  M: 0,
  N: 0,
  K: 0,
  aOff: 0,
  bOff: 0,
  cOff: 0,
  biasOff: 0,
  auxOff: 0,
  aRstride: 0,
  bRstride: 0,
  cRstride: 0,
  auxRstride: 0,
  activeOff: NO_ACTIVE,
};
