import type { Cadence } from '@/utils/storage/settings';

/**
 * How firmly Stillframe steps in, as chosen on the welcome page: three starting points for the
 * cadence that the person can change field by field later (Options → How often).
 */
export type Intensity = 'gentle' | 'balanced' | 'firm';

export const INTENSITIES: readonly Intensity[] = ['gentle', 'balanced', 'firm'];

export const INTENSITY_CADENCE: Record<Intensity, Partial<Cadence>> = {
  // Now and then: a pause every 50 posts, never twice within 10 minutes.
  gentle: { everyPosts: 50, everyMinutes: 0, minGapMinutes: 10, escalateAfterMinutes: 0 },
  // The defaults: about every 25 posts.
  balanced: { everyPosts: 25, everyMinutes: 0, minGapMinutes: 0, escalateAfterMinutes: 0 },
  // Often, and more often in a long session: every 12 posts or 5 minutes, closer together after 20 minutes.
  firm: { everyPosts: 12, everyMinutes: 5, minGapMinutes: 0, escalateAfterMinutes: 20, escalateFactor: 0.6 },
};

/** Which preset the cadence matches, or null once the person has tuned it by hand. */
export function intensityOf(cadence: Cadence): Intensity | null {
  for (const i of INTENSITIES) {
    const p = INTENSITY_CADENCE[i];
    if (Object.entries(p).every(([k, v]) => cadence[k as keyof Cadence] === v)) return i;
  }
  return null;
}
