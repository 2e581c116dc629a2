import { type LocalCalendar, systemCalendar } from '@/utils/schedule/calendar';
import type { Settings, TimeWindow } from '@/utils/storage/settings';

/**
 * Quiet (or active) hours: whether the schedule lets frames show at an instant, and when that
 * next changes. The window rule itself is written down in windows.ts and docs/CADENCE.md.
 */

/** "HH:MM" → minute of day; invalid → null. */
export function parseHhmm(s: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (h > 23 || mi > 59) return null;
  return h * 60 + mi;
}

const dayOk = (w: TimeWindow, dow: number) => w.days.length === 0 || w.days.includes(dow);

/**
 * Whether `now` falls inside the window. `start < end`: that day, start ≤ t < end.
 * `start > end` crosses midnight: from start on a listed day until end the next morning.
 * `start == end`: 24 hours from start (00:00–00:00 = the whole listed day). An empty `days`
 * list means every day.
 */
export function inWindow(w: TimeWindow, now: number, cal: LocalCalendar = systemCalendar): boolean {
  const s = parseHhmm(w.start);
  const e = parseHhmm(w.end);
  if (s === null || e === null) return false;
  const f = cal.fields(now);
  if (s < e) return dayOk(w, f.dow) && f.minute >= s && f.minute < e;
  return (dayOk(w, f.dow) && f.minute >= s) || (dayOk(w, (f.dow + 6) % 7) && f.minute < e);
}

/** Whether the schedule lets frames show at `now`. No windows = no restriction in either mode. */
export function scheduleAllows(settings: Settings, now: number, cal: LocalCalendar = systemCalendar): boolean {
  const { mode, windows } = settings.schedule;
  if (mode === 'always' || windows.length === 0) return true;
  const inside = windows.some((w) => inWindow(w, now, cal));
  return mode === 'only' ? inside : !inside;
}

/** The first instant after `now` at which `scheduleAllows` changes value; null if it never does (within 8 days). */
export function nextScheduleChange(settings: Settings, now: number, cal: LocalCalendar = systemCalendar): number | null {
  const { mode, windows } = settings.schedule;
  if (mode === 'always' || windows.length === 0) return null;
  const current = scheduleAllows(settings, now, cal);
  const f = cal.fields(now);
  const points = new Set<number>();
  for (let off = -1; off <= 8; off++) {
    points.add(cal.at(f.y, f.m, f.d + off, 0));
    for (const w of windows) {
      const s = parseHhmm(w.start);
      const e = parseHhmm(w.end);
      if (s !== null) points.add(cal.at(f.y, f.m, f.d + off, s));
      if (e !== null) points.add(cal.at(f.y, f.m, f.d + off, e));
    }
  }
  const sorted = [...points].filter((p) => p > now).sort((a, b) => a - b);
  for (const p of sorted) if (scheduleAllows(settings, p, cal) !== current) return p;
  return null;
}
