import { finite } from '@/utils/finite';
/**
 * "Put this feed away": a break from one site's feed until a time the person chose. Pure
 * bookkeeping of the stored record (state store, key 'breaks'); the background keeps it,
 * covers the feed in every tab of that site and lifts the cover at the end (or earlier on
 * "back to the feed"). A break is not a snooze: a snooze stops Stillframe's pauses, a break
 * puts the feed itself out of sight.
 */

export interface FeedBreak {
  /** Epoch ms the feed comes back. */
  until: number;
  startedAt: number;
}

/** By site key. */
export type FeedBreaks = Record<string, FeedBreak>;

/** The longest break one click can set: a day. */
export const MAX_BREAK_MINUTES = 24 * 60;

/** The stored record made safe: invalid entries and ended breaks are dropped; never throws. */
export function loadBreaks(raw: unknown, now: number): FeedBreaks {
  const out: FeedBreaks = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [key, b] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof b !== 'object' || b === null) continue;
    const { until, startedAt } = b as Record<string, unknown>;
    if (finite(until) && finite(startedAt) && until > now) out[key] = { until, startedAt };
  }
  return out;
}

/** Starts (or re-times) the site's break: it ends `minutes` from now. */
export function startBreak(breaks: FeedBreaks, siteKey: string, now: number, minutes: number): FeedBreaks {
  const m = Math.min(MAX_BREAK_MINUTES, Math.max(1, Math.round(minutes)));
  const startedAt = breaks[siteKey]?.until && breaks[siteKey].until > now ? breaks[siteKey].startedAt : now;
  return { ...breaks, [siteKey]: { until: now + m * 60_000, startedAt } };
}

export function endBreak(breaks: FeedBreaks, siteKey: string): FeedBreaks {
  const { [siteKey]: _ended, ...rest } = breaks;
  return rest;
}

/** When the site's break ends, or null when its feed is not on a break. */
export function breakUntil(breaks: FeedBreaks, siteKey: string, now: number): number | null {
  const b = breaks[siteKey];
  return b && b.until > now ? b.until : null;
}

/** The first break to end after `now` (for one alarm), or null. */
export function nextBreakEnd(breaks: FeedBreaks, now: number): number | null {
  const ends = Object.values(breaks)
    .map((b) => b.until)
    .filter((t) => t > now);
  return ends.length ? Math.min(...ends) : null;
}
