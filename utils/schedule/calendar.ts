/**
 * Local time for the scheduler. Days, midnights and quiet-hour windows are wall-clock notions.
 * Every scheduler function that needs them takes an optional trailing `cal: LocalCalendar`; the
 * default is `systemCalendar` (the platform's local time zone through `Date`, DST included).
 * Tests pass `fixedOffsetCalendar(minutes)` so that they are deterministic on any machine.
 */

export const MINUTE = 60_000;

export interface LocalFields {
  /** Full year, month 0–11, day of month 1–31. */
  y: number;
  m: number;
  d: number;
  /** 0 = Sunday … 6 = Saturday */
  dow: number;
  /** Minute of the day, 0–1439. */
  minute: number;
}

export interface LocalCalendar {
  fields(now: number): LocalFields;
  /** The instant of local wall-clock time y-m-d plus `minute`; overflowing days/minutes roll over like `Date`. */
  at(y: number, m: number, d: number, minute: number): number;
}

export const systemCalendar: LocalCalendar = {
  fields(now) {
    const dt = new Date(now);
    return { y: dt.getFullYear(), m: dt.getMonth(), d: dt.getDate(), dow: dt.getDay(), minute: dt.getHours() * 60 + dt.getMinutes() };
  },
  at(y, m, d, minute) {
    return new Date(y, m, d, 0, minute).getTime();
  },
};

/** A calendar at a fixed offset from UTC (minutes east, e.g. +480 for Beijing); no DST. */
export function fixedOffsetCalendar(offsetMinutes: number): LocalCalendar {
  const off = offsetMinutes * MINUTE;
  return {
    fields(now) {
      const dt = new Date(now + off);
      return { y: dt.getUTCFullYear(), m: dt.getUTCMonth(), d: dt.getUTCDate(), dow: dt.getUTCDay(), minute: dt.getUTCHours() * 60 + dt.getUTCMinutes() };
    },
    at(y, m, d, minute) {
      return Date.UTC(y, m, d, 0, minute) - off;
    },
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local calendar day as YYYY-MM-DD. */
export function localDay(now: number, cal: LocalCalendar = systemCalendar): string {
  const f = cal.fields(now);
  return `${f.y}-${pad2(f.m + 1)}-${pad2(f.d)}`;
}

/** The next local midnight strictly after `now`. */
export function nextLocalMidnight(now: number, cal: LocalCalendar = systemCalendar): number {
  const f = cal.fields(now);
  let t = cal.at(f.y, f.m, f.d + 1, 0);
  // Defensive: a DST jump can never make this <= now, but guard anyway.
  if (t <= now) t = cal.at(f.y, f.m, f.d + 2, 0);
  return t;
}
