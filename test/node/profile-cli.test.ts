// train --profile: per-kernel GPU times printed after the run and written as JSON, with dispatch
// counts that add up to the run's own stats. No timing is asserted.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { parseTrainArgs, tuneLine } from '../../src/cli/train.ts';
import { findExperiment } from '../../src/experiments/presets.ts';
import { DEFAULT_MATMUL, defaultMatmulFor, firstChoicePlan, matmulShapes } from '../../src/graph/matmul.ts';
import { compilePlan } from '../../src/plan/plan.ts';

const tmp = mkdtempSync(join(tmpdir(), 'overfit-profile-'));

const train = (args: string[]) => runCli('train', args);

describe('train --profile', { timeout: 300_000 }, () => {
  it('parses --profile, --profile-cpu and --tune into run options', async () => {
    expect((await parseTrainArgs(['--experiment', 'dropout', '--profile'])).options).toMatchObject({ profile: true });
    expect((await parseTrainArgs(['--experiment', 'dropout', '--profile-cpu'])).options).toMatchObject({ profile: 'cpu' });
    expect(await parseTrainArgs(['--experiment', 'dropout', '--tune', '--tune-cache', join(tmp, 't.json')])).toMatchObject({
      options: { matmul: 'tune' },
      retune: true,
      tuneCache: join(tmp, 't.json'),
    });
  });

  it('the untimed first choice per adapter: direct variants on a CPU/fallback adapter, tiled on GPUs', () => {
    const swiftshader = { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)', isFallbackAdapter: false };
    const gpu = { vendor: 'nvidia', architecture: 'ampere', description: '', isFallbackAdapter: false };
    expect(defaultMatmulFor(swiftshader).id).toBe('direct-8x8-4x4');
    expect(defaultMatmulFor({ ...gpu, isFallbackAdapter: true }).id).toBe('direct-8x8-4x4');
    expect(defaultMatmulFor(gpu)).toBe(DEFAULT_MATMUL);
    const shapes = matmulShapes(compilePlan(findExperiment('imdb-overfit').models[0].spec), 500);
    expect(firstChoicePlan(gpu, shapes)).toEqual({ default: DEFAULT_MATMUL.id });
    expect(firstChoicePlan(swiftshader, shapes)).toEqual({
      default: 'direct-8x8-4x4',
      shapes: { 'forward 500x1x128': 'direct-8x4-16x1', 'dW 129x1x500': 'direct-8x4-16x1' },
    });
    expect(tuneLine({ cached: false, seconds: 12.34, timing: 'cpu', plan: firstChoicePlan(swiftshader, shapes) }, '/c/t.json')).toBe(
      'tuning matmul kernels for this adapter (first run only, cached in /c/t.json): 12.3 s (cpu); direct-8x4-16x1 x2',
    );
  });

  it('prints a per-kernel table per model and writes every epoch as JSON; counts match the stats', async () => {
    const out = join(tmp, 'l2.json');
    const r = await train([
      '--experiment',
      'regularization',
      '--model',
      'l2',
      '--epochs',
      '2',
      '--train-limit',
      '1000',
      '--test-limit',
      '500',
      '--profile',
      '--no-tune',
      '--out',
      out,
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Profile: l2, epoch 2 \(.+; (GPU timestamps, resolution \d+ ns|CPU-side timing .*)\): \d+ dispatches, \d+\.\d ms$/m);
    expect(r.out).toMatch(/^matmul kernels: not tuned \(--no-tune\), this adapter's first choice: (tiled-4x4-16x16|direct-8x8-4x4)/m);
    expect(r.out).toMatch(/^phase\s+kernel\s+dispatches\s+ms\s+share\s+us\/dispatch\s+GFLOP\/s\s+variant$/m);
    expect(r.out).toMatch(/^train\s+dense_0 forward\s+2\s+\d+\.\d\d\s+\d+\.\d%\s+\d+\s+(\d+\.\d\d|-)\s+(tiled-4x4-16x16|direct-8x8-4x4)$/m); // --no-tune: the adapter's first choice
    const run = JSON.parse(readFileSync(out, 'utf8'));
    const stats = run.models[0].stats;
    const profiles = JSON.parse(readFileSync(join(tmp, 'l2.profile.json'), 'utf8')).l2;
    expect(profiles).toHaveLength(2);
    const p = profiles[1];
    const sum = (phase: string) =>
      p.kernels.filter((k: { phase: string }) => k.phase === phase).reduce((n: number, k: { dispatches: number }) => n + k.dispatches, 0);
    expect(sum('train')).toBe(2 * stats.dispatchesPerStep);
    expect(sum('validate')).toBe(1 * stats.dispatchesPerValidation);
    expect(p.kernels.find((k: { name: string }) => k.name === 'norms')).toBeTruthy();
    expect(run.models[0].profile.epoch).toBe(2);
  });
});
