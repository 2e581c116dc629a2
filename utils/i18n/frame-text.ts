/**
 * The text of the injected frame only (PauseFrame, its composition label, a study's sample
 * question): the frame UI bundle imports `t` from here rather than from `utils/i18n`, which
 * would pull in every page's catalog. Same tables and locale as `utils/i18n` (both use core).
 */
import * as frame from './catalog/frame';
import { registerCatalog } from './core';

// It carries the study keys the frame UI shows too (a sample question, a survey card): the whole
// study catalog was a sixth of the frame UI's script, evaluated at every page's first frame.
registerCatalog(frame);

export { t, setLocale, getLocale, type Locale } from './core';
