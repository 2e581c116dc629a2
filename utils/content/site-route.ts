import type { AdapterStatus, FeedAdapter } from '@/utils/feeds/types';
import { pickAdapter, siteKeyFor } from '@/utils/feeds/registry';
import type { AdapterHealth, CoverageHealth } from '@/utils/feeds/health';
import { siteAdaptersOff } from './test-switch';
import type { AdapterKit } from './adapter-kit';

/** Which site and route this is: read from the URL and the DOM without writing anything to it. */
export interface RouteId {
  /** The named site's adapter (by host, or Mastodon by DOM); null on a custom site. */
  siteAdapter: FeedAdapter | null;
  siteKey: string;
  feedRoute: boolean;
}

/** What the page is, as far as Stillframe is concerned, after one look. */
export interface RouteLook {
  /** The named site's adapter (by host, or Mastodon by DOM); null on a custom site. */
  siteAdapter: FeedAdapter | null;
  /** The adapter to count with: the site's, the generic fallback standing in for it, or generic on a custom site — widened when it saw only part of the feed. */
  adapter: FeedAdapter | null;
  siteKey: string;
  feedRoute: boolean;
  /** No site adapter: a site the user switched on themselves. */
  custom: boolean;
  /** The generic detector is standing in for a site adapter that stopped finding the feed. */
  fallback: boolean;
  /** The adapter counted only part of the feed and now also counts the same kind of item nested deeper. */
  widened: boolean;
}

export type StatusReport = (siteKey: string, status: AdapterStatus, adapter: string) => void;

/**
 * The adapter kit (adapter-kit.ts: the generic detector, the coverage verdicts, the widening):
 * `get` it if it is loaded; `need` it (the owner loads it and looks again once it is here).
 */
export interface KitAccess {
  get(): AdapterKit | null;
  need(): void;
}

/** What the coverage probe counted (utils/content/coverage-probe.ts). */
export interface CoverageCounts {
  lookalikes: number;
  strays: number;
}

/**
 * Route, adapter and health, for one tab: which adapter owns the page, whether this route is a
 * feed, when the site adapter has gone blind (the site changed its markup) so the generic
 * detector takes over, and when it sees only a fraction of the feed (nested pages, new wrapper
 * layers) so it is widened — or, for posts of a kind it does not know, replaced. Status changes
 * are reported once each, not per mutation.
 */
export class SiteRoute {
  /**
   * Made from the adapter kit at the first look that finds nothing: on a site that works the
   * verdict is never needed, so it stays out of the script that runs on every feed page.
   */
  private health: AdapterHealth | null = null;
  /** The page grew while the kit was on its way: the verdict's next look counts it. */
  private grewMeanwhile = false;
  /** Made from the adapter kit at the first coverage check. */
  private coverage: CoverageHealth | null = null;
  /** The generic detector standing in for a site adapter that stopped finding items. */
  private fallbackAdapter: FeedAdapter | null = null;
  /** The lookalike selector the adapter was widened with on this route, and the widened adapter (by the adapter it widens). */
  private widenWith: string | null = null;
  private widened: { base: FeedAdapter; lookalike: string; adapter: FeedAdapter } | null = null;
  private lastStatus = '';
  private current: AdapterStatus | null = null;

  constructor(
    private report: StatusReport,
    private kit: KitAccess,
  ) {}

  /** The status last reported (for "Report a site problem"). */
  get status(): AdapterStatus | null {
    return this.current;
  }

  /**
   * Which site and route this is, for the hello: nothing is detected or written to the page
   * yet. Until the background says this site is on, the page's DOM stays exactly as it was (the
   * generic detector tags the feed it finds, so it runs only in look()). A new URL forgets the
   * previous route's health, fallback and widening.
   */
  identify(loc: Location, doc: Document, urlChanged: boolean): RouteId {
    if (urlChanged) {
      this.health?.reset();
      this.grewMeanwhile = false;
      this.coverage?.reset();
      this.fallbackAdapter = null;
      this.widenWith = null;
      this.widened = null;
    }
    const siteAdapter = pickAdapter(loc, doc);
    // No site adapter: the generic detector will be needed as soon as the site is known to be
    // on, so its kit is asked for now, alongside the hello (it writes nothing to the page).
    if (!siteAdapter && !this.kit.get()) this.kit.need();
    // The generic detector (custom sites, fallback) treats every route as a feed; a site
    // adapter standing behind a fallback still knows its routes.
    return { siteAdapter, siteKey: siteKeyFor(loc, doc), feedRoute: siteAdapter ? siteAdapter.isFeedRoute(loc, doc) : true };
  }

