import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES, t, setLocale, detectLocale } from '@/utils/i18n';
import { CURATED_COLLECTIONS } from '@/utils/frames/library';

const ROOT = process.cwd();
const SOURCE_DIRS = ['entrypoints', 'components', 'utils'];
/** Directories whose string literals that look like keys ('options.x', 'popup.x') must all be keys. */
const KEY_LITERAL_DIRS = ['components/popup', 'components/options', 'components/ui'];
const KEY_LITERAL = /(['"`])((?:popup|options)\.[A-Za-z0-9_.-]+)\1/g;

function walk(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.(ts|tsx)$/.test(name) && !/\.d\.ts$/.test(name)) out.push(p);
  }
  return out;
}

/** Every t('literal') / t("literal") / t(`literal`) call (no interpolation) in a file. */
function tKeysIn(source: string): string[] {
  const keys: string[] = [];
  const re = /(?<![\w.$])t\(\s*(['"`])([^'"`\n$]+)\1/g;
  for (const m of source.matchAll(re)) keys.push(m[2]);
  return keys;
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const catalogFiles = import.meta.glob<{ en: Record<string, string>; zh_CN: Record<string, string> }>('../../utils/i18n/catalog/*.ts', { eager: true });

describe('i18n catalogs', () => {
  it('has the same keys in English and Simplified Chinese, none empty', () => {
    const en = Object.keys(MESSAGES.en).sort();
    const zh = Object.keys(MESSAGES.zh_CN).sort();
    expect(en.length).toBeGreaterThan(0);
    expect(
      zh.filter((k) => !(k in MESSAGES.en)),
      'keys only in zh_CN',
    ).toEqual([]);
    expect(
      en.filter((k) => !(k in MESSAGES.zh_CN)),
      'keys missing in zh_CN',
    ).toEqual([]);
    for (const locale of ['en', 'zh_CN'] as const) {
      const empty = Object.entries(MESSAGES[locale])
        .filter(([, v]) => typeof v !== 'string' || v.trim() === '')
        .map(([k]) => k);
      expect(empty, `empty strings in ${locale}`).toEqual([]);
    }
  });

  it('uses the same {placeholders} in both languages', () => {
    const mismatched = Object.keys(MESSAGES.en).filter(
      (k) => k in MESSAGES.zh_CN && placeholders(MESSAGES.en[k]).join() !== placeholders(MESSAGES.zh_CN[k]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('registers every catalog file, each complete in both languages, with no key defined twice', () => {
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    const files = Object.entries(catalogFiles);
    expect(files.length).toBeGreaterThan(0);
    for (const [file, mod] of files) {
      expect(mod.en, `${file} exports en`).toBeTypeOf('object');
      expect(mod.zh_CN, `${file} exports zh_CN`).toBeTypeOf('object');
      expect(Object.keys(mod.zh_CN).sort(), `${file}: zh_CN keys`).toEqual(Object.keys(mod.en).sort());
      const unregistered = Object.keys(mod.en).filter((k) => MESSAGES.en[k] !== mod.en[k] && !seen.has(k));
      expect(unregistered, `${file} is not listed in utils/i18n/index.ts`).toEqual([]);
      for (const k of Object.keys(mod.en)) {
        if (seen.has(k)) dupes.push(`${k} (${seen.get(k)} and ${file})`);
        seen.set(k, file);
      }
    }
    expect(dupes).toEqual([]);
  });

  it('has every key that the source tree passes to t() as a literal', () => {
    const missing: string[] = [];
    let calls = 0;
    for (const dir of SOURCE_DIRS) {
      for (const file of walk(join(ROOT, dir))) {
        for (const key of tKeysIn(readFileSync(file, 'utf8'))) {
          calls++;
          if (!(key in MESSAGES.en)) missing.push(`${relative(ROOT, file)}: ${key}`);
        }
      }
    }
    expect(calls).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('has every key the frame UI uses in the one catalog it loads (utils/i18n/frame-text.ts registers catalog/frame.ts only)', () => {
    const frame = catalogFiles['../../utils/i18n/catalog/frame.ts'];
    const missing: string[] = [];
    let files = 0;
    for (const dir of SOURCE_DIRS) {
      for (const file of walk(join(ROOT, dir))) {
        const src = readFileSync(file, 'utf8');
        if (!/from '@\/utils\/i18n\/frame-text'/.test(src)) continue;
        files++;
        for (const key of tKeysIn(src)) if (!(key in frame.en) || !(key in frame.zh_CN)) missing.push(`${relative(ROOT, file)}: ${key}`);
      }
    }
    expect(files).toBeGreaterThanOrEqual(5);
    expect(missing).toEqual([]);
  });

  it('has every key named in the popup and options tables (keys passed to t() through a variable)', () => {
    const missing: string[] = [];
    for (const dir of KEY_LITERAL_DIRS) {
      for (const file of walk(join(ROOT, dir))) {
        for (const m of readFileSync(file, 'utf8').matchAll(KEY_LITERAL)) if (!(m[2] in MESSAGES.en)) missing.push(`${relative(ROOT, file)}: ${m[2]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has the keys built at run time: scheduler reasons, days, collection names', () => {
    const keys = [
      ...['disabled', 'site-off', 'snoozed', 'quiet-hours', 'daily-cap', 'cadence-off', 'min-gap'].map((r) => `schedule.reason.${r}`),
      ...[0, 1, 2, 3, 4, 5, 6].map((d) => `schedule.day.${d}`),
      ...CURATED_COLLECTIONS.map((c) => c.nameKey),
    ];
    expect(keys.filter((k) => !(k in MESSAGES.en))).toEqual([]);
  });

  it('finds t() keys the way the scan expects', () => {
    expect(tKeysIn(`t('a.b'); t("c.d", { n }); x.t('no'); t(\`e.f\`); t(\`g.\${x}\`); at('no')`)).toEqual(['a.b', 'c.d', 'e.f']);
  });
});

describe('t()', () => {
  it('switches language at once and fills placeholders', () => {
    setLocale('zh_CN');
    expect(t('popup.snooze.untilAll', { time: '15:30' })).toBe('所有网站免打扰到 15:30');
    setLocale('en');
    expect(t('popup.snooze.untilAll', { time: '15:30' })).toBe('Pauses snoozed everywhere until 15:30');
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('maps browser languages to a supported locale', () => {
    expect(detectLocale(['zh-TW'])).toBe('zh_CN');
    expect(detectLocale(['fr-FR', 'en-US'])).toBe('en');
    expect(detectLocale(['de'])).toBe('en');
  });
});
