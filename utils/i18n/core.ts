import { fillPlaceholders } from './fill';
/**
 * The i18n machinery without any text: lookup, locale and the tables that catalogs register
 * into. `utils/i18n/index.ts` registers every catalog (extension pages, background);
 * `utils/i18n/frame-text.ts` registers only what the injected frame shows, so the frame's
 * bundle does not carry the options page's text (npm run bench reports the sizes).
 */
export type Locale = 'en' | 'zh_CN';
type Catalog = Record<string, string>;

/** Every registered string, by locale. Catalogs add to it; nothing ever removes from it. */
export const TABLES: Record<Locale, Catalog> = { en: {}, zh_CN: {} };

export function registerCatalog(c: { en: Catalog; zh_CN: Catalog }): void {
  Object.assign(TABLES.en, c.en);
  Object.assign(TABLES.zh_CN, c.zh_CN);
}

let current: Locale = detectLocale();

/** The browser's UI language mapped to a supported locale. */
export function detectLocale(langs: readonly string[] = typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : []): Locale {
  for (const l of langs) {
    const lower = l.toLowerCase();
    if (lower.startsWith('zh')) return 'zh_CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Applies the user's setting: 'auto' follows the browser. */
export function setLocale(pref: 'auto' | Locale): Locale {
  current = pref === 'auto' ? detectLocale() : pref;
  return current;
}

export function getLocale(): Locale {
  return current;
}

/** Looks up a key; `{name}` placeholders are filled from params. Missing keys show the key (and fail the i18n test). */
export function t(key: string, params?: Record<string, string | number>): string {
  const s = TABLES[current][key] ?? TABLES.en[key] ?? key;
  return fillPlaceholders(s, params);
}
