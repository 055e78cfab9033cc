// Lowering, a pure function: plan -> the buffers and dispatches of one training step, one
// validation batch and the end of an epoch. Each dispatch names its kernel, typed Cfg, override
// constants, buffers (by name), grid, matmul shape and FLOPs; the Trainer only allocates the named
// buffers and encodes the list. Node tests inspect it without a GPU.
import type { Dataset, RowFormat } from '../data/dataset.ts';
import { rowWords } from '../data/dataset.ts';
import { packStruct, packStructArray } from '../gpu/struct.ts';
import { ADAM } from '../plan/adam.ts';
import type { BatchNormOp, DenseOp, Plan, TensorInfo } from '../plan/plan.ts';
import type { ReplicaSpec } from '../plan/replicas.ts';
import { checkReplicas, dropoutFields, replicaTensors } from '../plan/replicas.ts';
import { reluLayers, WSTATS_BINS, WSTATS_FLOATS, weightStatEdges } from '../plan/weight-stats.ts';
import type { CfgOf, KernelDef, KernelName } from './kernels.ts';
import { DATA_FORMAT, epiValues, KERNELS, NO_ACTIVE, REPLICA, TENSOR } from './kernels.ts';
import type { MatmulMode, MatmulPlan, MatmulShape, MatmulVariant } from './matmul.ts';
import { denseShapes, MATMUL_MODE, matmulConstants, MODE_NAMES, shapeKey, variantFor } from './matmul.ts';

/** What lowering needs to know of the data: its row format and split sizes, not its bytes. */
export interface DataShape {
  features: number;
  format: RowFormat;
  trainCount: number;
  testCount: number;
}

export interface LowerOptions {
  batchSize: number;
  matmul?: MatmulPlan;
  /** The replicas trained together (default: one, seed 1); each kernel runs them as its grid's z. */
  replicas?: readonly ReplicaSpec[];
  /** Room to keep a copy of the weights and batch-norm statistics (early stopping's best epoch). */
  keepWeights?: boolean;
}

/** Where early stopping keeps each replica's weights (copies of `params` and `bn-moving`). */
export const KEPT = { params: 'params/kept', moving: 'bn-moving/kept' } as const;

export type BufferUsage = 'storage' | 'readback' | 'steps';

export interface BufferSpec {
  name: string;
  bytes: number;
  usage: BufferUsage;
  /** Contents known from the plan alone (tables, the identity order); the rest the Trainer fills. */
  init?: ArrayBufferView<ArrayBuffer>;
}

export type Phase = 'train' | 'validate' | 'end';

export interface DispatchSpec<K extends KernelName = KernelName> {
  kernel: K;
  /** e.g. `dense_1 forward`, `adam`. */
  label: string;
  cfg: CfgOf<K>;
  /** The packed Cfg uniform. */
  cfgBytes: Uint32Array<ArrayBuffer>;
  /** Pipeline override constants: workgroup sizes, matmul/batch-norm MODE. */
  constants: Record<string, number>;
  /** Storage buffers by name, in binding order from binding 2 (see KernelDef.bindings). */
  buffers: string[];
  /** Workgroups: x and y from the kernel's grid, z the replicas. */
  grid: [number, number, number];
  /** Matmuls: the variant that runs this shape. */
  variant?: MatmulVariant;
  shape?: MatmulShape;
  /** FLOPs per batch row (2 * in * out for a matmul), 0 for other kernels. */
  flopsPerRow: number;
}

export interface Lowered {
  replicas: ReplicaSpec[];
  /** Rows per batch buffer: the batch, or the larger split if smaller. */
  batchRows: number;
  trainBatches: number;
  valBatches: number;
  /** The metrics buffer: 4 floats per batch slot, then sum|W|, sum W^2 per kernel per norm slot,
   *  then each kernel's weight statistics block (src/plan/weight-stats.ts), then the dead units
   *  of each ReLU layer (`deadOff`). */
  metricSlot: 4;
  /** Each replica's kernel tensors with its penalty rates (the penalty in its `loss`). */
  penalties: TensorInfo[][];
  normsOff: number;
  wstatsOff: number;
  deadOff: number;
  metricsFloats: number;
  buffers: BufferSpec[];
  /** One training step, repeated per batch. */
  train: DispatchSpec[];
  /** One validation batch (inference mode), repeated per test batch. */
  validate: DispatchSpec[];
  /** Once at the end of an epoch: the weight norms for val_loss and the sum |W| curve, and the
   *  weight statistics. */
  end: DispatchSpec[];
}

