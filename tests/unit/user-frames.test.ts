// @vitest-environment node
// (Node's Blob survives structured cloning in fake-indexeddb; happy-dom's does not.)
import { beforeEach, describe, expect, it } from 'vitest';
import type { UserImageRecord } from '@/utils/storage/schema';
import {
  USER_COLLECTION_PREFIX,
  USER_FRAME_PREFIX,
  UserFramesError,
  addFrame,
  createCollection,
  deleteCollection,
  deleteFrame,
  importCollectionFile,
  isUserCollectionId,
  listCollections,
  listFrames,
  normalizeCaption,
  normalizeCollectionName,
  renameCollection,
  updateCaption,
  type StoredImage,
} from '@/utils/frames/user-frames';
import { validateCollectionFile, type CollectionFile } from '@/utils/frames/collection-file';
import { bytesToBase64 } from '@/utils/frames/collection-export';
import { isCuratedCollectionId } from '@/utils/frames/library';
import { getDB } from '@/utils/storage/db';
import { listCandidates, loadPayload } from '@/utils/background/frame-source';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { setLocale } from '@/utils/i18n';

/** The first bytes of a lossy WebP of this size: what the background reads before it sends an image (image-header.ts). */
const webpHead = (w: number, h: number) => [
  ...[...'RIFF'].map((c) => c.charCodeAt(0)),
  36,
  0,
  0,
  0,
  ...[...'WEBPVP8 '].map((c) => c.charCodeAt(0)),
  24,
  0,
  0,
  0,
  0x10,
  0x02,
  0x00,
  0x9d,
  0x01,
  0x2a,
  w & 0xff,
  w >> 8,
  h & 0xff,
  h >> 8,
];
const WEBP_HEAD = webpHead(1600, 1067);
const webp = (extra = 0): StoredImage => ({
  blob: new Blob([new Uint8Array([...WEBP_HEAD, extra])], { type: 'image/webp' }),
  mime: 'image/webp',
  width: 1600,
  height: 1067,
});

beforeEach(() => {
  setLocale('en');
});

