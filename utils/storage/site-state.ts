import type { Settings } from './settings';

/** Why frames are off on a site, in the order the rule checks. */
export type SiteOffReason = 'disabled' | 'not-added' | 'site-off';

export interface SiteState {
  /** Frames may show here (the scheduler may still hold them back: snooze, quiet hours, cap). */
  on: boolean;
  /** The site's own switch, as its toggle shows it, whatever the global switch says. */
  switchOn: boolean;
  reason: SiteOffReason | null;
}

/**
 * The one rule for "is this site on", used by the scheduler's gate, the content config, the
 * popup and the options page. Stillframe switched off everywhere wins; a site the user never
 * added (a custom site or a Mastodon server: 'custom:<host>', 'mastodon:<host>') is off, since
 * we never run where nobody asked; otherwise the site's own switch, on by default.
 */
export function siteState(settings: Settings, siteKey: string): SiteState {
  const explicit = settings.sites[siteKey]?.enabled;
  const m = /^(custom|mastodon):(.+)$/.exec(siteKey);
  const added = m ? settings.customSites.some((o) => hostOf(o) === m[2]) : true;
  const switchOn = added && explicit !== false;
  const reason: SiteOffReason | null = !settings.enabled ? 'disabled' : !added ? 'not-added' : explicit === false ? 'site-off' : null;
  return { on: reason === null, switchOn, reason };
}

/** Shorthand for `siteState(settings, siteKey).on`. */
export function siteEnabled(settings: Settings, siteKey: string): boolean {
  return siteState(settings, siteKey).on;
}

/**
 * Whether Stillframe runs on the site at all — a supported site, or one the user added —
 * whatever its switches. A study measures on these even while frames are off.
 */
export function siteWatched(settings: Settings, siteKey: string): boolean {
  return (
    siteState(settings, siteKey).reason !== 'not-added' ||
    (settings.enabled === false && siteState({ ...settings, enabled: true }, siteKey).reason !== 'not-added')
  );
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).hostname;
  } catch {
    return null;
  }
}
