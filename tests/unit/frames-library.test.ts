import { describe, expect, it } from 'vitest';
import { COMPOSITION_COUNT, COMPOSITION_FAMILIES, compositionSeed, familyOf, generateComposition, type Composition } from '@/utils/frames/curated/compositions';
import { WORDS } from '@/utils/frames/curated/words';
import { BREATH_CUES } from '@/utils/frames/curated/breath';
import { QUESTIONS } from '@/utils/frames/curated/questions';
import { CURATED_COLLECTIONS, curatedFrameIds, getCuratedPayload } from '@/utils/frames/library';
import { mulberry32 } from '@/utils/frames/rng';

/** Geometry only, rounded to whole units: two pieces that differ only by a hair count as the same. */
function signature(c: Composition): string {
  return JSON.stringify(
    c.shapes.map((s) => {
      const { fill, stroke, opacity, ...geometry } = s;
      return Object.entries(geometry).map(([k, v]) => [
        k,
        typeof v === 'number' ? Math.round(v) : typeof v === 'string' ? v.replace(/\d+\.\d/g, (n) => String(Math.round(Number(n)))) : v,
      ]);
    }),
  );
}

const CJK = /[\u4e00-\u9fff]/;

describe('rng', () => {
  it('is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('compositions', () => {
  const all = Array.from({ length: COMPOSITION_COUNT }, (_, n) => generateComposition(n, 'light'));

  it('has at least 200 pieces with distinct geometry', () => {
    expect(COMPOSITION_COUNT).toBeGreaterThanOrEqual(200);
    expect(new Set(all.map(signature)).size).toBe(COMPOSITION_COUNT);
  });

  it('is deterministic for a seed', () => {
    for (const n of [0, 7, 99, 199]) {
      expect(generateComposition(n, 'dark')).toEqual(generateComposition(n, 'dark'));
    }
  });

  it('light and dark variants share geometry but not colours', () => {
    for (let n = 0; n < 20; n++) {
      const light = generateComposition(n, 'light');
      const dark = generateComposition(n, 'dark');
      expect(signature(dark)).toBe(signature(light));
      expect(dark.shapes[0].fill).not.toBe(light.shapes[0].fill);
    }
  });

  it('uses several families, each well represented, and a restrained palette', () => {
    expect(COMPOSITION_FAMILIES.length).toBeGreaterThanOrEqual(6);
    const counts = new Map<string, number>();
    for (const c of all) counts.set(c.family, (counts.get(c.family) ?? 0) + 1);
    expect(counts.size).toBe(COMPOSITION_FAMILIES.length);
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(20);
    for (const c of all) {
      const colours = new Set(c.shapes.flatMap((s) => [s.fill, s.stroke]).filter((x) => x && x !== 'none'));
      expect(colours.size).toBeLessThanOrEqual(6);
    }
  });

  it('keeps every number finite and the ground as the first shape', () => {
    for (const c of all) {
      expect(c.shapes[0]).toMatchObject({ type: 'rect', x: 0, y: 0, width: c.width, height: c.height });
      const nums = JSON.stringify(c.shapes).match(/-?\d+(\.\d+)?/g) ?? [];
      expect(nums.every((x) => Number.isFinite(Number(x)))).toBe(true);
      expect(JSON.stringify(c.shapes)).not.toMatch(/NaN|Infinity|undefined/);
    }
  });

  it('maps ids to seeds and families rotate', () => {
    expect(compositionSeed('composition:042')).toBe(42);
    expect(compositionSeed('composition:200')).toBeNull();
    expect(compositionSeed('composition:42')).toBeNull();
    expect(familyOf(0)).not.toBe(familyOf(1));
  });
});

describe('words', () => {
  it('has at least 60 entries, at least 25 per language', () => {
    expect(WORDS.length).toBeGreaterThanOrEqual(60);
    expect(WORDS.filter((w) => w.lang === 'zh').length).toBeGreaterThanOrEqual(25);
    expect(WORDS.filter((w) => w.lang === 'en').length).toBeGreaterThanOrEqual(25);
  });

  it('has unique ids, authors, works, attribution and text in the right script', () => {
    expect(new Set(WORDS.map((w) => w.id)).size).toBe(WORDS.length);
    for (const w of WORDS) {
      expect(w.id).toMatch(new RegExp(`^words:${w.lang}:\\d{2}$`));
      expect(w.author.trim()).not.toBe('');
      expect(w.work.trim()).not.toBe('');
      expect(w.attribution).toBe('Public domain');
      expect(w.lines.length).toBeGreaterThan(0);
      expect(w.lines.every((l) => l.trim() === l && l !== '' && !l.includes('\n'))).toBe(true);
      expect(CJK.test(w.lines.join(''))).toBe(w.lang === 'zh');
    }
  });
});

describe('breath and questions', () => {
  it('exist in both languages', () => {
    expect(BREATH_CUES.length).toBeGreaterThanOrEqual(3);
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(12);
    for (const item of [...BREATH_CUES, ...QUESTIONS]) {
      expect(item.en.trim()).not.toBe('');
      expect(CJK.test(item.en)).toBe(false);
      expect(CJK.test(item.zh_CN)).toBe(true);
    }
  });

  it('pick the text by locale', () => {
    const en = getCuratedPayload('question:01', 'en');
    const zh = getCuratedPayload('question:01', 'zh_CN');
    expect(en).toMatchObject({ kind: 'question', text: 'What did you come here for?' });
    expect(zh).toMatchObject({ kind: 'question', text: QUESTIONS[0].zh_CN });
    expect(getCuratedPayload('breath:01', 'zh_CN')).toMatchObject({ kind: 'breath', text: BREATH_CUES[0].zh_CN });
  });
});

describe('library', () => {
  it('lists the four curated collections with i18n names and unique ids', () => {
    expect(CURATED_COLLECTIONS.map((c) => c.id)).toEqual(['still', 'words', 'breath', 'questions']);
    const ids = CURATED_COLLECTIONS.flatMap((c) => c.frames.map((f) => f.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CURATED_COLLECTIONS) {
      expect(c.nameKey).toMatch(/^frame\.collection\./);
      expect(c.frames.every((f) => f.collectionId === c.id)).toBe(true);
    }
    expect(CURATED_COLLECTIONS[0].frames[0].id).toBe('composition:000');
    expect(CURATED_COLLECTIONS[0].frames.at(-1)!.id).toBe('composition:199');
  });

  it('returns a payload with non-empty attribution for every curated id, in both locales', () => {
    for (const c of CURATED_COLLECTIONS) {
      for (const f of c.frames) {
        for (const locale of ['en', 'zh_CN'] as const) {
          const p = getCuratedPayload(f.id, locale);
          expect(p, f.id).not.toBeNull();
          expect(p!.id).toBe(f.id);
          expect(p!.collectionId).toBe(c.id);
          expect(p!.attribution.trim(), f.id).not.toBe('');
          expect(p!.attribution).not.toMatch(/^frame\./);
        }
      }
    }
  });

  it('sends a composition as seed + variant with its number in the attribution', () => {
    expect(getCuratedPayload('composition:042', 'en')).toEqual({
      kind: 'composition',
      id: 'composition:042',
      collectionId: 'still',
      seed: 42,
      variant: 'light',
      attribution: 'Stillframe generative composition #42 · CC0',
    });
    expect(getCuratedPayload('composition:042', 'en', 'dark')).toMatchObject({ variant: 'dark' });
  });

  it('sends words with author, work and lines joined by newlines', () => {
    const p = getCuratedPayload('words:zh:01', 'en');
    expect(p).toMatchObject({ kind: 'words', lang: 'zh', author: '李白', work: '静夜思', attribution: 'Public domain' });
    expect(p && p.kind === 'words' && p.text.split('\n')).toEqual(['床前明月光，疑是地上霜。', '举头望明月，低头思故乡。']);
    expect(getCuratedPayload('words:zh:01', 'zh_CN')!.attribution).toBe('公有领域');
  });

  it('returns null for unknown ids', () => {
    for (const id of ['', 'composition:999', 'words:fr:01', 'user:abc', 'question:99']) {
      expect(getCuratedPayload(id, 'en')).toBeNull();
    }
  });

  it('filters words by language', () => {
    const en = curatedFrameIds('words', { wordLanguages: ['en'] });
    const zh = curatedFrameIds('words', { wordLanguages: ['zh'] });
    const both = curatedFrameIds('words', { wordLanguages: ['en', 'zh'] });
    expect(en.length).toBeGreaterThanOrEqual(25);
    expect(zh.length).toBeGreaterThanOrEqual(25);
    expect(en.every((id) => id.startsWith('words:en:'))).toBe(true);
    expect(zh.every((id) => id.startsWith('words:zh:'))).toBe(true);
    expect(both.length).toBe(en.length + zh.length);
    expect(curatedFrameIds('words', { wordLanguages: [] })).toEqual([]);
  });

  it('does not filter other collections by language and ignores unknown ones', () => {
    expect(curatedFrameIds('still', { wordLanguages: ['zh'] })).toHaveLength(COMPOSITION_COUNT);
    expect(curatedFrameIds('questions', { wordLanguages: ['en'] })).toHaveLength(QUESTIONS.length);
    expect(curatedFrameIds('user:holiday', { wordLanguages: ['en'] })).toEqual([]);
  });
});
