import type { Settings, WordLanguage } from '@/utils/storage/settings';
import { wordLanguagesFor } from '@/utils/storage/settings';
import { INTENSITY_CADENCE, intensityOf, type Intensity } from '@/utils/schedule/presets';
import { CURATED_COLLECTIONS, type CuratedCollectionId } from '@/utils/frames/library';
import type { SettingsPatch } from '@/utils/messaging/messages';
import type { Locale } from '@/utils/i18n';

/** What the welcome page asks, as the person left it. */
export interface WelcomeChoices {
  intensity: Intensity;
  kinds: Record<CuratedCollectionId, boolean>;
  languages: WordLanguage[];
}

/** The page's starting point: the settings as they are (defaults on a fresh install). */
export function choicesFrom(settings: Settings, locale: Locale): WelcomeChoices {
  const kinds = {} as Record<CuratedCollectionId, boolean>;
  for (const c of CURATED_COLLECTIONS) kinds[c.id] = settings.collections[c.id]?.enabled ?? true;
  return { intensity: intensityOf(settings.cadence) ?? 'balanced', kinds, languages: wordLanguagesFor(settings, locale) };
}

/** Something the page would refuse to save, as a message key; null when the choices are fine. */
export function choicesProblem(c: WelcomeChoices): string | null {
  if (!Object.values(c.kinds).some(Boolean)) return 'welcome.kinds.none';
  if (c.kinds.words && c.languages.length === 0) return 'welcome.languages.none';
  return null;
}

/**
 * The settings patch for the choices. Poem languages that are still what the UI language
 * suggests stay 'auto' (they keep following the language); a different choice is stored.
 */
export function choicesPatch(settings: Settings, locale: Locale, c: WelcomeChoices): SettingsPatch {
  const collections: Record<string, { enabled: boolean; weight: number }> = {};
  for (const col of CURATED_COLLECTIONS) {
    const cur = settings.collections[col.id];
    collections[col.id] = { enabled: c.kinds[col.id], weight: cur?.weight ?? 1 };
  }
  const suggested = wordLanguagesFor({ wordLanguages: 'auto' }, locale);
  const same = suggested.length === c.languages.length && suggested.every((l) => c.languages.includes(l));
  const patch: SettingsPatch = { cadence: { ...INTENSITY_CADENCE[c.intensity] }, collections };
  if (c.kinds.words) patch.wordLanguages = same ? 'auto' : [...c.languages];
  return patch;
}
