// The page the CLI drives: runs experiments on the same trainer as <overfit-lab>, in the browser.
import { loadDataset } from '../data/load-browser.ts';
import type { DatasetName } from '../data/format.ts';
import { acquireGpu } from '../gpu/device.ts';
import type { Experiment } from '../experiments/presets.ts';
import type { ExperimentRunResult, RunEvent, RunOptions } from '../experiments/run.ts';
import { ExperimentRun } from '../experiments/run.ts';
import type { TuneResult } from '../graph/autotune.ts';
import { firstChoicePlan, matmulShapes } from '../graph/matmul.ts';
import { batchRows, dataShape } from '../graph/trainer.ts';
import { compilePlan } from '../plan/plan.ts';
import { cliTuneStore } from './tune-store.ts';
import { lossChartPng } from './plot.ts';

export interface PageRunOptions extends Omit<RunOptions, 'matmul'> {
  /** As RunOptions' `matmul`, or `first-choice`: the untimed per-adapter plan (`train --no-tune`). */
  matmul?: RunOptions['matmul'] | 'first-choice';
  dataset?: DatasetName;
  trainLimit?: number;
  testLimit?: number;
}

/** Errors cross to Node as {name, message}. */
export type PageOutcome<T> = { ok: true; value: T } | { ok: false; name: string; message: string };

declare global {
  interface Window {
    overfit: typeof api;
    /** Exposed by the CLI (page.exposeFunction). */
    overfitEvent?: (event: string) => Promise<void>;
  }
}

let current: ExperimentRun | null = null;

const api = {
  ready: true,

  async run(experiment: Experiment, options: PageRunOptions): Promise<PageOutcome<ExperimentRunResult>> {
    try {
      const gpu = await acquireGpu();
      const data = await loadDataset(options.dataset ?? experiment.dataset, { trainLimit: options.trainLimit, testLimit: options.testLimit });
      const send = (e: RunEvent) => {
        const wire = e.type === 'model-error' ? { ...e, error: { name: e.error.name, message: e.error.message } } : e;
        void window.overfitEvent?.(JSON.stringify(wire));
      };
      const onTune = (r: TuneResult) => void window.overfitEvent?.(JSON.stringify({ type: 'tune', result: r }));
      const onDebug = (text: string) => void window.overfitEvent?.(JSON.stringify({ type: 'debug', text }));
      let matmul = options.matmul;
      if (matmul === 'first-choice') {
        const rows = batchRows(experiment.batchSize, dataShape(data));
        const picked = experiment.models.filter((m) => !options.models?.length || options.models.includes(m.name));
        const shapes = picked.flatMap((m) => {
          try {
            return matmulShapes(compilePlan(m.spec), rows);
          } catch {
            return []; // an invalid model fails in Trainer.create with its own message
          }
        });
        matmul = firstChoicePlan(gpu.adapter, shapes);
      }
      current = new ExperimentRun(gpu, experiment, data, { ...options, matmul, tuneStore: cliTuneStore(), onTune, onDebug }, send);
      void window.overfitEvent?.(JSON.stringify({ type: 'start', adapter: gpu.adapter, dataset: data.name, train: data.train.count, test: data.test.count }));
      if (options.matmul === 'first-choice') void window.overfitEvent?.(JSON.stringify({ type: 'first-choice', plan: matmul }));
      return { ok: true, value: await current.run() };
    } catch (e) {
      const err = e as Error;
      return { ok: false, name: err.name, message: err.message };
    }
  },

  stop(): void {
    current?.stop();
  },

  async plot(result: ExperimentRunResult): Promise<string> {
    return lossChartPng(result);
  },
};

window.overfit = api;
