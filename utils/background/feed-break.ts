import { browser } from 'wxt/browser';
import { getDB } from '@/utils/storage/db';
import { readStateRecord, writeStateRecord } from '@/utils/storage/records';
import { breakUntil, endBreak, loadBreaks, nextBreakEnd, startBreak, type FeedBreaks } from '@/utils/schedule/feed-break';

/**
 * Breaks from a feed ("put this feed away"), kept in IndexedDB (state store, key 'breaks') so a
 * reload, another tab of the same site or a restarted worker still knows. The feed's tabs are
 * told through their config (ContentConfig.feedBreak); one alarm wakes the worker at the first
 * break's end to tell them it is over (the tabs also lift the cover on their own at that time).
 */
export const BREAK_ALARM = 'stillframe-break';

async function update(fn: (b: FeedBreaks, now: number) => FeedBreaks): Promise<FeedBreaks> {
  const db = await getDB();
  const tx = db.transaction('state', 'readwrite');
  const now = Date.now();
  const next = fn(await readStateRecord(tx.store, 'breaks', (raw) => loadBreaks(raw, now)), now);
  await writeStateRecord(tx.store, 'breaks', next);
  await tx.done;
  return next;
}

export async function readBreaks(): Promise<FeedBreaks> {
  const now = Date.now();
  return readStateRecord(await getDB(), 'breaks', (raw) => loadBreaks(raw, now));
}

/** The site's break in force, for a tab's config. */
export async function feedBreakFor(siteKey: string): Promise<{ until: number } | null> {
  const until = breakUntil(await readBreaks(), siteKey, Date.now());
  return until === null ? null : { until };
}

/** Starts or re-times a site's break; returns when it ends. */
export async function putFeedAway(siteKey: string, minutes: number): Promise<number> {
  const breaks = await update((b, now) => startBreak(b, siteKey, now, minutes));
  await scheduleBreakWake(breaks);
  return breaks[siteKey].until;
}

export async function bringFeedBack(siteKey: string): Promise<void> {
  await scheduleBreakWake(await update((b) => endBreak(b, siteKey)));
}

/** One alarm at the first break's end (none when no feed is on a break). */
export async function scheduleBreakWake(breaks?: FeedBreaks): Promise<void> {
  const at = nextBreakEnd(breaks ?? (await readBreaks()), Date.now());
  if (at === null) await browser.alarms.clear(BREAK_ALARM);
  else await browser.alarms.create(BREAK_ALARM, { when: Math.max(at, Date.now() + 1000) });
}
