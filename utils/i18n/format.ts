import type { Locale } from './core';

/**
 * Times of day, written one way everywhere (popup, options, the break panel, the preview
 * sentence): the locale's own clock — 24 h in Chinese, and in English whatever the browser's
 * English region uses (en-GB: 14:30, en-US: 2:30 PM), as its time fields do.
 */
export function timeTag(
  locale: Locale,
  langs: readonly string[] = typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : [],
): string {
  if (locale === 'zh_CN') return 'zh-CN';
  const en = langs.find((l) => /^en(-|$)/i.test(l));
  try {
    return en ? (Intl.DateTimeFormat.supportedLocalesOf([en])[0] ?? 'en') : 'en';
  } catch {
    return 'en';
  }
}

/** A 24-hour clock writes 07:05 (as time fields and stored times do); a 12-hour one 7:05 AM. */
function hourStyle(tag: string): '2-digit' | 'numeric' {
  const cycle = new Intl.DateTimeFormat(tag, { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h23' || cycle === 'h24' ? '2-digit' : 'numeric';
}

function sameLocalDay(a: number, b: number): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

/** "14:30" (or "2:30 PM") today; with the weekday on another day ("Tue 00:00"). */
export function formatClock(at: number, now: number, locale: Locale, tag = timeTag(locale)): string {
  const hour = hourStyle(tag);
  const opts: Intl.DateTimeFormatOptions = sameLocalDay(at, now) ? { hour, minute: '2-digit' } : { weekday: 'short', hour, minute: '2-digit' };
  return new Intl.DateTimeFormat(tag, opts).format(new Date(at));
}

/** A stored "HH:MM" in the locale's clock; anything that is not a time is shown as it is. */
export function formatHhmm(hhmm: string, locale: Locale, tag = timeTag(locale)): string {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) return hhmm;
  const d = new Date(2000, 0, 1, Number(m[1]), Number(m[2]));
  return new Intl.DateTimeFormat(tag, { hour: hourStyle(tag), minute: '2-digit' }).format(d);
}
