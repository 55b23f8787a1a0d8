// The random source the core draws election timeouts from, and a small seeded generator
// (xoshiro128**, seeded through splitmix32) that both the simulator and production hosts can use.
//
// Invariants: the core never calls Math.random; all randomness is injected, so one seed replays a
// whole simulated cluster. Only 32-bit integer arithmetic is used (no bigint, fast in V8).

import { assert } from '@cairn/errors';

export interface RandomSource {
  /** A uniformly distributed integer in [0, bound). */
  int(bound: number): number;
}

/** xoshiro128** by Blackman and Vigna; state seeded from a 53-bit seed through splitmix32. */
export class Xoshiro128 implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    assert(Number.isSafeInteger(seed) && seed >= 0, `seed ${seed} must be a non-negative safe integer`);
    let s = (seed % 2 ** 32) ^ Math.floor(seed / 2 ** 32);
    const next = (): number => {
      // splitmix32: spreads a poor seed (0, 1, 2, …) into well-mixed state words.
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // The all-zero state is a fixed point of xoshiro; splitmix32 cannot produce four zeros in a
    // row, but the assertion documents the requirement.
    assert((this.a | this.b | this.c | this.d) !== 0, 'xoshiro state must not be all zero');
  }

  /** The next 32 random bits as an unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A float in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.nextU32() / 2 ** 32;
  }

  int(bound: number): number {
    assert(Number.isSafeInteger(bound) && bound > 0 && bound <= 2 ** 32, `bad bound ${bound}`);
    // Multiply-shift maps 32 random bits onto [0, bound); the bias is < bound / 2^32, negligible
    // for timeouts and fault probabilities.
    return Math.floor(this.float() * bound);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