describe('captions and names', () => {
  it('keeps a caption as one trimmed line of text, markup and all', () => {
    expect(normalizeCaption('  The harbour\nat dawn\t ')).toBe('The harbour at dawn');
    expect(normalizeCaption('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(normalizeCaption('')).toBe('');
    expect(normalizeCaption('x'.repeat(280))).toHaveLength(280);
  });

  it('refuses a caption over 280 characters, saying so', () => {
    expect(() => normalizeCaption('x'.repeat(281))).toThrow(UserFramesError);
    expect(() => normalizeCaption('x'.repeat(281))).toThrow('The caption must be at most 280 characters.');
  });

  it('needs a name of 1–100 characters', () => {
    expect(normalizeCollectionName('  Holiday ')).toBe('Holiday');
    expect(() => normalizeCollectionName('   ')).toThrow('The name must not be empty.');
    expect(() => normalizeCollectionName('x'.repeat(101))).toThrow('at most 100');
    setLocale('zh_CN');
    expect(() => normalizeCollectionName('')).toThrow('名称不能为空。');
  });
});

describe('collections', () => {
  it('creates, lists (oldest first, with counts), renames and deletes', async () => {
    const a = await createCollection('Sea', 1000);
    const b = await createCollection('Hills', 2000);
    expect(a.id.startsWith(USER_COLLECTION_PREFIX)).toBe(true);
    expect(isUserCollectionId(a.id)).toBe(true);
    expect(isCuratedCollectionId(a.id)).toBe(false);
    expect(a.id).not.toBe(b.id);
    await addFrame(a.id, webp(), 'one');
    await addFrame(a.id, webp(), 'two');
    let list = await listCollections();
    expect(list.map((c) => [c.name, c.frameCount])).toEqual([
      ['Sea', 2],
      ['Hills', 0],
    ]);

    const renamed = await renameCollection(b.id, '  Mountains ');
    expect(renamed.name).toBe('Mountains');
    list = await listCollections();
    expect(list.map((c) => c.name)).toEqual(['Sea', 'Mountains']);

    expect(await deleteCollection(a.id)).toBe(2);
    list = await listCollections();
    expect(list.map((c) => c.name)).toEqual(['Mountains']);
    const db = await getDB();
    expect(await db.count('frames')).toBe(0);
  });

  it('refuses to rename to an empty name, or a collection that is gone', async () => {
    const a = await createCollection('Sea');
    await expect(renameCollection(a.id, ' ')).rejects.toThrow('must not be empty');
    await expect(renameCollection(`${USER_COLLECTION_PREFIX}nope`, 'x')).rejects.toThrow('no longer exists');
    expect((await listCollections())[0].name).toBe('Sea');
  });

  it('deleting one collection leaves the others and their frames alone', async () => {
    const a = await createCollection('A');
    const b = await createCollection('B');
    await addFrame(a.id, webp(), 'a');
    const keep = await addFrame(b.id, webp(), 'b');
    await deleteCollection(a.id);
    expect((await listFrames(b.id)).map((f) => f.id)).toEqual([keep.id]);
  });
});

describe('frames', () => {
  it('stores the image Blob with its caption, size and mime, and lists them oldest first', async () => {
    const c = await createCollection('Sea');
    const first = await addFrame(c.id, webp(1), ' first ', 10);
    const second = await addFrame(c.id, webp(2), 'second', 20);
    expect(first.id.startsWith(USER_FRAME_PREFIX)).toBe(true);
    const frames = (await listFrames(c.id)) as UserImageRecord[];
    expect(frames.map((f) => f.caption)).toEqual(['first', 'second']);
    expect(frames[0]).toMatchObject({ collectionId: c.id, mime: 'image/webp', width: 1600, height: 1067, createdAt: 10 });
    expect(new Uint8Array(await frames[1].blob.arrayBuffer()).at(-1)).toBe(2);
    expect(second.createdAt).toBe(20);
  });

  it('refuses images it should not store', async () => {
    const c = await createCollection('Sea');
    await expect(addFrame(c.id, { ...webp(), mime: 'image/svg+xml' }, '')).rejects.toThrow('WebP, JPEG or PNG');
    await expect(addFrame(c.id, { ...webp(), width: 0 }, '')).rejects.toThrow('Image sides');
    await expect(addFrame(c.id, { ...webp(), height: 1.5 }, '')).rejects.toThrow('Image sides');
    await expect(addFrame(c.id, { ...webp(), blob: new Blob([]) }, '')).rejects.toThrow('empty');
    await expect(addFrame(c.id, webp(), 'x'.repeat(281))).rejects.toThrow('280');
    await expect(addFrame(`${USER_COLLECTION_PREFIX}gone`, webp(), '')).rejects.toThrow('no longer exists');
    expect(await (await getDB()).count('frames')).toBe(0);
  });

  it('edits a caption and removes a frame', async () => {
    const c = await createCollection('Sea');
    const f = await addFrame(c.id, webp(), 'old');
    expect((await updateCaption(f.id, ' new\ncaption ')).caption).toBe('new caption');
    expect(((await listFrames(c.id))[0] as UserImageRecord).caption).toBe('new caption');
    await expect(updateCaption(f.id, 'x'.repeat(281))).rejects.toThrow('280');
    await deleteFrame(f.id);
    expect(await listFrames(c.id)).toEqual([]);
    await expect(updateCaption(f.id, 'x')).rejects.toThrow('no longer exists');
  });

  it('is what the background offers and sends: candidates and an image payload', async () => {
    const c = await createCollection('Sea');
    const f = await addFrame(c.id, webp(7), 'The harbour');
    const candidates = await listCandidates(DEFAULT_SETTINGS, 'en');
    expect(candidates).toContainEqual({ id: f.id, collectionId: c.id });
    const res = await loadPayload(f.id, 'en');
    const payload = res.ok ? res.frame : null;
    expect(payload).toMatchObject({ kind: 'image', id: f.id, collectionId: c.id, caption: 'The harbour', mime: 'image/webp', width: 1600, height: 1067 });
    expect(payload && payload.kind === 'image' && payload.dataB64).toBe(bytesToBase64(new Uint8Array([...WEBP_HEAD, 7])));
  });
});

describe('importCollectionFile', () => {
  const file = (): CollectionFile => {
    const r = validateCollectionFile({
      format: 'stillframe-collection',
      version: 1,
      collection: { id: 'holiday', name: ' Holiday 2024 ' },
      frames: [
        { id: 'a', caption: 'Harbour', mime: 'image/webp', width: 1600, height: 1067, dataB64: bytesToBase64(new Uint8Array([...WEBP_HEAD, 1])) },
        { id: 'b', caption: '', mime: 'image/webp', width: 800, height: 600, dataB64: bytesToBase64(new Uint8Array([...WEBP_HEAD, 2])) },
      ],
    });
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r.value;
  };

  it('adds the file as a new collection with fresh ids, in the file’s order', async () => {
    const res = await importCollectionFile(file(), { now: 5000 });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.frames).toBe(2);
    expect(res.collection.name).toBe('Holiday 2024');
    expect(res.collection.id).not.toBe('holiday');
    expect(isUserCollectionId(res.collection.id)).toBe(true);
    const frames = (await listFrames(res.collection.id)) as UserImageRecord[];
    expect(frames.map((f) => f.caption)).toEqual(['Harbour', '']);
    expect(frames.every((f) => f.id.startsWith(USER_FRAME_PREFIX) && f.id !== 'a' && f.id !== 'b')).toBe(true);
    expect(new Uint8Array(await frames[1].blob.arrayBuffer()).at(-1)).toBe(2);
  });

  it('importing the same file twice makes two collections and overwrites nothing', async () => {
    const one = await importCollectionFile(file());
    const two = await importCollectionFile(file());
    expect(one.ok && two.ok).toBe(true);
    expect((await listCollections()).map((c) => c.frameCount)).toEqual([2, 2]);
  });

  it('uses the decoder’s result (the options page re-encodes every image)', async () => {
    const res = await importCollectionFile(file(), {
      decode: async (entry) => ({
        blob: new Blob([new Uint8Array([9, 9])], { type: 'image/jpeg' }),
        mime: 'image/jpeg',
        width: Math.round(entry.width / 2),
        height: Math.round(entry.height / 2),
      }),
    });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const frames = (await listFrames(res.collection.id)) as UserImageRecord[];
    expect(frames.map((f) => [f.mime, f.width, f.height])).toEqual([
      ['image/jpeg', 800, 534],
      ['image/jpeg', 400, 300],
    ]);
  });

  it('is all or nothing: one image that does not decode changes nothing and names the field', async () => {
    const before = await createCollection('Mine');
    const res = await importCollectionFile(file(), {
      decode: async (entry, bytes) => {
        if (entry.id === 'b') throw new Error('This image could not be read.');
        return { blob: new Blob([bytes], { type: entry.mime }), mime: entry.mime, width: entry.width, height: entry.height };
      },
    });
    expect(res).toEqual({ ok: false, errors: ['frames[1].dataB64: This image could not be read.'] });
    expect((await listCollections()).map((c) => c.id)).toEqual([before.id]);
    expect(await (await getDB()).count('frames')).toBe(0);
  });

  it('refuses what the decoder returns if it is not storable', async () => {
    const res = await importCollectionFile(file(), {
      decode: async (entry, bytes) => ({ blob: new Blob([bytes]), mime: 'image/gif', width: entry.width, height: entry.height }),
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors).toHaveLength(2);
    expect(res.errors[0]).toMatch(/^frames\[0\]\.dataB64: Images must be WebP, JPEG or PNG/);
    expect(await listCollections()).toEqual([]);
  });
});
