// The browser loader in real Chromium: fetch from Vite's public/ + DecompressionStream.
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
    const t = performance.now();
    const d = await loadDataset('mnist');
    console.log(`mnist loaded in ${(performance.now() - t).toFixed(0)} ms`);
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

describe('loading stays off the long-task path', () => {
  it('MNIST (11 MB gzip) loads without a main-thread task over 300 ms (one 680 ms task before slicing)', async () => {
    const long: number[] = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)));
    observer.observe({ type: 'longtask' });
    const d = await loadDataset('mnist');
    await new Promise((r) => setTimeout(r, 50)); // let the observer deliver
    observer.disconnect();
    expect(d.train.count).toBe(60_000);
    expect(Math.max(0, ...long)).toBeLessThan(300);
  });
});
