// Word importance for models on word columns (IMDB): each input column's weight in the first Dense
// layer, as the L2 norm of its row of the kernel. L1's feature selection shows as words whose
// whole row went (nearly) to zero. Pure: a plan, its parameters and the data set's vocabulary.
import type { Plan } from '../plan/plan.ts';

export interface WordWeight {
  /** The input column (the Keras word index for IMDB). */
  column: number;
  word: string;
  /** L2 norm of the column's row of the first Dense kernel: sqrt(sum_j W[column, j]^2). */
  norm: number;
}

/** Every input column of the first Dense layer, strongest first (ties: lower column first).
 *  `params` is the plan's packed parameters (`plan.paramCount` values, one model or replica);
 *  `vocabulary` names the columns (`Dataset.vocabulary`), one entry per input of that layer. */
export function wordImportance(plan: Plan, params: ArrayLike<number>, vocabulary: readonly string[]): WordWeight[] {
  const op = plan.ops[0];
  const name = plan.spec.name;
  if (!op) throw new Error(`word importance: model "${name}" has no layer with weights`);
  if (op.kind !== 'dense')
    throw new Error(`word importance: model "${name}" starts with ${plan.spec.layers[op.layer].type}, not Dense: its first weights are not per word`);
  if (params.length !== plan.paramCount) throw new Error(`word importance: model "${name}" has ${plan.paramCount} parameters, got ${params.length} values`);
  if (vocabulary.length !== op.in)
    throw new Error(`word importance: model "${name}" has ${op.in} inputs, the vocabulary ${vocabulary.length} words (one per input column needed)`);
  // The kernel is (in, out) row-major at wOff: input k's weights are the row wOff + k * out ...
  const ranked = Array.from({ length: op.in }, (_, column) => {
    let sq = 0;
    for (let j = 0, o = op.wOff + column * op.out; j < op.out; j++, o++) sq += params[o] * params[o];
    return { column, word: vocabulary[column], norm: Math.sqrt(sq) };
  });
  return ranked.sort((a, b) => b.norm - a.norm || a.column - b.column);
}

/** How many of `weights` have a norm below `threshold`: the words a model has (nearly) dropped. */
export function countNearZero(weights: readonly WordWeight[], threshold = 1e-3): number {
  return weights.reduce((n, w) => n + (w.norm < threshold ? 1 : 0), 0);
}
