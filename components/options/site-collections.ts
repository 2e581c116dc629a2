import type { Settings } from '@/utils/storage/settings';
import type { SettingsPatch } from '@/utils/messaging';
import { sitePatch } from '@/components/ui/settings-helpers';

/**
 * A site's choice of collections (settings.sites[key].collections), as the Sites section's
 * multi-select shows it. An empty or absent list means "every collection that is on",
 * including ones added later, so it shows as every box ticked.
 */
export function siteCollectionChoice(settings: Settings, siteKey: string, known: readonly string[]): Set<string> {
  const only = settings.sites[siteKey]?.collections;
  if (!only || only.length === 0) return new Set(known);
  return new Set(only.filter((id) => known.includes(id)));
}

/** True when the site uses every collection (no list of its own). */
export function usesAllCollections(settings: Settings, siteKey: string): boolean {
  return !settings.sites[siteKey]?.collections?.length;
}

/**
 * The settings/patch that ticks (`on`) or unticks one collection for a site; null when the
 * change would leave no collection ticked (an empty list means "all", so that box stays).
 * Ticking every known collection goes back to "all" (an empty list). Ids the page does not
 * know (a collection it could not read) are kept as they are, never dropped on the way.
 */
export function siteCollectionsPatch(settings: Settings, siteKey: string, known: readonly string[], collectionId: string, on: boolean): SettingsPatch | null {
  const ticked = siteCollectionChoice(settings, siteKey, known);
  if (on) ticked.add(collectionId);
  else ticked.delete(collectionId);
  const chosen = known.filter((id) => ticked.has(id));
  if (chosen.length === 0) return null;
  const unknown = (settings.sites[siteKey]?.collections ?? []).filter((id) => !known.includes(id));
  const all = known.every((id) => ticked.has(id));
  return sitePatch(settings, siteKey, { collections: all ? [] : [...unknown, ...chosen] });
}
