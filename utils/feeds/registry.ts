import type { FeedAdapter, SiteDefinition } from './types';
import { xSite } from './x';
import { redditSite } from './reddit';
import { youtubeSite } from './youtube';
import { instagramSite } from './instagram';
import { facebookSite } from './facebook';
import { linkedinSite } from './linkedin';
import { blueskySite } from './bluesky';
import { threadsSite } from './threads';
import { tumblrSite } from './tumblr';
import { demoSite } from './demo';
import { mastodonSite } from './mastodon';
import { DEV_HOSTS } from './dev-hosts';

/**
 * Every site Stillframe knows, each defined once in its own file (utils/feeds/<site>.ts). The
 * order matters twice: adapters are tried in it (host-matched sites first, then the demo, then
 * Mastodon, which is matched by DOM and must not shadow a known host), and settings list it.
 * `devOnly` sites (the local demo feed) exist only in development/test builds (dev-hosts.ts): a
 * release build neither asks for their hosts nor lists them.
 */
export const SITE_DEFINITIONS: readonly SiteDefinition[] = (
  [
    xSite,
    redditSite,
    youtubeSite,
    instagramSite,
    facebookSite,
    linkedinSite,
    blueskySite,
    threadsSite,
    tumblrSite,
    ...(DEV_HOSTS ? [demoSite] : []),
    mastodonSite,
  ] as SiteDefinition[]
).filter((s) => DEV_HOSTS || !s.devOnly);

export interface SupportedSite {
  key: string;
  name: string;
  hosts: readonly string[];
  /** Content-script `matches` / host permissions. Empty: permission is asked at run time. */
  matchPatterns: string[];
}

/** A site's match patterns; a pattern without a port matches every port (the demo's). */
export function matchPatternsOf(site: SiteDefinition): string[] {
  return site.hosts.map((h) => `${site.scheme ?? 'https'}://${h}/*`);
}

/**
 * Every site adapter, in the order they are tried. The generic detector is not one of them: it
 * is never picked by host, only used when the user enabled an unknown site or a site adapter
 * failed (utils/feeds/generic.ts) — and so not listed here, which keeps it out of the content
 * script that runs on every feed page (it comes with the adapter kit, utils/content/adapter-kit.ts).
 */
export const SITE_ADAPTERS: FeedAdapter[] = SITE_DEFINITIONS.map((s) => s.adapter);

/**
 * Every selector Stillframe's adapters find feeds by (item selectors and container hooks): the
 * only attribute values, ids and class names a shape report may name (utils/feeds/shape-report.ts),
 * since they are this source's words, not the person's.
 */
export const KNOWN_SELECTORS: readonly string[] = /* @__PURE__ */ SITE_DEFINITIONS.flatMap((s) => [s.adapter.itemSelector, ...(s.hooks ?? [])]);

/** Sites shown in settings and granted at install: the hosted ones, then Mastodon, then the demo. */
export const SUPPORTED_SITES: SupportedSite[] = /* @__PURE__ */ [...SITE_DEFINITIONS]
  .sort((a, b) => rank(a) - rank(b))
  .map((s) => ({ key: s.key, name: s.name, hosts: s.hosts, matchPatterns: matchPatternsOf(s) }));

function rank(s: SiteDefinition): number {
  return s.devOnly ? 2 : s.hosts.length === 0 ? 1 : 0;
}

/** All match patterns of the supported sites: the content script's `matches` and the manifest's host permissions. */
export const CONTENT_MATCHES: string[] = /* @__PURE__ */ SUPPORTED_SITES.flatMap((s) => s.matchPatterns);

/**
 * The adapter that owns this page: a known site by host, Mastodon by DOM, else null (the
 * caller decides whether the user enabled this site for the generic detector).
 */
export function pickAdapter(loc: Location, doc: Document): FeedAdapter | null {
  for (const a of SITE_ADAPTERS) {
    try {
      if (a.matches(loc, doc)) return a;
    } catch {
      // A broken adapter must not stop the others from being tried.
    }
  }
  return null;
}

/** Settings key for this page: 'x', 'reddit', …, 'mastodon:<host>', 'custom:<host>'. */
export function siteKeyFor(loc: Location, doc: Document): string {
  const a = pickAdapter(loc, doc);
  const host = loc.hostname.toLowerCase();
  if (!a) return `custom:${host}`;
  // Each Mastodon server is its own site: different people, different habits.
  if (a === mastodonSite.adapter) return `mastodon:${host}`;
  return a.key;
}
