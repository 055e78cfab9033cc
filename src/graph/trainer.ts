// The GPU executor: uploads a data set once, encodes forward, loss, backward and Adam per batch
// into one command encoder per epoch, validates in inference mode, and reads the epoch's metrics
// back with a single mapAsync. Every buffer, bind group and pipeline is made in create().
import type { Dataset, Split } from '../data/dataset.ts';
import { rowWords } from '../data/dataset.ts';
import type { Gpu } from '../gpu/device.ts';
import { GpuDeviceLostError } from '../gpu/device.ts';
import { BufferArena, f32, packUniform, STEP_SLOT_BYTES } from '../gpu/buffers.ts';
import type { KernelSource } from '../gpu/pipelines.ts';
import { PipelineCache } from '../gpu/pipelines.ts';
import type { ModelSpec } from '../model/spec.ts';
import { ModelSpecError } from '../model/spec.ts';
import { ADAM, adamLr } from '../reference/ops.ts';
import { Rng } from '../random.ts';
import type { RunStats } from './stats.ts';
import type { StepFields } from './kernels.ts';
import { DATA_FORMAT, epiFields, grid1d, KERNELS, MATMUL_MODE, matmulKernel, writeStep } from './kernels.ts';
import type { MatmulMode, MatmulPlan, MatmulShape } from './matmul.ts';
import { matmulConstants, matmulGrid, MODE_NAMES, shapeKey, variantFor } from './matmul.ts';
import type { EpochProfile, EpochStep, Phase, ProfiledDispatch } from './profiler.ts';
import { encodeOne, EpochProfiler } from './profiler.ts';
import type { Plan } from './plan.ts';
import { compilePlan, initParams, initState } from './plan.ts';

export interface TrainerOptions {
  batchSize?: number; // Keras default 32; the lab uses 500
  seed?: number;
  learningRate?: number;
  /** Which matmul variant runs each shape (src/graph/autotune.ts makes one); default: DEFAULT_MATMUL. */
  matmul?: MatmulPlan;
  /** Profiling mode: GPU time per kernel per epoch (`trainer.profile`, `EpochLog.profile`).
   *  `cpu` times each dispatch on the CPU even when timestamp queries exist. */
  profile?: boolean | 'cpu';
}

export type { RunStats } from './stats.ts';

export type History = Record<string, number[]>;

export interface EpochLog {
  epoch: number; // 1-based
  metrics: Record<string, number>;
  seconds: number;
  /** Profiling mode only: GPU time per kernel in this epoch. */
  profile?: EpochProfile;
}


/** The loss went NaN or infinite; finished epochs stay in `trainer.history`. */
export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
}

type Dispatch = ProfiledDispatch;

/** Rows per batch buffer (and the M of the batch matmuls): the batch, or the larger split if smaller. */
export function batchRows(batchSize: number, data: Dataset): number {
  return Math.min(batchSize, Math.max(data.train.count, data.test.count));
}

const METRIC_SLOT = 4; // ce sum, correct, rows, unused

export class Trainer {
  readonly history: History = {};
  epoch = 0;
  private t = 0;
  private stopRequested = false;
  private submits = 0;
  private readbacks = 0;
  private buffersAtFirstStep = -1;
  private pipelinesAtFirstStep = -1;
  private lastEpochCounts = { submits: 0, readbacks: 0 };
  private profiler: EpochProfiler | null = null;
  private matmulUsed: Record<string, string> = {};
  /** Profiling mode: the last epoch's (or evaluate's) per-kernel times. */
  profile: EpochProfile | null = null;
  private readonly rng: Rng;
  private readonly stepBytes: ArrayBuffer;

