import { getDB } from '@/utils/storage/db';
import { loadNumberMap, readStateRecord, writeStateRecord } from '@/utils/storage/records';
import { normalizeOrigin } from '@/utils/feeds/site-key';

/**
 * "Add this site" from the popup: the popup names the origin here, then asks the browser for
 * it. Some browsers close the popup while their permission prompt is open, so the popup may
 * never hear the answer; the background does (permissions.onAdded) and finishes the job for a
 * grant it was told about in the last ten minutes — never for a permission granted some other way.
 */
const PENDING_MS = 10 * 60_000;

/** Origins asked for in the last ten minutes (older or malformed entries are dropped). */
const load = (raw: unknown, now: number) => loadNumberMap(raw, (at) => now - at < PENDING_MS);

export async function notePendingSite(input: string): Promise<void> {
  const origin = normalizeOrigin(input);
  if (!origin) throw new Error('not a web address');
  const db = await getDB();
  const tx = db.transaction('state', 'readwrite');
  const now = Date.now();
  const pending = await readStateRecord(tx.store, 'pending-sites', (raw) => load(raw, now));
  pending[origin] = now;
  await writeStateRecord(tx.store, 'pending-sites', pending);
  await tx.done;
}

/** The granted patterns' origins that were pending (and are no longer). */
export async function takePendingSites(patterns: readonly string[]): Promise<string[]> {
  const granted = new Set(patterns.map((p) => normalizeOrigin(p.replace(/\/\*$/, ''))).filter((o): o is string => o !== null));
  const db = await getDB();
  const tx = db.transaction('state', 'readwrite');
  const now = Date.now();
  const pending = await readStateRecord(tx.store, 'pending-sites', (raw) => load(raw, now));
  const taken = Object.keys(pending).filter((o) => granted.has(o));
  for (const o of taken) delete pending[o];
  await writeStateRecord(tx.store, 'pending-sites', pending);
  await tx.done;
  return taken;
}
