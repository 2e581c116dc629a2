/**
 * An image's real format and size, read from the first bytes of the file — before anything
 * decodes it. Decoders believe the header: a 48 KB PNG whose header says 20000 × 20000 (one bit
 * per pixel, deflated zeros) became a 1.6 GB bitmap and a 2.1 GB renderer (issue #19), whatever
 * size the collection file around it declared. So the header is read here, and an image too
 * large to open safely is refused with a message that says why.
 */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** The largest image we agree to decode: 64 megapixels (a large phone photo is 48), no side over 16384. */
export const MAX_DECODE_PIXELS = 64_000_000;
export const MAX_DECODE_SIDE = 16_384;

export const MIME_OF: Record<ImageFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

const be16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const le16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const be32 = (b: Uint8Array, i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
const le24 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const ascii = (b: Uint8Array, i: number, s: string) => [...s].every((c, k) => b[i + k] === c.charCodeAt(0));

/** How many bytes of a file readImageHeader may need (JPEG can put its size after big metadata segments). */
export const HEADER_BYTES = 256 * 1024;

/** The format and size an image file declares, or null if it is not a PNG, JPEG, GIF or WebP we can read. */
export function readImageHeader(b: Uint8Array): ImageHeader | null {
  if (b.length >= 24 && ascii(b, 0, '\x89PNG\r\n\x1a\n') && ascii(b, 12, 'IHDR')) {
    return sized('png', be32(b, 16), be32(b, 20));
  }
  if (b.length >= 10 && (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a'))) {
    return sized('gif', le16(b, 6), le16(b, 8));
  }
  if (b.length >= 30 && ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return webp(b);
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpeg(b);
  return null;
}

function sized(format: ImageFormat, width: number, height: number): ImageHeader | null {
  return width > 0 && height > 0 ? { format, width, height } : null;
}

function webp(b: Uint8Array): ImageHeader | null {
  if (ascii(b, 12, 'VP8 ')) {
    // Lossy: a key frame's start code, then 14-bit width and height.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return sized('webp', le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  }
  if (ascii(b, 12, 'VP8L')) {
    if (b[20] !== 0x2f) return null;
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return sized('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (ascii(b, 12, 'VP8X')) return sized('webp', le24(b, 24) + 1, le24(b, 27) + 1);
  return null;
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic…): not DHT (C4), JPG (C8) or DAC (CC). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpeg(b: Uint8Array): ImageHeader | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or image data before any frame header
    if (SOF.has(marker)) return sized('jpeg', be16(b, i + 7), be16(b, i + 5));
    const len = be16(b, i + 2);
    if (len < 2) return null;
    i += 2 + len;
  }
  return null;
}

/** Is an image of this size safe to decode? */
export function decodable(h: { width: number; height: number }): boolean {
  return h.width <= MAX_DECODE_SIDE && h.height <= MAX_DECODE_SIDE && h.width * h.height <= MAX_DECODE_PIXELS;
}
