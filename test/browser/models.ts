// Models and data sets the regularized training tests share: the lab's own models (from the
// presets) and small L1/L2 + Dropout + BatchNormalization models, on in-memory data shaped like
// IMDB (100 multi-hot bits) and MNIST (28x28 u8 pixels).
import type { Dataset } from '../../src/data/dataset.ts';
import { EXPERIMENTS } from '../../src/experiments/presets.ts';
import type { LayerSpec, ModelSpec } from '../../src/model/spec.ts';
import { synthetic, syntheticBinary } from '../synthetic.ts';

export const hidden = (units: number, reg: { l1?: number; l2?: number }): LayerSpec => ({ type: 'Dense', units, kernel_regularizer: reg });
/** L2 + Dropout + BatchNormalization, with BN both before an activation and after a dropout. */
export const regModel = (features: number, reg2: { l1?: number; l2?: number } = { l2: 0.001 }): ModelSpec => ({
  name: 'l2-dropout-bn',
  inputShape: [features],
  layers: [
    hidden(64, { l2: 0.001 }),
    { type: 'BatchNormalization' },
    { type: 'Activation', activation: 'relu' },
    { type: 'Dropout', rate: 0.3 },
    { ...hidden(32, reg2), activation: 'relu' } as LayerSpec,
    { type: 'Dropout', rate: 0.3 },
    { type: 'BatchNormalization' },
    { type: 'Dense', units: 1, activation: 'sigmoid' },
  ],
});
/** BatchNormalization straight on the (flattened) input: its backward writes no dX. */
export const inputBnModel: ModelSpec = {
  name: 'input-bn',
  inputShape: [4, 6],
  layers: [
    { type: 'Flatten' },
    { type: 'BatchNormalization' },
    { type: 'Dense', units: 16, activation: 'relu' },
    { type: 'Dropout', rate: 0.2 },
    { type: 'Dense', units: 3, activation: 'softmax' },
  ],
};
export const lab = (id: string, name: string): ModelSpec => structuredClone(EXPERIMENTS.find((e) => e.id === id)!.models.find((m) => m.name === name)!.spec);
export const mnistLike = (train: number, test: number): Dataset => synthetic({ train, test, features: 784, classes: 10, format: 'u8', inputShape: [28, 28] });
export const imdbLike = (train: number, test: number): Dataset => syntheticBinary({ train, test, features: 100, format: 'bits' });
