// Writes test/fixtures/keras/<experiment>.<model>.json: the Keras model JSON of each of the lab's
// models as a real implementation writes it, built with tfjs-layers' API (`tf.sequential()`,
// `tf.layers.*`, Keras' default initializers and layer names) and serialized by its
// `model.toJSON()`, the Keras-compatible form of Python's `model.to_json()`. Not Python Keras
// (TensorFlow is not installed here); test/node/keras-json.test.ts checks the files are current.
//   tsx scripts/keras-fixtures.ts && npx biome format --write test/fixtures/keras
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { EXPERIMENTS } from '../src/experiments/presets.ts';
import type { ModelSpec } from '../src/model/spec.ts';
import { layerInfo } from '../src/model/summary.ts';
import { tfModel } from '../src/bench/tfjs.ts';

export const FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/keras');

/** Every model of every experiment: [file name, spec]. */
export const FIXTURES: [string, ModelSpec][] = EXPERIMENTS.flatMap((e) => e.models.map((m): [string, ModelSpec] => [`${e.id}.${m.name}.json`, m.spec]));

/** The spec built with tfjs-layers as a Keras user would write it, and its model.toJSON(). */
export function tfjsKerasJson(spec: ModelSpec): object {
  const names = layerInfo(spec).map((l) => l.name);
  const model = tfModel(tf, spec, { kernelInitializer: () => 'glorotUniform', layerNames: names, name: spec.name });
  const json = model.toJSON(null, false) as object;
  model.dispose();
  return json;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [file, spec] of FIXTURES) {
    writeFileSync(join(FIXTURE_DIR, file), `${JSON.stringify(tfjsKerasJson(spec), null, 2)}\n`);
    console.log(`wrote test/fixtures/keras/${file}`);
  }
}
