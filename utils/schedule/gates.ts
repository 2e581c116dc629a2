import { type LocalCalendar, localDay, nextLocalMidnight, systemCalendar } from '@/utils/schedule/calendar';
import { nextScheduleChange, scheduleAllows } from '@/utils/schedule/quiet-hours';
import { normalize, pendingGrants } from '@/utils/schedule/scheduler-state';
import { snoozedUntil } from '@/utils/schedule/snooze';
import type { NoTicketReason, SchedulerState } from '@/utils/schedule/types';
import type { Settings } from '@/utils/storage/settings';
import { siteState } from '@/utils/storage/site-state';

/**
 * What holds frames back on a site now, in the documented order (docs/CADENCE.md): shared by
 * issuing and claiming tickets and by the popup's status.
 */

export type Gate = { reason: NoTicketReason; retryAt: number | null } | null;

/** Effective posts-per-pause for a site (site override wins); 0 = posts do not trigger. */
export function effectiveEveryPosts(settings: Settings, siteKey: string): number {
  return settings.sites[siteKey]?.everyPosts ?? settings.cadence.everyPosts;
}

/** The first reason (in the documented order) why no frame may show on `siteKey` now. Expects a normalized state. */
export function gate(settings: Settings, state: SchedulerState, siteKey: string, now: number, cal: LocalCalendar): Gate {
  const site = siteState(settings, siteKey);
  if (site.reason) return { reason: site.reason === 'disabled' ? 'disabled' : 'site-off', retryAt: null };
  const snoozeEnd = snoozedUntil(state, siteKey, now);
  if (snoozeEnd !== null) return { reason: 'snoozed', retryAt: snoozeEnd };
  if (!scheduleAllows(settings, now, cal)) return { reason: 'quiet-hours', retryAt: nextScheduleChange(settings, now, cal) };
  const cap = settings.cadence.dailyCap;
  // Grants on their way today hold their place under today's cap (two tabs cannot both take the last one).
  const onTheirWay = pendingGrants(state).filter((g) => localDay(g.at, cal) === state.day).length;
  if (cap > 0 && state.shownToday + onTheirWay >= cap) return { reason: 'daily-cap', retryAt: nextLocalMidnight(now, cal) };
  if (effectiveEveryPosts(settings, siteKey) === 0 && settings.cadence.everyMinutes === 0) return { reason: 'cadence-off', retryAt: null };
  return null;
}

/** Only the cadence: does this site have decision points at all? */
export function cadenceGate(settings: Settings, siteKey: string): Gate {
  if (effectiveEveryPosts(settings, siteKey) === 0 && settings.cadence.everyMinutes === 0) return { reason: 'cadence-off', retryAt: null };
  return null;
}

/** Why a site would get no ticket right now (for the popup), or null if it would get one. */
export function blockedReason(
  settings: Settings,
  state: SchedulerState,
  siteKey: string,
  now: number,
  cal: LocalCalendar = systemCalendar,
): { reason: NoTicketReason; retryAt: number | null } | null {
  return gate(settings, normalize(state, now, cal), siteKey, now, cal);
}
