import type { Rng } from './types';

/**
 * mulberry32: a tiny, fast, seedable PRNG (32-bit state). Good enough for jitter, ids and
 * shuffle bags; not for anything cryptographic. Same seed → same sequence, which is what
 * makes the scheduler's tests reproducible.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from the platform's randomness, for production use of `mulberry32`. */
export function randomSeed(): number {
  if (typeof crypto !== 'undefined' && typeof crypto.getRandomValues === 'function') {
    return crypto.getRandomValues(new Uint32Array(1))[0];
  }
  return Math.floor(Math.random() * 4294967296);
}
