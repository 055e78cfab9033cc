// Keras' Adam constants and bias-corrected step size: shared by the GPU executor (src/graph) and
// the CPU reference (src/reference), which must agree on them exactly.

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, learningRate: 0.001 };

/** Keras' bias-corrected step size for step t (1-based). */
export function adamLr(t: number, lr = ADAM.learningRate): number {
  return (lr * Math.sqrt(1 - ADAM.beta2 ** t)) / (1 - ADAM.beta1 ** t);
}
