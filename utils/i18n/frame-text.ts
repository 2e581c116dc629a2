/**
 * The text of the injected frame only (PauseFrame, its composition label, a study's sample
 * question): the frame UI bundle imports `t` from here rather than from `utils/i18n`, which
 * would pull in every page's catalog. Same tables and locale as `utils/i18n` (both use core).
 */
import * as frame from './catalog/frame';
import * as study from './catalog/study';
import { registerCatalog } from './core';

registerCatalog(frame);
// The study catalog for the sample question under a frame (study.sample.*).
registerCatalog(study);

export { t, setLocale, getLocale, type Locale } from './core';
