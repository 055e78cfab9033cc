import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load-node.ts';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import { countNearZero, wordImportance } from '../../src/experiments/words.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { compilePlan, initParams } from '../../src/plan/plan.ts';

const spec = (layers: ModelSpec['layers'], inputShape = [4]): ModelSpec => ({ name: 'tiny', inputShape, layers });
const tiny = spec([
  { type: 'Dense', units: 2, activation: 'relu' },
  { type: 'Dense', units: 1, activation: 'sigmoid' },
]);
const vocab = ['<pad>', 'good', 'bad', 'movie'];

/** Kernel rows (in=4, out=2) with norms 5, 0, 1, 5; bias and the next layer large, to be ignored. */
function tinyParams(): Float32Array {
  const plan = compilePlan(tiny);
  const p = new Float32Array(plan.paramCount).fill(100);
  p.set([3, 4, 0, 0, 0.6, 0.8, -4, 3], plan.tensors[0].offset);
  return p;
}

describe('wordImportance', () => {
  it('ranks the input columns by the L2 norm of their first-kernel rows, ties by column', () => {
    const plan = compilePlan(tiny);
    expect(plan.tensors[0]).toMatchObject({ name: 'dense_0/kernel', offset: 0, fanIn: 4, fanOut: 2 });
    const r = wordImportance(plan, tinyParams(), vocab);
    expect(r.map((w) => [w.column, w.word])).toEqual([
      [0, '<pad>'],
      [3, 'movie'],
      [2, 'bad'],
      [1, 'good'],
    ]);
    expect(r.map((w) => w.norm)).toEqual([5, 5, expect.closeTo(1, 6), 0]);
    expect(countNearZero(r)).toBe(1);
    expect(countNearZero(r, 2)).toBe(2);
  });

  it('reads the first Dense after a Flatten (28x28 -> 784 columns)', () => {
    const plan = compilePlan(spec([{ type: 'Flatten' }, { type: 'Dense', units: 3, activation: 'softmax' }], [2, 2]));
    const p = new Float32Array(plan.paramCount);
    p[2 * 3 + 1] = -2; // column 2, unit 1
    const r = wordImportance(plan, p, ['a', 'b', 'c', 'd']);
    expect(r.map((w) => [w.word, w.norm])).toEqual([
      ['c', 2],
      ['a', 0],
      ['b', 0],
      ['d', 0],
    ]);
  });

  it('covers all 100 IMDB columns of a lab model, named by the data file', async () => {
    const l1 = EXPERIMENTS.find((e) => e.id === 'regularization')!.models.find((m) => m.name === 'l1')!;
    const plan = compilePlan(l1.spec);
    const words = (await loadDataset('imdb', { trainLimit: 1, testLimit: 1 })).vocabulary!;
    expect(words.slice(0, 5)).toEqual(['<pad>', '<start>', '<oov>', '<unused>', 'the']);
    const r = wordImportance(plan, initParams(plan, 1), words);
    expect(r).toHaveLength(100);
    expect(new Set(r.map((w) => w.column)).size).toBe(100);
    for (const w of r) expect(w.word).toBe(words[w.column]);
    for (let i = 1; i < r.length; i++) expect(r[i - 1].norm).toBeGreaterThanOrEqual(r[i].norm);
    // Glorot uniform over 128 outputs, limit sqrt(6 / 228): a row norm near sqrt(128 / 3) * limit.
    expect(countNearZero(r)).toBe(0);
    expect(r[99].norm).toBeGreaterThan(0.5 * Math.sqrt(128 / 3) * Math.sqrt(6 / 228));
  });

  it('refuses a model whose first weighted layer is not Dense', () => {
    // validateSpec already demands a Dense (or Flatten) first; a plan built another way is still checked.
    const plan = compilePlan(spec([{ type: 'Dense', units: 4 }, { type: 'BatchNormalization' }, { type: 'Dense', units: 1, activation: 'sigmoid' }]));
    const p = new Float32Array(plan.paramCount);
    expect(() => wordImportance({ ...plan, ops: plan.ops.slice(1) }, p, vocab)).toThrow(/starts with BatchNormalization, not Dense/);
    expect(() => wordImportance({ ...plan, ops: [] }, p, vocab)).toThrow(/no layer with weights/);
  });

  it("refuses a vocabulary of another size than the first layer's inputs", () => {
    const plan = compilePlan(tiny);
    expect(() => wordImportance(plan, tinyParams(), vocab.slice(1))).toThrow(/4 inputs, the vocabulary 3 words/);
    expect(() => wordImportance(plan, tinyParams(), [...vocab, 'x'])).toThrow(/4 inputs, the vocabulary 5 words/);
  });

  it('refuses parameters of another model', () => {
    const plan = compilePlan(tiny);
    expect(() => wordImportance(plan, new Float32Array(5), vocab)).toThrow(/13 parameters, got 5 values/);
  });
});
