// The Trainer's profiling mode: GPU time per kernel per epoch. With `timestamp-query` every
// dispatch of the epoch gets its own compute pass with timestampWrites (the normal path keeps one
// pass), resolved in the epoch's command buffer and read back beside the metrics. Without it, each
// dispatch is submitted alone and timed on the CPU around onSubmittedWorkDone (slow; says so).
// Buffers and query sets are made when the Trainer is created, so none appear after the first step.
import type { AdapterSummary, Gpu } from '../gpu/device.ts';
import type { BufferArena } from '../gpu/buffers.ts';
import type { Phase } from './lower.ts';

export type { Phase } from './lower.ts';

/** One dispatch of an epoch as the profiler sees it. */
export interface ProfiledDispatch {
  /** e.g. `dense_1 forward`, `adam`. */
  label: string;
  /** The kernel family (shaders/<kernel>.wgsl). */
  kernel: string;
  /** Matmul variant id, if a matmul. */
  variant?: string;
  /** Matmul shape key (`forward 500x256x100`), if a matmul. */
  shape?: string;
  /** FLOPs per batch row (2 * in * out for a matmul), 0 for other kernels. */
  flopsPerRow: number;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  groups: [number, number, number];
}

export interface EpochStep {
  d: ProfiledDispatch;
  slot: number;
  phase: Phase;
  /** Rows in the batch (FLOPs), 0 outside batches. */
  rows: number;
}

export interface KernelProfile {
  name: string;
  kernel: string;
  phase: Phase;
  variant?: string;
  shape?: string;
  dispatches: number;
  /** Summed GPU (or CPU-side, see `timing`) milliseconds over the epoch. */
  ms: number;
  /** Mean microseconds per dispatch. */
  meanUs: number;
  flops: number;
  /** Achieved GFLOP/s (matmuls); null for kernels without a FLOP count. */
  gflops: number | null;
}

export interface EpochProfile {
  epoch: number;
  adapter: AdapterSummary;
  /** `timestamp-query`: GPU timestamps; `cpu`: each dispatch submitted alone and timed on the CPU. */
  timing: 'timestamp-query' | 'cpu';
  /** Timestamps are multiples of this many ns (Chrome quantizes to 100 us unless WebGPU developer features are on); null for CPU timing. */
  resolutionNs: number | null;
  note: string;
  dispatches: number;
  /** Sum over kernels. */
  ms: number;
  /** Per dispatch site (label and phase), slowest first. */
  kernels: KernelProfile[];
}

const QUERIES_PER_SET = 4096;

export class EpochProfiler {
  /** Submits and readbacks the profiler added to the last epoch. */
  extraSubmits = 0;
  extraReadbacks = 0;
  private readonly sets: GPUQuerySet[] = [];
  private readonly resolve: GPUBuffer | null = null;
  private readonly staging: GPUBuffer | null = null;
  private cpuMs: number[] = [];
  private steps: EpochStep[] = [];

  constructor(
    private readonly gpu: Gpu,
    arena: BufferArena,
    /** The most dispatches one submitAndRead encodes. */
    readonly capacity: number,
    readonly timing: 'timestamp-query' | 'cpu',
  ) {
    if (timing === 'timestamp-query') {
      const queries = 2 * capacity;
      for (let q = 0; q < queries; q += QUERIES_PER_SET)
        this.sets.push(
          gpu.device.createQuerySet({ label: `profile-${q / QUERIES_PER_SET}`, type: 'timestamp', count: Math.min(QUERIES_PER_SET, queries - q) }),
        );
      this.resolve = arena.create('profile-resolve', 8 * queries, GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC);
      this.staging = arena.create('profile-readback', 8 * queries, GPUBufferUsage.MAP_READ);
    }
  }

