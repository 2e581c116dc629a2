import { getDB } from '@/utils/storage/db';
import { readStateRecord, writeStateRecord } from '@/utils/storage/records';
import { loadState } from '@/utils/schedule/scheduler-state';
import { localDay } from '@/utils/schedule/calendar';
import { scheduler } from '@/utils/schedule/scheduler';
import { claimStop, loadStopRecord, postsUntilStop, type StopDecision } from '@/utils/schedule/stopping-point';
import type { Settings } from '@/utils/storage/settings';

/**
 * The stopping point's glue: today's posts come from the scheduler's state, whether it was
 * shown today from its own record (state store, key 'stopping-point'). A claim reads both
 * and writes the record in one transaction, so two tabs cannot both show it.
 */
/** Posts left before today's stopping point (null: none to come), for a tab's config. */
export async function stopLeft(settings: Settings): Promise<number | null> {
  if (!settings.stoppingPoint.enabled) return null;
  const db = await getDB();
  const tx = db.transaction('state');
  const now = Date.now();
  const state = scheduler.normalize(await readStateRecord(tx.store, 'scheduler', (raw) => loadState(raw, now)), now);
  const record = await readStateRecord(tx.store, 'stopping-point', loadStopRecord);
  await tx.done;
  return postsUntilStop(settings, state.postsToday, record, localDay(now));
}

export async function claimStopHere(settings: Settings, unsent: number): Promise<StopDecision> {
  const db = await getDB();
  const tx = db.transaction('state', 'readwrite');
  const now = Date.now();
  const state = scheduler.normalize(await readStateRecord(tx.store, 'scheduler', (raw) => loadState(raw, now)), now);
  const record = await readStateRecord(tx.store, 'stopping-point', loadStopRecord);
  const decision = claimStop(settings, state.postsToday, unsent, record, localDay(now));
  if (decision.show) await writeStateRecord(tx.store, 'stopping-point', decision.record);
  await tx.done;
  return decision;
}
