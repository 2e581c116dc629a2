import { getDB } from '@/utils/storage/db';
import { StorageFullError, withRoom } from '@/utils/storage/quota';
import { isTextRecord, type UserCollectionRecord, type UserFrameRecord, type UserImageRecord, type UserTextRecord } from '@/utils/storage/schema';
import { t } from '@/utils/i18n';
import {
  CAPTION_MAX,
  IMAGE_MIMES,
  SOURCE_MAX,
  TEXT_LINES_MAX,
  TEXT_MAX,
  isTextEntry,
  type CollectionFile,
  type CollectionFileImage,
  type ImageMime,
} from './collection-file';
import { base64ToBytes } from './collection-export';

/**
 * The user's own frames and collections, stored in the extension's IndexedDB ('frames',
 * 'collections'). Only extension pages (the options page) call this; the background reads
 * the same stores when it lists candidates and builds payloads (utils/background/frame-source.ts),
 * so a frame added here can be shown by the very next claim.
 *
 * Every write that touches more than one record is one transaction: a collection and its
 * frames appear, or disappear, together.
 */

/** Frame ids: 'user:<uuid>' (FramePayload's convention). */
export const USER_FRAME_PREFIX = 'user:';
/** Collection ids: never one of the curated ids ('still', 'words', …), never a frame id. */
export const USER_COLLECTION_PREFIX = 'user-collection:';
export const COLLECTION_NAME_MAX = 100;
/** Largest side we accept for a stored image (downscaleImage writes at most 1600). */
export const STORED_MAX_SIDE = 4096;
/** Largest image blob we store (a 1600 px WebP is a few hundred kB). */
export const STORED_MAX_BYTES = 8 * 1024 * 1024;

export interface UserCollectionSummary extends UserCollectionRecord {
  frameCount: number;
}

/** An encoded image ready to store (downscaleImage's result has this shape). */
export interface StoredImage {
  blob: Blob;
  mime: string;
  width: number;
  height: number;
}

/** A failed check, with a message in the current UI language. */
export class UserFramesError extends Error {
  constructor(
    public readonly key: string,
    params?: Record<string, string | number>,
  ) {
    super(t(key, params));
    this.name = 'UserFramesError';
  }
}

const newId = (prefix: string) => `${prefix}${crypto.randomUUID()}`;

/**
 * Every write here is one transaction run through withRoom (a full disk prunes old log
 * entries and tries once more); if there is still no room, the person reads why.
 */
async function saving<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await withRoom(write);
  } catch (err) {
    if (err instanceof StorageFullError) throw new UserFramesError('library.err.storageFull');
    throw err;
  }
}

export function isUserCollectionId(id: string): boolean {
  return id.startsWith(USER_COLLECTION_PREFIX);
}

/**
 * A caption as stored: one line (control characters and line breaks become spaces), trimmed,
 * at most CAPTION_MAX characters. It is only ever rendered as text.
 */
export function normalizeCaption(raw: string): string {
  const caption = raw.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  if (caption.length > CAPTION_MAX) throw new UserFramesError('library.err.captionTooLong', { max: CAPTION_MAX });
  return caption;
}

/**
 * The person's own words as stored: line breaks kept (at most TEXT_LINES_MAX lines, no empty
 * ones at the ends), other control characters made spaces, at most TEXT_MAX characters.
 * Too long is refused with a reason, never cut short.
 */
export function normalizeText(raw: string): string {
  const text = raw
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029]+/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .trim();
  if (!text) throw new UserFramesError('library.err.textEmpty');
  if (text.length > TEXT_MAX) throw new UserFramesError('library.err.textTooLong', { max: TEXT_MAX });
  if (text.split('\n').length > TEXT_LINES_MAX) throw new UserFramesError('library.err.textLines', { max: TEXT_LINES_MAX });
  return text;
}

/** Who said it or where it is from: one line, at most SOURCE_MAX characters, may be empty. */
export function normalizeSource(raw: string): string {
  const source = raw.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  if (source.length > SOURCE_MAX) throw new UserFramesError('library.err.sourceTooLong', { max: SOURCE_MAX });
  return source;
}

export function normalizeCollectionName(raw: string): string {
  const name = raw.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  if (!name) throw new UserFramesError('library.err.nameEmpty');
  if (name.length > COLLECTION_NAME_MAX) throw new UserFramesError('library.err.nameTooLong', { max: COLLECTION_NAME_MAX });
  return name;
}

