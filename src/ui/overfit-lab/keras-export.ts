// "Take it elsewhere" (the `keras` control): the run as a tf.keras script (kerasScript) and a
// trained model as TF.js Layers files (tfjsModelArtifacts), with the file names the element
// downloads them under. Pure: no DOM, so Node tests cover it.
import type { KerasScriptOptions } from '../../experiments/keras-code.ts';
import { kerasScript } from '../../experiments/keras-code.ts';
import type { Experiment } from '../../experiments/presets.ts';
import { tfjsModelArtifacts } from '../../experiments/tfjs-export.ts';
import type { ModelSpec } from '../../model/spec.ts';
import type { Settings } from './settings.ts';

/** What the script leaves out of the run: several seeds (it is written for the first) or a
 *  sweep (it is written for the models as they are, without the swept values). */
export type KerasNote = { kind: 'seeds'; seed: number; count: number } | { kind: 'sweep'; param: string; seed: number } | null;

/** kerasScript's arguments for a run of these settings: the experiment as the page runs it (its
 *  models shown, edited or picked), the data set, seed (with several seeds, the first), epochs,
 *  rows, learning rate and early stopping; and what the script cannot say. */
export function kerasRun(s: Settings): { experiment: Experiment; options: KerasScriptOptions; note: KerasNote } {
  const e = s.experiment;
  const options: KerasScriptOptions = {
    seed: s.seed,
    ...(e.learningRate === undefined ? {} : { learningRate: e.learningRate }),
    ...(s.epochs === undefined ? {} : { epochs: s.epochs }),
    ...(s.trainLimit === undefined ? {} : { trainLimit: s.trainLimit }),
    ...(s.testLimit === undefined ? {} : { testLimit: s.testLimit }),
    dataset: s.dataset,
    models: e.models.map((m) => m.name),
    ...(s.earlyStopping ? { earlyStopping: s.earlyStopping } : {}),
  };
  const note: KerasNote = s.sweep
    ? { kind: 'sweep', param: s.sweep.param, seed: s.seed }
    : s.seeds.length > 1
      ? { kind: 'seeds', seed: s.seed, count: s.seeds.length }
      : null;
  return { experiment: e, options, note };
}

/** The run's tf.keras script (throws kerasScript's ModelSpecError on what it cannot write). */
export function kerasScriptOf(s: Settings): string {
  const { experiment, options } = kerasRun(s);
  return kerasScript(experiment, options);
}

/** A name safe as a file name on every system: letters, digits, `_`, `-` and `.` kept. */
export const fileSafe = (name: string): string => name.replace(/[^a-z0-9_.-]+/gi, '-').replace(/^[.-]+/, '') || 'model';

/** The script's file name, e.g. `overfit-lab-dropout-seed1.py`. */
export function kerasFileName(s: Pick<Settings, 'seed'> & { experiment: { id: string } }): string {
  return `overfit-lab-${fileSafe(s.experiment.id)}-seed${s.seed}.py`;
}

/** A model's TF.js file names: `<model>.json` and `<model>.weights.bin` (the one model.json names). */
export function tfjsFileNames(model: string): { json: string; weights: string } {
  const base = fileSafe(model);
  return { json: `${base}.json`, weights: `${base}.weights.bin` };
}

/** A trained model as the two files to download: model.json's text (its manifest naming the
 *  weights file) and the weights' bytes. */
export interface TfjsFiles {
  json: { name: string; text: string };
  weights: { name: string; bytes: ArrayBuffer };
}

export function tfjsFiles(model: { name: string; spec: ModelSpec }, weights: { params: Float32Array; state: Float32Array }): TfjsFiles {
  const names = tfjsFileNames(model.name);
  const a = tfjsModelArtifacts(model.spec, weights.params, weights.state, names.weights);
  return { json: { name: names.json, text: JSON.stringify(a.modelJson) }, weights: { name: names.weights, bytes: a.weightsBin } };
}
