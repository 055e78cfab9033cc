// Weight statistics per kernel tensor, computed on the GPU once per epoch (shaders/wstats.wgsl)
// and by its CPU twin (src/reference/ops.ts): a histogram of |w| on a log scale, how many weights
// are near zero and the largest |w|. Bin edges are f32 values both sides compare against, so the
// GPU's counts equal the reference's exactly.
//
// Layout of one tensor's block (WSTATS_FLOATS floats, counts as exact f32 integers):
//   [0] exact zeros, [1] 0 < |w| < 1e-6, [2 .. 2+BINS) the log bins from 1e-6 to 10,
//   [2+BINS] |w| >= 10, [3+BINS] |w| < 1e-3 (zeros included), [4+BINS] max |w|.

import { layerInfo } from '../model/summary.ts';
import type { Plan } from './plan.ts';
import { ACT } from './plan.ts';

export const WSTATS_BINS = 48;
export const WSTATS_LO = 1e-6;
export const WSTATS_HI = 10;
export const NEAR_ZERO = 1e-3;
export const WSTATS_FLOATS = WSTATS_BINS + 5;

/** The BINS + 1 bin edges, 10^(-6 + 7 i / BINS), as f32: bin i holds edge[i] <= |w| < edge[i + 1]. */
export function weightStatEdges(): Float32Array<ArrayBuffer> {
  const lo = Math.log10(WSTATS_LO);
  const span = Math.log10(WSTATS_HI) - lo;
  return Float32Array.from({ length: WSTATS_BINS + 1 }, (_, i) => 10 ** (lo + (span * i) / WSTATS_BINS));
}

export interface WeightStats {
  /** The kernel tensor, e.g. `dense/kernel`. */
  tensor: string;
  /** Exact zeros. */
  zeros: number;
  /** Counts per bin: [0, 1e-6) without the zeros, the BINS log bins, then [10, inf). */
  bins: number[];
  /** Weights with |w| < 1e-3 (zeros included). */
  nearZero: number;
  size: number;
  maxAbs: number;
}

/** A ReLU layer's units that were never active (output > 0) on any validation row in an epoch,
 *  counted on the GPU while it validates (the end-of-epoch statistics dispatch counts them). */
export interface DeadUnits {
  /** The Keras layer that applies the ReLU: `dense` (Dense with activation relu) or `activation`. */
  layer: string;
  units: number;
  dead: number;
}

/** One tensor's block as numbers. */
export function decodeWeightStats(block: ArrayLike<number>, tensor: string, size: number): WeightStats {
  const at = (i: number) => block[i];
  return {
    tensor,
    zeros: at(0),
    bins: Array.from({ length: WSTATS_BINS + 2 }, (_, i) => at(1 + i)),
    nearZero: at(3 + WSTATS_BINS),
    size,
    maxAbs: at(4 + WSTATS_BINS),
  };
}

/** Each kernel tensor as Keras names it (`dense_1/kernel`), in the plan's kernel order. */
export function kernelNames(plan: Plan): string[] {
  const layers = layerInfo(plan.spec);
  return plan.ops.filter((op) => op.kind === 'dense').map((op) => `${layers[op.layer].name}/kernel`);
}

/** The ReLU layers whose dead units are counted: the producers with a ReLU, in plan order, each
 *  named as Keras names the layer that applies it. */
export function reluLayers(plan: Plan): { producer: number; layer: string; units: number }[] {
  const layers = layerInfo(plan.spec);
  return plan.producers.flatMap((p, producer) => (p.epi.act === ACT.relu ? [{ producer, layer: layers[p.actLayer!].name, units: p.width }] : []));
}