  private constructor(
    readonly gpu: Gpu,
    readonly plan: Plan,
    readonly data: Dataset,
    readonly batchSize: number,
    readonly seed: number,
    readonly learningRate: number,
    private readonly arena: BufferArena,
    private readonly pipelines: PipelineCache,
    private readonly buf: Record<'params' | 'state' | 'order' | 'metrics' | 'staging' | 'step', GPUBuffer>,
    private readonly train: Dispatch[],
    private readonly validate: Dispatch[],
    private readonly endNorms: Dispatch[],
    private readonly layout: { trainBatches: number; valBatches: number; normsOff: number; metricsFloats: number },
  ) {
    this.rng = new Rng(seed);
    this.stepBytes = new ArrayBuffer((layout.trainBatches + layout.valBatches + 1) * STEP_SLOT_BYTES);
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
    const seed = options.seed ?? 1;
    const learningRate = options.learningRate ?? ADAM.learningRate;
    const { device } = gpu;
    const arena = new BufferArena(device);
    const pipelines = new PipelineCache(device);
    const B = batchRows(batchSize, data);
    const trainBatches = Math.ceil(data.train.count / batchSize);
    const valBatches = Math.ceil(data.test.count / batchSize);
    const kernels = plan.kernels.map((i) => plan.tensors[i]);
    const normsOff = (trainBatches + valBatches) * METRIC_SLOT;
    const metricsFloats = normsOff + (trainBatches + 1) * kernels.length * 2;

    const upload = (label: string, split: Split) => ({
      x: arena.storage(`${label}/x`, split.x.byteLength, split.x),
      y: arena.storage(`${label}/y`, split.y.byteLength, split.y),
    });
    const trainData = upload('train', data.train);
    const testData = upload('test', data.test);
    const identity = new Uint32Array(data.test.count).map((_, i) => i);
    const P = plan.paramCount;
    const buf = {
      params: arena.storage('params', 4 * P, initParams(plan, seed)),
      state: arena.storage('bn-moving', 4 * plan.stateCount, initState(plan)),
      order: arena.storage('train-order', 4 * data.train.count),
      metrics: arena.storage('metrics', 4 * metricsFloats),
      staging: arena.create('metrics-readback', 4 * metricsFloats, GPUBufferUsage.MAP_READ),
      step: arena.create('steps', (trainBatches + valBatches + 1) * STEP_SLOT_BYTES, GPUBufferUsage.UNIFORM),
    };
    const testOrder = arena.storage('test-order', identity.byteLength, identity);
    const grads = arena.storage('grads', 4 * P);
    const adamM = arena.storage('adam-m', 4 * P);
    const adamV = arena.storage('adam-v', 4 * P);
    const bnStats = arena.storage('bn-batch-stats', 4 * plan.stateCount);
    const tensorTable = (label: string, ts: typeof plan.tensors) =>
      arena.storage(label, 16 * ts.length, packUniform(ts.flatMap((t) => [t.offset, t.size, f32(t.l1), f32(t.l2)])));
    const penaltyTable = tensorTable('penalty-tensors', plan.tensors.filter((t) => t.l1 || t.l2));
    const kernelTable = tensorTable('kernel-tensors', kernels);
    const ys = plan.producers.map((p, i) => arena.storage(`y${i}`, 4 * B * p.width));
    const ds = plan.producers.map((p, i) => (i === 0 ? null : arena.storage(`d${i}`, 4 * B * p.width)));

    const compiles: Promise<void>[] = [];
    const matmulUsed: Record<string, string> = {};
    const dispatch = (list: Dispatch[], kernel: keyof typeof KERNELS, cfg: (number | { f32: number })[], bindings: GPUBuffer[], groups: [number, number], constants: Record<string, number> = {}, meta: Partial<Dispatch> & { source?: KernelSource } = {}) => {
      const { source = KERNELS[kernel], ...info } = meta;
      const entries: GPUBindGroupEntry[] = [
        { binding: 0, resource: { buffer: buf.step, size: 32 } },
        { binding: 1, resource: { buffer: arena.uniform(`${kernel}-cfg`, packUniform(cfg)) } },
        ...bindings.map((buffer, i) => ({ binding: i + 2, resource: { buffer } })),
      ];
      const bindGroup = device.createBindGroup({ label: kernel, layout: pipelines.layout(source), entries });
      const d = { label: kernel, kernel, flopsPerRow: 0, bindGroup, groups, ...info } as Dispatch;
      compiles.push(pipelines.get(source, constants).then((p) => void (d.pipeline = p)));
      list.push(d);
    };

    const train: Dispatch[] = [];
    const validate: Dispatch[] = [];
    const endNorms: Dispatch[] = [];
    const fmt = DATA_FORMAT[data.format];
    const words = rowWords(data.format, data.features);
    const last = plan.producers.length - 1;
    const layerName = (op: Plan['ops'][number]) => plan.tensors.find((t) => t.offset === (op.kind === 'dense' ? op.wOff : op.gammaOff))!.name.split('/')[0];
    // A matmul dispatch: its variant comes from the plan for its shape (see src/graph/matmul.ts).
    const matmul = (list: Dispatch[], op: Extract<Plan['ops'][number], { kind: 'dense' }>, mode: MatmulMode, cfg: (number | { f32: number })[], bindings: GPUBuffer[]) => {
      const shape: MatmulShape = mode === MATMUL_MODE.dW ? { mode, M: op.in + 1, N: op.out, K: B } : mode === MATMUL_MODE.dX ? { mode, M: B, N: op.in, K: op.out } : { mode, M: B, N: op.out, K: op.in };
      const v = variantFor(options.matmul, shape);
      matmulUsed[shapeKey(shape)] = v.id;
      const flopsPerRow = 2 * (mode === MATMUL_MODE.dW ? op.in + 1 : op.in) * op.out;
      dispatch(list, 'matmul', cfg, bindings, matmulGrid(v, shape.M, shape.N), matmulConstants(v, mode), { source: matmulKernel(v), label: `${layerName(op)} ${MODE_NAMES[mode]}`, variant: v.id, shape: shapeKey(shape), flopsPerRow });
    };

    const forward = (list: Dispatch[], split: { x: GPUBuffer; y: GPUBuffer }, order: GPUBuffer) => {
      dispatch(list, 'gather', [data.features, words, fmt, 0], [split.x, order, ys[0]], grid1d(B * data.features));
      for (const op of plan.ops) {
        const epi = epiFields(plan.producers[op.output].epi);
        if (op.kind === 'dense') {
          // X(rows, in) * W(in, out) + b
          matmul(list, op, MATMUL_MODE.forward, [0, op.out, op.in, 0, op.wOff, 0, op.bOff, 0, ...epi], [ys[op.input], buf.params, ys[op.output], buf.params]);
        } else {
          dispatch(list, 'batchnorm', [op.width, op.gammaOff, op.stateOff, 0, f32(1 - op.momentum), f32(op.epsilon), 0, 0, ...epi], [ys[op.input], buf.params, ys[op.output], buf.state, bnStats, buf.params], [op.width, 1], { MODE: 0 }, { label: `${layerName(op)} forward` });
        }
      }
      dispatch(list, 'loss', [plan.outputs, 0, 0, 0], [ys[last], split.y, order, ds[last]!, buf.metrics], [1, 1]);
    };

    if (plan.regularized) dispatch(train, 'norms', [kernels.length, normsOff], [buf.params, kernelTable, buf.metrics], [kernels.length, 1]);
    forward(train, trainData, buf.order);
    for (const op of [...plan.ops].reverse()) {
      const ePrev = epiFields(plan.producers[op.input].epi);
      if (op.kind === 'dense') {
        // [X | 1]^T(in + 1, rows) * dZ(rows, out) -> packed (dW, db)
        matmul(train, op, MATMUL_MODE.dW, [op.in + 1, op.out, 0, 0, 0, op.wOff, 0, 0, ...ePrev], [ys[op.input], ds[op.output]!, grads, buf.params]);
        // dZ(rows, out) * W^T(out, in) through the input producer's epilogue
        if (op.input > 0)
          matmul(train, op, MATMUL_MODE.dX, [0, op.in, op.out, 0, op.wOff, 0, 0, 0, ...ePrev], [ds[op.output]!, buf.params, ds[op.input]!, ys[op.input]]);
      } else {
        dispatch(train, 'batchnorm', [op.width, op.gammaOff, op.stateOff, op.input > 0 ? 1 : 0, f32(1 - op.momentum), f32(op.epsilon), 0, 0, ...ePrev], [ys[op.input], buf.params, ds[op.input] ?? ys[op.output], grads, bnStats, ds[op.output]!], [op.width, 1], { MODE: 1 }, { label: `${layerName(op)} backward` });
      }
    }
    dispatch(train, 'adam', [P, plan.tensors.filter((t) => t.l1 || t.l2).length, f32(ADAM.beta1), f32(ADAM.beta2), f32(ADAM.epsilon), 0, 0, 0], [grads, penaltyTable, buf.params, adamM, adamV], grid1d(P));
    forward(validate, testData, testOrder);
    dispatch(endNorms, 'norms', [kernels.length, normsOff], [buf.params, kernelTable, buf.metrics], [kernels.length, 1]);

    await Promise.all(compiles);
    const trainer = new Trainer(gpu, plan, data, batchSize, seed, learningRate, arena, pipelines, buf, train, validate, endNorms, { trainBatches, valBatches, normsOff, metricsFloats });
    trainer.writeFixedSteps();
    trainer.matmulUsed = matmulUsed;
    if (options.profile) {
      const timing = gpu.hasTimestamps && options.profile !== 'cpu' ? 'timestamp-query' : 'cpu';
      trainer.profiler = new EpochProfiler(gpu, arena, trainBatches * train.length + valBatches * validate.length + endNorms.length, timing);
    }
    return trainer;
  }

