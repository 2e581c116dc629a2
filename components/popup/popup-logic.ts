import type { SiteStatus } from '@/utils/messaging';
import type { Locale } from '@/utils/i18n';
import { formatClock } from '@/utils/i18n/format';
import { normalizeOrigin } from '@/utils/feeds/site-key';
import { SNOOZE_INDEFINITELY } from '@/utils/schedule/snooze';

export const CADENCE_PRESETS = [10, 25, 50, 100] as const;
export const SNOOZE_KINDS = ['15m', '1h', 'today', 'indefinite'] as const;
/** A snooze of the person's own length: from a minute to a week. */
export const SNOOZE_MINUTES = { min: 1, max: 10_080 } as const;

export interface SnoozeView {
  /** Epoch ms, or null for "until you turn them back on". */
  until: number | null;
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
  const open = (until: number) => (until >= SNOOZE_INDEFINITELY ? null : until);
  if (g !== null && (s === null || g >= s)) return { until: open(g), scope: 'all' };
  if (s !== null) return { until: open(s), scope: site?.siteKey ? 'site' : 'all' };
  return null;
}

/** "15:30" (or "3:30 PM") today; with the weekday on another day (a snooze for today ends at midnight). */
export function formatUntil(until: number, now: number, locale: Locale): string {
  return formatClock(until, now, locale);
}

/** Readable host for the header: 'www.reddit.com' → 'reddit.com'. */
export function displayHost(host: string | null): string | null {
  if (!host) return null;
  return host.replace(/^(www|m|web|mobile)\./, '');
}

/** The origin "Add this site" would ask for, from the tab's URL; null for pages that are not web pages. */
export function addableOrigin(url: string | null | undefined): string | null {
  if (!url || !/^https?:\/\//i.test(url)) return null;
  return normalizeOrigin(url);
}

/** The tab the popup speaks about when opened as a page (tests, or a pinned popup tab): ?tabId=N. */
export function tabIdFromSearch(search: string): number | undefined {
  const raw = new URLSearchParams(search).get('tabId');
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}
