import { type LocalCalendar, localDay, MINUTE, nextLocalMidnight, systemCalendar } from '@/utils/schedule/calendar';
import { nextScheduleChange, scheduleAllows } from '@/utils/schedule/quiet-hours';
import { GRANT_TTL_MS, lastPauseAt, normalize, pendingGrants } from '@/utils/schedule/scheduler-state';
import { SNOOZE_INDEFINITELY } from '@/utils/schedule/snooze';
import type { SchedulerState } from '@/utils/schedule/types';
import type { Settings } from '@/utils/storage/settings';

/**
 * The earliest instant after `now` at which something that currently holds frames back
 * lapses: a snooze ends, quiet hours end (or active hours begin), the daily cap resets at
 * midnight, or the min gap since the last frame is over. Null when nothing is waiting on
 * time (or Stillframe is off). For `browser.alarms`: re-issue tickets / notify tabs then.
 */
export function nextWakeAt(settings: Settings, state: SchedulerState, now: number, cal: LocalCalendar = systemCalendar): number | null {
  if (!settings.enabled) return null;
  const s = normalize(state, now, cal);
  const times: number[] = [];
  if (s.snooze.allUntil !== null) times.push(s.snooze.allUntil);
  for (const until of Object.values(s.snooze.sites)) times.push(until);
  if (!scheduleAllows(settings, now, cal)) {
    const t = nextScheduleChange(settings, now, cal);
    if (t !== null) times.push(t);
  }
  const pending = pendingGrants(s).filter((g) => localDay(g.at, cal) === s.day);
  if (settings.cadence.dailyCap > 0 && s.shownToday + pending.length >= settings.cadence.dailyCap) {
    times.push(nextLocalMidnight(now, cal));
    // A grant never placed frees its place under the cap when it lapses.
    for (const g of pending) times.push(g.at + GRANT_TTL_MS);
  }
  const gap = settings.cadence.minGapMinutes * MINUTE;
  const last = lastPauseAt(s);
  if (gap > 0 && last !== null && last + gap > now) times.push(last + gap);
  // A snooze without an end wakes nobody: it ends when the person ends it.
  const future = times.filter((t) => t > now && t < SNOOZE_INDEFINITELY);
  return future.length ? Math.min(...future) : null;
}
