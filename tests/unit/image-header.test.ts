import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';
import { readImageHeader, decodable, MAX_DECODE_PIXELS } from '@/utils/frames/image-header';
import { downscaleImage } from '@/utils/frames/downscale';
import { validateCollectionFile } from '@/utils/frames/collection-file';
import { bytesToBase64 } from '@/utils/frames/collection-export';
import { importCollectionFile } from '@/utils/frames/user-frames';
import { setLocale } from '@/utils/i18n';
import { getDB } from '@/utils/storage/db';

/**
 * Real dimensions are read from the file's header before anything decodes it (issue #19:
 * a 48 KB PNG declaring 100 × 100 in its collection file but really 20000 × 20000 was decoded
 * into a 2.1 GB renderer).
 */

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/**
 * A decompression bomb: a valid PNG of 20000 × 20000 one-bit grey pixels, all black, whose
 * deflated rows weigh about 48 KB. A decoder turns it into 20000² RGBA pixels (1.6 GB).
 */
function pngBomb(side = 20000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc(side * (Math.ceil(side / 8) + 1)); // filter byte 0 + zero bits, every row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const pixels = (w: number, h: number, channels: 3 | 4 = 3) => sharp(Buffer.alloc(w * h * channels, 128), { raw: { width: w, height: h, channels } });

beforeEach(() => setLocale('en'));
afterEach(() => vi.unstubAllGlobals());

describe('readImageHeader', () => {
  it('reads format and size from PNG, JPEG (after its metadata), GIF and every WebP flavour', async () => {
    const cases: Array<[string, Buffer, string, number, number]> = [
      ['png', await pixels(321, 123).png().toBuffer(), 'png', 321, 123],
      [
        'jpeg with EXIF',
        await pixels(640, 480)
          .jpeg()
          .withMetadata({ exif: { IFD0: { Copyright: 'x'.repeat(2000) } } })
          .toBuffer(),
        'jpeg',
        640,
        480,
      ],
      ['progressive jpeg', await pixels(99, 1001).jpeg({ progressive: true }).toBuffer(), 'jpeg', 99, 1001],
      ['gif', await pixels(17, 33).gif().toBuffer(), 'gif', 17, 33],
      ['webp lossy', await pixels(500, 300).webp({ quality: 80 }).toBuffer(), 'webp', 500, 300],
      ['webp lossless', await pixels(257, 129).webp({ lossless: true }).toBuffer(), 'webp', 257, 129],
      ['webp with alpha', await pixels(64, 48, 4).webp({ quality: 80, alphaQuality: 50 }).toBuffer(), 'webp', 64, 48],
    ];
    for (const [name, bytes, format, width, height] of cases) {
      expect(readImageHeader(new Uint8Array(bytes)), name).toEqual({ format, width, height });
    }
  });

  it('reads nothing from what is not one of those images', () => {
    expect(readImageHeader(new Uint8Array([]))).toBeNull();
    expect(readImageHeader(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 4, 0, 0, 0, 0, 0, 0]))).toBeNull(); // scan before any frame header
    expect(readImageHeader(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0'))).toBeNull(); // no key frame
  });

  it('the crafted bomb is small and says 20000 × 20000, which is too large to decode', () => {
    const bomb = pngBomb();
    expect(bomb.length).toBeLessThan(60_000);
    expect(bomb.length).toBeGreaterThan(40_000);
    const h = readImageHeader(new Uint8Array(bomb));
    expect(h).toEqual({ format: 'png', width: 20000, height: 20000 });
    expect(decodable(h!)).toBe(false);
    expect(decodable({ width: 8000, height: 6000 })).toBe(true); // a 48-megapixel phone photo
    expect(decodable({ width: 16385, height: 10 })).toBe(false);
    expect(MAX_DECODE_PIXELS).toBe(64_000_000);
  });
});

describe('downscaleImage reads the header before it decodes', () => {
  it('refuses the bomb with a clear message, and never calls the decoder', async () => {
    const decoder = vi.fn(async () => {
      throw new Error('the decoder must not be reached');
    });
    vi.stubGlobal('createImageBitmap', decoder);
    vi.stubGlobal('OffscreenCanvas', class {});
    await expect(downscaleImage(new Blob([new Uint8Array(pngBomb())], { type: 'image/png' }))).rejects.toThrow(
      'This image is 20000 × 20000 pixels, too large to open safely (at most 64 megapixels). Try a smaller copy of it.',
    );
    expect(decoder).not.toHaveBeenCalled();
    // And in Chinese.
    setLocale('zh_CN');
    await expect(downscaleImage(new Blob([new Uint8Array(pngBomb())], { type: 'image/png' }))).rejects.toThrow('这张图片有 20000 × 20000 像素');
  });

  it('refuses a file whose header is not an image it can check', async () => {
    vi.stubGlobal('createImageBitmap', vi.fn());
    await expect(downscaleImage(new Blob(['<svg/>'], { type: 'image/svg+xml' }))).rejects.toThrow('This image could not be read.');
  });

  it('a collection file declaring 100 × 100 around the bomb is refused whole, naming the frame', async () => {
    vi.stubGlobal(
      'createImageBitmap',
      vi.fn(async () => ({ width: 20000, height: 20000, close() {} })),
    );
    vi.stubGlobal('OffscreenCanvas', class {});
    const file = validateCollectionFile({
      format: 'stillframe-collection',
      version: 1,
      collection: { id: 'x', name: 'Innocent' },
      frames: [{ id: 'a', caption: 'small', mime: 'image/png', width: 100, height: 100, dataB64: bytesToBase64(new Uint8Array(pngBomb())) }],
    });
    if (!file.ok) throw new Error(file.errors.join('; '));
    // The options page's own decoder (components/options/library/UserFrames.tsx).
    const res = await importCollectionFile(file.value, { decode: async (entry, bytes) => downscaleImage(new Blob([bytes], { type: entry.mime })) });
    expect(res).toEqual({
      ok: false,
      errors: ['frames[0].dataB64: This image is 20000 × 20000 pixels, too large to open safely (at most 64 megapixels). Try a smaller copy of it.'],
    });
    expect(createImageBitmap).not.toHaveBeenCalled();
    expect(await (await getDB()).count('frames')).toBe(0);
  });
});