  get stats(): RunStats {
    return {
      dispatchesPerStep: this.train.length,
      dispatchesPerValidation: this.validate.length,
      submitsPerEpoch: this.lastEpochCounts.submits,
      readbacksPerEpoch: this.lastEpochCounts.readbacks,
      buffersCreatedAfterFirstStep: this.buffersAtFirstStep < 0 ? 0 : this.arena.created - this.buffersAtFirstStep,
      pipelinesCreatedAfterFirstStep: this.pipelinesAtFirstStep < 0 ? 0 : this.pipelines.created - this.pipelinesAtFirstStep,
      gpuBytes: this.arena.bytes,
      matmul: { ...this.matmulUsed },
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
      const metrics = await this.runEpoch();
      const log: EpochLog = { epoch: this.epoch + 1, metrics, seconds: (performance.now() - started) / 1000, ...(this.profile ? { profile: this.profile } : {}) };
      const bad = Object.entries(metrics).find(([, v]) => !Number.isFinite(v));
      if (bad)
        throw new TrainingDivergedError(
          `Training diverged in epoch ${log.epoch}: ${bad[0]} is ${bad[1]}. The ${this.epoch} finished epochs are kept. ` +
            'Lower the learning rate, add regularization, or check the data for extreme values, then restart.',
        );
      this.epoch++;
      for (const [k, v] of Object.entries(metrics)) (this.history[k] ??= []).push(v);
      options.onEpoch?.(log);
    }
    return this.history;
  }

