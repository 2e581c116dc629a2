import { getDB } from '@/utils/storage/db';
import { readStateRecord, writeStateRecord } from '@/utils/storage/records';
import { StorageFullError, storageUnavailable, withRoom } from '@/utils/storage/quota';
import { scheduler } from '@/utils/schedule/scheduler';
import { loadState } from '@/utils/schedule/scheduler-state';
import type { SchedulerState } from '@/utils/schedule/types';

/**
 * While the disk is full, the scheduler goes on from memory so the reader's feed keeps
 * counting and pausing (issue #19: with a full disk, feeds counted nothing): the newest state
 * that could not be written. The next write that finds room writes it (it is the truth, newer
 * than the stored one). A worker stopped before then loses what only lived here.
 */
let unwritten: SchedulerState | null = null;
/** The last state read or written, the base for `unwritten` when the disk cannot even be read. */
let lastKnown: SchedulerState | null = null;

/**
 * Read-modify-write of the scheduler state inside ONE IndexedDB transaction. `fn` must be
 * synchronous (the pure scheduler), so the transaction cannot auto-commit halfway: two
 * claims from two tabs are serialised by IndexedDB itself, and a worker killed mid-way
 * leaves the previous state intact. `fn` returns `state: null` when it changed nothing.
 */
export async function updateState<R>(
  fn: (s: SchedulerState, now: number) => { state: SchedulerState | null; result: R },
  /** A change the person made and was told about (a snooze): saved, or a StorageFullError — never kept in memory only. */
  opts: { mustPersist?: boolean } = {},
): Promise<R> {
  try {
    return await withRoom(async () => {
      const db = await getDB();
      const tx = db.transaction('state', 'readwrite');
      const now = Date.now();
      // loadState repairs a corrupt record field by field rather than crashing the scheduler.
      const stored = await readStateRecord(tx.store, 'scheduler', (raw) => loadState(raw, now));
      const current = scheduler.normalize(unwritten ?? stored, now);
      const { state, result } = fn(current, now);
      // null: nothing changed, nothing to write.
      if (state === null && !unwritten) {
        await tx.done;
        lastKnown = current;
        return result;
      }
      const next = state ?? current;
      await writeStateRecord(tx.store, 'scheduler', next);
      await tx.done;
      unwritten = null;
      lastKnown = next;
      return result;
    });
  } catch (err) {
    const base = unwritten ?? lastKnown;
    if (!(err instanceof StorageFullError) || !base || opts.mustPersist) throw err;
    const now = Date.now();
    const current = scheduler.normalize(base, now);
    const { state, result } = fn(current, now);
    if (state !== null) unwritten = state;
    return result;
  }
}

export async function readState(): Promise<SchedulerState> {
  const now = Date.now();
  if (unwritten) return scheduler.normalize(unwritten, now);
  try {
    const db = await getDB();
    const state = scheduler.normalize(await readStateRecord(db, 'scheduler', (raw) => loadState(raw, now)), now);
    lastKnown = state;
    return state;
  } catch (err) {
    if (lastKnown && storageUnavailable(err)) return scheduler.normalize(lastKnown, now);
    throw err;
  }
}

/** For tests: forget what this worker kept in memory. */
export function forgetStateMemory(): void {
  unwritten = null;
  lastKnown = null;
}
