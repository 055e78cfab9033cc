import { describe, expect, it } from 'vitest';
import { ModelSpecError, validateSpec } from '../../src/model/spec.ts';
import type { ModelSpec } from '../../src/model/spec.ts';
import { countParams, summary } from '../../src/model/summary.ts';
import { compilePlan } from '../../src/plan/plan.ts';

const dense = (units: number[], last = 'sigmoid' as const): ModelSpec['layers'] => [
  ...units.map((u) => ({ type: 'Dense' as const, units: u, activation: 'relu' as const })),
  { type: 'Dense', units: 1, activation: last },
];

describe('summary() counts as Keras prints them', () => {
  it('100-256-128-1 has 58,881 parameters', () => {
    expect(countParams({ name: 'basic', inputShape: [100], layers: dense([256, 128]) })).toEqual({ total: 58_881, trainable: 58_881, nonTrainable: 0 });
  });
  it('100-1024-512-512-512-1 has 1,154,049 parameters', () => {
    expect(countParams({ name: 'overfitting', inputShape: [100], layers: dense([1024, 512, 512, 512]) }).total).toBe(1_154_049);
  });
  it('prints the Keras table', () => {
    const text = summary({ name: 'basic', inputShape: [100], layers: dense([256, 128]) });
    expect(text.split('\n')).toEqual([
      'Model: "basic"',
      '_'.repeat(65),
      ' Layer (type)                Output Shape              Param #',
      '='.repeat(65),
      ' dense (Dense)               (None, 256)               25856',
      '',
      ' dense_1 (Dense)             (None, 128)               32896',
      '',
      ' dense_2 (Dense)             (None, 1)                 129',
      '='.repeat(65),
      'Total params: 58,881',
      'Trainable params: 58,881',
      'Non-trainable params: 0',
      '_'.repeat(65),
    ]);
  });
});

describe('spec validation names the layer and the fix', () => {
  const bad: [string, unknown, RegExp][] = [
    ['units 0', { name: 'm', inputShape: [10], layers: [{ type: 'Dense', units: 0 }] }, /^layer 1 \(Dense\): units must be a positive integer, got 0$/],
    [
      'unknown type',
      { name: 'm', inputShape: [10], layers: [{ type: 'Conv2D' }] },
      /layer 1: type must be one of Dense, Activation, Dropout, BatchNormalization, Flatten/,
    ],
    [
      'bad activation',
      { name: 'm', inputShape: [10], layers: [{ type: 'Dense', units: 2, activation: 'tanhh' }] },
      /layer 1 \(Dense\): activation must be one of linear, relu, sigmoid, softmax, got "tanhh"/,
    ],
    [
      'dropout rate 1',
      {
        name: 'm',
        inputShape: [10],
        layers: [
          { type: 'Dense', units: 4 },
          { type: 'Dropout', rate: 1 },
          { type: 'Dense', units: 1, activation: 'sigmoid' },
        ],
      },
      /layer 2 \(Dropout\): rate must be a number in \[0, 1\), got 1/,
    ],
    [
      'dropout rate -0.1',
      {
        name: 'm',
        inputShape: [10],
        layers: [
          { type: 'Dense', units: 4 },
          { type: 'Dropout', rate: -0.1 },
          { type: 'Dense', units: 1, activation: 'sigmoid' },
        ],
      },
      /rate must be a number in \[0, 1\)/,
    ],
    ['2-D input without Flatten', { name: 'm', inputShape: [28, 28], layers: [{ type: 'Dense', units: 4 }] }, /add a Flatten layer before the first Dense/],
    [
      'bad regularizer',
      { name: 'm', inputShape: [10], layers: [{ type: 'Dense', units: 4, kernel_regularizer: { l3: 1 } }] },
      /kernel_regularizer must be \{l1: rate\}/,
    ],
    ['no layers', { name: 'm', inputShape: [10], layers: [] }, /layers must be a non-empty list/],
    [
      'hidden softmax',
      {
        name: 'm',
        inputShape: [10],
        layers: [
          { type: 'Dense', units: 4, activation: 'softmax' },
          { type: 'Dense', units: 1 },
        ],
      },
      /softmax is supported only as the model's final activation/,
    ],
  ];
  for (const [what, spec, message] of bad)
    it(what, () => {
      expect(() => validateSpec(spec)).toThrow(ModelSpecError);
      expect(() => validateSpec(spec)).toThrow(message);
    });

  it('the plan compiler rejects outputs the losses cannot take', () => {
    expect(() => compilePlan({ name: 'm', inputShape: [10], layers: [{ type: 'Dense', units: 4, activation: 'relu' }] })).toThrow(
      /layer 1 \(Dense\): the output layer needs activation 'sigmoid'/,
    );
    expect(() => compilePlan({ name: 'm', inputShape: [10], layers: [{ type: 'Dense', units: 3, activation: 'sigmoid' }] })).toThrow(
      /a sigmoid output needs units: 1/,
    );
    expect(() =>
      compilePlan({
        name: 'm',
        inputShape: [10],
        layers: [
          { type: 'Dense', units: 4, activation: 'relu' },
          { type: 'Dropout', rate: 0.2 },
          { type: 'Dropout', rate: 0.2 },
          { type: 'Dense', units: 1, activation: 'sigmoid' },
        ],
      }),
    ).toThrow(/layer 3 \(Dropout\): two Dropout layers/);
  });

  it('an Activation layer folds into the Dense before it', () => {
    const plan = compilePlan({
      name: 'm',
      inputShape: [10],
      layers: [
        { type: 'Dense', units: 4 },
        { type: 'Activation', activation: 'relu' },
        { type: 'Dense', units: 1 },
        { type: 'Activation', activation: 'sigmoid' },
      ],
    });
    expect(plan.producers[1].epi.act).toBe(1);
    expect(plan.loss).toBe('binary_crossentropy');
  });
});
