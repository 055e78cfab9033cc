// The in-memory shape every data set takes before its one upload to the GPU.
// Rows stay compact (bits or bytes); expansion to f32 happens in the gather kernel on the GPU.

/** How one row's features are stored in `x`:
 *  - `f32`:  `features` float32 values (bit patterns in the Uint32Array);
 *  - `bits`: ceil(features / 32) words, bit j of word w is feature 32 * w + j (multi-hot);
 *  - `u8`:   ceil(features / 4) words, little-endian bytes, value / 255 is the feature (pixels). */
export type RowFormat = 'f32' | 'bits' | 'u8';

export interface Split {
  /** count * rowWords(format, features) words. */
  x: Uint32Array;
  /** count labels: 0/1 for binary data, class index otherwise. */
  y: Uint32Array;
  count: number;
}

export interface Dataset {
  name: string;
  format: RowFormat;
  /** Flat feature count per row (784 for 28x28). */
  features: number;
  /** The shape a model's input sees, e.g. [100] or [28, 28]. */
  inputShape: number[];
  /** 2 for binary labels (one sigmoid output), 10 for digits. */
  classes: number;
  train: Split;
  test: Split;
  /** What each input column means, when the columns are words (IMDB): exactly `features` entries,
   *  entry i naming column i. Absent for pixels. */
  vocabulary?: string[];
}

export function rowWords(format: RowFormat, features: number): number {
  if (format === 'bits') return Math.ceil(features / 32);
  if (format === 'u8') return Math.ceil(features / 4);
  return features;
}

/** The first `limit` rows of a split (no copy). */
export function takeRows(split: Split, format: RowFormat, features: number, limit?: number): Split {
  if (limit === undefined || limit >= split.count) return split;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a positive integer, got ${limit}`);
  const w = rowWords(format, features);
  return { x: split.x.subarray(0, limit * w), y: split.y.subarray(0, limit), count: limit };
}

export function limitDataset(d: Dataset, trainLimit?: number, testLimit?: number): Dataset {
  return {
    ...d,
    train: takeRows(d.train, d.format, d.features, trainLimit),
    test: takeRows(d.test, d.format, d.features, testLimit),
  };
}

/** Feature j of row r as a float, on the CPU (reference and tests). */
export function feature(d: Pick<Dataset, 'format' | 'features'>, split: Split, r: number, j: number): number {
  const w = rowWords(d.format, d.features);
  const word = split.x[r * w + (d.format === 'bits' ? j >>> 5 : d.format === 'u8' ? j >>> 2 : j)];
  if (d.format === 'bits') return (word >>> (j & 31)) & 1;
  if (d.format === 'u8') return ((word >>> ((j & 3) * 8)) & 255) / 255;
  return new Float32Array(new Uint32Array([word]).buffer)[0];
}
