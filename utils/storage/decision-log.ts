import { getDB } from './db';
import { isQuotaError, pruneOldestEvents } from './events';
import type { DecisionEventData, EventRecord } from './schema';
import { loadNumberMap, readStateRecord, writeStateRecord } from './records';
import type { DecisionWindows } from '@/utils/study/types';
import { swallowed } from '@/utils/dev-log';

/**
 * Decision points in the general event log (outside and inside a study alike), for Insights:
 * one 'decision' event per moment a pause was due, shown or withheld, updated once with the
 * scrolling the tab measured around it. Pruned with the other general events when the disk
 * is full. Where each open decision's event is, is remembered in the 'state' store (bounded),
 * so the update does not scan the log.
 */
const MAX_OPEN = 64;

/** decision id → its event's key (entries that are not an integer key are dropped) */
const readOpen = (raw: unknown) => loadNumberMap(raw, Number.isInteger);

async function addOnce(e: EventRecord, decisionId: string): Promise<void> {
  const db = await getDB();
  const tx = db.transaction(['events', 'state'], 'readwrite');
  const key = await tx.objectStore('events').add(e);
  const open = await readStateRecord(tx.objectStore('state'), 'open-decisions', readOpen);
  open[decisionId] = key;
  const ids = Object.keys(open);
  for (const id of ids.slice(0, Math.max(0, ids.length - MAX_OPEN))) delete open[id];
  await writeStateRecord(tx.objectStore('state'), 'open-decisions', open);
  await tx.done;
}

/** Logs a decision point; never throws (a full disk prunes the oldest general events once). */
export async function logGeneralDecision(d: { id: string; ts: number; siteKey: string; pShow: number; shown: boolean; windowMs: number }): Promise<boolean> {
  const e: EventRecord = {
    ts: d.ts,
    type: 'decision',
    siteKey: d.siteKey,
    value: d.pShow,
    detail: d.shown ? 'shown' : 'withheld',
    decision: { id: d.id, pShow: d.pShow, shown: d.shown, windowMs: d.windowMs },
  };
  try {
    await addOnce(e, d.id);
    return true;
  } catch (err) {
    if (!isQuotaError(err)) {
      swallowed('decision log', err);
      return false;
    }
  }
  try {
    await pruneOldestEvents();
    await addOnce(e, d.id);
    return true;
  } catch (err) {
    swallowed('decision log after pruning', err);
    return false;
  }
}

/** Adds the measured windows to a decision point's event (once). */
export async function logGeneralDecisionWindows(w: DecisionWindows): Promise<boolean> {
  try {
    const db = await getDB();
    const tx = db.transaction(['events', 'state'], 'readwrite');
    const open = await readStateRecord(tx.objectStore('state'), 'open-decisions', readOpen);
    const key = open[w.decisionId];
    if (key === undefined) {
      await tx.done;
      return false;
    }
    delete open[w.decisionId];
    await writeStateRecord(tx.objectStore('state'), 'open-decisions', open);
    const ev = await tx.objectStore('events').get(key);
    if (ev && ev.type === 'decision' && ev.decision?.id === w.decisionId) {
      const decision: DecisionEventData = {
        ...ev.decision,
        before: w.before,
        after: w.censored ? null : w.after,
        censored: w.censored,
        overlapsPrevious: w.overlapsPrevious,
      };
      await tx.objectStore('events').put({ ...ev, decision });
    }
    await tx.done;
    return true;
  } catch (err) {
    swallowed('decision windows', err);
    return false;
  }
}
