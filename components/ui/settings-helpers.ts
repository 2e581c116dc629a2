import { siteState } from '@/utils/storage/site-state';
import type { Settings, SiteSettings } from '@/utils/storage/settings';
import type { SettingsPatch } from '@/utils/messaging';

/**
 * A patch for one site's entry. A site entry must always carry `enabled`, so a patch for a
 * site that has no entry yet includes the current effective value (sites default to on).
 */
export function sitePatch(settings: Settings, siteKey: string, change: Partial<SiteSettings>): SettingsPatch {
  const cur = settings.sites[siteKey];
  return { sites: { [siteKey]: { enabled: cur?.enabled ?? true, ...change } } };
}

/** The site's own on/off as its toggle shows it, ignoring the global switch (the one rule: utils/storage/site-state.ts). */
export function siteSwitch(settings: Settings, siteKey: string): boolean {
  return siteState(settings, siteKey).switchOn;
}

/**
 * Settings without the site's every-N override. Patches cannot delete a field (an absent
 * value means "keep"), so removing an override goes through settings/replace.
 */
export function withoutSiteOverride(settings: Settings, siteKey: string): Settings {
  const next = structuredClone(settings);
  const entry = next.sites[siteKey];
  if (entry) delete entry.everyPosts;
  return next;
}

/** Settings without a custom origin (and its site entry). */
export function withoutCustomSite(settings: Settings, origin: string, siteKey: string | null): Settings {
  const next = structuredClone(settings);
  next.customSites = next.customSites.filter((o) => o !== origin);
  if (siteKey) delete next.sites[siteKey];
  return next;
}

/** The every-N value that governs a site and where it lives (the site's override or the global cadence). */
export function cadenceTarget(settings: Settings, siteKey: string | null): { value: number; scope: 'site' | 'global' } {
  const override = siteKey ? settings.sites[siteKey]?.everyPosts : undefined;
  return override !== undefined ? { value: override, scope: 'site' } : { value: settings.cadence.everyPosts, scope: 'global' };
}

/** The patch that sets every-N where it governs this site. */
export function cadencePatch(settings: Settings, siteKey: string | null, value: number): SettingsPatch {
  const target = cadenceTarget(settings, siteKey);
  if (target.scope === 'site' && siteKey) return sitePatch(settings, siteKey, { everyPosts: value });
  return { cadence: { everyPosts: value } };
}

/** Clamps a typed number into [min, max] as an integer; NaN → null. */
export function clampInt(raw: string | number, min: number, max: number): number | null {
  const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
  if (String(raw).trim() === '' || !Number.isFinite(n)) return null;
  return Math.min(max, Math.max(min, Math.round(n)));
}
