import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Split } from '../../src/data/dataset.ts';
import { DEFAULT_BASE, loadDataset } from '../../src/data/load-node.ts';

const classCounts = (s: Split) => {
  const c = new Array(10).fill(0);
  for (const y of s.y) c[y]++;
  return c;
};

describe('MNIST', () => {
  it('has 60,000 / 10,000 28x28 byte images with the known labels', async () => {
    const d = await loadDataset('mnist');
    expect([d.format, d.features, d.inputShape, d.classes]).toEqual(['u8', 784, [28, 28], 10]);
    expect([d.train.count, d.test.count]).toEqual([60000, 10000]);
    expect([d.train.x.length, d.test.x.length]).toEqual([60000 * 196, 10000 * 196]);
    expect([...d.train.y.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect(d.vocabulary).toBeUndefined(); // pixels, not words
    expect(classCounts(d.train)).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(classCounts(d.test)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
    // Pixels stay bytes: image 0 (a 5) has ink, and its corner byte is 0.
    const img0 = new Uint8Array(d.train.x.buffer, d.train.x.byteOffset, 784);
    expect(img0[0]).toBe(0);
    expect(Math.max(...img0)).toBe(255);
  });
});

const fashion = existsSync(join(DEFAULT_BASE, 'fashion-mnist.ofl'));
describe('Fashion-MNIST', () => {
  it.skipIf(!fashion)(
    `has 60,000 / 10,000 images, 6,000 / 1,000 per class${fashion ? '' : ' (skipped: public/data/fashion-mnist.ofl not built; apt-get install dataset-fashion-mnist or set FASHION_MNIST_DIR, then npm run prepare-data)'}`,
    async () => {
      const d = await loadDataset('fashion-mnist');
      expect([d.train.count, d.test.count, d.classes]).toEqual([60000, 10000, 10]);
      expect(classCounts(d.train)).toEqual(new Array(10).fill(6000));
      expect(classCounts(d.test)).toEqual(new Array(10).fill(1000));
    },
  );
});
