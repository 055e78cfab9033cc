// Fixtures shared by the Node and the browser test projects: plain data and arithmetic, no WebGPU
// and no Node APIs, so either side can import them.

/**
 * Matmul shapes (rows, K, N) that every matmul kernel test runs, in each mode (forward, dX, dW),
 * variant and epilogue it checks. The first four are edges: a single element and ragged sizes on
 * each side of the 64x64 tile (and of every variant's tile); the rest are the lab's layers
 * (IMDB 100 -> 256, the regularization models' 100 -> 128 -> 128 -> 1) at batches 1, 7 and 500.
 */
export const MATMUL_SHAPES: readonly (readonly [rows: number, K: number, N: number])[] = [
  [1, 1, 1],
  [7, 100, 257],
  [257, 7, 1],
  [100, 257, 7],
  [500, 100, 256],
  [500, 100, 128],
  [1, 100, 128],
  [7, 128, 100],
  [7, 1, 128],
  [500, 128, 1],
  [500, 1, 100],
];

/**
 * Central differences: probes analytic gradients against (L(a + h) - L(a - h)) / 2h, one entry
 * of an array that `loss` reads at a time (the entry is restored after each probe). `worst` is
 * the largest |fd - analytic| / (|fd| + |analytic| + floor) so far (NaN once any is NaN).
 * `loss` may be synchronous (the CPU reference) or asynchronous (a GPU kernel run).
 */
export function centralDifferences(loss: () => number | Promise<number>, h: number, floor: number) {
  let worst = 0;
  return {
    async probe(values: Float32Array | Float64Array, i: number, analytic: number): Promise<void> {
      const keep = values[i];
      values[i] = keep + h;
      const up = await loss();
      values[i] = keep - h;
      const down = await loss();
      values[i] = keep;
      const fd = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - analytic) / (Math.abs(fd) + Math.abs(analytic) + floor));
    },
    get worst() {
      return worst;
    },
  };
}
