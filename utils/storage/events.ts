import { getDB } from './db';
import type { EventRecord } from './schema';

/** How many of the oldest non-study events go when the disk is full. */
export const PRUNE_BATCH = 500;
const PRUNED_KEY = 'pruned-events';

export function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: string })?.name ?? '';
  return name === 'QuotaExceededError' || /quota/i.test(String((err as Error)?.message ?? ''));
}

/** Deletes the oldest `n` events of the general log (study data lives in its own stores and is never pruned). */
export async function pruneOldestEvents(n = PRUNE_BATCH): Promise<number> {
  const db = await getDB();
  const tx = db.transaction(['events', 'state'], 'readwrite');
  let removed = 0;
  let cursor = await tx.objectStore('events').index('byTs').openCursor();
  while (cursor && removed < n) {
    await cursor.delete();
    removed++;
    cursor = await cursor.continue();
  }
  const states = tx.objectStore('state');
  const prev = Number((await states.get(PRUNED_KEY)) ?? 0) || 0;
  await states.put(prev + removed, PRUNED_KEY);
  await tx.done;
  return removed;
}

/** How many events were pruned to make room (shown in the options page's Data section). */
export async function prunedCount(): Promise<number> {
  const db = await getDB();
  return Number((await db.get('state', PRUNED_KEY)) ?? 0) || 0;
}

/**
 * Appends to the general event log. A full disk never becomes a crash: the oldest general
 * events are pruned (and counted) and the write is tried once more; if it still fails the
 * event is dropped, because logging must never break the extension.
 */
export async function logEvent(e: EventRecord): Promise<boolean> {
  const db = await getDB();
  try {
    await db.add('events', e);
    return true;
  } catch (err) {
    if (!isQuotaError(err)) return false;
  }
  try {
    await pruneOldestEvents();
    await db.add('events', e);
    return true;
  } catch {
    return false;
  }
}