  /**
   * The adapter to count with, on a site that is on: may run the generic detector (null while
   * its kit is still on its way: the kit is asked for, and the owner looks again when it comes).
   */
  look(doc: Document, id: RouteId): RouteLook {
    const siteAdapter = id.siteAdapter;
    let base: FeedAdapter | null;
    if (this.fallbackAdapter) base = this.fallbackAdapter;
    // Test builds only: every site as if its adapter had gone blind (test-switch.ts) — the generic
    // detector or nothing, never the site adapter.
    else if (siteAdapter && siteAdaptersOff(doc)) base = this.fallbackAdapter = this.generic(doc, siteAdapter, false);
    else base = siteAdapter ?? this.generic(doc, undefined, false);
    const adapter = base && this.widenWith ? this.widen(base, this.widenWith) : base;
    return {
      ...id,
      adapter,
      custom: !siteAdapter,
      fallback: this.fallbackAdapter !== null,
      widened: adapter !== base,
    };
  }

  /** The status a look reports once its watcher found the feed. */
  statusOf(look: RouteLook): AdapterStatus {
    return look.fallback ? 'fallback' : look.widened ? 'widened' : 'working';
  }

  /**
   * The site adapter finds no items while the page keeps growing: the site changed its DOM.
   * After a grace period the generic detector takes over (returns true: look again) and the
   * options page says so.
   */
  checkHealth(siteKey: string, container: Element | null, doc: Document, siteAdapter: FeedAdapter, pageGrew: boolean): boolean {
    const kit = this.kit.get();
    if (!kit) {
      // The verdict comes with the kit: 'waiting' until it is here (the owner looks again then).
      this.grewMeanwhile ||= pageGrew;
      this.kit.need();
      this.reportStatus(siteKey, 'waiting', siteAdapter);
      return false;
    }
    this.health ??= kit.adapterHealth();
    const status = this.health.observe({
      at: Date.now(),
      adapterItems: container ? container.querySelectorAll(siteAdapter.itemSelector).length : 0,
      pageGrew: pageGrew || this.grewMeanwhile,
      containerFound: container !== null,
      feedRoute: true,
    });
    this.grewMeanwhile = false;
    if (status === 'fallback') {
      // Without the kit yet: 'waiting' until it is here (the verdict stays while items are missing).
      const generic = this.generic(doc, siteAdapter, true);
      if (generic) {
        this.fallbackAdapter = generic;
        this.reportStatus(siteKey, 'fallback', siteAdapter);
        return true;
      }
    }
    this.reportStatus(siteKey, status === 'working' ? 'working' : 'waiting', siteAdapter);
    return false;
  }

  /**
   * The feed is watched, and the coverage probe saw something the adapter misses. Lookalikes
   * (its own kind of item, a list deeper): widen the adapter to count them. Strays (new slots
   * holding posts it cannot see, while it counts nothing new): the generic detector takes over.
   * Returns true when the adapter changed (look again).
   */
  checkCoverage(siteKey: string, look: RouteLook, counted: number, counts: CoverageCounts, doc: Document): boolean {
    const kit = this.kit.get();
    if (!look.adapter || !kit) return false;
    this.coverage ??= kit.health();
    const verdict = this.coverage.observe({ at: Date.now(), counted, lookalikes: counts.lookalikes, strays: counts.strays });
    if (verdict === 'widen') {
      const lookalike = kit.lookalikeSelector(look.adapter.itemSelector);
      if (!lookalike || this.widenWith?.includes(lookalike)) return false;
      this.widenWith = this.widenWith ? `${this.widenWith}, ${lookalike}` : lookalike;
      this.coverage.reset();
      this.reportStatus(siteKey, look.fallback ? 'fallback' : 'widened', look.siteAdapter ?? look.adapter);
      return true;
    }
    if (verdict === 'fallback' && look.siteAdapter && !look.fallback) {
      const generic = kit.detectGeneric(doc, look.siteAdapter);
      if (!generic) return false;
      this.fallbackAdapter = generic;
      this.widenWith = null;
      this.coverage.reset();
      this.reportStatus(siteKey, 'fallback', look.siteAdapter);
      return true;
    }
    return false;
  }

  /** Strays mean "fall back"; only a site adapter that is still itself has something to fall back from. */
  watchesStrays(look: RouteLook): boolean {
    return look.siteAdapter !== null && !look.fallback;
  }

  reportStatus(siteKey: string | null, status: AdapterStatus, adapter: FeedAdapter): void {
    const key = `${siteKey}|${status}|${adapter.key}`;
    if (key === this.lastStatus || !siteKey) return;
    this.lastStatus = key;
    this.current = status;
    this.report(siteKey, status, adapter.key);
  }

  /** Only once checkCoverage chose a lookalike, so the kit is here; without it, the adapter as it is. */
  private widen(base: FeedAdapter, lookalike: string): FeedAdapter {
    const kit = this.kit.get();
    if (!kit) return base;
    if (this.widened?.base !== base || this.widened.lookalike !== lookalike) this.widened = { base, lookalike, adapter: kit.widenAdapter(base, lookalike) };
    return this.widened.adapter;
  }

  /** The generic detector from the kit; without the kit, null — and it is asked for. */
  private generic(doc: Document, routeFrom: FeedAdapter | undefined, fresh: boolean): FeedAdapter | null {
    const kit = this.kit.get();
    if (kit) return kit.detectGeneric(doc, routeFrom, { fresh });
    this.kit.need();
    return null;
  }
}
