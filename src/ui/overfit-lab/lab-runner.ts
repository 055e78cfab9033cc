// What the run controller needs from WebGPU and the trainer, and the real thing: an adapter probe,
// one device shared by every <overfit-lab> on the page, data sets cached by settings, and an
// ExperimentRun. The controller takes it as a parameter, so its unit test can pass a fake.
import type { Dataset } from '../../data/dataset.ts';
import { loadDataset } from '../../data/load-browser.ts';
import type { RunEvent } from '../../experiments/run.ts';
import { ExperimentRun } from '../../experiments/run.ts';
import type { Gpu, GpuUnavailableReason } from '../../gpu/device.ts';
import type { Trainer } from '../../graph/trainer.ts';
import { acquireGpu } from '../../gpu/device.ts';
import type { ModelWeights } from './model-state.ts';
import type { Settings } from './settings.ts';

/** The part of an ExperimentRun the controller drives. */
export type RunHandle = Pick<ExperimentRun, 'result' | 'run' | 'pause' | 'resume' | 'stop'>;

export interface LabRunner {
  /** Why WebGPU cannot be used here, or null when an adapter is there (no device is taken). */
  probe(): Promise<GpuUnavailableReason | null>;
  /** Gets the device and the data, then a run of the settings' experiment reporting to `listener`;
   *  `onWeights` gets each model's final weights (replica 0) when its training has ended, before
   *  its test scores. */
  open(settings: Settings, listener: (e: RunEvent) => void, onWeights?: (model: string, weights: ModelWeights) => void): Promise<RunHandle>;
}

let sharedGpu: Promise<Gpu> | null = null;
let sharedGpuValue: Gpu | null = null;

/** One device for every <overfit-lab> on the page; a lost one is replaced on the next start. */
function getGpu(): Promise<Gpu> {
  if (sharedGpuValue?.lost) {
    sharedGpu = null;
    sharedGpuValue = null;
  }
  sharedGpu ??= acquireGpu().then(
    (g) => (sharedGpuValue = g),
    (e) => {
      sharedGpu = null;
      throw e;
    },
  );
  return sharedGpu;
}

const dataCache = new Map<string, Promise<Dataset>>();

function getData(s: Settings): Promise<Dataset> {
  const key = [s.base, s.dataset, s.trainLimit, s.testLimit].join('|');
  let p = dataCache.get(key);
  if (!p) {
    p = loadDataset(s.dataset, { base: s.base, trainLimit: s.trainLimit, testLimit: s.testLimit });
    p.catch(() => dataCache.delete(key));
    dataCache.set(key, p);
  }
  return p;
}

export const webgpuRunner: LabRunner = {
  async probe() {
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) return 'no-navigator-gpu';
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
    return adapter ? null : 'no-adapter';
  },

  async open(s, listener, onWeights) {
    const [gpu, data] = await Promise.all([getGpu(), getData(s)]);
    return new ExperimentRun(
      gpu,
      s.experiment,
      data,
      {
        seed: s.seed,
        epochs: s.epochs,
        debug: s.debug,
        ...(s.replicas.length > 1 || s.sweep ? { seeds: s.seeds, sweep: s.sweep ?? undefined } : {}),
        ...(s.earlyStopping ? { earlyStopping: s.earlyStopping } : {}),
        ...(onWeights ? { onTrained: async (model: string, t: Trainer) => onWeights(model, await t.readState(0)) } : {}),
      },
      listener,
    );
  },
};
