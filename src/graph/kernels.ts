// The WGSL kernel families as plain data: each kernel's `Cfg` uniform (typed, laid out by WGSL's
// rules), its storage bindings in binding order, its workgroup-size override constants and its
// dispatch grid. Binding 0 of every kernel is the per-batch `Step` (dynamic offset), binding 1
// its `Cfg`. No WGSL text here (src/graph/sources.ts has it), so Node code and tests can lower a
// model to dispatches without a browser; test/node/kernels-wgsl.test.ts checks all of this
// against shaders/*.wgsl.
import type { StructDef, StructValues } from '../gpu/struct.ts';
import { struct } from '../gpu/struct.ts';
import type { Epilogue } from '../plan/plan.ts';
import { WSTATS_BINS } from '../plan/weight-stats.ts';
import type { MatmulVariant } from './matmul.ts';
import { DEFAULT_MATMUL, matmulGrid } from './matmul.ts';

/** `Step` in shaders/common.wgsl: one 256-byte slot per batch of an epoch; training is 1 or 0. */
export const STEP = struct('Step', { rowStart: 'u32', rows: 'u32', t: 'u32', slot: 'u32', seed: 'u32', training: 'u32' });
export type StepFields = StructValues<typeof STEP.fields>;

/** `Epi` in shaders/common.wgsl: what a producer applies to its output. */
export const EPI = struct('Epi', { act: 'u32', dropThreshold: 'u32', dropScale: 'f32', layer: 'u32' });
export const epiValues = (e: Epilogue): StructValues<typeof EPI.fields> => ({
  act: e.act,
  dropThreshold: e.dropThreshold,
  dropScale: e.dropScale,
  layer: e.layer,
});

/** `Replica` in shaders/common.wgsl: one replica's seed and dropout override (storage table). */
export const REPLICA = struct('Replica', { seed: 'u32', dropOverride: 'u32', dropThreshold: 'u32', dropScale: 'f32' });

/** `Tensor` in shaders/common.wgsl: a packed parameter tensor and its penalty rates (storage tables). */
export const TENSOR = struct('Tensor', { offset: 'u32', size: 'u32', l1: 'f32', l2: 'f32' });

export type BindingAccess = 'read' | 'rw';

export interface KernelDef<C extends StructDef = StructDef> {
  /** shaders/<name>.wgsl */
  name: KernelName;
  cfg: C;
  /** Storage bindings from binding 2 on, by their WGSL names. */
  bindings: readonly { name: string; access: BindingAccess }[];
  /** Workgroup-size override constants and their values (the grid is computed from them). */
  workgroup: Readonly<Record<string, number>>;
  /** Workgroups for a dispatch: from its Cfg, the batch rows and (matmul) the variant. */
  grid(cfg: StructValues<C['fields']>, rows: number, variant?: MatmulVariant): [number, number];
}

export type KernelName = 'gather' | 'matmul' | 'loss' | 'adam' | 'norms' | 'wstats' | 'batchnorm';

const read = (name: string) => ({ name, access: 'read' as const });
const rw = (name: string) => ({ name, access: 'rw' as const });

/** Workgroups for n threads of a 1-D kernel of `wg` threads, folded into y past the 65535 limit. */
export function grid1d(n: number, wg: number): [number, number] {
  const groups = Math.max(1, Math.ceil(n / wg));
  return groups <= 65535 ? [groups, 1] : [65535, Math.ceil(groups / 65535)];
}

const def = <F extends StructDef>(k: KernelDef<F>) => k;

const WG_1D = 256; // threads per workgroup of the 1-D kernels (gather, adam)

export const GATHER = def({
  name: 'gather',
  cfg: struct('Cfg', { features: 'u32', rowWords: 'u32', format: 'u32', orderRstride: 'u32', xRstride: 'u32' }),
  bindings: [read('data'), read('order'), rw('X')],
  workgroup: { WG: WG_1D },
  grid: (c, rows) => grid1d(rows * c.features, WG_1D),
});

