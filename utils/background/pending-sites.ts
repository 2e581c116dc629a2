import { getDB } from '@/utils/storage/db';
import { normalizeOrigin } from '@/utils/feeds/site-key';

/**
 * "Add this site" from the popup: the popup names the origin here, then asks the browser for
 * it. Some browsers close the popup while their permission prompt is open, so the popup may
 * never hear the answer; the background does (permissions.onAdded) and finishes the job for a
 * grant it was told about in the last ten minutes — never for a permission granted some other way.
 */
const KEY = 'pending-sites';
const PENDING_MS = 10 * 60_000;

type Pending = Record<string, number>;

function load(raw: unknown, now: number): Pending {
  const out: Pending = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [origin, at] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof at === 'number' && now - at < PENDING_MS) out[origin] = at;
  }
  return out;
}

export async function notePendingSite(input: string): Promise<void> {
  const origin = normalizeOrigin(input);
  if (!origin) throw new Error('not a web address');
  const db = await getDB();
  const tx = db.transaction('state', 'readwrite');
  const now = Date.now();
  const pending = load(await tx.store.get(KEY), now);
  pending[origin] = now;
  await tx.store.put(pending, KEY);
  await tx.done;
}

/** The granted patterns' origins that were pending (and are no longer). */
export async function takePendingSites(patterns: readonly string[]): Promise<string[]> {
  const granted = new Set(patterns.map((p) => normalizeOrigin(p.replace(/\/\*$/, ''))).filter((o): o is string => o !== null));
  const db = await getDB();
  const tx = db.transaction('state', 'readwrite');
  const now = Date.now();
  const pending = load(await tx.store.get(KEY), now);
  const taken = Object.keys(pending).filter((o) => granted.has(o));
  for (const o of taken) delete pending[o];
  await tx.store.put(pending, KEY);
  await tx.done;
  return taken;
}
