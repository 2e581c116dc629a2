import { getDB } from '@/utils/storage/db';
import { isTextRecord } from '@/utils/storage/schema';
import { storageUnavailable, withRoom } from '@/utils/storage/quota';
import { logEvent } from '@/utils/storage/events';
import { CURATED_COLLECTIONS, curatedFrameIds, getCuratedPayload } from '@/utils/frames/library';
import { checkFrameBytes, checkUserFrameRecord, type BrokenReason } from '@/utils/frames/frame-record';
import type { FramePayload } from '@/utils/frames/types';
import type { FrameCandidate } from '@/utils/schedule/types';
import { wordLanguagesFor, type Settings } from '@/utils/storage/settings';
import type { Locale } from '@/utils/i18n';
import { devLog } from '@/utils/dev-log';

/** Every frame the scheduler may choose from: the bundled collections and the user's own. */
export async function listCandidates(settings: Settings, uiLocale: Locale): Promise<FrameCandidate[]> {
  const out: FrameCandidate[] = [];
  const wordLanguages = wordLanguagesFor(settings, uiLocale);
  for (const c of CURATED_COLLECTIONS) {
    for (const id of curatedFrameIds(c.id, { wordLanguages })) out.push({ id, collectionId: c.id });
  }
  try {
    const db = await getDB();
    // A key cursor over the collection index: ids and collections without loading any image.
    let cursor = await db.transaction('frames').store.index('byCollection').openKeyCursor();
    while (cursor) {
      out.push({ id: String(cursor.primaryKey), collectionId: String(cursor.key) });
      cursor = await cursor.continue();
    }
  } catch (err) {
    // A full disk can refuse even a read: the bundled frames still can be shown.
    if (!storageUnavailable(err)) throw err;
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export type PayloadResult =
  | { ok: true; frame: FramePayload }
  /** Gone (deleted meanwhile, or an id we do not know): nothing to show, nothing broken. */
  | { ok: false; missing: true }
  /** Stored, but damaged: it can never be shown. */
  | { ok: false; missing: false; reason: BrokenReason; detail: string; collectionId: string | null };

/**
 * The payload sent to the tab, checked before any pause is spent on it. User images travel as
 * bytes (base64) and are drawn to a canvas there, because a page's CSP may forbid data: and
 * blob: images; their record and bytes are checked here (frame-record.ts).
 */
export async function loadPayload(id: string, locale: Locale): Promise<PayloadResult> {
  const curated = getCuratedPayload(id, locale);
  if (curated) return { ok: true, frame: curated };
  const db = await getDB();
  const raw = await db.get('frames', id);
  if (raw === undefined) return { ok: false, missing: true };
  const collectionId = typeof (raw as { collectionId?: unknown })?.collectionId === 'string' ? (raw as { collectionId: string }).collectionId : null;
  const checked = checkUserFrameRecord(raw, id);
  if (!checked.ok) return { ok: false, missing: false, reason: checked.reason, detail: checked.detail, collectionId };
  const f = checked.record;
  if (isTextRecord(f)) return { ok: true, frame: { kind: 'text', id: f.id, collectionId: f.collectionId, attribution: '', text: f.text, source: f.source } };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await f.blob.arrayBuffer());
  } catch (err) {
    // The blob's file is gone or unreadable (NotFoundError / NotReadableError).
    return { ok: false, missing: false, reason: 'unreadable', detail: String((err as Error)?.name ?? 'error').slice(0, 40), collectionId };
  }
  const bad = checkFrameBytes(f, bytes);
  if (bad) return { ok: false, missing: false, ...bad, collectionId };
  return {
    ok: true,
    frame: {
      kind: 'image',
      id: f.id,
      collectionId: f.collectionId,
      attribution: '',
      caption: f.caption,
      mime: f.mime,
      width: f.width,
      height: f.height,
      dataB64: toBase64(bytes),
    },
  };
}

export const FRAME_DROPPED = 'frame-dropped:';

/**
 * A stored frame that can never be shown is taken out of the library (it would cost a pause
 * each time it is drawn), and the removal is written in the log for Options → Data to say so.
 */
export async function dropBrokenFrame(id: string, broken: { reason: BrokenReason; detail: string; collectionId: string | null }): Promise<void> {
  // Not deleted (no room, say): it is dropped again the next time it is drawn; the notice below is written either way.
  await withRoom(async () => (await getDB()).delete('frames', id)).catch(devLog('drop broken frame'));
  await logEvent({
    ts: Date.now(),
    type: 'notice',
    detail: `${FRAME_DROPPED}${broken.reason}:${broken.detail}`.slice(0, 200),
    frameId: id.slice(0, 200),
    ...(broken.collectionId ? { collectionId: broken.collectionId.slice(0, 200) } : {}),
  });
}
