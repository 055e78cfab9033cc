// Small learnable data sets made in memory, in each row format the GPU gathers from.
import type { Dataset, RowFormat, Split } from '../src/data/dataset.ts';
import { feature, rowWords } from '../src/data/dataset.ts';
import { Rng } from '../src/random.ts';

/** Binary labels from a fixed linear rule over the features (learnable to ~100%). */
export function syntheticBinary(opts: { train: number; test: number; features: number; format?: RowFormat; seed?: number }): Dataset {
  return synthetic({ ...opts, classes: 2 });
}

/** `classes` labels from the arg-max of fixed linear scores. */
export function synthetic(opts: {
  train: number;
  test: number;
  features: number;
  classes: number;
  format?: RowFormat;
  seed?: number;
  inputShape?: number[];
}): Dataset {
  const { features, classes } = opts;
  const format = opts.format ?? 'f32';
  const rng = new Rng(opts.seed ?? 42);
  const w = Float64Array.from({ length: features * Math.max(classes, 2) }, () => rng.next() * 2 - 1);
  const words = rowWords(format, features);
  const split = (count: number): Split => {
    const x = new Uint32Array(count * words);
    const xf = new Float32Array(x.buffer);
    const y = new Uint32Array(count);
    const d = { format, features };
    const s = { x, y, count };
    for (let r = 0; r < count; r++) {
      for (let j = 0; j < features; j++) {
        const u = rng.next();
        if (format === 'f32') xf[r * words + j] = u * 2 - 1;
        else if (format === 'bits') x[r * words + (j >>> 5)] |= (u < 0.4 ? 1 : 0) << (j & 31);
        else x[r * words + (j >>> 2)] |= Math.floor(u * 256) << ((j & 3) * 8);
      }
      const score = (c: number) => {
        let t = 0;
        for (let j = 0; j < features; j++) t += w[c * features + j] * (feature(d, s, r, j) - (format === 'f32' ? 0 : format === 'bits' ? 0.4 : 0.5));
        return t;
      };
      if (classes === 2) y[r] = score(0) > 0 ? 1 : 0;
      else {
        let best = 0;
        for (let c = 1; c < classes; c++) if (score(c) > score(best)) best = c;
        y[r] = best;
      }
    }
    return s;
  };
  return {
    name: `synthetic-${format}`,
    format,
    features,
    inputShape: opts.inputShape ?? [features],
    classes,
    train: split(opts.train),
    test: split(opts.test),
  };
}

/** Rows [start, start + rows) of a split through `order`, as floats (the CPU side of gather). */
export function batchOf(d: Dataset, split: Split, order: ArrayLike<number>, start: number, rows: number) {
  const x = new Float32Array(rows * d.features);
  const labels = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) {
    labels[r] = split.y[order[start + r]];
    for (let j = 0; j < d.features; j++) x[r * d.features + j] = feature(d, split, order[start + r], j);
  }
  return { x, labels };
}
