import { getDB } from './db';
import type { EventRecord } from './schema';
import { isStorageFullError, noteDropped, pruneOldestEvents, prunedCount, PRUNE_BATCH, StorageFullError, withRoom } from './quota';
import { swallowed } from '@/utils/dev-log';

export { pruneOldestEvents, prunedCount, PRUNE_BATCH };

/** A full disk (or quota): see quota.ts for what Chromium and Firefox really raise. */
export const isQuotaError = isStorageFullError;

/**
 * Appends to the general event log. A full disk never becomes a crash: the oldest general
 * events are pruned (and counted) and the write is tried once more; if it still fails the
 * event is dropped and counted (Options → Data), because logging must never break the extension.
 */
export async function logEvent(e: EventRecord): Promise<boolean> {
  try {
    await withRoom(async () => {
      await (await getDB()).add('events', { ...e });
    });
    return true;
  } catch (err) {
    swallowed('log event', err);
    if (err instanceof StorageFullError) noteDropped('event');
    return false;
  }
}