export const MATMUL = def({
  name: 'matmul',
  cfg: struct('Cfg', {
    M: 'u32',
    N: 'u32',
    K: 'u32',
    aOff: 'u32',
    bOff: 'u32',
    cOff: 'u32',
    biasOff: 'u32',
    auxOff: 'u32',
    epi: EPI,
    aRstride: 'u32',
    bRstride: 'u32',
    cRstride: 'u32',
    auxRstride: 'u32',
    activeOff: 'u32',
  }),
  bindings: [read('A'), read('B'), rw('C'), read('AUX'), read('REPLICAS'), rw('ACTIVE')],
  // WG_M, WG_N (and BK) come from the variant; see matmulConstants.
  workgroup: {},
  grid: (c, rows, v = DEFAULT_MATMUL) => matmulGrid(v, c.M || rows, c.N), // M = 0: the batch rows (forward, dX)
});

export const LOSS = def({
  name: 'loss',
  cfg: struct('Cfg', { classes: 'u32', metricsOff: 'u32', zRstride: 'u32', orderRstride: 'u32', metricsRstride: 'u32' }),
  bindings: [read('Z'), read('labels'), read('order'), rw('dZ'), rw('METRICS')],
  workgroup: { RED_WG: WG_1D },
  grid: () => [1, 1], // one workgroup loops over the batch
});

export const ADAM_KERNEL = def({
  name: 'adam',
  cfg: struct('Cfg', { total: 'u32', tensors: 'u32', replicas: 'u32', beta1: 'f32', beta2: 'f32', epsilon: 'f32' }),
  bindings: [read('G'), read('TENSORS'), rw('W'), rw('Mom'), rw('Vel'), read('LR_T')],
  workgroup: { WG: WG_1D },
  grid: (c) => grid1d(c.total, WG_1D),
});

/** `active_off` of a forward kernel whose output is not a ReLU layer's: it marks no active units. */
export const NO_ACTIVE = 0xffffffff;

export const NORMS = def({
  name: 'norms',
  cfg: struct('Cfg', { tensors: 'u32', metricsOff: 'u32', wRstride: 'u32', metricsRstride: 'u32' }),
  bindings: [read('W'), read('TENSORS'), rw('METRICS')],
  workgroup: { RED_WG: WG_1D },
  grid: (c) => [c.tensors, 1], // one workgroup per tensor
});

export const WSTATS = def({
  name: 'wstats',
  cfg: struct('Cfg', { tensors: 'u32', metricsOff: 'u32', wRstride: 'u32', metricsRstride: 'u32', layers: 'u32' }),
  bindings: [read('W'), read('TENSORS'), read('EDGES'), read('LAYERS'), rw('ACTIVE'), rw('METRICS')],
  workgroup: { RED_WG: WG_1D, BINS: WSTATS_BINS },
  grid: (c) => [c.tensors + c.layers, 1], // one workgroup per kernel tensor, then per ReLU layer
});

export const BATCHNORM = def({
  name: 'batchnorm',
  cfg: struct('Cfg', {
    epi: EPI,
    width: 'u32',
    gammaOff: 'u32',
    stateOff: 'u32',
    writeDx: 'u32',
    decay: 'f32',
    epsilon: 'f32',
    actRstride: 'u32',
    pRstride: 'u32',
    accRstride: 'u32',
    sRstride: 'u32',
    activeOff: 'u32',
  }),
  bindings: [read('X'), read('P'), rw('OUT'), rw('ACC'), rw('STATS'), read('DY'), read('REPLICAS'), rw('ACTIVE')],
  workgroup: { WG: 64 },
  grid: (c) => [c.width, 1], // one workgroup per feature column
});

export const KERNELS = { gather: GATHER, matmul: MATMUL, loss: LOSS, adam: ADAM_KERNEL, norms: NORMS, wstats: WSTATS, batchnorm: BATCHNORM } as const;
export type Kernels = typeof KERNELS;
export type CfgOf<K extends KernelName> = StructValues<Kernels[K]['cfg']['fields']>;

export const DATA_FORMAT = { f32: 0, bits: 1, u8: 2 } as const;
