import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset, Split } from '../../src/data/dataset.ts';
import { topWords, vocabulary, words } from '../../src/data/imdb.ts';
import { loadDataset } from '../../src/data/load-node.ts';

const bit = (s: Split, r: number, c: number) => (s.x[r * 4 + (c >>> 5)] >>> (c & 31)) & 1;
const popcount = (v: number) => {
  let c = 0;
  for (; v; v &= v - 1) c++;
  return c;
};

describe('Keras text filter', () => {
  it('lowercases, turns filter characters into spaces, keeps apostrophes', () => {
    expect(words("It's GREAT!<br /><br />A must-see.\tReally")).toEqual(["it's", 'great', 'br', 'br', 'a', 'must', 'see', 'really']);
  });
});

describe('IMDB (num_words=100, multi-hot)', () => {
  let d: Dataset;
  beforeAll(async () => {
    d = await loadDataset('imdb');
  });

  it('has the Keras shape', () => {
    expect([d.format, d.features, d.inputShape, d.classes]).toEqual(['bits', 100, [100], 2]);
    expect([d.train.count, d.test.count]).toEqual([25000, 25000]);
    expect([d.train.x.length, d.test.x.length]).toEqual([100000, 100000]);
  });

  it('has 12,500 positives in each split', () => {
    for (const s of [d.train, d.test]) expect(s.y.reduce((a, b) => a + b, 0)).toBe(12500);
  });

  it('starts every row with index 1 and never sets 0, 3 or columns past 99', () => {
    for (const s of [d.train, d.test]) {
      for (let r = 0; r < s.count; r++) {
        if (!bit(s, r, 1) || bit(s, r, 0) || bit(s, r, 3) || s.x[r * 4 + 3] >>> 4) throw new Error(`row ${r} breaks the index rules`);
      }
    }
  });

  it('is in Keras order (RandomState(113) shuffle of positives then negatives)', () => {
    expect([...d.train.y.subarray(0, 10)]).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 1, 0]);
  });

  it('averages about 44 active columns per row (measured 43.92 train, 43.46 test)', () => {
    for (const s of [d.train, d.test]) {
      const avg = s.x.reduce((a, v) => a + popcount(v), 0) / s.count;
      expect(avg).toBeGreaterThan(43);
      expect(avg).toBeLessThan(45);
    }
  });

  it('names its 100 columns in the Keras index order: marks, then the most frequent words', () => {
    const v = d.vocabulary!;
    expect(v).toHaveLength(100);
    expect(v.slice(0, 12)).toEqual(['<pad>', '<start>', '<oov>', '<unused>', 'the', 'and', 'a', 'of', 'to', 'is', 'br', 'in']);
    expect(v).toContain('movie');
    expect(v).toContain('film');
    expect(new Set(v).size).toBe(100);
    // Each word is one token as the Keras filter makes them.
    for (const w of v.slice(4)) expect(words(w)).toEqual([w]);
    // Its column is set where the review has it: "the" (column 4) in nearly every review.
    const withThe = Array.from({ length: d.train.count }, (_, r) => bit(d.train, r, 4)).reduce((a, b) => a + b, 0);
    expect(withThe / d.train.count).toBeGreaterThan(0.95);
  });

  it('takes the first N rows with limits', async () => {
    const small = await loadDataset('imdb', { trainLimit: 10, testLimit: 5 });
    expect([small.train.count, small.test.count, small.train.x.length]).toEqual([10, 5, 40]);
    expect([...small.train.y]).toEqual([...d.train.y.subarray(0, 10)]);
    expect(small.vocabulary).toEqual(d.vocabulary);
  });
});

describe('IMDB vocabulary', () => {
  it('puts each word at its index and names columns no word reaches', () => {
    const v = vocabulary(topWords(['b a b c b a']));
    expect(v).toHaveLength(100);
    expect(v.slice(0, 8)).toEqual(['<pad>', '<start>', '<oov>', '<unused>', 'b', 'a', 'c', '<none 7>']);
    expect(v[99]).toBe('<none 99>');
  });
});
