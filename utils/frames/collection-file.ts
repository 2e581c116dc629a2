import * as v from 'valibot';
import { t } from '@/utils/i18n';
import { base64ToBytes } from './base64';

/**
 * The one schema for an exported user collection (a JSON file a user may share or import).
 * Imports come from anywhere, so everything is checked, and every error names its field
 * ("frames[2].mime: …") so a user can fix the file or tell its author what is wrong.
 * Messages are functions so they are translated in the locale current at validation time.
 */

export const COLLECTION_FILE_FORMAT = 'stillframe-collection';
export const COLLECTION_FILE_VERSION = 1;
export const CAPTION_MAX = 280;
/** The person's own words: a few lines that fit a frame on a phone and at 200 % zoom. */
export const TEXT_MAX = 280;
export const TEXT_LINES_MAX = 8;
export const SOURCE_MAX = 120;
export const IMAGE_MIMES = ['image/webp', 'image/jpeg', 'image/png'] as const;
export type ImageMime = (typeof IMAGE_MIMES)[number];
/** Larger than anything downscaleImage writes; guards against absurd canvas sizes. */
const MAX_SIDE = 8192;
const MAX_FRAMES = 1000;
/** At most this many errors are listed; the rest are counted. */
const MAX_ERRORS = 20;

type Issue = v.BaseIssue<unknown>;
const typeMsg = (kindKey: string) => (issue: Issue) => t('frame.file.err.type', { expected: t(kindKey), received: issue.received });
const emptyMsg = () => t('frame.file.err.empty');
const tooLongMsg = (max: number) => () => t('frame.file.err.tooLong', { max });
const sizeMsg = (issue: Issue) => t('frame.file.err.size', { max: MAX_SIDE, received: issue.received });
const base64Msg = () => t('frame.file.err.base64');

const Name = (max: number) => v.pipe(v.string(typeMsg('frame.file.kind.text')), v.trim(), v.minLength(1, emptyMsg), v.maxLength(max, tooLongMsg(max)));

const Side = v.pipe(v.number(typeMsg('frame.file.kind.number')), v.integer(sizeMsg), v.minValue(1, sizeMsg), v.maxValue(MAX_SIDE, sizeMsg));

const ImageEntrySchema = v.object(
  {
    id: Name(128),
    // Files written before words existed carry no kind: an entry without one is an image.
    kind: v.optional(v.literal('image')),
    caption: v.pipe(v.string(typeMsg('frame.file.kind.text')), v.maxLength(CAPTION_MAX, tooLongMsg(CAPTION_MAX))),
    mime: v.picklist(IMAGE_MIMES, (issue) => t('frame.file.err.mime', { received: issue.received })),
    width: Side,
    height: Side,
    dataB64: v.pipe(
      v.string(typeMsg('frame.file.kind.text')),
      v.minLength(1, emptyMsg),
      v.regex(/^[A-Za-z0-9+/]+={0,2}$/, base64Msg),
      v.check((s) => s.length % 4 === 0, base64Msg),
    ),
  },
  typeMsg('frame.file.kind.object'),
);

const TextEntrySchema = v.object(
  {
    id: Name(128),
    kind: v.literal('text'),
    text: v.pipe(
      v.string(typeMsg('frame.file.kind.text')),
      v.trim(),
      v.minLength(1, emptyMsg),
      v.maxLength(TEXT_MAX, tooLongMsg(TEXT_MAX)),
      v.check(
        (s) => s.split('\n').length <= TEXT_LINES_MAX,
        () => t('frame.file.err.lines', { max: TEXT_LINES_MAX }),
      ),
    ),
    source: v.pipe(v.string(typeMsg('frame.file.kind.text')), v.maxLength(SOURCE_MAX, tooLongMsg(SOURCE_MAX))),
  },
  typeMsg('frame.file.kind.object'),
);

export type CollectionFileImage = v.InferOutput<typeof ImageEntrySchema>;
export type CollectionFileText = v.InferOutput<typeof TextEntrySchema>;
export type CollectionFileFrame = CollectionFileImage | CollectionFileText;
export const isTextEntry = (f: CollectionFileFrame): f is CollectionFileText => f.kind === 'text';

/** The file around its frames; each frame is checked by its own kind (validateCollectionFile). */
const FileSchema = v.object(
  {
    format: v.literal(COLLECTION_FILE_FORMAT, () => t('frame.file.err.format')),
    version: v.literal(COLLECTION_FILE_VERSION, (issue) => t('frame.file.err.version', { received: issue.received })),
    collection: v.object({ id: Name(128), name: Name(100) }, typeMsg('frame.file.kind.object')),
    frames: v.pipe(
      v.array(v.unknown(), typeMsg('frame.file.kind.list')),
      v.maxLength(MAX_FRAMES, () => t('frame.file.err.tooMany', { max: MAX_FRAMES })),
    ),
  },
  typeMsg('frame.file.kind.object'),
);

