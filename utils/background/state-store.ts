import { getDB } from '@/utils/storage/db';
import { scheduler, loadState } from '@/utils/schedule/core';
import type { SchedulerState } from '@/utils/schedule/types';

const KEY = 'scheduler';

/**
 * Read-modify-write of the scheduler state inside ONE IndexedDB transaction. `fn` must be
 * synchronous (the pure scheduler), so the transaction cannot auto-commit halfway: two
 * claims from two tabs are serialised by IndexedDB itself, and a worker killed mid-way
 * leaves the previous state intact.
 */
export async function updateState<R>(fn: (s: SchedulerState, now: number) => { state: SchedulerState; result: R }): Promise<R> {
  const db = await getDB();
  const tx = db.transaction('state', 'readwrite');
  const raw = await tx.store.get(KEY);
  const now = Date.now();
  // loadState repairs a corrupt record field by field rather than crashing the scheduler.
  const current = scheduler.normalize(loadState(raw, now), now);
  const { state, result } = fn(current, now);
  await tx.store.put(state, KEY);
  await tx.done;
  return result;
}

export async function readState(): Promise<SchedulerState> {
  const db = await getDB();
  const raw = await db.get('state', KEY);
  const now = Date.now();
  return scheduler.normalize(loadState(raw, now), now);
}
