import { t } from '@/utils/i18n';
import { decodable, HEADER_BYTES, MAX_DECODE_PIXELS, readImageHeader } from './image-header';

/**
 * Shrinks a user's image before it is stored. Every image is re-encoded, even a small one:
 * this drops EXIF metadata (camera, GPS position) and bounds what IndexedDB and the frame
 * messages have to carry.
 */

export interface DownscaledImage {
  blob: Blob;
  width: number;
  height: number;
  mime: 'image/webp' | 'image/jpeg';
}

/**
 * The largest size with the same aspect ratio whose longer side is at most `max`.
 * Never enlarges; sides are whole pixels and at least 1.
 */
export function fitWithin(width: number, height: number, max: number): { width: number; height: number } {
  if (!(width > 0 && height > 0 && max > 0) || ![width, height, max].every(Number.isFinite)) {
    throw new RangeError(`fitWithin needs positive finite sizes (got ${width}×${height}, max ${max})`);
  }
  const scale = Math.min(1, max / Math.max(width, height));
  return {
    width: Math.max(1, Math.min(Math.floor(max), Math.round(width * scale))),
    height: Math.max(1, Math.min(Math.floor(max), Math.round(height * scale))),
  };
}

async function encode(bitmap: ImageBitmap, width: number, height: number, mime: DownscaledImage['mime']): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error(t('frame.image.unsupported'));
  // JPEG has no alpha: put transparent parts on white instead of the encoder's black.
  if (mime === 'image/jpeg') {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
  }
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  return canvas.convertToBlob({ type: mime, quality: mime === 'image/webp' ? 0.85 : 0.88 });
}

export async function downscaleImage(blob: Blob, opts: { maxSide: number } = { maxSide: 1600 }): Promise<DownscaledImage> {
  if (!blob.type.startsWith('image/')) {
    throw new Error(t('frame.image.notImage', { type: blob.type || '?' }));
  }
  // The header first, the decoder only after it: a small file can declare an enormous bitmap.
  const header = readImageHeader(new Uint8Array(await blob.slice(0, HEADER_BYTES).arrayBuffer()));
  if (!header) throw new Error(t('frame.image.decodeFailed'));
  if (!decodable(header)) {
    throw new Error(t('frame.image.tooLarge', { width: header.width, height: header.height, mp: Math.round(MAX_DECODE_PIXELS / 1_000_000) }));
  }
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') {
    throw new Error(t('frame.image.unsupported'));
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob);
  } catch {
    throw new Error(t('frame.image.decodeFailed'));
  }
  try {
    const { width, height } = fitWithin(bitmap.width, bitmap.height, opts.maxSide);
    // An encoder that cannot write WebP silently returns PNG; then JPEG is the small choice.
    let out = await encode(bitmap, width, height, 'image/webp');
    let mime: DownscaledImage['mime'] = 'image/webp';
    if (out.type !== 'image/webp') {
      out = await encode(bitmap, width, height, 'image/jpeg');
      mime = 'image/jpeg';
    }
    if (out.type !== mime) throw new Error(t('frame.image.encodeFailed'));
    return { blob: out, width, height, mime };
  } finally {
    bitmap.close();
  }
}
