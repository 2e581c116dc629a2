// @vitest-environment node
// (Node's Blob survives structured cloning in fake-indexeddb; happy-dom's does not.)
import { beforeEach, describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  buildCollectionFile,
  bytesToBase64,
  collectionFileName,
  exportCollection,
  serializeCollectionFile,
} from '@/utils/frames/collection-export';
import { parseCollectionFileText, type CollectionFileImage } from '@/utils/frames/collection-file';
import type { UserImageRecord } from '@/utils/storage/schema';
import { addFrame, createCollection, importCollectionFile, listFrames, type StoredImage } from '@/utils/frames/user-frames';
import { setLocale } from '@/utils/i18n';

const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1];
const WEBP_HEAD = [...'RIFF']
  .map((c) => c.charCodeAt(0))
  .concat(
    [36, 0, 0, 0],
    [...'WEBPVP8 '].map((c) => c.charCodeAt(0)),
  );
const image = (head: number[], mime: string, tail: number[] = []): StoredImage => ({
  blob: new Blob([new Uint8Array([...head, ...tail])], { type: mime }),
  mime,
  width: 1200,
  height: 800,
});

beforeEach(() => {
  setLocale('en');
});

describe('base64', () => {
  it('round-trips every byte value, and large buffers', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
    const big = new Uint8Array(200_003).map((_, i) => (i * 31) & 0xff);
    expect(Buffer.from(base64ToBytes(bytesToBase64(big))).equals(Buffer.from(big))).toBe(true);
    expect(bytesToBase64(new Uint8Array([]))).toBe('');
  });
});

describe('exportCollection', () => {
  it('writes a file the validator accepts, with every frame in order', async () => {
    const c = await createCollection('Holiday 2024', 1);
    await addFrame(c.id, image(WEBP_HEAD, 'image/webp', [1, 2, 3]), 'The harbour at dawn', 10);
    await addFrame(c.id, image(JPEG_HEAD, 'image/jpeg'), '', 20);
    const file = await exportCollection(c.id);
    expect(file.format).toBe('stillframe-collection');
    expect(file.version).toBe(1);
    expect(file.collection).toEqual({ id: c.id, name: 'Holiday 2024' });
    const images = file.frames as CollectionFileImage[];
    expect(images.map((f) => [f.caption, f.mime, f.width, f.height])).toEqual([
      ['The harbour at dawn', 'image/webp', 1200, 800],
      ['', 'image/jpeg', 1200, 800],
    ]);
    expect(base64ToBytes(images[0].dataB64)).toEqual(new Uint8Array([...WEBP_HEAD, 1, 2, 3]));

    const parsed = parseCollectionFileText(serializeCollectionFile(file));
    expect(parsed).toEqual({ ok: true, value: file });
  });

  it('round-trips: export, import as a new collection, export again gives the same frames', async () => {
    const c = await createCollection('Sea');
    await addFrame(c.id, image(WEBP_HEAD, 'image/webp', [9]), '海 · sea <b>', 1);
    const first = await exportCollection(c.id);
    const parsed = parseCollectionFileText(serializeCollectionFile(first));
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    const res = await importCollectionFile(parsed.value);
    if (!res.ok) throw new Error(res.errors.join('; '));
    expect(res.collection.id).not.toBe(c.id);
    const again = await exportCollection(res.collection.id);
    const strip = (f: typeof first) => f.frames.map(({ id: _id, ...rest }) => rest);
    expect(strip(again)).toEqual(strip(first));
    expect(again.collection.name).toBe('Sea');
    expect(((await listFrames(res.collection.id))[0] as UserImageRecord).caption).toBe('海 · sea <b>');
  });

  it('exports an empty collection as a valid file', async () => {
    const c = await createCollection('Empty');
    const file = await exportCollection(c.id);
    expect(file.frames).toEqual([]);
    expect(parseCollectionFileText(serializeCollectionFile(file)).ok).toBe(true);
  });

  it('says so when the collection is gone', async () => {
    await expect(exportCollection('user-collection:gone')).rejects.toThrow('This collection no longer exists.');
  });

  it('builds a file from records without the database', async () => {
    const file = await buildCollectionFile({ id: 'user-collection:x', name: 'X' }, []);
    expect(file).toEqual({ format: 'stillframe-collection', version: 1, collection: { id: 'user-collection:x', name: 'X' }, frames: [] });
  });
});

describe('collectionFileName', () => {
  const day = new Date(2025, 0, 31, 12).getTime();
  it('names the file after the collection and the day', () => {
    expect(collectionFileName('Holiday 2024', day)).toBe('stillframe-holiday-2024-2025-01-31.json');
    expect(collectionFileName('  Sea / sky: "blue"  ', day)).toBe('stillframe-sea-sky-blue-2025-01-31.json');
    expect(collectionFileName('我的画面', day)).toBe('stillframe-我的画面-2025-01-31.json');
    expect(collectionFileName('///', day)).toBe('stillframe-collection-2025-01-31.json');
    expect(collectionFileName('x'.repeat(100), day)).toBe(`stillframe-${'x'.repeat(60)}-2025-01-31.json`);
  });
});
