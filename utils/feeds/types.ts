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
  /** Width the frame should take, if the column is not simply the item's width. */
  frameWidth?(item: Element): number | null;
  /**
   * A stable identity for the post an item shows (e.g. its permalink), for virtualised feeds
   * that destroy and rebuild items as you scroll: a rebuilt item is not a new post.
   */
  itemKey?(item: Element): string | null;
  /** Elements that are items but should never count (ads, "who to follow" rows…). */
  isCountable?(item: Element): boolean;
}

export type AdapterStatus = 'working' | 'fallback' | 'not-feed' | 'waiting';
