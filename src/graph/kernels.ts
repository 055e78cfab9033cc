// The WGSL kernel families and how each sees its bindings (shaders/*.wgsl, in binding order).
import type { KernelSource } from '../gpu/pipelines.ts';
import type { Epilogue } from './plan.ts';
import { f32 } from '../gpu/buffers.ts';
import adam from '../../shaders/adam.wgsl?raw';
import batchnorm from '../../shaders/batchnorm.wgsl?raw';
import gather from '../../shaders/gather.wgsl?raw';
import loss from '../../shaders/loss.wgsl?raw';
import matmul from '../../shaders/matmul.wgsl?raw';
import type { MatmulVariant } from './matmul.ts';
import { DEFAULT_MATMUL, matmulMain } from './matmul.ts';
import norms from '../../shaders/norms.wgsl?raw';

export const KERNELS = {
  gather: { name: 'gather', code: gather, bindings: ['step', 'uniform', 'read', 'read', 'rw'] },
  /** The default variant (src/graph/matmul.ts generates the others). */
  matmul: { name: 'matmul', code: `${matmul}${matmulMain(DEFAULT_MATMUL)}`, bindings: ['step', 'uniform', 'read', 'read', 'rw', 'read'] },
  loss: { name: 'loss', code: loss, bindings: ['step', 'uniform', 'read', 'read', 'read', 'rw', 'rw'] },
  adam: { name: 'adam', code: adam, bindings: ['step', 'uniform', 'read', 'read', 'rw', 'rw', 'rw'] },
  norms: { name: 'norms', code: norms, bindings: ['step', 'uniform', 'read', 'read', 'rw'] },
  batchnorm: { name: 'batchnorm', code: batchnorm, bindings: ['step', 'uniform', 'read', 'read', 'rw', 'rw', 'rw', 'read'] },
} as const satisfies Record<string, KernelSource>;

export { MATMUL_MODE } from './matmul.ts';
/** The default matmul variant's tile (tests size their grids with it). */
export const MATMUL_TILE = { WG_M: 16, WG_N: 16, TM: 4, TN: 4 };
export const DATA_FORMAT = { f32: 0, bits: 1, u8: 2 } as const;

/** The `Epi` struct of shaders/common.wgsl. */
export const epiFields = (e: Epilogue) => [e.act, e.dropThreshold, f32(e.dropScale), e.layer];

/** The `Step` struct of shaders/common.wgsl. */
export interface StepFields {
  rowStart: number;
  rows: number;
  t: number;
  slot: number;
  lrT: number;
  seed: number;
  training: boolean;
}

export function writeStep(view: DataView, byteOffset: number, s: StepFields): void {
  const u = (i: number, v: number) => view.setUint32(byteOffset + 4 * i, v >>> 0, true);
  u(0, s.rowStart);
  u(1, s.rows);
  u(2, s.t);
  u(3, s.slot);
  view.setFloat32(byteOffset + 16, s.lrT, true);
  u(5, s.seed);
  u(6, s.training ? 1 : 0);
  u(7, 0);
}

/** Workgroup grid for n threads of a 256-wide 1-D kernel, folded into y past the 65535 limit. */
export function grid1d(n: number): [number, number] {
  const groups = Math.max(1, Math.ceil(n / 256));
  return groups <= 65535 ? [groups, 1] : [65535, Math.ceil(groups / 65535)];
}

const variantSources = new Map<string, KernelSource>([[DEFAULT_MATMUL.id, KERNELS.matmul]]);

/** The kernel of a matmul variant: shaders/matmul.wgsl + its generated main (src/graph/matmul.ts). */
export function matmulKernel(v: MatmulVariant = DEFAULT_MATMUL): KernelSource {
  let s = variantSources.get(v.id);
  if (!s) {
    s = { name: `matmul.${v.id}`, file: 'matmul', code: `${matmul}${matmulMain(v)}`, bindings: KERNELS.matmul.bindings };
    variantSources.set(v.id, s);
  }
  return s;
}
