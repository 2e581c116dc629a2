import * as v from 'valibot';
import type { UserFrameRecord, UserImageRecord } from '@/utils/storage/schema';
import { CAPTION_MAX, IMAGE_MIMES, SOURCE_MAX, TEXT_LINES_MAX, TEXT_MAX } from './collection-file';
import { HEADER_BYTES, MIME_OF, readImageHeader } from './image-header';
import { STORED_MAX_BYTES, STORED_MAX_SIDE, USER_FRAME_PREFIX } from './user-frames';

/**
 * The one schema for a stored user frame ('frames' store). The options page checks an image
 * before writing it; this checks what is really there before a claim spends a pause on it,
 * because a record can still be damaged on disk, by an older version or by hand (red-teamed,
 * issue #19: a corrupt record cost a pause and showed nothing, again and again).
 */
const Side = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(STORED_MAX_SIDE));

const Base = {
  id: v.pipe(v.string(), v.startsWith(USER_FRAME_PREFIX), v.maxLength(200)),
  collectionId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  createdAt: v.pipe(v.number(), v.finite()),
};

const ImageRecordSchema = v.object({
  ...Base,
  // Records stored before words existed have no kind.
  kind: v.optional(v.literal('image')),
  caption: v.pipe(v.string(), v.maxLength(CAPTION_MAX)),
  mime: v.picklist(IMAGE_MIMES),
  width: Side,
  height: Side,
  blob: v.custom<Blob>(
    (x) => typeof Blob === 'function' && x instanceof Blob && x.size > 0 && x.size <= STORED_MAX_BYTES,
    'must be an image of 1 byte to 8 MB',
  ),
});

const TextRecordSchema = v.object({
  ...Base,
  kind: v.literal('text'),
  text: v.pipe(
    v.string(),
    v.minLength(1),
    v.maxLength(TEXT_MAX),
    v.check((s) => s.split('\n').length <= TEXT_LINES_MAX, `at most ${TEXT_LINES_MAX} lines`),
  ),
  source: v.pipe(v.string(), v.maxLength(SOURCE_MAX)),
});

/** Words or a picture: the record's `kind` says which schema applies. */
export function schemaFor(raw: unknown): typeof ImageRecordSchema | typeof TextRecordSchema {
  const kind = raw && typeof raw === 'object' ? (raw as { kind?: unknown }).kind : undefined;
  return kind === 'text' ? TextRecordSchema : ImageRecordSchema;
}

/** Why a stored frame cannot be shown: a code for the log and Options → Data. */
export type BrokenReason = 'record' | 'unreadable' | 'not-an-image' | 'size-mismatch';

export type RecordCheck = { ok: true; record: UserFrameRecord } | { ok: false; reason: BrokenReason; detail: string };

/** The record's fields against the schema (the key it is stored under must be its id). */
export function checkUserFrameRecord(raw: unknown, key: string): RecordCheck {
  const res = v.safeParse(schemaFor(raw), raw);
  if (!res.success)
    return {
      ok: false,
      reason: 'record',
      detail: res.issues
        .map((i) => v.getDotPath(i) ?? 'record')
        .join(',')
        .slice(0, 120),
    };
  if (res.output.id !== key) return { ok: false, reason: 'record', detail: 'id' };
  return { ok: true, record: res.output as UserFrameRecord };
}

/** The bytes against the record: a PNG, JPEG or WebP of the recorded type and size. Null when they agree. */
export function checkFrameBytes(
  record: Pick<UserImageRecord, 'mime' | 'width' | 'height'>,
  bytes: Uint8Array,
): { reason: BrokenReason; detail: string } | null {
  const header = readImageHeader(bytes.subarray(0, HEADER_BYTES));
  if (!header || MIME_OF[header.format] !== record.mime) return { reason: 'not-an-image', detail: header ? header.format : 'unknown' };
  if (header.width !== record.width || header.height !== record.height) {
    return { reason: 'size-mismatch', detail: `${header.width}x${header.height}` };
  }
  return null;
}
