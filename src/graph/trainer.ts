// The GPU executor: allocates the buffers that lowering (src/graph/lower.ts) names, uploads the
// data set once, and encodes the lowered dispatches per batch into one command encoder per epoch:
// training steps, validation in inference mode, the end-of-epoch norms, then one mapAsync of the
// epoch's metrics. Every buffer, bind group and pipeline is made in create().
import type { Dataset } from '../data/dataset.ts';
import type { Gpu } from '../gpu/device.ts';
import { GpuDeviceLostError } from '../gpu/device.ts';
import { BufferArena, STEP_SLOT_BYTES } from '../gpu/buffers.ts';
import { PipelineCache } from '../gpu/pipelines.ts';
import { readStruct, writeStruct } from '../gpu/struct.ts';
import type { ModelSpec } from '../model/spec.ts';
import { ModelSpecError } from '../model/spec.ts';
import { ADAM, adamLr } from '../plan/adam.ts';
import type { Plan } from '../plan/plan.ts';
import { compilePlan, initParams, initState } from '../plan/plan.ts';
import type { ReplicaSpec } from '../plan/replicas.ts';
import { replicaLr } from '../plan/replicas.ts';
import type { DeadUnits, WeightStats } from '../plan/weight-stats.ts';
import { decodeWeightStats, kernelNames, reluLayers, WSTATS_FLOATS } from '../plan/weight-stats.ts';
import { Rng } from '../random.ts';
import type { StepFields } from './kernels.ts';
import { KERNELS, STEP } from './kernels.ts';
import type { DispatchSpec, Lowered, Phase } from './lower.ts';
import { batchRows, dataShape, KEPT, lower, STEP_BUFFER } from './lower.ts';
import type { MatmulPlan } from './matmul.ts';
import { firstChoicePlan, matmulShapes, shapeKey } from './matmul.ts';
import type { EpochProfile, EpochStep, ProfiledDispatch } from './profiler.ts';
import { encodeOne, EpochProfiler } from './profiler.ts';
import { kernelSource } from './sources.ts';
import type { RunStats } from './stats.ts';

export { batchRows, dataShape } from './lower.ts';

export interface TrainerOptions {
  batchSize?: number; // Keras default 32; the lab uses 500
  seed?: number;
  learningRate?: number;
  /** Replicas trained together, each its own seed (and sweep value); overrides seed and learningRate.
   *  Metrics, history and evaluate() are then means over the replicas; `replicaHistories` has each. */
  replicas?: ReplicaSpec[];
  /** Which matmul variant runs each shape (src/graph/autotune.ts makes one); default: the adapter's
   *  untimed first choice (`firstChoicePlan`: direct variants on a CPU/fallback adapter, else DEFAULT_MATMUL). */
  matmul?: MatmulPlan;
  /** Profiling mode: GPU time per kernel per epoch (`trainer.profile`, `EpochLog.profile`).
   *  `cpu` times each dispatch on the CPU even when timestamp queries exist. */
  profile?: boolean | 'cpu';
  /** Called with each pipeline's WGSL when it is compiled (the debug switch prints them). */
  onCompile?: (label: string, code: string) => void;
  /** Room for keepWeights() / restoreWeights() (early stopping). */
  keepWeights?: boolean;
}

export type { RunStats } from './stats.ts';

export type History = Record<string, number[]>;

export interface EpochLog {
  epoch: number; // 1-based
  /** The mean over the replicas (with one replica: its metrics). */
  metrics: Record<string, number>;
  /** With several replicas: each one's metrics, in the order of `TrainerOptions.replicas`. */
  replicas?: Record<string, number>[];
  seconds: number;
  /** Profiling mode only: GPU time per kernel in this epoch. */
  profile?: EpochProfile;
  /** Each replica's weight statistics per kernel tensor after the epoch (same readback). */
  weightStats?: WeightStats[][];
  /** Each replica's ReLU layers: units never active on the validation rows this epoch. */
  deadUnits?: DeadUnits[][];
}

