// The browser loader in real Chromium: fetch from Vite's public/ + DecompressionStream. Its load
// time and long-task budget are in test/perf/browser/data-loader.test.ts (`npm run test:perf`).
import { describe, expect, it } from 'vitest';
import type { Split } from '../../src/data/dataset.ts';
import { DataFileError, loadDataset } from '../../src/data/load-browser.ts';

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

  it('names the address it tried, the HTTP status and what an author copies where when it is missing', async () => {
    const url = new URL('/no-such-data/imdb.ofl', location.href).href;
    const folder = new URL('/no-such-data/', location.href).href;
    const err = await loadDataset('imdb', { base: '/no-such-data' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(DataFileError);
    expect((err as Error).message).toBe(
      // Vitest's server, like Vite's, answers an unknown path with its index page (status 200).
      `Data file ${url} is missing (the server sent a web page instead, HTTP 200). Copy imdb.ofl (in overfit-lab's public/data/ after \`npm install\`) into ${folder}, ` +
        "or set the element's data-base attribute to the folder that holds it (in a checkout of overfit-lab: `npm run prepare-data`).",
    );
  });
});
