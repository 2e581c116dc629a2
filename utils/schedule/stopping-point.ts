import type { Settings } from '@/utils/storage/settings';

/**
 * The stopping point: once a day, after the number of posts the person set, the feed offers a
 * calm "you have seen N posts today — a good place to stop" (off by default). Where the daily
 * cap stops adding friction, this is the one place that adds it on heavy days. Pure: the
 * background stores `StopRecord` (state store, key 'stopping-point') beside the scheduler.
 */

export interface StopRecord {
  /** Local day (YYYY-MM-DD) the stopping point was last shown. */
  shownDay: string | null;
}

export function loadStopRecord(raw: unknown): StopRecord {
  const day = (raw as { shownDay?: unknown } | null)?.shownDay;
  return { shownDay: typeof day === 'string' ? day : null };
}

/**
 * Posts left before today's stopping point, or null when there is none to come (switched off,
 * or already shown today). 0 = due now.
 */
export function postsUntilStop(settings: Pick<Settings, 'stoppingPoint'>, postsToday: number, record: StopRecord, today: string): number | null {
  const sp = settings.stoppingPoint;
  if (!sp.enabled || record.shownDay === today) return null;
  return Math.max(0, sp.posts - postsToday);
}

export type StopDecision =
  | { show: true; posts: number; record: StopRecord }
  /** `left`: posts still to go (the tab's count was behind another tab's, or ahead of ours), or null for never today. */
  | { show: false; left: number | null };

/**
 * A tab's claim that the stopping point is due. `unsent` are the posts the tab counted but has
 * not reported yet. Granted once a day across all tabs.
 */
export function claimStop(settings: Pick<Settings, 'stoppingPoint'>, postsToday: number, unsent: number, record: StopRecord, today: string): StopDecision {
  const seen = postsToday + Math.max(0, unsent);
  const left = postsUntilStop(settings, seen, record, today);
  if (left === null) return { show: false, left: null };
  if (left > 0) return { show: false, left };
  return { show: true, posts: seen, record: { shownDay: today } };
}