/** The loss went NaN or infinite; finished epochs stay in `trainer.history`. */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
}

/** The mean of each metric over the replicas (with one replica, its own values: v / 1 is v). */
function meanOf(list: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(list[0])) out[k] = list.reduce((s, m) => s + m[k], 0) / list.length;
  return out;
}

/** A lowered dispatch made executable: its pipeline and bind group. */
export type Dispatch = ProfiledDispatch & { spec: DispatchSpec };

export class Trainer {
  /** The per-epoch mean over the replicas (with one replica: its history). */
  readonly history: History = {};
  /** Each replica's history. */
  readonly replicaHistories: History[];
  epoch = 0;
  private t = 0;
  private stopRequested = false;
  private submits = 0;
  private readbacks = 0;
  private buffersAtFirstStep = -1;
  private pipelinesAtFirstStep = -1;
  private lastEpochCounts = { submits: 0, readbacks: 0 };
  private profiler: EpochProfiler | null = null;
  /** Profiling mode: the last epoch's (or evaluate's) per-kernel times. */
  profile: EpochProfile | null = null;
  private readonly rngs: Rng[];
  private readonly stepBytes: ArrayBuffer;
  /** Keras' names of the kernel tensors (the weight statistics' labels). */
  private kernelNames: string[] | null = null;
  /** The ReLU layers whose dead units each epoch counts. */
  private relus: ReturnType<typeof reluLayers> | null = null;
  /** Weight copies asked for since the last submit: they run first in the next command encoder. */
  private copies: { src: string; dst: string; offset: number; bytes: number }[] = [];

  private constructor(
    readonly gpu: Gpu,
    readonly plan: Plan,
    readonly data: Dataset,
    readonly batchSize: number,
    readonly seed: number,
    readonly learningRate: number,
    /** The lowered step (what the Trainer executes), for inspection and the debug check. */
    readonly lowered: Lowered,
    private readonly arena: BufferArena,
    private readonly pipelines: PipelineCache,
    /** The GPU buffers by their lowered names. */
    readonly buffers: ReadonlyMap<string, GPUBuffer>,
    readonly dispatches: Readonly<Record<Phase, Dispatch[]>>,
  ) {
    this.rngs = lowered.replicas.map((r) => new Rng(r.seed));
    this.replicaHistories = lowered.replicas.map(() => ({}));
    this.stepBytes = new ArrayBuffer((lowered.trainBatches + lowered.valBatches + 1) * STEP_SLOT_BYTES);
  }

  /** The pure loss metric Keras reports beside `loss` (no penalties). */
  get lossMetric(): string {
    return this.plan.loss;
  }

