import { Inflate } from 'fflate';

/**
 * Reads a study export zip without trusting it. A participant's file is input from outside:
 * before anything is inflated, the central directory is read and every entry is checked — its
 * name against the names a study export contains, its declared size against a per-entry cap and
 * the sum against a total cap, no encryption, no zip64, no entries overlapping each other. While
 * inflating, the output is counted in small steps and inflation stops as soon as an entry
 * produces more than it declared; at the end its length and CRC-32 must match. A 1.5 MB zip
 * bomb therefore costs kilobytes, not gigabytes.
 *
 * Pure: the bytes come through a ByteSource (positional reads from a file in the CLI, an array
 * in tests), so no whole zip needs to be in memory.
 */

export interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Uint8Array> | Uint8Array;
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: (o, l) => bytes.subarray(o, o + l) };
}

export interface ZipLimits {
  /** Largest uncompressed entry, bytes. */
  maxEntryBytes: number;
  /** Largest sum of uncompressed entries, bytes. */
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_LIMITS: ZipLimits = { maxEntryBytes: 64 * 2 ** 20, maxTotalBytes: 256 * 2 ** 20, maxEntries: 200 };

/**
 * The names a study export contains (utils/study/export.ts): the README, the protocol, the data
 * dictionary, and csv/ + jsonl/ files of tables with snake_case names.
 */
const ALLOWED =
  /^(README\.txt|README\.md|protocol\.json|data-dictionary\.csv|data-dictionary\.json|csv\/[a-z][a-z0-9_]{0,63}\.csv|jsonl\/[a-z][a-z0-9_]{0,63}\.jsonl|csv\/|jsonl\/)$/;

export function isAllowedName(name: string): boolean {
  return ALLOWED.test(name);
}

export class UnsafeZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeZipError';
  }
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localOffset: number;
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

let CRC_TABLE: Uint32Array | null = null;
export function crc32(data: Uint8Array, crc = 0): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const mb = (n: number) => `${Math.round((n / 2 ** 20) * 10) / 10} MB`;

/** The checked central directory of a zip, with a way to read one entry's text. */
export class SafeZip {
  private constructor(
    private readonly src: ByteSource,
    readonly entries: ZipEntry[],
  ) {}

  static async open(src: ByteSource, limits: ZipLimits = DEFAULT_LIMITS): Promise<SafeZip> {
    if (src.size < 22) throw new UnsafeZipError('not a zip file (too short)');
    // The end-of-central-directory record sits in the last 22 + (comment ≤ 65,535) bytes.
    const tailLen = Math.min(src.size, 22 + 65_535);
    const tail = await src.read(src.size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (u32(tail, i) === 0x06054b50 && i + 22 + u16(tail, i + 20) === tail.length) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new UnsafeZipError('not a zip file (no end of central directory)');
    const count = u16(tail, eocd + 10);
    const cdSize = u32(tail, eocd + 12);
    const cdOffset = u32(tail, eocd + 16);
    if (u16(tail, eocd + 4) !== 0 || u16(tail, eocd + 6) !== 0 || count !== u16(tail, eocd + 8))
      throw new UnsafeZipError('multi-disk zips are not study exports');
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new UnsafeZipError('zip64 archives are not study exports');
    if (count > limits.maxEntries) throw new UnsafeZipError(`${count} entries: a study export has at most ${limits.maxEntries}`);
    const cdEnd = src.size - tailLen + eocd;
    if (cdOffset + cdSize > cdEnd) throw new UnsafeZipError('the central directory points outside the file');
    const cd = await src.read(cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    const names = new Set<string>();
    let total = 0;
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || u32(cd, p) !== 0x02014b50) throw new UnsafeZipError('damaged central directory');
      const flags = u16(cd, p + 8);
      const method = u16(cd, p + 10);
      const crc = u32(cd, p + 16);
      const compressedSize = u32(cd, p + 20);
      const size = u32(cd, p + 24);
      const nameLen = u16(cd, p + 28);
      const extraLen = u16(cd, p + 30);
      const commentLen = u16(cd, p + 32);
      const localOffset = u32(cd, p + 42);
      const name = new TextDecoder().decode(cd.subarray(p + 46, p + 46 + nameLen));
      p += 46 + nameLen + extraLen + commentLen;
      const shown = JSON.stringify(name.slice(0, 80));
      if (!isAllowedName(name))
        throw new UnsafeZipError(
          `unexpected file ${shown}: a study export contains only README, protocol.json, data-dictionary.csv/.json, csv/<table>.csv and jsonl/<table>.jsonl`,
        );
      if (names.has(name)) throw new UnsafeZipError(`file ${shown} appears twice`);
      names.add(name);
      if (flags & 1) throw new UnsafeZipError(`${shown} is encrypted`);
      if (method !== 0 && method !== 8) throw new UnsafeZipError(`${shown} uses compression method ${method} (only stored and deflate)`);
      if (compressedSize === 0xffffffff || size === 0xffffffff) throw new UnsafeZipError('zip64 archives are not study exports');
      if (size > limits.maxEntryBytes)
        throw new UnsafeZipError(`${shown} declares ${mb(size)} uncompressed, more than the ${mb(limits.maxEntryBytes)} allowed per file (--max-entry-mb)`);
      total += size;
      if (total > limits.maxTotalBytes)
        throw new UnsafeZipError(`the files declare more than ${mb(limits.maxTotalBytes)} uncompressed in total (--max-total-mb)`);
      if (method === 0 && compressedSize !== size) throw new UnsafeZipError(`${shown} is stored with mismatched sizes`);
      entries.push({ name, method, compressedSize, size, crc, localOffset });
    }
    // Entries must not share bytes (overlapping entries are how the densest zip bombs work).
    const spans = [...entries].sort((a, b) => a.localOffset - b.localOffset);
    for (let i = 0; i < spans.length; i++) {
      const e = spans[i];
      const end = e.localOffset + 30 + e.name.length + e.compressedSize;
      const next = i + 1 < spans.length ? spans[i + 1].localOffset : cdOffset;
      if (end > next) throw new UnsafeZipError(`${JSON.stringify(e.name)} overlaps another entry`);
    }
    return new SafeZip(src, entries);
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }

