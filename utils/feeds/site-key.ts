import { SITE_DEFINITIONS } from './registry';

/**
 * Site keys from a URL alone, for places that see a tab's URL but not its DOM (the popup,
 * through the background). The keys are the ones utils/feeds/registry.ts uses in settings
 * and logs. Mastodon instances ('mastodon:<host>') are recognised by their DOM only, so a
 * URL maps them to 'custom:<host>' here; `resolveActiveSite` prefers the key a tab's content
 * script registered, which covers them.
 */

/** Domains per site key (from each site's definition); a host matches a domain itself or any subdomain of it. */
export const SITE_HOST_SUFFIXES: ReadonlyArray<readonly [key: string, suffixes: readonly string[]]> = SITE_DEFINITIONS.filter((s) => s.domains.length > 0).map(
  (s) => [s.key, s.domains] as const,
);

function hostOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const host = u.hostname.toLowerCase().replace(/\.$/, '');
  return host || null;
}

/** The site key for a hostname (no port), e.g. 'www.reddit.com' → 'reddit', 'example.org' → 'custom:example.org'. */
export function siteKeyFromHost(hostname: string): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (!host) return null;
  for (const [key, suffixes] of SITE_HOST_SUFFIXES) {
    if (suffixes.some((s) => host === s || host.endsWith(`.${s}`))) return key;
  }
  return `custom:${host}`;
}

/** The site key for a page URL; null for anything that is not an http(s) page (chrome://, about:, file:, extension pages). */
export function siteKeyFromUrl(url: string): string | null {
  const host = hostOf(url);
  return host === null ? null : siteKeyFromHost(host);
}

/** True for keys of sites Stillframe knows without being told (the bundled adapters, and the local demo in development/test builds). */
export function isBuiltinSiteKey(key: string): boolean {
  // A development-only site is not one in a release build (its definition is left out there).
  if (key === 'demo') return SITE_DEFINITIONS.some((s) => s.key === key);
  return !key.startsWith('custom:') && !key.startsWith('mastodon:');
}

/**
 * Normalises what a user typed as a custom site into an origin ('https://example.org'),
 * or null when it is not a usable http(s) origin. A bare host gets https://.
 */
export function normalizeOrigin(input: string): string | null {
  const raw = input.trim();
  if (!raw) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (!u.hostname || u.username || u.password) return null;
  // A hostname needs a dot (or be localhost) to be a site someone can scroll.
  if (!u.hostname.includes('.') && u.hostname !== 'localhost') return null;
  return u.origin;
}

/** The site key a custom origin is stored under in settings.sites. */
export function customSiteKey(origin: string): string | null {
  const host = hostOf(origin);
  return host === null ? null : `custom:${host}`;
}

export interface ActiveSite {
  /** The site key Stillframe uses for the tab, or null when it is not active there. */
  siteKey: string | null;
  /** The tab's hostname when the extension may see it. */
  host: string | null;
  /** A content script in the tab said hello (it is a page Stillframe runs on). */
  registered: boolean;
  /** Not active here, but a web page whose address we may see: the origin "Add this site" would ask for. */
  addable?: string | null;
}

/**
 * Decides which site the popup speaks about. A tab whose content script registered wins
 * (it knows Mastodon instances); else the URL, when we may see it, if it is a built-in site
 * or one of the user's custom sites. Everything else: not active here.
 */
export function resolveActiveSite(
  tab: { id?: number; url?: string } | undefined,
  registeredTabs: Record<string, { siteKey: string }>,
  customSites: readonly string[],
): ActiveSite {
  if (!tab) return { siteKey: null, host: null, registered: false };
  const host = tab.url ? hostOf(tab.url) : null;
  const reg = tab.id !== undefined ? registeredTabs[String(tab.id)] : undefined;
  if (reg && reg.siteKey) return { siteKey: reg.siteKey, host, registered: true };
  if (!tab.url || host === null) return { siteKey: null, host, registered: false };
  const addable = /^https?:\/\//i.test(tab.url) ? normalizeOrigin(tab.url) : null;
  const key = siteKeyFromHost(host);
  if (key === null) return { siteKey: null, host, registered: false, addable };
  if (isBuiltinSiteKey(key)) return { siteKey: key, host, registered: false };
  const customHosts = new Set(customSites.map((o) => hostOf(o)).filter((h): h is string => h !== null));
  return customHosts.has(host) ? { siteKey: key, host, registered: false } : { siteKey: null, host, registered: false, addable };
}
