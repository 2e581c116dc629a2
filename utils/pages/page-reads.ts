import { getDB } from '@/utils/storage/db';
import { loadTabs, readStateRecord } from '@/utils/storage/records';
import type { EventRecord } from '@/utils/storage/schema';
import type { AdapterStatus } from '@/utils/feeds/types';
import { swallowed } from '@/utils/dev-log';

/**
 * Everything the extension pages read from IndexedDB directly, in one place. The pages only
 * read: the background writes these records, and every change goes to it by message. Reads
 * that go through the background instead (settings, study status, storage health) are messages.
 */

/** Every AdapterStatus (a Record, so tsc fails here when one is added). */
const STATUSES: Record<AdapterStatus, true> = { working: true, widened: true, fallback: true, 'not-feed': true, waiting: true };

/**
 * What the open tabs' adapters last reported, by site key, from the background's registry of
 * tabs. One working tab is the best news for a site, so it wins over the others. A failed read
 * (a full disk) reads as nothing reported.
 */
export async function readTabStatuses(): Promise<Record<string, AdapterStatus>> {
  try {
    const tabs = await readStateRecord(await getDB(), 'tabs', loadTabs);
    const out: Record<string, AdapterStatus> = {};
    for (const tab of Object.values(tabs)) {
      if (!tab.siteKey || !isStatus(tab.status)) continue;
      if (out[tab.siteKey] !== 'working') out[tab.siteKey] = tab.status;
    }
    return out;
  } catch (err) {
    // The disk refused even a read (full, or our connection closed): the page shows no statuses.
    swallowed('read tab statuses', err);
    return {};
  }
}

function isStatus(x: string | undefined): x is AdapterStatus {
  return x !== undefined && Object.hasOwn(STATUSES, x);
}

/** The logged 'posts', 'frame-shown' and 'decision' events since `since` (epoch ms), oldest first, for Insights. */
export async function readActivity(since: number): Promise<EventRecord[]> {
  const db = await getDB();
  const out: EventRecord[] = [];
  let cursor = await db.transaction('events').store.index('byTs').openCursor(IDBKeyRange.lowerBound(since));
  while (cursor) {
    const type = cursor.value.type;
    if (type === 'posts' || type === 'frame-shown' || type === 'decision') out.push(cursor.value);
    cursor = await cursor.continue();
  }
  return out;
}

/** How much is stored on this device (nothing of it ever leaves), for the Data section. */
export async function readStoredCounts(): Promise<{ events: number; frames: number }> {
  const db = await getDB();
  return { events: await db.count('events'), frames: await db.count('frames') };
}
