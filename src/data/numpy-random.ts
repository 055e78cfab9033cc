// numpy's legacy `np.random.RandomState(seed)` (MT19937) and its `shuffle`, ported bit for bit so
// Keras' `imdb.load_data` sample order (RandomState(113), train then test) can be reproduced.

const N = 624;
const M = 397;

export class RandomState {
  private mt = new Uint32Array(N);
  private pos = N;

  /** numpy seeds an int with init_genrand (mt19937_seed), not init_by_array. */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be in [0, 2^32), got ${seed}`);
    const mt = this.mt;
    mt[0] = seed;
    for (let i = 1; i < N; i++) {
      const p = mt[i - 1];
      mt[i] = Math.imul(1812433253, p ^ (p >>> 30)) + i;
    }
  }

  /** The next raw 32-bit output (genrand_int32). */
  nextUint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.pos = 0;
  }

  /** numpy's random_interval: uniform in [0, max] by masked rejection sampling (32-bit draws). */
  interval(max: number): number {
    if (max === 0) return 0;
    if (max > 0xffffffff) throw new Error('interval: max above 2^32 - 1 needs 64-bit draws (not ported)');
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let v: number;
    while ((v = (this.nextUint32() & mask) >>> 0) > max);
    return v;
  }

  /** In-place shuffle of a 1-D sequence, as numpy's legacy `RandomState.shuffle` (Fisher-Yates from the end). */
  shuffle<T>(x: { length: number; [i: number]: T }): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }
}
