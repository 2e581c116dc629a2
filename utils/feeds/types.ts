/**
 * A FeedAdapter is the only place that knows one site's DOM. Everything else (watcher,
 * frame host, scheduler) works through this interface, so a site that changes its markup is
 * fixed in one file.
 */
export interface FeedAdapter {
  /** Stable key used in settings and logs: 'x', 'reddit', 'mastodon', 'demo', 'generic'. */
  key: string;
  /** Display name (a proper noun, not translated). */
  name: string;
  /** Does this adapter own this page? Usually by hostname; Mastodon by DOM. */
  matches(loc: Location, doc: Document): boolean;
  /** Is the current route a feed (home, subreddit, search…) rather than a single post or settings? */
  isFeedRoute(loc: Location, doc: Document): boolean;
  /** The element whose subtree holds the feed items, or null when not (yet) rendered. */
  findContainer(doc: Document): Element | null;
  /** CSS selector for one feed item, matched inside the container. */
  itemSelector: string;
  /**
   * Puts the frame host into the feed right after `item`. Default (when absent): `item.after(host)`.
   * Virtualised feeds (X) put it inside the item's cell so the virtualiser measures it.
   */
  insertFrame?(item: Element, host: HTMLElement): void;
  /**
   * For an adapter whose insertion must read layout to know where the frame goes (a grid row's
   * end): decides it now and returns the insertion, which must not read layout — it may run
   * later, in the turn where the page itself changes the feed, so that both are laid out in one
   * pass. `layout` true: the page's layout is fresh, reading it costs nothing. false: the page's
   * own mutation turn, where a layout read would force the page's layout early (computed style
   * is fine: the browser computes it for the page's change anyway) — decide without it or return
   * null. null: not decidable now (the row is still filling). Adapters without it must keep
   * insertFrame free of layout reads.
   */
  planFrame?(item: Element, layout: boolean): ((host: HTMLElement) => void) | null;
  /** Width the frame should take, if the column is not simply the item's width. */
  frameWidth?(item: Element): number | null;
  /**
   * A stable identity for the post an item shows (e.g. its permalink), for virtualised feeds
   * that destroy and rebuild items as you scroll: a rebuilt item is not a new post.
   */
  itemKey?(item: Element): string | null;
  /**
   * The feed's items stack one below another in feed order, in the page's normal flow: one column,
   * not a grid, not cells a virtualiser positions by itself. Then the n-th item after another is at
   * least n times the smallest item below it, and a place for a frame far below the fold can be
   * found by count, with no layout read (FeedWatcher.spotBeyond). Leave it out when unsure: the
   * frame then waits for an observer's word on its place, at some cost to the page.
   */
  stacked?: boolean;
  /** Elements that are items but should never count (ads, "who to follow" rows…). */
  isCountable?(item: Element): boolean;
}

/**
 * 'working': the site adapter counts the feed. 'widened': it counted only part of it (pages
 * nested deeper, items wrapped in new layers) and now also counts the same kind of item one list
 * deeper. 'fallback': the generic detector stands in for it. 'not-feed', 'waiting': as they say.
 */
export type AdapterStatus = 'working' | 'widened' | 'fallback' | 'not-feed' | 'waiting';

/**
 * Everything Stillframe knows about one site, in one place: the manifest's content-script
 * matches and host permissions, the settings row, the popup's URL → site lookup and the adapter
 * all derive from this (utils/feeds/registry.ts). Adding a site is adding one of these.
 */
export interface SiteDefinition {
  /** Settings and log key, equal to `adapter.key`. */
  key: string;
  /** Display name (a proper noun, not translated), equal to `adapter.name`. */
  name: string;
  /** Exact hostnames the content script runs on: the manifest's `matches` and host permissions. Empty: asked at run time. */
  hosts: readonly string[];
  /** Domains that name this site in any URL, subdomains included (the popup's lookup from a tab's URL). */
  domains: readonly string[];
  /** `http` only for the local demo feed. */
  scheme?: 'https' | 'http';
  /** Only in development and test builds (the demo feed on this computer); never in a store build. */
  devOnly?: boolean;
  /**
   * The selectors the adapter finds the feed by, besides its item selector (its container
   * hooks). A shape report ("Report a site problem") may show the page's values for exactly
   * these: they are this source's words, not the person's.
   */
  hooks?: readonly string[];
  adapter: FeedAdapter;
}

type AdapterSpec = Omit<FeedAdapter, 'key' | 'name' | 'matches'> & Partial<Pick<FeedAdapter, 'matches'>>;

/** Builds a site: the adapter takes the site's key and name and, unless it says otherwise, owns exactly the site's hosts. */
export function defineSite(def: Omit<SiteDefinition, 'adapter'> & { adapter: AdapterSpec }): SiteDefinition {
  const hosts = def.hosts.map((h) => h.toLowerCase());
  const matches = def.adapter.matches ?? ((loc: Location) => hosts.includes(loc.hostname.toLowerCase()));
  return { ...def, adapter: { ...def.adapter, key: def.key, name: def.name, matches } };
}
