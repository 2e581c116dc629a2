// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { DEFAULT_LIMITS, SafeZip, UnsafeZipError, bytesSource, crc32, isAllowedName, type ByteSource } from '@/utils/study/analysis';

/** A byte source that records which byte ranges were read. */
function spy(bytes: Uint8Array): ByteSource & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return { size: bytes.length, reads, read: (o, l) => (reads.push([o, l]), bytes.subarray(o, o + l)) };
}

/** Offsets of the central directory record and the entry's local header for `name`. */
function locate(zip: Uint8Array, name: string) {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (dv.getUint32(eocd, true) !== 0x06054b50) eocd--;
  let p = dv.getUint32(eocd + 16, true);
  for (;;) {
    const nameLen = dv.getUint16(p + 28, true);
    const n = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
    if (n === name) return { cd: p, local: dv.getUint32(p + 42, true), dv, cdStart: dv.getUint32(eocd + 16, true) };
    p += 46 + nameLen + dv.getUint16(p + 30, true) + dv.getUint16(p + 32, true);
  }
}

const small = () => zipSync({ 'README.txt': strToU8('hello'), 'csv/decisions.csv': strToU8('a,b\r\n1,2\r\n') });

describe('reading a study zip safely', () => {
  it('reads the entries of a well-formed export', async () => {
    const zip = await SafeZip.open(bytesSource(small()));
    expect(zip.entries.map((e) => e.name).sort()).toEqual(['README.txt', 'csv/decisions.csv']);
    expect(await zip.text('csv/decisions.csv')).toBe('a,b\r\n1,2\r\n');
    expect(await zip.countLines('csv/decisions.csv')).toBe(2);
  });

  it('refuses a zip with names a study export never has, before inflating anything', async () => {
    for (const name of [
      '../../etc/passwd',
      'payload.exe',
      'csv/../protocol.json',
      'csv/Decisions.csv',
      'csv/sub/dir.csv',
      'jsonl/x.csv',
      '/abs.csv',
      'csv/x.csv\u0000.exe',
    ]) {
      const bytes = zipSync({ 'README.txt': strToU8('hi'), [name]: strToU8('x') });
      await expect(SafeZip.open(bytesSource(bytes)), name).rejects.toThrow(/unexpected file/);
    }
    expect(isAllowedName('csv/posts_per_minute.csv')).toBe(true);
    expect(isAllowedName('data-dictionary.json')).toBe(true);
  });

  it('refuses a zip bomb by its declared sizes, from the central directory alone (nothing inflated)', async () => {
    // 32 MB of zeros deflate to ~32 KB; a per-entry cap of 16 MB refuses it from the central directory.
    const bomb = zipSync({ 'csv/decisions.csv': new Uint8Array(32 * 2 ** 20) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    const src = spy(bomb);
    const err = await SafeZip.open(src, { ...DEFAULT_LIMITS, maxEntryBytes: 16 * 2 ** 20 }).catch((e) => e);
    expect(err).toBeInstanceOf(UnsafeZipError);
    expect(err.message).toMatch(/declares 32 MB uncompressed, more than the 16 MB allowed per file/);
    const { cdStart } = locate(bomb, 'csv/decisions.csv');
    // Two reads: the file's tail (to find the end record) and the central directory; never the
    // entry's local header (a 30-byte read) that inflating would start with.
    expect(src.reads).toEqual([
      [0, bomb.length],
      [cdStart, bomb.length - 22 - cdStart],
    ]);
  });

  it('refuses entries that add up past the total cap', async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 5; i++) files[`csv/t${i}.csv`] = new Uint8Array(3 * 2 ** 20);
    const bytes = zipSync(files, { level: 1 });
    await expect(SafeZip.open(bytesSource(bytes), { ...DEFAULT_LIMITS, maxEntryBytes: 4 * 2 ** 20, maxTotalBytes: 10 * 2 ** 20 })).rejects.toThrow(
      /more than 10 MB uncompressed in total/,
    );
  });

  it('stops inflating a bomb that lies about its size, a few MB in — not 1.6 GB', async () => {
    // The central directory and local header claim 1,000 bytes; the data inflates to 32 MB.
    const bomb = zipSync({ 'csv/decisions.csv': new Uint8Array(32 * 2 ** 20) }, { level: 9 });
    const { cd, local, dv } = locate(bomb, 'csv/decisions.csv');
    dv.setUint32(cd + 24, 1000, true);
    dv.setUint32(local + 22, 1000, true);
    const zip = await SafeZip.open(bytesSource(bomb));
    let produced = 0;
    const err = await zip.scan('csv/decisions.csv', (c) => (produced += c.length)).catch((e) => e);
    expect(err).toBeInstanceOf(UnsafeZipError);
    expect(err.message).toMatch(/inflates past the .* it declared: refused as a zip bomb/);
    expect(produced).toBeLessThanOrEqual(1000);
    await expect(zip.text('csv/decisions.csv')).rejects.toThrow(/zip bomb/);
  });

  it('refuses damaged, encrypted, duplicated and overlapping entries', async () => {
    const crcBad = small();
    const a = locate(crcBad, 'README.txt');
    a.dv.setUint32(a.cd + 16, (a.dv.getUint32(a.cd + 16, true) ^ 1) >>> 0, true);
    await expect((await SafeZip.open(bytesSource(crcBad))).text('README.txt')).rejects.toThrow(/CRC mismatch/);

    const enc = small();
    const b = locate(enc, 'README.txt');
    b.dv.setUint16(b.cd + 8, b.dv.getUint16(b.cd + 8, true) | 1, true);
    await expect(SafeZip.open(bytesSource(enc))).rejects.toThrow(/encrypted/);

    const dup = small();
    const c = locate(dup, 'csv/decisions.csv');
    // Rename the second entry to the first's name length-for-length is not possible; point both at one header instead.
    const d = locate(dup, 'README.txt');
    c.dv.setUint32(c.cd + 42, d.local, true);
    await expect(SafeZip.open(bytesSource(dup))).rejects.toThrow(/overlaps another entry/);

    await expect(SafeZip.open(bytesSource(new Uint8Array(100)))).rejects.toThrow(/not a zip file/);
    await expect(SafeZip.open(bytesSource(small().subarray(0, 40)))).rejects.toThrow(/not a zip file/);
  });

  it('CRC-32 of a known string', () => {
    expect(crc32(strToU8('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
});
