import { getDB } from '@/utils/storage/db';
import { isTextRecord } from '@/utils/storage/schema';
import { CURATED_COLLECTIONS, curatedFrameIds, getCuratedPayload } from '@/utils/frames/library';
import type { FramePayload } from '@/utils/frames/types';
import type { FrameCandidate } from '@/utils/schedule/types';
import { wordLanguagesFor, type Settings } from '@/utils/storage/settings';
import type { Locale } from '@/utils/i18n';

/** Every frame the scheduler may choose from: the bundled collections and the user's own. */
export async function listCandidates(settings: Settings, uiLocale: Locale): Promise<FrameCandidate[]> {
  const out: FrameCandidate[] = [];
  const wordLanguages = wordLanguagesFor(settings, uiLocale);
  for (const c of CURATED_COLLECTIONS) {
    for (const id of curatedFrameIds(c.id, { wordLanguages })) out.push({ id, collectionId: c.id });
  }
  const db = await getDB();
  // A key cursor over the collection index: ids and collections without loading any image.
  let cursor = await db.transaction('frames').store.index('byCollection').openKeyCursor();
  while (cursor) {
    out.push({ id: String(cursor.primaryKey), collectionId: String(cursor.key) });
    cursor = await cursor.continue();
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * The payload sent to the tab. User images travel as bytes (base64) and are drawn to a
 * canvas there, because a page's CSP may forbid data: and blob: images.
 */
export async function loadPayload(id: string, locale: Locale): Promise<FramePayload | null> {
  const curated = getCuratedPayload(id, locale);
  if (curated) return curated;
  const db = await getDB();
  const f = await db.get('frames', id);
  if (!f) return null;
  if (isTextRecord(f)) return { kind: 'text', id: f.id, collectionId: f.collectionId, attribution: '', text: f.text, source: f.source };
  const bytes = new Uint8Array(await f.blob.arrayBuffer());
  return {
    kind: 'image',
    id: f.id,
    collectionId: f.collectionId,
    attribution: '',
    caption: f.caption,
    mime: f.mime,
    width: f.width,
    height: f.height,
    dataB64: toBase64(bytes),
  };
}