  /** Inflates one entry in small steps, handing each piece to onChunk; never more than it declared. */
  async scan(name: string, onChunk: (bytes: Uint8Array) => void): Promise<void> {
    const e = this.entries.find((x) => x.name === name);
    if (!e) throw new UnsafeZipError(`${name} is missing`);
    const head = await this.src.read(e.localOffset, 30);
    if (head.length < 30 || u32(head, 0) !== 0x04034b50) throw new UnsafeZipError(`damaged local header of ${name}`);
    const dataStart = e.localOffset + 30 + u16(head, 26) + u16(head, 28);
    if (dataStart + e.compressedSize > this.src.size) throw new UnsafeZipError(`${name} runs past the end of the file`);
    let produced = 0;
    let crc = 0;
    const take = (chunk: Uint8Array) => {
      produced += chunk.length;
      if (produced > e.size) throw new UnsafeZipError(`${JSON.stringify(name)} inflates past the ${mb(e.size)} it declared: refused as a zip bomb`);
      crc = crc32(chunk, crc);
      onChunk(chunk);
    };
    // Deflate expands at most ~1032×: 8 KB of input is at most ~8 MB of output per step.
    const STEP = 8 * 1024;
    const READ = 256 * 1024;
    const inflater = e.method === 8 ? new Inflate() : null;
    if (inflater) inflater.ondata = (chunk) => take(chunk);
    for (let off = 0; off < e.compressedSize; off += READ) {
      const len = Math.min(READ, e.compressedSize - off);
      const buf = await this.src.read(dataStart + off, len);
      for (let i = 0; i < buf.length; i += STEP) {
        const piece = buf.subarray(i, Math.min(buf.length, i + STEP));
        const last = off + i + piece.length >= e.compressedSize;
        if (inflater) inflater.push(piece, last);
        else take(piece);
      }
    }
    if (inflater && e.compressedSize === 0) inflater.push(new Uint8Array(0), true);
    if (produced !== e.size) throw new UnsafeZipError(`${JSON.stringify(name)} inflates to ${produced} bytes, not the ${e.size} it declared`);
    if (crc !== e.crc) throw new UnsafeZipError(`${JSON.stringify(name)} is damaged (CRC mismatch)`);
  }

  /** An entry as UTF-8 text (bounded by the entry cap). */
  async text(name: string): Promise<string> {
    const dec = new TextDecoder('utf-8');
    let out = '';
    await this.scan(name, (c) => {
      out += dec.decode(c, { stream: true });
    });
    return out + dec.decode();
  }

  /** Counts the lines of an entry without keeping its text (for JSONL row counts). */
  async countLines(name: string): Promise<number> {
    let lines = 0;
    let last = 10;
    await this.scan(name, (c) => {
      for (let i = 0; i < c.length; i++) if (c[i] === 10) lines++;
      if (c.length) last = c[c.length - 1];
    });
    return lines + (last === 10 ? 0 : 1);
  }
}