  /** Keras' evaluate() on the test split: loss (with penalties), accuracy and the pure loss. */
  async evaluate(): Promise<Record<string, number>> {
    const f = await this.submitAndRead([this.validate, this.endNorms]);
    const v = this.sumSlots(f, this.layout.trainBatches, this.layout.valBatches);
    const pen = this.penaltyAt(f, this.layout.trainBatches);
    return { loss: v.ce / v.rows + pen, accuracy: v.correct / v.rows, [this.lossMetric]: v.ce / v.rows };
  }

  /** Reads the parameters, Adam moments and batch-norm state back (tests and export; not per epoch). */
  async readState(): Promise<{ params: Float32Array; state: Float32Array }> {
    const read = async (src: GPUBuffer, bytes: number) => {
      const dst = this.gpu.device.createBuffer({ size: Math.max(16, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const enc = this.gpu.device.createCommandEncoder();
      enc.copyBufferToBuffer(src, 0, dst, 0, Math.max(16, bytes));
      this.gpu.device.queue.submit([enc.finish()]);
      await dst.mapAsync(GPUMapMode.READ);
      const out = new Float32Array(dst.getMappedRange().slice(0, bytes));
      dst.destroy();
      return out;
    };
    return { params: await read(this.buf.params, 4 * this.plan.paramCount), state: await read(this.buf.state, 4 * this.plan.stateCount) };
  }

  /** Replaces the parameters (tests compare a step against the reference from the same start). */
  writeParams(params: Float32Array<ArrayBuffer>): void {
    this.gpu.device.queue.writeBuffer(this.buf.params, 0, params);
  }

  /** Trains one epoch over the given row order (default: a fresh permutation from the seed). */
  async runEpoch(order?: Uint32Array<ArrayBuffer>): Promise<Record<string, number>> {
    const { trainBatches, valBatches } = this.layout;
    const n = this.data.train.count;
    const device = this.gpu.device;
    const perm = order ?? this.rng.permutation(n);
    device.queue.writeBuffer(this.buf.order, 0, perm);
    const view = new DataView(this.stepBytes);
    for (let s = 0; s < trainBatches; s++) {
      const t = ++this.t;
      const rows = Math.min(this.batchSize, n - s * this.batchSize);
      writeStep(view, s * STEP_SLOT_BYTES, { rowStart: s * this.batchSize, rows, t, slot: s, lrT: adamLr(t, this.learningRate), seed: this.seed, training: true });
    }
    device.queue.writeBuffer(this.buf.step, 0, this.stepBytes, 0, trainBatches * STEP_SLOT_BYTES);
    const before = { submits: this.submits, readbacks: this.readbacks };
    const f = await this.submitAndRead([this.train, this.validate, this.endNorms]);
    this.lastEpochCounts = { submits: this.submits - before.submits, readbacks: this.readbacks - before.readbacks };

    const tr = this.sumSlots(f, 0, trainBatches);
    let penaltyRows = 0;
    if (this.plan.regularized) for (let s = 0; s < trainBatches; s++) penaltyRows += this.penaltyAt(f, s) * f[s * METRIC_SLOT + 2];
    const va = this.sumSlots(f, trainBatches, valBatches);
    const penEnd = this.penaltyAt(f, trainBatches);
    const pure = this.lossMetric;
    return {
      loss: (tr.ce + penaltyRows) / tr.rows,
      accuracy: tr.correct / tr.rows,
      [pure]: tr.ce / tr.rows,
      val_loss: va.ce / va.rows + penEnd,
      val_accuracy: va.correct / va.rows,
      [`val_${pure}`]: va.ce / va.rows,
      weight_l1: this.plan.kernels.reduce((s, _, k) => s + f[this.normIndex(trainBatches, k)], 0),
    };
  }

  /** Encodes the given dispatch lists (train steps repeat per batch) and reads the metrics once. */
  private async submitAndRead(phases: Dispatch[][]): Promise<Float32Array> {
    const device = this.gpu.device;
    this.throwIfLost();
    const steps = this.epochSteps(phases);
    const enc = device.createCommandEncoder({ label: 'epoch' });
    if (this.profiler) await this.profiler.record(enc, steps);
    else {
      const pass = enc.beginComputePass({ label: 'epoch' });
      for (const { d, slot } of steps) encodeOne(pass, d, slot, STEP_SLOT_BYTES);
      pass.end();
    }
    enc.copyBufferToBuffer(this.buf.metrics, 0, this.buf.staging, 0, this.buf.staging.size);
    if (this.buffersAtFirstStep < 0) {
      this.buffersAtFirstStep = this.arena.created;
      this.pipelinesAtFirstStep = this.pipelines.created;
    }
    device.queue.submit([enc.finish()]);
    this.submits++;
    try {
      this.readbacks++;
      await this.buf.staging.mapAsync(GPUMapMode.READ);
    } catch (e) {
      this.throwIfLost();
      throw e;
    }
    const f = new Float32Array(this.buf.staging.getMappedRange().slice(0));
    this.buf.staging.unmap();
    if (this.profiler) {
      this.profile = await this.profiler.collect(this.epoch + 1);
      this.submits += this.profiler.extraSubmits;
      this.readbacks += this.profiler.extraReadbacks;
    }
    return f;
  }

  /** The dispatches of an epoch in order: train steps repeat per batch, validation per test batch. */
  private epochSteps(phases: Dispatch[][]): EpochStep[] {
    const { trainBatches, valBatches } = this.layout;
    const steps: EpochStep[] = [];
    const rowsOf = (b: number, n: number) => Math.min(this.batchSize, n - b * this.batchSize);
    const add = (list: Dispatch[], slot: number, phase: Phase, rows: number) => {
      for (const d of list) steps.push({ d, slot, phase, rows });
    };
    for (const list of phases) {
      if (list === this.train) for (let s = 0; s < trainBatches; s++) add(list, s, 'train', rowsOf(s, this.data.train.count));
      else if (list === this.validate) for (let v = 0; v < valBatches; v++) add(list, trainBatches + v, 'validate', rowsOf(v, this.data.test.count));
      else add(list, trainBatches + valBatches, 'end', 0);
    }
    return steps;
  }

  private throwIfLost(): void {
    const lost = this.gpu.lost;
    if (lost) throw new GpuDeviceLostError(lost.message || lost.reason);
  }

  private sumSlots(f: Float32Array, first: number, count: number) {
    let ce = 0;
    let correct = 0;
    let rows = 0;
    for (let s = first; s < first + count; s++) {
      ce += f[s * METRIC_SLOT];
      correct += f[s * METRIC_SLOT + 1];
      rows += f[s * METRIC_SLOT + 2];
    }
    return { ce, correct, rows };
  }

  private normIndex(slot: number, k: number): number {
    return this.layout.normsOff + (slot * this.plan.kernels.length + k) * 2;
  }

  /** Keras' penalty from the norms kernel's slot: sum of l1 * sum|W| + l2 * sum W^2. */
  private penaltyAt(f: Float32Array, slot: number): number {
    let p = 0;
    this.plan.kernels.forEach((ti, k) => {
      const t = this.plan.tensors[ti];
      p += t.l1 * f[this.normIndex(slot, k)] + t.l2 * f[this.normIndex(slot, k) + 1];
    });
    return p;
  }

  /** Step slots that never change: validation batches and the end-of-epoch norms. */
  private writeFixedSteps(): void {
    const { trainBatches, valBatches } = this.layout;
    const view = new DataView(this.stepBytes);
    const n = this.data.test.count;
    const fixed = (i: number, s: Omit<StepFields, 'lrT' | 'seed' | 't'>) => writeStep(view, i * STEP_SLOT_BYTES, { ...s, t: 0, lrT: 0, seed: this.seed });
    for (let v = 0; v < valBatches; v++)
      fixed(trainBatches + v, { rowStart: v * this.batchSize, rows: Math.min(this.batchSize, n - v * this.batchSize), slot: trainBatches + v, training: false });
    fixed(trainBatches + valBatches, { rowStart: 0, rows: 0, slot: trainBatches, training: false });
    const from = trainBatches * STEP_SLOT_BYTES;
    this.gpu.device.queue.writeBuffer(this.buf.step, from, this.stepBytes, from, (valBatches + 1) * STEP_SLOT_BYTES);
  }

  dispose(): void {
    this.arena.destroy();
  }
}

function checkData(plan: Plan, data: Dataset): void {
  const name = `model "${plan.spec.name}"`;
  if (plan.features !== data.features)
    throw new ModelSpecError(`${name}: inputShape [${plan.spec.inputShape}] has ${plan.features} features, but data set "${data.name}" has ${data.features} ([${data.inputShape}])`);
  if (plan.outputs === 1 && data.classes !== 2)
    throw new ModelSpecError(`${name}: a 1-unit sigmoid output needs binary labels, but "${data.name}" has ${data.classes} classes; use Dense(${data.classes}, softmax)`);
  if (plan.outputs > 1 && plan.outputs !== data.classes)
    throw new ModelSpecError(`${name}: the softmax output has ${plan.outputs} units, but "${data.name}" has ${data.classes} classes`);
  if (data.train.count < 1 || data.test.count < 1) throw new RangeError(`data set "${data.name}" has an empty split`);
}

