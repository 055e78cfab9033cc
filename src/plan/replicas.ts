// Replicas: copies of one model trained side by side in one run, each with its own seed (initial
// weights, epoch shuffle, dropout masks) and, for a sweep, its own L1 or L2 factor, dropout rate or
// learning rate. A replica equals a single run with the same settings.
import type { ModelSpec } from '../model/spec.ts';
import { ModelSpecError } from '../model/spec.ts';
import { ADAM } from './adam.ts';
import type { Plan, TensorInfo } from './plan.ts';

export { dropoutFields } from './plan.ts';

export const SWEEP_PARAMS = ['l1', 'l2', 'dropout', 'lr'] as const;
export type SweepParam = (typeof SWEEP_PARAMS)[number];

export interface ReplicaSpec {
  seed: number;
  /** Replaces the L1 / L2 factor of every hidden Dense kernel (the output layer's stays as specified). */
  l1?: number;
  l2?: number;
  /** Replaces the rate of every Dropout layer. */
  dropout?: number;
  /** Adam's learning rate (default 0.001). */
  lr?: number;
}

/** Whether a sweep varies the model: a dropout sweep needs a Dropout layer (a model without one
 *  trains once per seed, as the reference beside the swept models); l1, l2 and lr vary any model. */
export const sweepApplies = (spec: ModelSpec, sweep: { param: SweepParam }): boolean =>
  sweep.param !== 'dropout' || spec.layers.some((l) => l.type === 'Dropout' && l.rate > 0);

/** The replicas of a run: every seed, crossed with every value of the sweep if there is one (and,
 *  given the model, if the sweep applies to it). */
export function replicaSpecs(seeds: readonly number[], sweep?: { param: SweepParam; values: readonly number[] }, spec?: ModelSpec): ReplicaSpec[] {
  if (!seeds.length) throw new RangeError('at least one seed is needed');
  if (!sweep || (spec && !sweepApplies(spec, sweep))) return seeds.map((seed) => ({ seed }));
  return sweep.values.flatMap((v) => seeds.map((seed) => ({ seed, [sweep.param]: v })));
}

/** Checks the replicas against the model; the message says which value and what to do. */
export function checkReplicas(plan: Plan, replicas: readonly ReplicaSpec[]): void {
  if (!replicas.length) throw new RangeError('a run needs at least one replica');
  const name = `model "${plan.spec.name}"`;
  for (const r of replicas) {
    if (!Number.isInteger(r.seed) || r.seed < 0 || r.seed > 0xffffffff)
      throw new RangeError(`replica seed must be an integer in [0, 4294967295], got ${r.seed}`);
    for (const p of ['l1', 'l2'] as const)
      if (r[p] !== undefined && !(Number.isFinite(r[p]) && r[p] >= 0)) throw new ModelSpecError(`${name}: ${p} must be a number >= 0, got ${r[p]}`);
    if (r.lr !== undefined && !(Number.isFinite(r.lr) && r.lr > 0)) throw new ModelSpecError(`${name}: lr must be a number > 0, got ${r.lr}`);
    if (r.dropout !== undefined) {
      if (!(r.dropout >= 0 && r.dropout < 1)) throw new ModelSpecError(`${name}: a dropout rate must be in [0, 1), got ${r.dropout}`);
      if (!plan.producers.some((p) => p.epi.dropThreshold > 0))
        throw new ModelSpecError(
          `${name} has no Dropout layer to vary; sweep dropout on a model with Dropout layers (e.g. --experiment dropout --model dropout)`,
        );
    }
  }
}

/** A replica's tensors: the plan's, with its L1 / L2 factors on the hidden Dense kernels. */
export function replicaTensors(plan: Plan, r: ReplicaSpec): TensorInfo[] {
  const outputKernel = plan.kernels[plan.kernels.length - 1];
  return plan.tensors.map((t, i) => (t.kind === 'kernel' && i !== outputKernel ? { ...t, l1: r.l1 ?? t.l1, l2: r.l2 ?? t.l2 } : t));
}

export const replicaLr = (r: ReplicaSpec) => r.lr ?? ADAM.learningRate;
