/**
 * A seeded random stream for tests that must replay a failure: the same seed gives the same
 * numbers (mulberry32, a 32-bit generator by Tommy Ettinger; not for anything secret).
 */

/** A random number source, uniform in [0, 1). */
export type Rng = () => number;

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