  /** Encodes (timestamps) or runs (CPU timing) the epoch's dispatches. */
  async record(enc: GPUCommandEncoder, steps: EpochStep[]): Promise<void> {
    if (steps.length > this.capacity) throw new RangeError(`profiler: ${steps.length} dispatches > capacity ${this.capacity}`);
    this.steps = steps;
    this.extraSubmits = 0;
    this.extraReadbacks = 0;
    if (this.timing === 'timestamp-query') {
      steps.forEach(({ d, slot }, i) => {
        const q = 2 * i;
        const querySet = this.sets[Math.floor(q / QUERIES_PER_SET)];
        const at = q % QUERIES_PER_SET;
        const pass = enc.beginComputePass({ label: d.label, timestampWrites: { querySet, beginningOfPassWriteIndex: at, endOfPassWriteIndex: at + 1 } });
        encodeOne(pass, d, slot);
        pass.end();
      });
      let q = 0;
      for (const set of this.sets) {
        const n = Math.min(set.count, 2 * steps.length - q);
        if (n <= 0) break;
        enc.resolveQuerySet(set, 0, n, this.resolve!, 8 * q);
        q += n;
      }
      enc.copyBufferToBuffer(this.resolve!, 0, this.staging!, 0, 16 * steps.length);
      this.extraReadbacks = 1;
      return;
    }
    // CPU timing: each dispatch in its own submit, waited for; `enc` (the metrics copy) goes after.
    const device = this.gpu.device;
    this.cpuMs = [];
    for (const { d, slot } of steps) {
      const e = device.createCommandEncoder({ label: d.label });
      const pass = e.beginComputePass({ label: d.label });
      encodeOne(pass, d, slot);
      pass.end();
      const t0 = performance.now();
      device.queue.submit([e.finish()]);
      await device.queue.onSubmittedWorkDone();
      this.cpuMs.push(performance.now() - t0);
      this.extraSubmits++;
    }
  }

  /** After the epoch's submit: reads the timestamps (one mapAsync) and aggregates per dispatch site. */
  async collect(epoch: number): Promise<EpochProfile> {
    const n = this.steps.length;
    let ms: number[];
    let resolutionNs: number | null = null;
    if (this.timing === 'timestamp-query') {
      await this.staging!.mapAsync(GPUMapMode.READ, 0, 16 * n);
      const t = new BigUint64Array(this.staging!.getMappedRange(0, 16 * n).slice(0));
      this.staging!.unmap();
      ms = Array.from({ length: n }, (_, i) => Math.max(0, Number(t[2 * i + 1] - t[2 * i])) / 1e6);
      resolutionNs = quantum(t);
    } else {
      ms = this.cpuMs;
    }
    const byKey = new Map<string, KernelProfile>();
    this.steps.forEach(({ d, phase, rows }, i) => {
      const key = `${phase}|${d.label}`;
      let k = byKey.get(key);
      if (!k) {
        k = {
          name: d.label,
          kernel: d.kernel,
          phase,
          ...(d.variant ? { variant: d.variant, shape: d.shape } : {}),
          dispatches: 0,
          ms: 0,
          meanUs: 0,
          flops: 0,
          gflops: null,
        };
        byKey.set(key, k);
      }
      k.dispatches++;
      k.ms += ms[i];
      k.flops += d.flopsPerRow * rows;
    });
    const kernels = [...byKey.values()].sort((a, b) => b.ms - a.ms);
    for (const k of kernels) {
      k.meanUs = (1000 * k.ms) / k.dispatches;
      k.gflops = k.flops && k.ms > 0 ? k.flops / k.ms / 1e6 : null;
    }
    const quantized = resolutionNs !== null && resolutionNs >= 1000;
    return {
      epoch,
      adapter: this.gpu.adapter,
      timing: this.timing,
      resolutionNs,
      note:
        this.timing === 'cpu'
          ? 'timestamp-query unavailable (or CPU timing requested): each dispatch was submitted alone and timed with performance.now() around onSubmittedWorkDone, so times include submit overhead'
          : quantized
            ? `timestamps are quantized to ${resolutionNs! / 1000} us (start Chrome with --enable-webgpu-developer-features for full resolution); short kernels read as 0`
            : 'GPU timestamps, one compute pass per dispatch',
      dispatches: n,
      ms: kernels.reduce((s, k) => s + k.ms, 0),
      kernels,
    };
  }
}

export function encodeOne(pass: GPUComputePassEncoder, d: Pick<ProfiledDispatch, 'pipeline' | 'bindGroup' | 'groups'>, slot: number, slotBytes = 256): void {
  pass.setPipeline(d.pipeline);
  pass.setBindGroup(0, d.bindGroup, [slot * slotBytes]);
  pass.dispatchWorkgroups(d.groups[0], d.groups[1], d.groups[2]);
}

/** The greatest common divisor of the timestamps: their quantization step (1 when unquantized). */
function quantum(t: BigUint64Array): number {
  let g = 0n;
  for (const v of t) {
    let a = v;
    let b = g;
    while (b) [a, b] = [b, a % b];
    g = a;
    if (g === 1n) break;
  }
  return Number(g);
}