function checkImage(image: StoredImage): void {
  if (!(IMAGE_MIMES as readonly string[]).includes(image.mime)) throw new UserFramesError('library.err.mime', { mime: image.mime || '?' });
  const side = (n: number) => Number.isInteger(n) && n >= 1 && n <= STORED_MAX_SIDE;
  if (!side(image.width) || !side(image.height)) throw new UserFramesError('library.err.size', { max: STORED_MAX_SIDE });
  if (!(image.blob.size > 0)) throw new UserFramesError('library.err.emptyImage');
  if (image.blob.size > STORED_MAX_BYTES) throw new UserFramesError('library.err.tooBig', { mb: Math.round(STORED_MAX_BYTES / 1024 / 1024) });
}

const byCreated = <T extends { createdAt: number; id: string }>(a: T, b: T) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every user collection, oldest first, with how many frames each holds. */
export async function listCollections(): Promise<UserCollectionSummary[]> {
  const db = await getDB();
  const tx = db.transaction(['collections', 'frames']);
  const collections = await tx.objectStore('collections').getAll();
  const index = tx.objectStore('frames').index('byCollection');
  const out: UserCollectionSummary[] = [];
  for (const c of collections) out.push({ ...c, frameCount: await index.count(c.id) });
  await tx.done;
  return out.sort(byCreated);
}

export async function getCollection(id: string): Promise<UserCollectionRecord | undefined> {
  return (await getDB()).get('collections', id);
}

/** The frames of one collection, oldest first. */
export async function listFrames(collectionId: string): Promise<UserFrameRecord[]> {
  const db = await getDB();
  const frames = await db.getAllFromIndex('frames', 'byCollection', collectionId);
  return frames.sort(byCreated);
}

export async function createCollection(name: string, now = Date.now()): Promise<UserCollectionRecord> {
  const record: UserCollectionRecord = { id: newId(USER_COLLECTION_PREFIX), name: normalizeCollectionName(name), createdAt: now };
  await saving(async () => (await getDB()).add('collections', record));
  return record;
}

export async function renameCollection(id: string, name: string): Promise<UserCollectionRecord> {
  const clean = normalizeCollectionName(name);
  return saving(async () => {
    const db = await getDB();
    const tx = db.transaction('collections', 'readwrite');
    const cur = await tx.store.get(id);
    if (!cur) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new UserFramesError('library.err.noCollection');
    }
    const next = { ...cur, name: clean };
    await tx.store.put(next);
    await tx.done;
    return next;
  });
}

/** Deletes a collection and all its frames in one transaction; returns how many frames went. */
export async function deleteCollection(id: string): Promise<number> {
  return saving(async () => {
    const db = await getDB();
    const tx = db.transaction(['collections', 'frames'], 'readwrite');
    const frames = tx.objectStore('frames');
    const keys = await frames.index('byCollection').getAllKeys(id);
    for (const key of keys) await frames.delete(key);
    await tx.objectStore('collections').delete(id);
    await tx.done;
    return keys.length;
  });
}

/** Adds one image (already downscaled) with its caption to an existing collection. */
export async function addFrame(collectionId: string, image: StoredImage, caption: string, now = Date.now()): Promise<UserImageRecord> {
  checkImage(image);
  const record: UserImageRecord = {
    id: newId(USER_FRAME_PREFIX),
    collectionId,
    caption: normalizeCaption(caption),
    mime: image.mime,
    width: image.width,
    height: image.height,
    blob: image.blob,
    createdAt: now,
  };
  return addToCollection(collectionId, record);
}

/** Saves a new frame into a collection that must still exist (one transaction: it cannot vanish in between). */
function addToCollection<R extends UserFrameRecord>(collectionId: string, record: R): Promise<R> {
  return saving(async () => {
    const db = await getDB();
    const tx = db.transaction(['collections', 'frames'], 'readwrite');
    if (!(await tx.objectStore('collections').get(collectionId))) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new UserFramesError('library.err.noCollection');
    }
    await tx.objectStore('frames').add(record);
    await tx.done;
    return record;
  });
}

/** Adds the person's own words (and where they are from) to an existing collection. */
export async function addTextFrame(collectionId: string, text: string, source: string, now = Date.now()): Promise<UserTextRecord> {
  const record: UserTextRecord = {
    id: newId(USER_FRAME_PREFIX),
    collectionId,
    kind: 'text',
    text: normalizeText(text),
    source: normalizeSource(source),
    createdAt: now,
  };
  return addToCollection(collectionId, record);
}

