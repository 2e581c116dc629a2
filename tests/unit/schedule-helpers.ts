// Shared fixtures for the scheduler tests. Time zone: every test passes an explicit
// `fixedOffsetCalendar`, so results do not depend on the machine's TZ.
import { DEFAULT_SETTINGS, mergeSettings, type DeepPartial, type Settings } from '@/utils/storage/settings';
import { fixedOffsetCalendar } from '@/utils/schedule/calendar';

export const UTC = fixedOffsetCalendar(0);
export const BEIJING = fixedOffsetCalendar(480);
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Monday 2025-03-03 00:00 UTC. */
export const MON = Date.UTC(2025, 2, 3);
/** An instant on day `d` (0 = Monday 2025-03-03) at hh:mm UTC. */
export const at = (d: number, hh: number, mm = 0) => MON + d * DAY + hh * HOUR + mm * MIN;

export function settingsWith(patch: DeepPartial<Settings> = {}): Settings {
  return mergeSettings(structuredClone(DEFAULT_SETTINGS), patch);
}

/** A settings object with no jitter and nothing limiting, as a base for focused tests. */
export function plain(patch: DeepPartial<Settings> = {}): Settings {
  return mergeSettings(settingsWith({ cadence: { everyPosts: 40, jitterPct: 0 } }), patch);
}
