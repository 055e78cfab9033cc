// The TF.js export of a model trained on the GPU: the lab's batch-norm model trains one epoch on
// 1,000 MNIST rows with the WebGPU Trainer, its weights and moving statistics come back with
// readState(), and tfjs (its UMD bundle from node_modules, CPU backend) loads the exported
// model.json + weights.bin and predicts the 200 validation rows as the reference forward of those
// weights does, with the cross-entropy the GPU's own validation pass reported.
import { describe, expect, it } from 'vitest';
import { loadTf } from '../../src/bench/tfjs.ts';
import { loadDataset } from '../../src/data/load-browser.ts';
import { feature } from '../../src/data/dataset.ts';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { tfjsModelArtifacts, WEIGHTS_FILE } from '../../src/experiments/tfjs-export.ts';
import { Trainer } from '../../src/graph/trainer.ts';
import { gather } from '../../src/reference/ops.ts';
import { referenceForward } from '../../src/reference/train-step.ts';
import { sharedGpu } from './harness.ts';

describe('TF.js export of GPU-trained weights', () => {
  it('batchnorm on MNIST, 1 epoch: tfjs predictions = reference forward (<= 1e-5), their cross-entropy = the GPU val CE', async () => {
    const ROWS = 200;
    const spec = EXPERIMENTS.find((e) => e.id === 'batchnorm')!.models.find((m) => m.name === 'batchnorm')!.spec;
    const data = await loadDataset('mnist', { trainLimit: 1000, testLimit: ROWS });
    const { gpu } = await sharedGpu();
    const trainer = await Trainer.create(gpu, spec, data, { batchSize: 500, seed: 3 });
    const h = await trainer.fit({ epochs: 1 });
    const { params, state } = await trainer.readState();
    const plan = trainer.plan;
    trainer.dispose();

    const a = tfjsModelArtifacts(spec, params, state);
    const tf = await loadTf();
    await tf.setBackend('cpu');
    const files: Record<string, string | ArrayBuffer> = { 'model.json': JSON.stringify(a.modelJson), [WEIGHTS_FILE]: a.weightsBin };
    const fetchFunc = async (url: RequestInfo | URL) => new Response(files[String(url).split('/').pop()!] ?? null, { status: 200 });
    const model = await tf.loadLayersModel(tf.io.http('http://overfit-lab.test/model.json', { fetchFunc }));

    const order = Array.from({ length: ROWS }, (_, i) => i);
    const x = gather((r, j) => feature(data, data.test, r, j), order, 0, ROWS, data.features);
    const out = model.predict(tf.tensor(x, [ROWS, 28, 28])) as ReturnType<typeof tf.tensor>;
    const theirs = out.dataSync() as Float32Array;
    out.dispose();
    model.dispose();

    const { ys } = referenceForward(plan, { params, state, m: new Float32Array(0), v: new Float32Array(0) }, x, ROWS, {
      t: 0,
      seed: 0,
      training: false,
      lrT: 0,
    });
    const z = ys[plan.ops[plan.ops.length - 1].output];
    let max = 0;
    let ce = 0;
    for (let r = 0; r < ROWS; r++) {
      const row = Array.from(z.subarray(r * 10, r * 10 + 10));
      const m = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - m), 0);
      for (let c = 0; c < 10; c++) max = Math.max(max, Math.abs(Math.exp(row[c] - m) / sum - theirs[r * 10 + c]));
      ce -= Math.log(theirs[r * 10 + data.test.y[r]]);
    }
    ce /= ROWS;
    console.log(
      `GPU-trained batchnorm exported to tfjs: max |tfjs - reference| = ${max.toExponential(2)}; tfjs CE ${ce} vs GPU val CE ${h.val_sparse_categorical_crossentropy[0]}`,
    );
    expect(max).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(ce - h.val_sparse_categorical_crossentropy[0])).toBeLessThan(1e-4);
  });
});