  static async create(gpu: Gpu, spec: ModelSpec, data: Dataset, options: TrainerOptions = {}): Promise<Trainer> {
    const plan = compilePlan(spec);
    checkData(plan, data);
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    const replicas = options.replicas ?? [{ seed: options.seed ?? 1, ...(options.learningRate === undefined ? {} : { lr: options.learningRate }) }];
    const seed = replicas[0]?.seed ?? 1;
    const learningRate = replicas[0] ? replicaLr(replicas[0]) : ADAM.learningRate;
    const { device } = gpu;
    const arena = new BufferArena(device);
    const pipelines = new PipelineCache(device, options.onCompile);
    const matmul = options.matmul ?? firstChoicePlan(gpu.adapter, matmulShapes(plan, batchRows(batchSize, dataShape(data))));
    const low = lower(plan, dataShape(data), { batchSize, matmul, replicas, keepWeights: options.keepWeights });
    const concat = (parts: Float32Array[]) => {
      const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
      return out;
    };

    // Contents that depend on the data and the seed; lowering provides the rest.
    const initial: Record<string, ArrayBufferView<ArrayBuffer>> = {
      'train/x': data.train.x as Uint32Array<ArrayBuffer>,
      'train/y': data.train.y as Uint32Array<ArrayBuffer>,
      'test/x': data.test.x as Uint32Array<ArrayBuffer>,
      'test/y': data.test.y as Uint32Array<ArrayBuffer>,
      params: concat(replicas.map((r) => initParams(plan, r.seed))),
      'bn-moving': concat(replicas.map(() => initState(plan))),
    };
    const buffers = new Map<string, GPUBuffer>();
    for (const b of low.buffers) {
      const init = b.init ?? initial[b.name];
      if (init && init.byteLength > b.bytes) throw new Error(`buffer ${b.name}: ${init.byteLength} bytes of data for ${b.bytes}`);
      const usage =
        b.usage === 'readback' ? GPUBufferUsage.MAP_READ : b.usage === 'steps' ? GPUBufferUsage.UNIFORM : GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
      buffers.set(b.name, arena.create(b.name, b.bytes, usage, init));
    }

    const compiles: Promise<void>[] = [];
    const executable = (spec: DispatchSpec): Dispatch => {
      const source = kernelSource(KERNELS[spec.kernel], spec.variant);
      const entries: GPUBindGroupEntry[] = [
        { binding: 0, resource: { buffer: buffers.get(STEP_BUFFER)!, size: STEP.size } },
        { binding: 1, resource: { buffer: arena.uniform(`${spec.kernel}-cfg`, spec.cfgBytes) } },
        ...spec.buffers.map((name, i) => ({ binding: i + 2, resource: { buffer: buffers.get(name)! } })),
      ];
      const bindGroup = device.createBindGroup({ label: spec.label, layout: pipelines.layout(source), entries });
      const d = {
        spec,
        label: spec.label,
        kernel: spec.kernel,
        flopsPerRow: spec.flopsPerRow * spec.grid[2], // every replica's rows
        bindGroup,
        groups: spec.grid,
        ...(spec.variant ? { variant: spec.variant.id, shape: shapeKey(spec.shape!) } : {}),
      } as Dispatch;
      compiles.push(pipelines.get(source, spec.constants).then((p) => void (d.pipeline = p)));
      return d;
    };
    const dispatches = { train: low.train.map(executable), validate: low.validate.map(executable), end: low.end.map(executable) };
    await Promise.all(compiles);

    const trainer = new Trainer(gpu, plan, data, batchSize, seed, learningRate, low, arena, pipelines, buffers, dispatches);
    trainer.writeFixedSteps();
    if (options.profile) {
      const timing = gpu.hasTimestamps && options.profile !== 'cpu' ? 'timestamp-query' : 'cpu';
      const { trainBatches, valBatches } = low;
      trainer.profiler = new EpochProfiler(gpu, arena, trainBatches * low.train.length + valBatches * low.validate.length + low.end.length, timing);
    }
    return trainer;
  }

  get stats(): RunStats {
    return {
      dispatchesPerStep: this.dispatches.train.length,
      dispatchesPerValidation: this.dispatches.validate.length,
      submitsPerEpoch: this.lastEpochCounts.submits,
      readbacksPerEpoch: this.lastEpochCounts.readbacks,
      buffersCreatedAfterFirstStep: this.buffersAtFirstStep < 0 ? 0 : this.arena.created - this.buffersAtFirstStep,
      pipelinesCreatedAfterFirstStep: this.pipelinesAtFirstStep < 0 ? 0 : this.pipelines.created - this.pipelinesAtFirstStep,
      gpuBytes: this.arena.bytes,
      matmul: Object.fromEntries(this.lowered.train.flatMap((d) => (d.variant ? [[shapeKey(d.shape!), d.variant.id]] : []))),
    };
  }

