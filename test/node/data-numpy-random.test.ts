import { describe, expect, it } from 'vitest';
import { RandomState } from '../../src/data/numpy-random.ts';

describe('numpy RandomState port', () => {
  it('matches MT19937 reference output', () => {
    // First output of init_genrand(5489), the reference implementation's default seed.
    expect(new RandomState(5489).nextUint32()).toBe(3499211612);
  });

  it('reproduces RandomState(113).shuffle(np.arange(25000)) twice, as Keras imdb does', () => {
    const rng = new RandomState(113);
    const first = Array.from({ length: 25000 }, (_, i) => i);
    rng.shuffle(first);
    expect(first.slice(0, 8)).toEqual([7798, 13226, 18078, 793, 17499, 23003, 574, 19638]);
    const second = Uint32Array.from({ length: 25000 }, (_, i) => i);
    rng.shuffle(second);
    expect([...second.subarray(0, 8)]).toEqual([22748, 4083, 8015, 13688, 5310, 4466, 736, 22654]);
    expect([...second].sort((a, b) => a - b)).toEqual(first.slice().sort((a, b) => a - b));
  });
});
