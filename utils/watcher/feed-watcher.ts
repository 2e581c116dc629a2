import type { FeedAdapter } from '../feeds/types';

export const FRAME_HOST_TAG = 'stillframe-pause';

export interface WatcherCallbacks {
  /** A post came into view for the first time (posts that were skipped over count too). */
  onPassed(newlyPassed: number, totalPassed: number): void;
  /** A post is about to come into view (within ~1.5 screens below it): a place for a frame. */
  onApproach(item: Element, seq: number): void;
  /** A frame's neighbour was removed by the site: the frame goes too. */
  onFrameOrphaned?(host: Element): void;
}

/**
 * Counts feed items as they pass through the viewport and reports places below the fold
 * where a frame may go. Driven only by observers: nothing runs on scroll events or timers,
 * and the work per new post is constant (two observe calls and a WeakMap entry).
 */
export class FeedWatcher {
  private seqOf = new WeakMap<Element, number>();
  private nextSeq = 0;
  private maxSeen = -1;
  private container: Element | null = null;
  private mo: MutationObserver | null = null;
  private viewIO: IntersectionObserver | null = null;
  private aheadIO: IntersectionObserver | null = null;
  private frames = new Map<Element, Element>(); // anchor item -> frame host

  constructor(
    private adapter: FeedAdapter,
    private doc: Document,
    private cb: WatcherCallbacks,
  ) {}

  get passed(): number {
    return this.maxSeen + 1;
  }

  get itemsKnown(): number {
    return this.nextSeq;
  }

  /** Attaches to the container; returns false if the adapter cannot find it (yet). */
  attach(): boolean {
    const container = this.adapter.findContainer(this.doc);
    if (!container) return false;
    this.container = container;
    this.viewIO = new IntersectionObserver((entries) => this.onView(entries), { threshold: 0 });
    this.aheadIO = new IntersectionObserver((entries) => this.onAhead(entries), {
      rootMargin: '0px 0px 150% 0px',
      threshold: 0,
    });
    this.mo = new MutationObserver((records) => this.onMutations(records));
    this.mo.observe(container, { childList: true, subtree: true });
    for (const el of Array.from(container.querySelectorAll(this.adapter.itemSelector))) this.register(el);
    return true;
  }

  detach(): void {
    this.mo?.disconnect();
    this.viewIO?.disconnect();
    this.aheadIO?.disconnect();
    this.mo = this.viewIO = this.aheadIO = null;
    this.container = null;
  }

  isAttachedTo(container: Element | null): boolean {
    return this.container !== null && this.container === container && container.isConnected;
  }

  /** Remembers where a frame went so it can be cleaned up with its neighbour. */
  trackFrame(anchor: Element, host: Element): void {
    this.frames.set(anchor, host);
  }

  seq(el: Element): number | undefined {
    return this.seqOf.get(el);
  }

  private register(el: Element): void {
    if (this.seqOf.has(el)) return;
    if (this.adapter.isCountable && !this.adapter.isCountable(el)) return;
    this.seqOf.set(el, this.nextSeq++);
    this.viewIO!.observe(el);
    this.aheadIO!.observe(el);
  }

  private onMutations(records: MutationRecord[]): void {
    const sel = this.adapter.itemSelector;
    for (const r of records) {
      for (const n of Array.from(r.addedNodes)) {
        if (n.nodeType !== 1) continue;
        const el = n as Element;
        if (el.localName === FRAME_HOST_TAG) continue;
        if (el.matches(sel)) this.register(el);
        else if (el.firstElementChild) for (const c of Array.from(el.querySelectorAll(sel))) this.register(c);
        else {
          const item = el.closest(sel);
          if (item && this.container?.contains(item)) this.register(item);
        }
      }
      if (r.removedNodes.length && this.frames.size) this.sweepFrames();
    }
  }

  private sweepFrames(): void {
    for (const [anchor, host] of this.frames) {
      if (!anchor.isConnected || !host.isConnected) {
        this.frames.delete(anchor);
        if (host.isConnected) host.remove();
        this.cb.onFrameOrphaned?.(host);
      }
    }
  }

  private onView(entries: IntersectionObserverEntry[]): void {
    let max = this.maxSeen;
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      const s = this.seqOf.get(e.target);
      this.viewIO?.unobserve(e.target);
      if (s !== undefined && s > max) max = s;
    }
    if (max > this.maxSeen) {
      const newly = max - this.maxSeen;
      this.maxSeen = max;
      this.cb.onPassed(newly, this.passed);
    }
  }

  private onAhead(entries: IntersectionObserverEntry[]): void {
    const vh = this.doc.defaultView?.innerHeight ?? 0;
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      this.aheadIO?.unobserve(e.target);
      // Only places still below the fold: inserting there never moves what the reader sees.
      if (e.boundingClientRect.bottom <= vh) continue;
      const s = this.seqOf.get(e.target);
      if (s !== undefined) this.cb.onApproach(e.target, s);
    }
  }
}