export const STEP_BUFFER = 'steps';

export const dataShape = (d: Dataset): DataShape => ({ features: d.features, format: d.format, trainCount: d.train.count, testCount: d.test.count });

/** Rows per batch buffer (and the M of the batch matmuls): the batch, or the larger split if smaller. */
export function batchRows(batchSize: number, data: Pick<DataShape, 'trainCount' | 'testCount'>): number {
  return Math.min(batchSize, Math.max(data.trainCount, data.testCount));
}

const tensorTable = (ts: TensorInfo[]) =>
  packStructArray(
    TENSOR,
    ts.map((t) => ({ offset: t.offset, size: t.size, l1: t.l1, l2: t.l2 })),
  );

export function lower(plan: Plan, data: DataShape, options: LowerOptions): Lowered {
  const { batchSize } = options;
  const replicas = [...(options.replicas ?? [{ seed: 1 }])];
  checkReplicas(plan, replicas);
  const R = replicas.length;
  const B = batchRows(batchSize, data);
  const trainBatches = Math.ceil(data.trainCount / batchSize);
  const valBatches = Math.ceil(data.testCount / batchSize);
  const kernels = plan.kernels.map((i) => plan.tensors[i]);
  const normsOff = (trainBatches + valBatches) * 4;
  const wstatsOff = normsOff + (trainBatches + 1) * kernels.length * 2;
  const deadOff = wstatsOff + kernels.length * WSTATS_FLOATS;
  const relus = reluLayers(plan);
  const metricsFloats = deadOff + relus.length;
  const words = rowWords(data.format, data.features);
  const P = plan.paramCount;
  const S = plan.stateCount;
  // Penalty tables: the tensors any replica penalizes, with each replica's rates (0 where it has none).
  const tensorsOf = replicas.map((r) => replicaTensors(plan, r));
  const penalizedAt = plan.tensors.flatMap((_, i) => (tensorsOf.some((ts) => ts[i].l1 || ts[i].l2) ? [i] : []));

  const buffers: BufferSpec[] = [];
  const buffer = (name: string, bytes: number, usage: BufferUsage = 'storage', init?: ArrayBufferView<ArrayBuffer>) => {
    buffers.push({ name, bytes, usage, ...(init ? { init } : {}) });
    return name;
  };
  for (const split of ['train', 'test'] as const) {
    const rows = split === 'train' ? data.trainCount : data.testCount;
    buffer(`${split}/x`, 4 * rows * words);
    buffer(`${split}/y`, 4 * rows);
  }
  // Per-replica buffers hold R blocks, replica r's at r times the block.
  const params = buffer('params', 4 * R * P);
  const moving = buffer('bn-moving', 4 * R * S);
  if (options.keepWeights) {
    buffer(KEPT.params, 4 * R * P);
    buffer(KEPT.moving, 4 * R * S);
  }
  const trainOrder = buffer('train-order', 4 * R * data.trainCount);
  const metrics = buffer('metrics', 4 * R * metricsFloats);
  buffer('metrics-readback', 4 * R * metricsFloats, 'readback');
  buffer(STEP_BUFFER, (trainBatches + valBatches + 1) * 256, 'steps');
  const lrT = buffer('lr-t', 4 * trainBatches * R); // Adam's step size per batch slot and replica
  const testOrder = buffer(
    'test-order',
    4 * data.testCount,
    'storage',
    new Uint32Array(data.testCount).map((_, i) => i),
  );
  const grads = buffer('grads', 4 * R * P);
  const adamM = buffer('adam-m', 4 * R * P);
  const adamV = buffer('adam-v', 4 * R * P);
  const bnStats = buffer('bn-batch-stats', 4 * R * S);
  const table = (name: string, t: Uint32Array<ArrayBuffer>) => buffer(name, t.byteLength, 'storage', t);
  const penaltyTable = table('penalty-tensors', tensorTable(tensorsOf.flatMap((ts) => penalizedAt.map((i) => ts[i]))));
  const kernelTable = table('kernel-tensors', tensorTable(kernels));
  const edges = buffer('wstats-edges', 4 * (WSTATS_BINS + 1), 'storage', weightStatEdges());
  // Each ReLU layer's active-unit flags: R blocks of its width, the layers one after another.
  const activeOff = new Map<number, number>(); // producer -> its first flag
  let flags = 0;
  for (const l of relus) {
    activeOff.set(l.producer, flags);
    flags += R * l.units;
  }
  const reluTable = table(
    'relu-layers',
    packStructArray(
      TENSOR,
      relus.map((l) => ({ offset: activeOff.get(l.producer)!, size: l.units, l1: 0, l2: 0 })),
    ),
  );
  const active = buffer('relu-active', 4 * Math.max(1, flags));
  const activeOf = (producer: number) => activeOff.get(producer) ?? NO_ACTIVE;

  const replicaTable = table(
    'replicas',
    packStructArray(
      REPLICA,
      replicas.map((r) => ({ seed: r.seed, dropOverride: r.dropout === undefined ? 0 : 1, ...dropoutFields(r.dropout ?? 0) })),
    ),
  );
  const ys = plan.producers.map((p, i) => buffer(`y${i}`, 4 * R * B * p.width));
  const ds = plan.producers.map((p, i) => (i === 0 ? '' : buffer(`d${i}`, 4 * R * B * p.width)));
  const act = (i: number) => B * plan.producers[i].width; // a replica's block of y_i and d_i

  const dispatch = <K extends KernelName>(list: DispatchSpec[], kernel: K, cfg: CfgOf<K>, bound: string[], extra: Partial<DispatchSpec<K>> = {}) => {
    const k: KernelDef = KERNELS[kernel]; // the call's `cfg` is typed per kernel; below it is data
    const constants = { ...k.workgroup, ...extra.constants };
    const grid: [number, number, number] = [...k.grid(cfg as never, B, extra.variant), R];
    list.push({
      kernel,
      label: kernel,
      cfg,
      cfgBytes: packStruct(k.cfg, cfg as never),
      buffers: bound,
      grid,
      flopsPerRow: 0,
      ...extra,
      constants,
    } as DispatchSpec);
  };
  const layerName = (op: DenseOp | BatchNormOp) => plan.tensors.find((t) => t.offset === (op.kind === 'dense' ? op.wOff : op.gammaOff))!.name.split('/')[0];
  /** A matmul of a Dense layer: operands by buffer with their per-replica strides. */
  const matmul = (
    list: DispatchSpec[],
    op: DenseOp,
    mode: MatmulMode,
    cfg: Omit<CfgOf<'matmul'>, 'aRstride' | 'bRstride' | 'cRstride' | 'auxRstride' | 'activeOff'>,
    bound: [string, number][],
  ) => {
    const shapes = denseShapes(op, B);
    const shape = (mode === MATMUL_MODE.forward ? shapes.forward : mode === MATMUL_MODE.dW ? shapes.dW : shapes.dX)!;
    const variant = variantFor(options.matmul, shape);
    const [aRstride, bRstride, cRstride, auxRstride] = bound.map(([, stride]) => stride);
    // The forward of a ReLU layer marks its active units while validating.
    const activeOff = mode === MATMUL_MODE.forward ? activeOf(op.output) : NO_ACTIVE;
    dispatch(list, 'matmul', { ...cfg, aRstride, bRstride, cRstride, auxRstride, activeOff }, [...bound.map(([b]) => b), replicaTable, active], {
      label: `${layerName(op)} ${MODE_NAMES[mode]}`,
      constants: matmulConstants(variant, mode),
      variant,
      shape,
      flopsPerRow: 2 * (mode === MATMUL_MODE.dW ? op.in + 1 : op.in) * op.out,
    });
  };
  const batchnorm = (list: DispatchSpec[], op: BatchNormOp, mode: 0 | 1, bound: string[]) => {
    const cfg = {
      epi: epiValues(plan.producers[mode === 0 ? op.output : op.input].epi),
      width: op.width,
      gammaOff: op.gammaOff,
      stateOff: op.stateOff,
      writeDx: mode === 1 && op.input > 0 ? 1 : 0,
      decay: 1 - op.momentum,
      epsilon: op.epsilon,
      actRstride: act(op.input),
      pRstride: P,
      accRstride: mode === 0 ? S : P,
      sRstride: S,
      activeOff: mode === 0 ? activeOf(op.output) : NO_ACTIVE,
    };
    dispatch(list, 'batchnorm', cfg, [...bound, replicaTable, active], {
      label: `${layerName(op)} ${mode === 0 ? 'forward' : 'backward'}`,
      constants: { MODE: mode },
    });
  };
  const norms = (list: DispatchSpec[]) =>
    dispatch(list, 'norms', { tensors: kernels.length, metricsOff: normsOff, wRstride: P, metricsRstride: metricsFloats }, [params, kernelTable, metrics]);

  const forward = (list: DispatchSpec[], split: 'train' | 'test', order: string) => {
    const orderRstride = split === 'train' ? data.trainCount : 0; // validation: one order for all
    const gather = { features: data.features, rowWords: words, format: DATA_FORMAT[data.format], orderRstride, xRstride: act(0) };
    dispatch(list, 'gather', gather, [`${split}/x`, order, ys[0]]);
    for (const op of plan.ops) {
      if (op.kind === 'dense') {
        const epi = epiValues(plan.producers[op.output].epi);
        // Y(rows, out) = epilogue(X(rows, in) * W(in, out) + b); M = 0: the step's rows
        matmul(list, op, MATMUL_MODE.forward, { M: 0, N: op.out, K: op.in, aOff: 0, bOff: op.wOff, cOff: 0, biasOff: op.bOff, auxOff: 0, epi }, [
          [ys[op.input], act(op.input)],
          [params, P],
          [ys[op.output], act(op.output)],
          [params, P],
        ]);
      } else batchnorm(list, op, 0, [ys[op.input], params, ys[op.output], moving, bnStats, params]);
    }
    const last = plan.producers.length - 1;
    const loss = { classes: plan.outputs, metricsOff: 0, zRstride: act(last), orderRstride, metricsRstride: metricsFloats };
    dispatch(list, 'loss', loss, [ys[last], `${split}/y`, order, ds[last], metrics]);
  };

  const train: DispatchSpec[] = [];
  if (penalizedAt.length) norms(train); // the penalty at the step's start, for `loss`
  forward(train, 'train', trainOrder);
  for (const op of [...plan.ops].reverse()) {
    if (op.kind === 'dense') {
      const epi = epiValues(plan.producers[op.input].epi);
      // [X | 1]^T(in + 1, rows) * dZ(rows, out) -> packed (dW, db) at wOff
      matmul(train, op, MATMUL_MODE.dW, { M: op.in + 1, N: op.out, K: 0, aOff: 0, bOff: 0, cOff: op.wOff, biasOff: 0, auxOff: 0, epi }, [
        [ys[op.input], act(op.input)],
        [ds[op.output], act(op.output)],
        [grads, P],
        [params, P],
      ]);
      // dZ(rows, out) * W^T(out, in) through the input producer's epilogue
      if (op.input > 0)
        matmul(train, op, MATMUL_MODE.dX, { M: 0, N: op.in, K: op.out, aOff: 0, bOff: op.wOff, cOff: 0, biasOff: 0, auxOff: 0, epi }, [
          [ds[op.output], act(op.output)],
          [params, P],
          [ds[op.input], act(op.input)],
          [ys[op.input], act(op.input)],
        ]);
    } else batchnorm(train, op, 1, [ys[op.input], params, ds[op.input] || ys[op.output], grads, bnStats, ds[op.output]]);
  }
  const adam = { total: P, tensors: penalizedAt.length, replicas: R, beta1: ADAM.beta1, beta2: ADAM.beta2, epsilon: ADAM.epsilon };
  dispatch(train, 'adam', adam, [grads, penaltyTable, params, adamM, adamV, lrT]);

  const validate: DispatchSpec[] = [];
  forward(validate, 'test', testOrder);
  const end: DispatchSpec[] = [];
  norms(end);
  dispatch(end, 'wstats', { tensors: kernels.length, metricsOff: wstatsOff, wRstride: P, metricsRstride: metricsFloats, layers: relus.length }, [
    params,
    kernelTable,
    edges,
    reluTable,
    active,
    metrics,
  ]);

  const penalties = tensorsOf.map((ts) => plan.kernels.map((i) => ts[i]));
  return {
    replicas,
    batchRows: B,
    trainBatches,
    valBatches,
    metricSlot: 4,
    penalties,
    normsOff,
    wstatsOff,
    deadOff,
    metricsFloats,
    buffers,
    train,
    validate,
    end,
  };
}

/** A dispatch list as text: one line per dispatch (debug output, and readable test failures). */
export function describeDispatches(list: DispatchSpec[]): string {
  return list
    .map(
      (d) =>
        `${d.label.padEnd(22)} ${d.kernel.padEnd(9)} grid ${d.grid.join('x').padEnd(7)} ${d.shape ? `${shapeKey(d.shape)} ${d.variant!.id}` : ''} [${d.buffers.join(', ')}]`,
    )
    .join('\n');
}
