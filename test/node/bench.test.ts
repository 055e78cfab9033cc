// The bench command's arguments, in-process. The benchmark itself (a quick run end to end in
// headless Chromium, our trainer beside TensorFlow.js) is in test/perf/node/bench.test.ts, run by
// `npm run test:perf`.
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../src/cli/bench.ts';

describe('bench arguments', () => {
  const bad: [string[], RegExp][] = [
    [['--models', 'nope'], /--models: "nope" is not valid; valid values: imdb-basic, imdb-overfitting/],
    [['--tfjs', 'gpu'], /--tfjs: "gpu" is not valid; valid values: webgpu, webgl, wasm, cpu, none/],
    [['--epochs', '2'], /--epochs must be at least 3/],
    [['--retune', '--no-tune'], /at most one of --retune and --no-tune/],
    [['--fast'], /unknown option --fast/],
  ];
  for (const [argv, message] of bad) it(argv.join(' '), () => expect(() => parseBenchArgs(argv)).toThrow(message));

  it('defaults: the four lab models, 3 measured epochs, the tune cache under ~/.cache', () => {
    const a = parseBenchArgs([]);
    expect(a.models.map((m) => m.id)).toEqual(['imdb-basic', 'imdb-overfitting', 'reg-basic', 'batchnorm']);
    expect(a).toMatchObject({ epochs: 3, tune: 'cached', quick: false, json: false, soak: 0 });
    expect(a.tuneCache).toMatch(/overfit-lab[/\\]matmul-tune\.json$/);
  });
});
