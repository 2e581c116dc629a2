import type { SiteStatus } from '@/utils/messaging';
import type { Locale } from '@/utils/i18n';

export const CADENCE_PRESETS = [10, 25, 50, 100] as const;
export const SNOOZE_KINDS = ['15m', '1h', 'today'] as const;

export interface SnoozeView {
  until: number;
  /** 'site': only this site is snoozed; 'all': every site is (a global snooze covers the site). */
  scope: 'site' | 'all';
}

/**
 * What snooze is in force, from the site's status (site or global snooze, whichever ends
 * later) and the global status (global snooze only).
 */
export function snoozeView(site: SiteStatus | null, global: SiteStatus | null, now: number): SnoozeView | null {
  const g = global?.snoozedUntil && global.snoozedUntil > now ? global.snoozedUntil : null;
  const s = site?.snoozedUntil && site.snoozedUntil > now ? site.snoozedUntil : null;
  if (g !== null && (s === null || g >= s)) return { until: g, scope: 'all' };
  if (s !== null) return { until: s, scope: site?.siteKey ? 'site' : 'all' };
  return null;
}

function sameLocalDay(a: number, b: number): boolean {
  const x = new Date(a);
  const y = new Date(b);
  return x.getFullYear() === y.getFullYear() && x.getMonth() === y.getMonth() && x.getDate() === y.getDate();
}

/** "15:30" today; "Tue 00:00" on another day (a snooze for today ends at midnight). */
export function formatUntil(until: number, now: number, locale: Locale): string {
  const tag = locale === 'zh_CN' ? 'zh-CN' : 'en-GB';
  const opts: Intl.DateTimeFormatOptions = sameLocalDay(until, now)
    ? { hour: '2-digit', minute: '2-digit', hour12: false }
    : { weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false };
  return new Intl.DateTimeFormat(tag, opts).format(new Date(until));
}

/** Readable host for the header: 'www.reddit.com' → 'reddit.com'. */
export function displayHost(host: string | null): string | null {
  if (!host) return null;
  return host.replace(/^(www|m|web|mobile)\./, '');
}

/** The tab the popup speaks about when opened as a page (tests, or a pinned popup tab): ?tabId=N. */
export function tabIdFromSearch(search: string): number | undefined {
  const raw = new URLSearchParams(search).get('tabId');
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}
