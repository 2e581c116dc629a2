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

/** Why a typed number was not taken (a message key and its parameters), or the number itself. */
export type NumberCheck = { ok: true; value: number | null } | { ok: false; key: string; params: Record<string, string | number> };

/**
 * Checks what was typed into a number field. Nothing is rounded or clamped: a value outside the
 * range, a fraction where whole numbers are asked for, or text is refused with a reason, and the
 * field keeps what the person typed (−3 never silently becomes 0, which would turn pauses off).
 */
export function checkNumber(raw: string, opts: { min: number; max: number; integer: boolean; allowEmpty?: boolean }): NumberCheck {
  const text = raw.trim();
  if (text === '') return opts.allowEmpty ? { ok: true, value: null } : { ok: false, key: 'common.number.empty', params: {} };
  const n = Number(text.replace(',', '.'));
  if (!Number.isFinite(n)) return { ok: false, key: 'common.number.notNumber', params: { value: text } };
  if (opts.integer && !Number.isInteger(n)) return { ok: false, key: 'common.number.whole', params: { value: text } };
  if (n < opts.min || n > opts.max) return { ok: false, key: 'common.number.range', params: { value: text, min: opts.min, max: opts.max } };
  return { ok: true, value: n };
}
