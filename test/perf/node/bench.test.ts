// The bench command (`--quick`) end to end as a subprocess in headless Chromium: our trainer and tfjs
// WebGPU side by side, the autotune and its cache file. A benchmark (minutes of TensorFlow.js on
// SwiftShader), so it runs with `npm run test:perf`, not `npm test`. No timing is asserted: only
// that figures exist, name their adapter, and the counts hold.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../node/run-cli.ts';

const tmp = mkdtempSync(join(tmpdir(), 'overfit-bench-'));

const cli = (args: string[]) => runCli('bench', args);

describe('bench --quick in headless Chromium', { timeout: 600_000 }, () => {
  const cache = join(tmp, 'tune.json');

  it('prints the tables with the adapter named; tunes once and caches the choice in a file', async () => {
    const r = await cli(['--quick', '--models', 'imdb-basic', '--tfjs', 'webgpu', '--tune-cache', cache]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^overfit-lab bench — adapter: \S+/m);
    expect(r.out).toMatch(/load average \d+\.\d\d/);
    expect(r.out).toMatch(/^Matmul autotune \(.+\)$/m);
    expect(r.out).toMatch(/^Kernel table: the lab's matmul shapes \(.+; (timestamp-query, observed resolution \d+ ns|CPU-side timing)/m);
    expect(r.out).toMatch(/^forward 500x256x100\s+0\.0256\s+\S+\s+\d+\.\d\d\s+\d+\.\d\d/m);
    expect(r.out).toMatch(/^Training epochs \(.+\)$/m);
    expect(r.out).toMatch(/^imdb-basic\s+overfit-lab\s+1000\/500\s+\d+\s+\d+\s+11\s+0\.5\s+1\s+1\s+0\s/m);
    expect(r.out).toMatch(/^imdb-basic\s+tfjs webgpu\s+1000\/500\s+\d+/m);
    expect(r.out).toMatch(/^imdb-basic\s+\d+\.\d\dx\s+tfjs webgpu\s+\d+\.\d\dx$/m);
    expect(existsSync(cache)).toBe(true);
    const entries = JSON.parse(readFileSync(cache, 'utf8'));
    const [key] = Object.keys(entries);
    expect(key).toMatch(/^overfit-lab:matmul-tune:v\d+:/);
    expect(Object.keys(JSON.parse(entries[key]))).toContain('forward 500x256x100');
  });

  it('--json: the same figures for machines; the second run reads the tune from the cache', async () => {
    const r = await cli(['--quick', '--json', '--models', 'imdb-basic', '--tfjs', 'webgpu', '--tune-cache', cache]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.adapter).toMatchObject({ vendor: expect.any(String), architecture: expect.any(String) });
    expect(j.tune).toMatchObject({ cached: true, store: cache });
    const [ours, tf] = j.rows;
    expect(ours).toMatchObject({
      model: 'imdb-basic',
      impl: 'overfit-lab',
      train: 1000,
      test: 500,
      dispatchesPerStep: 11,
      submitsPerEpoch: 1,
      readbacksPerEpoch: 1,
      buffersCreatedPerEpoch: 0,
    });
    expect(ours.epochMs).toHaveLength(3);
    expect(tf).toMatchObject({ model: 'imdb-basic', impl: 'tfjs webgpu', valLossCheck: 'ok' });
    expect(tf.dispatchesPerStep).toBeGreaterThan(11);
    expect(tf.readbacksPerEpoch).toBeGreaterThanOrEqual(1);
    expect(j.ratios[0]).toMatchObject({ model: 'imdb-basic', vsWebgpu: expect.any(Number) });
    expect(j.kernels.rows.length).toBe(Object.keys(j.tune.plan.shapes).length);
  });
});
