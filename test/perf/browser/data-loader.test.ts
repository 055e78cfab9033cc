// The browser loader's time budget in real Chromium (`npm run test:perf`, not `npm test`): MNIST's
// load time is printed, and decoding it must not block the main thread for long. What it loads is
// checked in test/browser/data-loader.test.ts.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../../src/data/load-browser.ts';

describe('loading stays off the long-task path', () => {
  it('MNIST (11 MB gzip) loads without a main-thread task over 300 ms (one 680 ms task before slicing)', async () => {
    const long: number[] = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)));
    observer.observe({ type: 'longtask' });
    const t = performance.now();
    const d = await loadDataset('mnist');
    console.log(`mnist loaded in ${(performance.now() - t).toFixed(0)} ms`);
    await new Promise((r) => setTimeout(r, 50)); // let the observer deliver
    observer.disconnect();
    expect(d.train.count).toBe(60_000);
    expect(Math.max(0, ...long)).toBeLessThan(300);
  });
});