  /** Ask a running fit() to return after the epoch in flight; finished epochs are kept. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Trains `epochs` more epochs, validating on the test split after each. */
  async fit(options: { epochs: number; onEpoch?: (log: EpochLog) => void }): Promise<History> {
    this.stopRequested = false;
    for (let e = 0; e < options.epochs && !this.stopRequested; e++) {
      const started = performance.now();
      const { metrics: replicaMetrics, weightStats, deadUnits } = await this.runReplicaEpoch();
      const metrics = meanOf(replicaMetrics);
      const log: EpochLog = {
        epoch: this.epoch + 1,
        metrics,
        ...(replicaMetrics.length > 1 ? { replicas: replicaMetrics } : {}),
        weightStats,
        deadUnits,
        seconds: (performance.now() - started) / 1000,
        ...(this.profile ? { profile: this.profile } : {}),
      };
      const bad = replicaMetrics.flatMap((m) => Object.entries(m)).find(([, v]) => !Number.isFinite(v));
      if (bad)
        throw new TrainingDivergedError(
          `Training diverged in epoch ${log.epoch}: ${bad[0]} is ${bad[1]}. The ${this.epoch} finished epochs are kept. ` +
            'Lower the learning rate, add regularization, or check the data for extreme values, then restart.',
        );
      this.epoch++;
      for (const [k, v] of Object.entries(metrics)) (this.history[k] ??= []).push(v);
      replicaMetrics.forEach((m, r) => {
        for (const [k, v] of Object.entries(m)) (this.replicaHistories[r][k] ??= []).push(v);
      });
      options.onEpoch?.(log);
    }
    return this.history;
  }

  /** Keras' evaluate() on the test split: loss (with penalties), accuracy and the pure loss
   *  (the mean over the replicas). */
  async evaluate(): Promise<Record<string, number>> {
    return meanOf(await this.evaluateReplicas());
  }

  /** evaluate() of each replica. */
  async evaluateReplicas(): Promise<Record<string, number>[]> {
    const f = await this.submitAndRead(['validate', 'end']);
    const { trainBatches, valBatches } = this.lowered;
    return this.lowered.replicas.map((_, r) => {
      const v = this.sumSlots(f, r, trainBatches, valBatches);
      const pen = this.penaltyAt(f, r, trainBatches);
      return { loss: v.ce / v.rows + pen, accuracy: v.correct / v.rows, [this.lossMetric]: v.ce / v.rows };
    });
  }

  /** The weight statistics of the weights as they are now, per replica and kernel tensor (a
   *  submit and readback of their own: tests and views between epochs; each epoch has them in
   *  its log). */
  async readWeightStats(): Promise<WeightStats[][]> {
    const f = await this.submitAndRead(['end']);
    return this.lowered.replicas.map((_, r) => this.weightStatsAt(f, r));
  }

  /** Reads a replica's parameters and batch-norm state back (tests and export; not per epoch). */
  async readState(replica = 0): Promise<{ params: Float32Array; state: Float32Array }> {
    const P = this.plan.paramCount;
    const S = this.plan.stateCount;
    const params = await this.readBuffer('params', (replica + 1) * P);
    const state = await this.readBuffer('bn-moving', (replica + 1) * S);
    return { params: params.slice(replica * P), state: state.slice(replica * S) };
  }

  /** The GPU buffer lowering named `name`. */
  buffer(name: string): GPUBuffer {
    const b = this.buffers.get(name);
    if (!b) throw new Error(`no buffer "${name}"; lowered buffers: ${[...this.buffers.keys()].join(', ')}`);
    return b;
  }

  /** The first `floats` floats of a buffer, read back (a buffer of its own: tests and debug only). */
  async readBuffer(name: string, floats = this.buffer(name).size / 4): Promise<Float32Array> {
    const bytes = Math.max(16, 4 * floats);
    const dst = this.gpu.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = this.gpu.device.createCommandEncoder();
    this.encodeCopies(enc);
    enc.copyBufferToBuffer(this.buffer(name), 0, dst, 0, bytes);
    this.gpu.device.queue.submit([enc.finish()]);
    await dst.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(dst.getMappedRange().slice(0, 4 * floats));
    dst.destroy();
    return out;
  }

  /** Keeps a copy of replica r's weights and batch-norm statistics as they are after the epochs
   *  trained so far, on the GPU (copied at the start of the next submit; nothing is read back). */
  keepWeights(r: number): void {
    this.copyBlocks(r, ['params', KEPT.params], ['bn-moving', KEPT.moving]);
  }

