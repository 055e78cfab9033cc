// The browser loader in real Chromium: fetch from Vite's public/ + DecompressionStream. Its load
// time and long-task budget are in test/perf/browser/data-loader.test.ts (`npm run test:perf`).
import { describe, expect, it } from 'vitest';
import type { Split } from '../../src/data/dataset.ts';
import { loadDataset } from '../../src/data/load-browser.ts';

const classCounts = (s: Split, k: number) => {
  const c = new Array(k).fill(0);
  for (const y of s.y) c[y]++;
  return c;
};

describe('browser data loader', () => {
  it('loads IMDB in Keras order', async () => {
    const d = await loadDataset('imdb');
    expect([d.format, d.features, d.train.count, d.test.count]).toEqual(['bits', 100, 25000, 25000]);
    expect(classCounts(d.train, 2)).toEqual([12500, 12500]);
    expect(classCounts(d.test, 2)).toEqual([12500, 12500]);
    expect([...d.train.y.subarray(0, 10)]).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 1, 0]);
    for (let r = 0; r < d.train.count; r++) if ((d.train.x[r * 4] & 3) !== 2) throw new Error(`row ${r}: column 1 off or column 0 on`);
  });

  it('loads MNIST (gzip) with its known labels', async () => {
    const d = await loadDataset('mnist');
    expect([d.format, d.features, d.inputShape, d.train.count, d.test.count]).toEqual(['u8', 784, [28, 28], 60000, 10000]);
    expect([...d.train.y.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect(classCounts(d.train, 10)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(classCounts(d.test, 10)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('applies limits', async () => {
    const d = await loadDataset('imdb', { trainLimit: 100, testLimit: 50 });
    expect([d.train.count, d.test.count, d.train.x.length, d.test.y.length]).toEqual([100, 50, 400, 50]);
  });

  it('names the file and the rebuild command when it is missing', async () => {
    await expect(loadDataset('imdb', { base: '/no-such-data' })).rejects.toThrow(
      /\/no-such-data\/imdb\.ofl is missing\. Rebuild it with `npm run prepare-data`/,
    );
  });
});
