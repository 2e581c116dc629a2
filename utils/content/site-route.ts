import type { AdapterStatus, FeedAdapter } from '@/utils/feeds/types';
import { pickAdapter, siteKeyFor } from '@/utils/feeds/registry';
import { detectGenericAdapter } from '@/utils/feeds/generic';
import { AdapterHealth } from '@/utils/feeds/health';

/** What the page is, as far as Stillframe is concerned, after one look. */
export interface RouteLook {
  /** The named site's adapter (by host, or Mastodon by DOM); null on a custom site. */
  siteAdapter: FeedAdapter | null;
  /** The adapter to count with: the site's, the generic fallback standing in for it, or generic on a custom site. */
  adapter: FeedAdapter | null;
  siteKey: string;
  feedRoute: boolean;
  /** No site adapter: a site the user switched on themselves. */
  custom: boolean;
  /** The generic detector is standing in for a site adapter that stopped finding the feed. */
  fallback: boolean;
}

export type StatusReport = (siteKey: string, status: AdapterStatus, adapter: string) => void;

/**
 * Route, adapter and health, for one tab: which adapter owns the page, whether this route is a
 * feed, and when the site adapter has gone blind (the site changed its markup) so the generic
 * detector takes over. Status changes are reported once each, not per mutation.
 */
export class SiteRoute {
  private health = new AdapterHealth();
  /** The generic detector standing in for a site adapter that stopped finding items. */
  private fallbackAdapter: FeedAdapter | null = null;
  private lastStatus = '';

  constructor(private report: StatusReport) {}

  /** Looks at the page; a new URL forgets the previous route's health and fallback. */
  look(loc: Location, doc: Document, urlChanged: boolean): RouteLook {
    if (urlChanged) {
      this.health.reset();
      this.fallbackAdapter = null;
    }
    const siteAdapter = pickAdapter(loc, doc);
    const adapter = this.fallbackAdapter ?? siteAdapter ?? detectGenericAdapter(doc);
    const routeAdapter = siteAdapter ?? adapter;
    return {
      siteAdapter,
      adapter,
      siteKey: siteKeyFor(loc, doc),
      feedRoute: routeAdapter ? routeAdapter.isFeedRoute(loc, doc) : true,
      custom: !siteAdapter,
      fallback: this.fallbackAdapter !== null,
    };
  }

  /**
   * The site adapter finds no items while the page keeps growing: the site changed its DOM.
   * After a grace period the generic detector takes over (returns true: look again) and the
   * options page says so.
   */
  checkHealth(siteKey: string, container: Element | null, doc: Document, siteAdapter: FeedAdapter, pageGrew: boolean): boolean {
    const status = this.health.observe({
      at: Date.now(),
      adapterItems: container ? container.querySelectorAll(siteAdapter.itemSelector).length : 0,
      pageGrew,
      containerFound: container !== null,
      feedRoute: true,
    });
    if (status === 'fallback') {
      const generic = detectGenericAdapter(doc, siteAdapter);
      if (generic) {
        this.fallbackAdapter = generic;
        this.reportStatus(siteKey, 'fallback', siteAdapter);
        return true;
      }
    }
    this.reportStatus(siteKey, status === 'working' ? 'working' : 'waiting', siteAdapter);
    return false;
  }

  reportStatus(siteKey: string | null, status: AdapterStatus, adapter: FeedAdapter): void {
    const key = `${siteKey}|${status}|${adapter.key}`;
    if (key === this.lastStatus || !siteKey) return;
    this.lastStatus = key;
    this.report(siteKey, status, adapter.key);
  }
}
