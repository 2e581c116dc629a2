import { beforeEach, describe, expect, it } from 'vitest';
import { parseCollectionFileText, validateCollectionFile } from '@/utils/frames/collection-file';
import { setLocale } from '@/utils/i18n';

const b64 = (bytes: number[]) => btoa(String.fromCharCode(...bytes));
const PNG = b64([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = b64([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const WEBP = b64(
  [...'RIFF']
    .map((c) => c.charCodeAt(0))
    .concat(
      [36, 0, 0, 0],
      [...'WEBPVP8 '].map((c) => c.charCodeAt(0)),
    ),
);

function goodFile() {
  return {
    format: 'stillframe-collection',
    version: 1,
    collection: { id: 'holiday', name: 'Holiday 2024' },
    frames: [
      { id: 'a', caption: 'The harbour at dawn', mime: 'image/webp', width: 1600, height: 1067, dataB64: WEBP },
      { id: 'b', caption: '', mime: 'image/jpeg', width: 800, height: 600, dataB64: JPEG },
      { id: 'c', caption: 'Stones', mime: 'image/png', width: 10, height: 10, dataB64: PNG },
    ],
  };
}

type Mutator = (f: ReturnType<typeof goodFile> & Record<string, any>) => unknown;

/** Each bad file and the field its first error must name. */
const BAD: Array<[string, Mutator, string]> = [
  [
    'wrong format',
    (f) => {
      f.format = 'something-else';
    },
    'format:',
  ],
  [
    'missing format',
    (f) => {
      delete (f as any).format;
    },
    'format: is missing',
  ],
  [
    'newer version',
    (f) => {
      f.version = 2;
    },
    'version:',
  ],
  [
    'collection not an object',
    (f) => {
      f.collection = 'holiday' as any;
    },
    'collection:',
  ],
  [
    'missing collection name',
    (f) => {
      delete (f.collection as any).name;
    },
    'collection.name: is missing',
  ],
  [
    'empty collection id',
    (f) => {
      f.collection.id = '  ';
    },
    'collection.id:',
  ],
  [
    'frames not a list',
    (f) => {
      f.frames = {} as any;
    },
    'frames:',
  ],
  [
    'frame not an object',
    (f) => {
      (f.frames as any)[1] = 'x';
    },
    'frames[1]:',
  ],
  [
    'caption too long',
    (f) => {
      f.frames[0].caption = 'x'.repeat(281);
    },
    'frames[0].caption:',
  ],
  [
    'caption not text',
    (f) => {
      (f.frames[0] as any).caption = 5;
    },
    'frames[0].caption:',
  ],
  [
    'gif mime',
    (f) => {
      f.frames[2].mime = 'image/gif';
    },
    'frames[2].mime:',
  ],
  [
    'svg mime',
    (f) => {
      f.frames[1].mime = 'image/svg+xml';
    },
    'frames[1].mime:',
  ],
  [
    'fractional width',
    (f) => {
      f.frames[1].width = 10.5;
    },
    'frames[1].width:',
  ],
  [
    'zero height',
    (f) => {
      f.frames[0].height = 0;
    },
    'frames[0].height:',
  ],
  [
    'huge width',
    (f) => {
      f.frames[0].width = 100000;
    },
    'frames[0].width:',
  ],
  [
    'width as text',
    (f) => {
      (f.frames[0] as any).width = '1600';
    },
    'frames[0].width:',
  ],
  [
    'missing data',
    (f) => {
      delete (f.frames[2] as any).dataB64;
    },
    'frames[2].dataB64: is missing',
  ],
  [
    'data not base64',
    (f) => {
      f.frames[1].dataB64 = 'not base64!';
    },
    'frames[1].dataB64:',
  ],
  [
    'data with bad padding',
    (f) => {
      f.frames[1].dataB64 = 'abc';
    },
    'frames[1].dataB64:',
  ],
  [
    'bytes not matching mime',
    (f) => {
      f.frames[0].dataB64 = PNG;
    },
    'frames[0].dataB64:',
  ],
  [
    'duplicate frame id',
    (f) => {
      f.frames[2].id = 'a';
    },
    'frames[2].id:',
  ],
];

beforeEach(() => {
  setLocale('en');
});

describe('validateCollectionFile', () => {
  it('accepts a good file', () => {
    const r = validateCollectionFile(goodFile());
    expect(r).toEqual({ ok: true, value: goodFile() });
  });

  it.each(BAD)('rejects %s and names the field', (_name, mutate, expected) => {
    const f = goodFile();
    mutate(f);
    const r = validateCollectionFile(f);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.length).toBeGreaterThan(0);
    expect(
      r.errors.some((e) => e.startsWith(expected)),
      r.errors.join('\n'),
    ).toBe(true);
    // Every message says why, not only where.
    for (const e of r.errors) expect(e).toMatch(/^[\w.[\]]+: \S/);
  });

  it('lists several problems at once', () => {
    const f = goodFile();
    f.frames[0].mime = 'image/gif';
    f.frames[1].width = -1;
    const r = validateCollectionFile(f);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([expect.stringMatching(/^frames\[0\]\.mime: .*image\/gif/), expect.stringMatching(/^frames\[1\]\.width: /)]);
  });

  it('rejects a non-object with a message about the whole file', () => {
    for (const raw of [null, 42, 'text', []]) {
      const r = validateCollectionFile(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0]).toMatch(/^file: must be an object/);
    }
  });

  it('caps a flood of errors', () => {
    const f = goodFile();
    f.frames = Array.from({ length: 50 }, (_, i) => ({ ...f.frames[0], id: `f${i}`, mime: 'image/gif' }));
    const r = validateCollectionFile(f);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(21);
      expect(r.errors[20]).toMatch(/30 more/);
    }
  });

  it('speaks the current locale', () => {
    setLocale('zh_CN');
    const f = goodFile();
    f.frames[0].caption = 'x'.repeat(300);
    const r = validateCollectionFile(f);
    expect(!r.ok && r.errors[0]).toBe('frames[0].caption: 最多 280 个字符');
  });
});

describe('parseCollectionFileText', () => {
  it('parses a good file, with or without a BOM', () => {
    expect(parseCollectionFileText(JSON.stringify(goodFile())).ok).toBe(true);
    expect(parseCollectionFileText('\uFEFF' + JSON.stringify(goodFile())).ok).toBe(true);
  });

  it('gives one clear error for non-JSON and for an empty file', () => {
    const r = parseCollectionFileText('<html>not json</html>');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0]).toMatch(/^This file is not a collection file: it could not be read as JSON/);
    }
    expect(parseCollectionFileText('  \n')).toEqual({ ok: false, errors: ['The file is empty.'] });
  });

  it('validates what it parsed', () => {
    const r = parseCollectionFileText(JSON.stringify({ ...goodFile(), version: 3 }));
    expect(!r.ok && r.errors[0]).toMatch(/^version: must be 1 \(got 3\)/);
  });
});
