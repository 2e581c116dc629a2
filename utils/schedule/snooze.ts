import { type LocalCalendar, MINUTE, nextLocalMidnight, systemCalendar } from '@/utils/schedule/calendar';
import type { SchedulerState } from '@/utils/schedule/types';

export type SnoozeKind = '15m' | '1h' | 'today';

/** "Until I turn it back on": a snooze with no end (JSON-safe, so it survives IndexedDB and messages). */
export const SNOOZE_INDEFINITELY = Number.MAX_SAFE_INTEGER;

/** When a snooze of this kind started at `now` ends; 'today' = the next local midnight. */
export function snoozeUntil(kind: SnoozeKind, now: number, cal: LocalCalendar = systemCalendar): number {
  switch (kind) {
    case '15m':
      return now + 15 * MINUTE;
    case '1h':
      return now + 60 * MINUTE;
    case 'today':
      return nextLocalMidnight(now, cal);
  }
}

/** Snoozes one site (`{siteKey}`) or everything (`{}`) until `until`; the latest request replaces the earlier one. */
export function snooze(state: SchedulerState, scope: { siteKey?: string }, until: number): SchedulerState {
  if (scope.siteKey !== undefined) return { ...state, snooze: { ...state.snooze, sites: { ...state.snooze.sites, [scope.siteKey]: until } } };
  return { ...state, snooze: { ...state.snooze, allUntil: until } };
}

/** `{siteKey}` clears that site's snooze; `{}` clears every snooze (global and per site). */
export function clearSnooze(state: SchedulerState, scope: { siteKey?: string }): SchedulerState {
  if (scope.siteKey !== undefined) {
    const { [scope.siteKey]: _gone, ...sites } = state.snooze.sites;
    return { ...state, snooze: { ...state.snooze, sites } };
  }
  return { ...state, snooze: { allUntil: null, sites: {} } };
}

/** When the snooze covering `siteKey` ends, or null if none applies. Expects a normalized state. */
export function snoozedUntil(state: SchedulerState, siteKey: string | undefined, now: number): number | null {
  const ends = [state.snooze.allUntil, siteKey !== undefined ? state.snooze.sites[siteKey] : undefined].filter(
    (x): x is number => typeof x === 'number' && x > now,
  );
  return ends.length ? Math.max(...ends) : null;
}