  /** Puts replica r's kept weights and batch-norm statistics back (before the next submit). */
  restoreWeights(r: number): void {
    this.copyBlocks(r, [KEPT.params, 'params'], [KEPT.moving, 'bn-moving']);
  }

  /** Queues copies of replica r's block (parameters, then batch-norm statistics) between buffers. */
  private copyBlocks(r: number, params: [string, string], moving: [string, string]): void {
    const P = 4 * this.plan.paramCount;
    const S = 4 * this.plan.stateCount;
    this.copies.push({ src: params[0], dst: params[1], offset: r * P, bytes: P });
    if (S) this.copies.push({ src: moving[0], dst: moving[1], offset: r * S, bytes: S });
  }

  private encodeCopies(enc: GPUCommandEncoder): void {
    for (const c of this.copies) enc.copyBufferToBuffer(this.buffer(c.src), c.offset, this.buffer(c.dst), c.offset, c.bytes);
    this.copies = [];
  }

  /** Replaces a replica's parameters (tests compare a step against the reference from the same start). */
  writeParams(params: Float32Array<ArrayBuffer>, replica = 0): void {
    this.gpu.device.queue.writeBuffer(this.buffer('params'), 4 * replica * this.plan.paramCount, params);
  }

  /** Trains one epoch (every replica over `order`, or each over a fresh permutation from its seed);
   *  the metrics are the mean over the replicas. */
  async runEpoch(order?: Uint32Array<ArrayBuffer>): Promise<Record<string, number>> {
    return meanOf((await this.runReplicaEpoch(order)).metrics);
  }

  /** One epoch; each replica's metrics and weight statistics. */
  private async runReplicaEpoch(
    order?: Uint32Array<ArrayBuffer>,
  ): Promise<{ metrics: Record<string, number>[]; weightStats: WeightStats[][]; deadUnits: DeadUnits[][] }> {
    const { trainBatches, valBatches } = this.lowered;
    this.writeTrainSteps(order);
    const before = { submits: this.submits, readbacks: this.readbacks };
    const f = await this.submitAndRead(['train', 'validate', 'end']);
    this.lastEpochCounts = { submits: this.submits - before.submits, readbacks: this.readbacks - before.readbacks };
    const pure = this.lossMetric;
    const weightStats = this.lowered.replicas.map((_, r) => this.weightStatsAt(f, r));
    const deadUnits = this.lowered.replicas.map((_, r) => this.deadUnitsAt(f, r));
    const metrics = this.lowered.replicas.map((_, r) => {
      const tr = this.sumSlots(f, r, 0, trainBatches);
      let penaltyRows = 0;
      for (let s = 0; s < trainBatches; s++) penaltyRows += this.penaltyAt(f, r, s) * f[this.slot(r, s) + 2];
      const va = this.sumSlots(f, r, trainBatches, valBatches);
      const penEnd = this.penaltyAt(f, r, trainBatches);
      return {
        loss: (tr.ce + penaltyRows) / tr.rows,
        accuracy: tr.correct / tr.rows,
        [pure]: tr.ce / tr.rows,
        val_loss: va.ce / va.rows + penEnd,
        val_accuracy: va.correct / va.rows,
        [`val_${pure}`]: va.ce / va.rows,
        weight_l1: this.plan.kernels.reduce((s, _, k) => s + f[this.normIndex(r, trainBatches, k)], 0),
      };
    });
    return { metrics, weightStats, deadUnits };
  }

  /** Replica r's dead units per ReLU layer, counted over the validation rows (an epoch's readback). */
  private deadUnitsAt(f: Float32Array, r: number): DeadUnits[] {
    const o = r * this.lowered.metricsFloats + this.lowered.deadOff;
    return (this.relus ??= reluLayers(this.plan)).map((l, i) => ({ layer: l.layer, units: l.units, dead: f[o + i] }));
  }

