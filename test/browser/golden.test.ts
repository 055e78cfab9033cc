// The lab's curves do not move unless a change means them to: every preset's history and test
// scores (2 epochs, 100 / 100 real rows, seed 11) equal, bit for bit, a golden file written before
// the lowering refactor. Floating-point results depend on the adapter, so this holds on
// SwiftShader (CI and machines without a GPU) and is skipped, saying so, elsewhere. A change that
// moves curves on purpose updates the file (`npx vitest run -u test/browser/golden.test.ts`) and
// says so in its commit.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-browser.ts';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { ExperimentRun } from '../../src/experiments/run.ts';
import { sharedGpu } from './harness.ts';

const { gpu } = await sharedGpu();
const swiftshader = gpu.adapter.architecture === 'swiftshader';

describe('golden histories of the lab presets (SwiftShader)', () => {
  it.skipIf(!swiftshader)(
    `equal the golden file bit for bit${swiftshader ? '' : ` (skipped: adapter ${gpu.adapter.vendor} ${gpu.adapter.architecture} is not SwiftShader)`}`,
    async () => {
      const out: Record<string, Record<string, unknown>> = {};
      for (const experiment of EXPERIMENTS) {
        const data = await loadDataset(experiment.dataset, { trainLimit: 100, testLimit: 100 });
        const result = await new ExperimentRun(gpu, experiment, data, { epochs: 2, seed: 11 }).run();
        out[experiment.id] = Object.fromEntries(result.models.map((m) => [m.name, { history: m.history, test: m.test }]));
      }
      await expect(`${JSON.stringify(out, null, 1)}\n`).toMatchFileSnapshot('./golden/presets-swiftshader.json');
    },
  );
});
