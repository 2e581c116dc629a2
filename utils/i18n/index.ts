import * as common from './catalog/common';
import * as schedule from './catalog/schedule';
import * as frame from './catalog/frame';
import * as popup from './catalog/popup';
import * as options from './catalog/options';
import * as study from './catalog/study';
import * as library from './catalog/library';
import * as welcome from './catalog/welcome';
import * as sites from './catalog/sites';
import { registerCatalog, TABLES } from './core';

/**
 * UI text. We keep catalogs in TypeScript rather than only in _locales/messages.json because
 * users can override the browser language in settings, which browser.i18n cannot do.
 * (_locales still carries the manifest's name and description for the stores.)
 * To add an area: create catalog/<area>.ts exporting `en` and `zh_CN`, and list it below.
 * Lookup and locale live in core.ts; the injected frame imports frame-text.ts instead, which
 * registers only the frame's catalogs (the content script stays small).
 */
const catalogs = [common, schedule, frame, popup, options, study, library, welcome, sites] as const;

export type { Locale } from './core';
export { detectLocale, setLocale, getLocale, t } from './core';

for (const c of catalogs) registerCatalog(c);

export const MESSAGES = TABLES;