  /** Replica r's weight statistics per kernel tensor from a metrics readback, each named as
   *  Keras names its layer's kernel (`dense_1/kernel`). */
  private weightStatsAt(f: Float32Array, r: number): WeightStats[] {
    const names = (this.kernelNames ??= kernelNames(this.plan));
    return this.plan.kernels.map((i, k) => {
      const o = r * this.lowered.metricsFloats + this.lowered.wstatsOff + k * WSTATS_FLOATS;
      return decodeWeightStats(f.subarray(o, o + WSTATS_FLOATS), names[k], this.plan.tensors[i].size);
    });
  }

  /** Uploads each replica's row order for the epoch (`order` for all, or a fresh permutation from
   *  each one's seed), one Step slot per training batch (advancing Adam's t) and each replica's
   *  bias-corrected step size per batch. */
  writeTrainSteps(order?: Uint32Array<ArrayBuffer>): void {
    const n = this.data.train.count;
    const device = this.gpu.device;
    const { replicas, trainBatches: batches } = this.lowered;
    const R = replicas.length;
    const orders = new Uint32Array(R * n);
    this.rngs.forEach((rng, r) => orders.set(order ?? rng.permutation(n), r * n));
    device.queue.writeBuffer(this.buffer('train-order'), 0, orders);
    const view = new DataView(this.stepBytes);
    const lrT = new Float32Array(batches * R);
    for (let s = 0; s < batches; s++) {
      const t = ++this.t;
      const rows = Math.min(this.batchSize, n - s * this.batchSize);
      writeStruct(view, s * STEP_SLOT_BYTES, STEP, { rowStart: s * this.batchSize, rows, t, slot: s, seed: this.seed, training: 1 });
      replicas.forEach((rep, r) => (lrT[s * R + r] = adamLr(t, replicaLr(rep))));
    }
    device.queue.writeBuffer(this.buffer(STEP_BUFFER), 0, this.stepBytes, 0, batches * STEP_SLOT_BYTES);
    device.queue.writeBuffer(this.buffer('lr-t'), 0, lrT);
  }

  /** The Step uniform of a slot as last written (the debug check's CPU side reads it). */
  step(slot: number): StepFields {
    return readStruct(new DataView(this.stepBytes), slot * STEP_SLOT_BYTES, STEP);
  }

  /** Encodes the given dispatch lists (train steps repeat per batch) and reads the metrics once. */
  private async submitAndRead(phases: Phase[]): Promise<Float32Array> {
    const device = this.gpu.device;
    this.throwIfLost();
    const steps = this.epochSteps(phases);
    const enc = device.createCommandEncoder({ label: 'epoch' });
    this.encodeCopies(enc);
    if (this.profiler) await this.profiler.record(enc, steps);
    else {
      const pass = enc.beginComputePass({ label: 'epoch' });
      for (const { d, slot } of steps) encodeOne(pass, d, slot, STEP_SLOT_BYTES);
      pass.end();
    }
    const staging = this.buffer('metrics-readback');
    enc.copyBufferToBuffer(this.buffer('metrics'), 0, staging, 0, staging.size);
    if (this.buffersAtFirstStep < 0) {
      this.buffersAtFirstStep = this.arena.created;
      this.pipelinesAtFirstStep = this.pipelines.created;
    }
    device.queue.submit([enc.finish()]);
    this.submits++;
    try {
      this.readbacks++;
      await staging.mapAsync(GPUMapMode.READ);
    } catch (e) {
      this.throwIfLost();
      throw e;
    }
    const f = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    if (this.profiler) {
      this.profile = await this.profiler.collect(this.epoch + 1);
      this.submits += this.profiler.extraSubmits;
      this.readbacks += this.profiler.extraReadbacks;
    }
    return f;
  }

