import type { TimeWindow } from '@/utils/storage/settings';

/**
 * The one rule for quiet (or active) hours, shared by the scheduler (quiet-hours.ts inWindow), the
 * options form and the preview sentence, and written down in docs/CADENCE.md:
 *
 * - start < end: that day, from start until end;
 * - start > end: overnight, from start on a chosen day until end the next morning;
 * - start = end: 24 hours from start (00:00–00:00 is the whole chosen day), never "nothing".
 *
 * A window needs at least one day and two times as HH:MM (24 h, as stored).
 */
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isHhmm(s: string): boolean {
  return HHMM.test(s);
}

/** The fields of a window that cannot be saved as they are (empty: it is fine). */
export function windowProblem(w: TimeWindow): Array<'days' | 'start' | 'end'> {
  const out: Array<'days' | 'start' | 'end'> = [];
  if (w.days.length === 0) out.push('days');
  if (!isHhmm(w.start)) out.push('start');
  if (!isHhmm(w.end)) out.push('end');
  return out;
}
