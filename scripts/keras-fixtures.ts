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

export const FIXTURE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../test/fixtures/keras');

/** Every model of every experiment: [file name, spec]. */
export const FIXTURES: [string, ModelSpec][] = EXPERIMENTS.flatMap((e) => e.models.map((m): [string, ModelSpec] => [`${e.id}.${m.name}.json`, m.spec]));

/** The spec built with tfjs-layers as a Keras user would write it, and its model.toJSON(). */
export function tfjsKerasJson(spec: ModelSpec): object {
  const names = layerInfo(spec).map((l) => l.name);
  const model = tf.sequential({ name: spec.name });
  spec.layers.forEach((l, i) => {
    const base = { name: names[i], ...(i === 0 ? { inputShape: spec.inputShape } : {}) };
    if (l.type === 'Flatten') model.add(tf.layers.flatten(base));
    else if (l.type === 'Dense') {
      const r = l.kernel_regularizer;
      const kernelRegularizer =
        r?.l1 && r?.l2
          ? tf.regularizers.l1l2({ l1: r.l1, l2: r.l2 })
          : r?.l1
            ? tf.regularizers.l1({ l1: r.l1 })
            : r?.l2
              ? tf.regularizers.l2({ l2: r.l2 })
              : undefined;
      model.add(tf.layers.dense({ ...base, units: l.units, activation: l.activation ?? 'linear', kernelInitializer: 'glorotUniform', kernelRegularizer }));
    } else if (l.type === 'Dropout') model.add(tf.layers.dropout({ ...base, rate: l.rate }));
    else if (l.type === 'BatchNormalization') model.add(tf.layers.batchNormalization({ ...base, momentum: l.momentum ?? 0.99, epsilon: l.epsilon ?? 0.001 }));
    else model.add(tf.layers.activation({ ...base, activation: l.activation }));
  });
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