  /** The dispatches of an epoch in order: train steps repeat per batch, validation per test batch. */
  private epochSteps(phases: Phase[]): EpochStep[] {
    const { trainBatches, valBatches } = this.lowered;
    const steps: EpochStep[] = [];
    const rowsOf = (b: number, n: number) => Math.min(this.batchSize, n - b * this.batchSize);
    const add = (phase: Phase, slot: number, rows: number) => {
      for (const d of this.dispatches[phase]) steps.push({ d, slot, phase, rows });
    };
    for (const list of phases) {
      if (list === 'train') for (let s = 0; s < trainBatches; s++) add('train', s, rowsOf(s, this.data.train.count));
      else if (list === 'validate') for (let v = 0; v < valBatches; v++) add('validate', trainBatches + v, rowsOf(v, this.data.test.count));
      else add('end', trainBatches + valBatches, 0);
    }
    return steps;
  }

  private throwIfLost(): void {
    const lost = this.gpu.lost;
    if (lost) throw new GpuDeviceLostError(lost.message || lost.reason);
  }

  /** Where replica r's metric slot s starts in the metrics readback. */
  private slot(r: number, s: number): number {
    return r * this.lowered.metricsFloats + s * this.lowered.metricSlot;
  }

  private sumSlots(f: Float32Array, r: number, first: number, count: number) {
    let ce = 0;
    let correct = 0;
    let rows = 0;
    for (let s = first; s < first + count; s++) {
      const o = this.slot(r, s);
      ce += f[o];
      correct += f[o + 1];
      rows += f[o + 2];
    }
    return { ce, correct, rows };
  }

  private normIndex(r: number, slot: number, k: number): number {
    return r * this.lowered.metricsFloats + this.lowered.normsOff + (slot * this.plan.kernels.length + k) * 2;
  }

  /** Keras' penalty of replica r from the norms kernel's slot: sum of l1 * sum|W| + l2 * sum W^2. */
  private penaltyAt(f: Float32Array, r: number, slot: number): number {
    let p = 0;
    this.lowered.penalties[r].forEach((t, k) => {
      if (t.l1 || t.l2) p += t.l1 * f[this.normIndex(r, slot, k)] + t.l2 * f[this.normIndex(r, slot, k) + 1];
    });
    return p;
  }

  /** Step slots that never change: validation batches and the end-of-epoch norms. */
  private writeFixedSteps(): void {
    const { trainBatches, valBatches } = this.lowered;
    const view = new DataView(this.stepBytes);
    const n = this.data.test.count;
    const fixed = (i: number, s: Omit<StepFields, 'seed' | 't'>) => writeStruct(view, i * STEP_SLOT_BYTES, STEP, { ...s, t: 0, seed: this.seed });
    for (let v = 0; v < valBatches; v++)
      fixed(trainBatches + v, { rowStart: v * this.batchSize, rows: Math.min(this.batchSize, n - v * this.batchSize), slot: trainBatches + v, training: 0 });
    fixed(trainBatches + valBatches, { rowStart: 0, rows: 0, slot: trainBatches, training: 0 });
    const from = trainBatches * STEP_SLOT_BYTES;
    this.gpu.device.queue.writeBuffer(this.buffer(STEP_BUFFER), from, this.stepBytes, from, (valBatches + 1) * STEP_SLOT_BYTES);
  }

  dispose(): void {
    this.arena.destroy();
  }
}

function checkData(plan: Plan, data: Dataset): void {
  const name = `model "${plan.spec.name}"`;
  if (plan.features !== data.features)
    throw new ModelSpecError(
      `${name}: inputShape [${plan.spec.inputShape}] has ${plan.features} features, but data set "${data.name}" has ${data.features} ([${data.inputShape}])`,
    );
  if (plan.outputs === 1 && data.classes !== 2)
    throw new ModelSpecError(
      `${name}: a 1-unit sigmoid output needs binary labels, but "${data.name}" has ${data.classes} classes; use Dense(${data.classes}, softmax)`,
    );
  if (plan.outputs > 1 && plan.outputs !== data.classes)
    throw new ModelSpecError(`${name}: the softmax output has ${plan.outputs} units, but "${data.name}" has ${data.classes} classes`);
  if (data.train.count < 1 || data.test.count < 1) throw new RangeError(`data set "${data.name}" has an empty split`);
}
