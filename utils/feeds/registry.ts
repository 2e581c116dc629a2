import type { FeedAdapter } from './types';
import { xAdapter } from './x';
import { redditAdapter } from './reddit';
import { youtubeAdapter } from './youtube';
import { instagramAdapter } from './instagram';
import { facebookAdapter } from './facebook';
import { linkedinAdapter } from './linkedin';
import { blueskyAdapter } from './bluesky';
import { threadsAdapter } from './threads';
import { tumblrAdapter } from './tumblr';
import { demoAdapter } from './demo';
import { mastodonAdapter } from './mastodon';
import { genericAdapter } from './generic';

export interface SupportedSite {
  key: string;
  name: string;
  hosts: string[];
  /** Content-script `matches` / host permissions. Empty: permission is asked at run time. */
  matchPatterns: string[];
}

/** One line per named site: its adapter and the hosts its content script runs on (https). */
const SITES: Array<[FeedAdapter, string[]]> = [
  [xAdapter, ['x.com', 'twitter.com']],
  [redditAdapter, ['www.reddit.com', 'old.reddit.com']],
  [youtubeAdapter, ['www.youtube.com']],
  [instagramAdapter, ['www.instagram.com']],
  [facebookAdapter, ['www.facebook.com', 'web.facebook.com', 'm.facebook.com']],
  [linkedinAdapter, ['www.linkedin.com']],
  [blueskyAdapter, ['bsky.app']],
  [threadsAdapter, ['www.threads.net', 'www.threads.com', 'threads.net', 'threads.com']],
  [tumblrAdapter, ['www.tumblr.com']],
];

/**
 * Every adapter, in the order they are tried: host-matched sites first, then the demo, then
 * Mastodon (matched by DOM, so it must not shadow a known host), then generic (matches
 * anything; never picked by pickAdapter — only when the user enabled an unknown site or a site
 * adapter failed).
 */
export const SITE_ADAPTERS: FeedAdapter[] = [...SITES.map(([a]) => a), demoAdapter, mastodonAdapter, genericAdapter];

/** Sites shown in settings and granted at install. Keys equal the adapters' keys. */
export const SUPPORTED_SITES: SupportedSite[] = [
  ...SITES.map(([a, hosts]) => ({ key: a.key, name: a.name, hosts, matchPatterns: hosts.map((h) => `https://${h}/*`) })),
  // Any host: recognised by DOM once the user grants that host (optional_host_permissions).
  { key: mastodonAdapter.key, name: mastodonAdapter.name, hosts: [], matchPatterns: [] },
  // The bundled demo; a match pattern without a port matches every port.
  { key: demoAdapter.key, name: demoAdapter.name, hosts: ['127.0.0.1', 'localhost'], matchPatterns: ['http://127.0.0.1/*', 'http://localhost/*'] },
];

/** All match patterns of the supported sites: the content script's `matches`. */
export const CONTENT_MATCHES: string[] = SUPPORTED_SITES.flatMap((s) => s.matchPatterns);

/**
 * The adapter that owns this page: a known site by host, Mastodon by DOM, else null (the
 * caller decides whether the user enabled this site for the generic detector).
 */
export function pickAdapter(loc: Location, doc: Document): FeedAdapter | null {
  for (const a of SITE_ADAPTERS) {
    if (a === genericAdapter) continue;
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
  if (a === mastodonAdapter) return `mastodon:${host}`;
  return a.key;
}
