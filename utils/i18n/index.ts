import * as common from './catalog/common';
import * as schedule from './catalog/schedule';
import * as frame from './catalog/frame';
import * as popup from './catalog/popup';
import * as options from './catalog/options';
import * as study from './catalog/study';
import * as library from './catalog/library';

/**
 * UI text. We keep catalogs in TypeScript rather than only in _locales/messages.json because
 * users can override the browser language in settings, which browser.i18n cannot do.
 * (_locales still carries the manifest's name and description for the stores.)
 * To add an area: create catalog/<area>.ts exporting `en` and `zh_CN`, and list it below.
 */
const catalogs = [common, schedule, frame, popup, options, study, library] as const;

export type Locale = 'en' | 'zh_CN';
type Catalog = Record<string, string>;

const tables: Record<Locale, Catalog> = { en: {}, zh_CN: {} };
for (const c of catalogs) {
  Object.assign(tables.en, c.en);
  Object.assign(tables.zh_CN, c.zh_CN);
}

export const MESSAGES = tables;

let current: Locale = detectLocale();

/** The browser's UI language mapped to a supported locale. */
export function detectLocale(langs: readonly string[] = typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : []): Locale {
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
  const s = tables[current][key] ?? tables.en[key] ?? key;
  return params ? s.replace(/\{(\w+)\}/g, (m, p) => (p in params ? String(params[p]) : m)) : s;
}