export type CollectionFile = Omit<v.InferOutput<typeof FileSchema>, 'frames'> & { frames: CollectionFileFrame[] };
export type CollectionFileResult = { ok: true; value: CollectionFile } | { ok: false; errors: string[] };

/** "frames[2].mime" from a valibot issue path; the whole file when there is no path. */
function pathOf(issue: Issue): string {
  let s = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    s += typeof key === 'number' ? `[${key}]` : `${s ? '.' : ''}${String(key)}`;
  }
  return s || t('frame.file.root');
}

function describeIssue(issue: Issue, prefix = ''): string {
  const last = issue.path?.[issue.path.length - 1] as { origin?: string } | undefined;
  const message = last?.origin === 'key' ? t('frame.file.err.required') : issue.message;
  const path = pathOf(issue);
  return `${prefix ? (issue.path?.length ? `${prefix}.${path}` : prefix) : path}: ${message}`;
}

/** The first bytes of each format, so a file cannot smuggle other data under an image mime. */
function bytesMatch(mime: ImageMime, b64: string): boolean {
  let head: Uint8Array;
  try {
    head = base64ToBytes(b64.slice(0, 16));
  } catch {
    return false;
  }
  const at = (i: number) => head[i];
  if (mime === 'image/png') return [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b);
  if (mime === 'image/jpeg') return at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff;
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP';
}

/** Checks that need the whole, well-typed file: unique frame ids, bytes that match their mime. */
function crossChecks(file: CollectionFile): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  file.frames.forEach((f, i) => {
    if (seen.has(f.id)) errors.push(`frames[${i}].id: ${t('frame.file.err.duplicateId', { id: f.id })}`);
    seen.add(f.id);
    if (!isTextEntry(f) && !bytesMatch(f.mime, f.dataB64)) errors.push(`frames[${i}].dataB64: ${t('frame.file.err.bytes', { mime: f.mime })}`);
  });
  return errors;
}

function capped(errors: string[]): string[] {
  if (errors.length <= MAX_ERRORS) return errors;
  return [...errors.slice(0, MAX_ERRORS), t('frame.file.err.more', { n: errors.length - MAX_ERRORS })];
}

export function validateCollectionFile(raw: unknown): CollectionFileResult {
  // valibot's object() accepts arrays (and then reports every key as missing); say what is wrong instead.
  if (Array.isArray(raw)) {
    return { ok: false, errors: [`${t('frame.file.root')}: ${t('frame.file.err.type', { expected: t('frame.file.kind.object'), received: 'Array' })}`] };
  }
  // abortPipeEarly: one reason per field is enough ("not base64" once, not also "wrong length").
  const result = v.safeParse(FileSchema, raw, { abortPipeEarly: true });
  const errors: string[] = result.success ? [] : result.issues.map((i) => describeIssue(i));
  // Each frame by its kind, so an error names the fields of that kind ("frames[2].mime", "frames[3].text"),
  // and every problem of the file is listed at once, the frames' too.
  const entries = (raw as { frames?: unknown } | null)?.frames;
  const frames: CollectionFileFrame[] = [];
  (Array.isArray(entries) ? entries : []).forEach((entry, i) => {
    const kind = typeof entry === 'object' && entry !== null ? (entry as { kind?: unknown }).kind : undefined;
    if (kind !== undefined && kind !== 'image' && kind !== 'text') {
      errors.push(`frames[${i}].kind: ${t('frame.file.err.kind')}`);
      return;
    }
    const r = kind === 'text' ? v.safeParse(TextEntrySchema, entry, { abortPipeEarly: true }) : v.safeParse(ImageEntrySchema, entry, { abortPipeEarly: true });
    if (r.success) frames.push(r.output);
    else errors.push(...r.issues.map((issue) => describeIssue(issue, `frames[${i}]`)));
  });
  if (errors.length || !result.success) return { ok: false, errors: capped(errors) };
  const value: CollectionFile = { ...result.output, frames };
  const cross = crossChecks(value);
  return cross.length ? { ok: false, errors: capped(cross) } : { ok: true, value };
}

/** Parses the text of a chosen file; non-JSON gets one clear error instead of a stack trace. */
export function parseCollectionFileText(text: string): CollectionFileResult {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) return { ok: false, errors: [t('frame.file.empty')] };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    return { ok: false, errors: [t('frame.file.notJson', { detail: e instanceof Error ? e.message : String(e) })] };
  }
  return validateCollectionFile(raw);
}
