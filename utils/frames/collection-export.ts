import { getDB } from '@/utils/storage/db';
import { isTextRecord, type UserCollectionRecord, type UserFrameRecord } from '@/utils/storage/schema';
import { t } from '@/utils/i18n';
import { bytesToBase64 } from './base64';
import { COLLECTION_FILE_FORMAT, COLLECTION_FILE_VERSION, type CollectionFile, type ImageMime } from './collection-file';
import { localDay } from '@/utils/schedule/calendar';

/**
 * Writes a user collection as a collection file (format and checks: collection-file.ts), the
 * same shape the importer reads, so an export always imports again (tests/unit/collection-export.test.ts).
 */

export { bytesToBase64, base64ToBytes } from './base64';

/** The file for one collection and its frames (in the order given). */
export async function buildCollectionFile(collection: Pick<UserCollectionRecord, 'id' | 'name'>, frames: readonly UserFrameRecord[]): Promise<CollectionFile> {
  const entries: CollectionFile['frames'] = [];
  for (const f of frames) {
    if (isTextRecord(f)) {
      entries.push({ id: f.id, kind: 'text', text: f.text, source: f.source });
      continue;
    }
    entries.push({
      id: f.id,
      caption: f.caption,
      mime: f.mime as ImageMime,
      width: f.width,
      height: f.height,
      dataB64: bytesToBase64(new Uint8Array(await f.blob.arrayBuffer())),
    });
  }
  return {
    format: COLLECTION_FILE_FORMAT,
    version: COLLECTION_FILE_VERSION,
    collection: { id: collection.id, name: collection.name },
    frames: entries,
  };
}

/** The file's text: compact JSON (it is mostly base64, which indentation would not make readable). */
export function serializeCollectionFile(file: CollectionFile): string {
  return `${JSON.stringify(file)}\n`;
}

/** Reads a collection and its frames (oldest first) from IndexedDB and builds its file. */
export async function exportCollection(collectionId: string): Promise<CollectionFile> {
  const db = await getDB();
  const tx = db.transaction(['collections', 'frames']);
  const collection = await tx.objectStore('collections').get(collectionId);
  const frames = await tx.objectStore('frames').index('byCollection').getAll(collectionId);
  await tx.done;
  if (!collection) throw new Error(t('library.err.noCollection'));
  frames.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  return buildCollectionFile(collection, frames);
}

/** "stillframe-holiday-2024-2025-01-31.json": the collection's name (letters and digits of any script) and the day. */
export function collectionFileName(name: string, now: number): string {
  const slug = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `stillframe-${slug || 'collection'}-${localDay(now)}.json`;
}
