/**
 * The scheduler's randomness: the same mulberry32 the frame compositions use (one
 * implementation, utils/frames/rng.ts). Same seed → same sequence, which is what makes the
 * scheduler's tests reproducible; not for anything cryptographic.
 */
export { mulberry32 } from '@/utils/frames/rng';

/** A seed from the platform's randomness, for production use of `mulberry32`. */
export function randomSeed(): number {
  if (typeof crypto !== 'undefined' && typeof crypto.getRandomValues === 'function') {
    return crypto.getRandomValues(new Uint32Array(1))[0];
  }
  return Math.floor(Math.random() * 4294967296);
}