/** Changes the words of a text frame (both fields checked as when adding). */
export async function updateText(frameId: string, text: string, source: string): Promise<UserTextRecord> {
  const clean = { text: normalizeText(text), source: normalizeSource(source) };
  return saving(async () => {
    const db = await getDB();
    const tx = db.transaction('frames', 'readwrite');
    const cur = await tx.store.get(frameId);
    if (!cur || !isTextRecord(cur)) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new UserFramesError('library.err.noFrame');
    }
    const next: UserTextRecord = { ...cur, ...clean };
    await tx.store.put(next);
    await tx.done;
    return next;
  });
}

export async function updateCaption(frameId: string, caption: string): Promise<UserImageRecord> {
  const clean = normalizeCaption(caption);
  return saving(async () => {
    const db = await getDB();
    const tx = db.transaction('frames', 'readwrite');
    const cur = await tx.store.get(frameId);
    if (!cur || isTextRecord(cur)) {
      tx.abort();
      await tx.done.catch(() => {});
      throw new UserFramesError('library.err.noFrame');
    }
    const next: UserImageRecord = { ...cur, caption: clean };
    await tx.store.put(next);
    await tx.done;
    return next;
  });
}

export async function deleteFrame(frameId: string): Promise<void> {
  await saving(async () => (await getDB()).delete('frames', frameId));
}

/**
 * Turns one validated file entry into an image to store. The options page re-encodes it
 * (downscaleImage: proves it decodes, drops metadata, bounds the size); without a decoder
 * (tests) the bytes are taken as they are.
 */
export type ImportDecoder = (entry: CollectionFileImage, bytes: Uint8Array<ArrayBuffer>) => Promise<StoredImage>;

const rawDecoder: ImportDecoder = async (entry, bytes) => ({
  blob: new Blob([bytes], { type: entry.mime }),
  mime: entry.mime as ImageMime,
  width: entry.width,
  height: entry.height,
});

export type ImportResult = { ok: true; collection: UserCollectionRecord; frames: number } | { ok: false; errors: string[] };

/**
 * Adds a validated collection file as a NEW collection (fresh ids, so importing the same file
 * twice, or a file exported here, never overwrites anything). All or nothing: every image is
 * decoded first, and only when all of them are fine is anything written, in one transaction.
 * Errors name the field, like the file validator's ("frames[2].dataB64: …").
 */
export async function importCollectionFile(file: CollectionFile, opts: { now?: number; decode?: ImportDecoder } = {}): Promise<ImportResult> {
  const now = opts.now ?? Date.now();
  const decode = opts.decode ?? rawDecoder;
  let name: string;
  try {
    name = normalizeCollectionName(file.collection.name);
  } catch (e) {
    return { ok: false, errors: [`collection.name: ${(e as Error).message}`] };
  }
  const errors: string[] = [];
  const ready: Array<{ image: StoredImage; caption: string } | { text: string; source: string }> = [];
  for (let i = 0; i < file.frames.length; i++) {
    const entry = file.frames[i];
    if (isTextEntry(entry)) {
      try {
        ready.push({ text: normalizeText(entry.text), source: normalizeSource(entry.source) });
      } catch (e) {
        errors.push(`frames[${i}].text: ${e instanceof Error ? e.message : String(e)}`);
      }
      continue;
    }
    try {
      const image = await decode(entry, base64ToBytes(entry.dataB64));
      checkImage(image);
      ready.push({ image, caption: normalizeCaption(entry.caption) });
    } catch (e) {
      errors.push(`frames[${i}].dataB64: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (errors.length) return { ok: false, errors };

  const collection: UserCollectionRecord = { id: newId(USER_COLLECTION_PREFIX), name, createdAt: now };
  try {
    await saving(async () => {
      const db = await getDB();
      const tx = db.transaction(['collections', 'frames'], 'readwrite');
      await tx.objectStore('collections').add(collection);
      const frames = tx.objectStore('frames');
      // createdAt + i keeps the file's order when listing.
      for (let i = 0; i < ready.length; i++) {
        const r = ready[i];
        const base = { id: newId(USER_FRAME_PREFIX), collectionId: collection.id, createdAt: now + i };
        if ('text' in r) await frames.add({ ...base, kind: 'text', text: r.text, source: r.source });
        else await frames.add({ ...base, caption: r.caption, mime: r.image.mime, width: r.image.width, height: r.image.height, blob: r.image.blob });
      }
      await tx.done;
    });
  } catch (err) {
    if (err instanceof UserFramesError) return { ok: false, errors: [err.message] };
    throw err;
  }
  return { ok: true, collection, frames: ready.length };
}
