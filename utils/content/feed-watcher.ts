import type { FeedAdapter } from '@/utils/feeds/types';

import { FRAME_HOST_TAG, SURVEY_HOST_TAG } from './frame-ui-contract';

export { FRAME_HOST_TAG, SURVEY_HOST_TAG };

/**
 * Items kept ahead of the reader: at least this many, at most WINDOW_MAX (see FeedWatcher), of
 * which the view observer watches one in STRIDE. Each watched item is recomputed on every
 * scrolled frame (npm run bench: the view observer was most of our observers' ~25 ms in a
 * six-second scroll when it watched 24); eight watched posts of twenty-four are several screens,
 * and a window whose last watched item comes into view doubles. The window is refilled when half
 * of it is left, and each refill is one more call (the new targets' first reports): twelve posts
 * a refill.
 */
const WINDOW_MIN = 24;
const WINDOW_MAX = 384;
/**
 * Of the posts ahead of the reader, the view observer watches every STRIDE-th (by sequence
 * number): a post coming into view counts the posts before it too, so the count is exact
 * whenever a watched post comes into view and at most STRIDE - 1 behind in between (and where a
 * feed really ends, its last STRIDE - 1 posts may go uncounted). Watching the feed's newest post
 * as well would cost a call at every append of a virtualised timeline, where the reader is
 * always near the end of what is rendered. Every call into our code costs the page ~0.1 ms whatever it does (npm run bench: the
 * view observer's calls were our largest item on every feed, about two a post); a third of the
 * targets is a third of the calls. The same for a frame's post and a withheld one, so a study's
 * windows are not biased by it, only counted in steps of up to STRIDE posts between samples.
 */
export const STRIDE = 3;
/**
 * How far below the fold a frame goes, in viewport heights. Inserting a frame moves everything
 * after it; a fast wheel step (a browser scrolls at most about one viewport per step) must not
 * bring that moment into view, so no frame is placed within one viewport of the fold
 * (tests/e2e/placement.spec.ts flings the feed and measures the shifts).
 */
export const FOLD_MARGIN_VIEWPORTS = 1;
/** The "past" observer's root reaches this far above the viewport: beyond any page's scroll range (Chromium caps at ~33.5 M px). */
const PAST_MARGIN = '100000000px 0px 0px 0px';
/** The jump detector's item trails the window's end by at most this many items (see fill). */
const PAST_RETARGET = 8;

export interface WatcherCallbacks {
  /** A post came into view for the first time (posts that were skipped over count too). */
  onPassed(newlyPassed: number, totalPassed: number): void;
  /**
   * The page changed the feed's DOM (not us): its layout is invalid until the browser's next
   * rendering update, so a frame inserted now shares that layout pass instead of causing one.
   * Called at the end of the watcher's mutation callback, before the next layout; nothing here
   * may read layout (it would force the pass early and ours would cause a second one).
   */
  onFeedMutated?(): void;
  /** A frame's neighbour was removed by the site: the frame goes too. */
  onFrameOrphaned?(host: Element): void;
  /** Every batch of the feed's mutations, for whoever else needs them (the coverage probe): one observer, one call. */
  onRecords?(records: MutationRecord[]): void;
}

/**
 * Counts feed items as they pass through the viewport. Driven only by observers: nothing runs
 * on scroll events or timers, and the work per new post is constant (a WeakMap entry, one
 * observe and one unobserve once the reader comes near it).
 *
 * Only a window of items just ahead of the reader is observed, not the whole feed: Chromium
 * recomputes every observed target on every scrolled frame, so observing all N posts of a
 * long feed costs O(N) per frame (npm run bench measured ~1.4 ms per frame at 1,000 posts).
 * Items wait in `pending` (feed order) until the window reaches them; items the reader has
 * passed, or that are already above the viewport, leave it. A jump past the whole window
 * (End key, a restored scroll position) produces no entry for the window's items, so a second
 * observer watches the window's last item with a root reaching far above the viewport: when
 * it fires, the watcher catches up with a binary search over the pending items.
 *
 * Places for a frame are found without reading layout (`firstFrom`): an item the view observer
 * has not reported yet is below the fold.
 */
export class FeedWatcher {
  private seqOf = new WeakMap<Element, number>();
  private newestEl: Element | null = null;
  private nextSeq = 0;
  private maxSeen = -1;
  private container: Element | null = null;
  private mo: MutationObserver | null = null;
  private viewIO: IntersectionObserver | null = null;
  private pastIO: IntersectionObserver | null = null;
  private pastTarget: Element | null = null;
  private sinceRetarget = 0;
  private frames = new Map<Element, Element>(); // anchor item -> frame host
  /** Registered items not observed yet, in feed order (consumed from `pendingHead`). */
  private pending: Element[] = [];
  private pendingHead = 0;
  /** Items ahead of the reader (the window; the view observer watches one in STRIDE of them), and the furthest one of them. */
  private window = new Set<Element>();
  private tail: Element | null = null;
  /** How many items ahead of the reader are observed; doubles when the window's last item is already in view (tiny items). */
  private windowSize = WINDOW_MIN;
  /** The smallest height of any post the view observer has reported (0: none yet), and the viewport's height: both from its entries, no layout read. */
  private minH = 0;
  private viewH = 0;
  /** The page added posts after the reader had seen one (not its first render): it appends as the reader goes. */
  private appended = false;

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

  /** The newest post registered (the feed's end, on a feed that appends), or null. */
  get newest(): { el: Element; seq: number } | null {
    const el = this.newestEl;
    const seq = el ? this.seqOf.get(el) : undefined;
    return el && seq !== undefined && el.isConnected ? { el, seq } : null;
  }

  /** Attaches to the container; returns false if the adapter cannot find it (yet). */
  attach(opts: { resume?: boolean } = {}): boolean {
    const container = this.adapter.findContainer(this.doc);
    if (!container) return false;
    this.container = container;
    this.viewIO = new IntersectionObserver((entries) => this.onView(entries), { threshold: 0 });
    this.pastIO = new IntersectionObserver((entries) => this.onPast(entries), { rootMargin: PAST_MARGIN, threshold: 0 });
    this.mo = new MutationObserver((records) => this.onMutations(records));
    this.mo.observe(container, { childList: true, subtree: true });
    const initial = Array.from(container.querySelectorAll(this.adapter.itemSelector));
    for (const el of initial) this.register(el);
    this.fill();
    if (opts.resume) {
      // One pass at attach time only: posts above the bottom of the viewport were seen already.
      const vh = this.doc.defaultView?.innerHeight ?? 0;
      for (const el of initial) {
        const s = this.seqOf.get(el);
        if (s !== undefined && el.getBoundingClientRect().top < vh) this.maxSeen = Math.max(this.maxSeen, s);
      }
    }
    return true;
  }

  /**
   * Takes charge of frames we left in this container earlier (the site kept its DOM while the
   * reader was elsewhere). Returns the sequence number of the post the last one follows, or -1.
   */
  adoptFrames(): number {
    if (!this.container) return -1;
    let last = -1;
    for (const host of Array.from(this.container.querySelectorAll(FRAME_HOST_TAG))) {
      const anchor = this.anchorOf(host);
      if (anchor) {
        this.trackFrame(anchor.el, host);
        last = Math.max(last, anchor.seq);
      }
    }
    return last;
  }

  /**
   * The post a frame really follows, wherever the adapter put it (after a grid row's last
   * video, after the article that holds the item, inside a virtual cell).
   */
  anchorOf(host: Element): { el: Element; seq: number } | null {
    let el: Element | null = host.previousElementSibling;
    while (el && !this.seqOf.has(el)) el = el.previousElementSibling;
    el ??= host.parentElement?.closest(this.adapter.itemSelector) ?? null;
    if (!el) {
      // e.g. Mastodon: the frame sits after the <article> that wraps the counted element.
      const prev = host.previousElementSibling;
      const inner = prev ? (Array.from(prev.querySelectorAll(this.adapter.itemSelector)).pop() ?? null) : null;
      el = inner && this.seqOf.has(inner) ? inner : null;
    }
    const seq = el ? this.seqOf.get(el) : undefined;
    return el && seq !== undefined ? { el, seq } : null;
  }

  detach(): void {
    this.mo?.disconnect();
    this.viewIO?.disconnect();
    this.pastIO?.disconnect();
    this.mo = this.viewIO = this.pastIO = null;
    this.pastTarget = null;
    this.newestEl = null;
    this.container = null;
    this.pending = [];
    this.pendingHead = 0;
    this.window.clear();
    this.tail = null;
  }

  /** The feed's container while attached. */
  get root(): Element | null {
    return this.container;
  }

  get containerConnected(): boolean {
    return this.container !== null && this.container.isConnected;
  }

  isAttachedTo(container: Element | null): boolean {
    return this.container !== null && this.container === container && container.isConnected;
  }

  /** Remembers where a frame went so it can be cleaned up with its neighbour. */
  trackFrame(anchor: Element, host: Element): void {
    this.frames.set(anchor, host);
  }

  /**
   * The first item in the page, in feed order, whose sequence number is at least `minSeq`: a
   * place for a frame. Reads no layout (it is called in the page's own mutation turn). Items ahead
   * of the reader are in the observed window or waiting for it, so this scans at most the window
   * and the items up to the place: O(window + distance ahead), never the feed.
   */
  firstFrom(minSeq: number): { el: Element; seq: number } | null {
    let best: { el: Element; seq: number } | null = null;
    for (const el of this.window) {
      const s = this.seqOf.get(el);
      if (s !== undefined && s >= minSeq && (!best || s < best.seq) && el.isConnected) best = { el, seq: s };
    }
    if (best) return best;
    for (let i = this.pendingHead; i < this.pending.length; i++) {
      const el = this.pending[i];
      const s = this.seqOf.get(el);
      if (s !== undefined && s >= minSeq && el.isConnected) return { el, seq: s };
    }
    return null;
  }

  /**
   * A place for a frame found by count alone, in the page's mutation turn where nothing may read
   * layout: the sequence number of the first item at or after `minSeq` that is at least two
   * viewports below the first post not yet in view — on a feed whose items stack
   * one below another in feed order (the adapter says so: `stacked`), the posts between are at least
   * that many times the smallest post seen so far. The page may not have that post yet (it may
   * append it). null when it is past `maxSeq` (too far from where the frame was due), or cannot be known: not a stacked feed, a page that has not appended
   * posts since the reader began (a place by count is for pages that append as the reader goes:
   * the Reddit-like bench feed appends when its end is within a screen of the fold, so no post an
   * append brings was ever seen far by an observer), nothing measured yet, or the first post not
   * yet in view not under the view observer's watch (a jump it has not caught up with).
   */
  seqBeyond(minSeq: number, maxSeq: number): number | null {
    // The first post not counted yet is below the fold, or up to STRIDE - 1 posts into the view
    // (the count is exact at watched posts only). Two viewports past it by count: the fold's
    // margin (FOLD_MARGIN_VIEWPORTS), and one more for an observer report a frame late during a
    // fling (a browser scrolls at most about one viewport a step) — which a count STRIDE - 1 posts
    // behind is too. Never less than the fold's margin past the worst case of that lag: with posts
    // taller than half a screen, two of them would eat more than the second viewport.
    // (Adding the lag to the two viewports as well made the place miss the append that brings it:
    // performance.spec, Reddit, 0 of 4 frames with the append in 3 runs of 8.)
    const first = this.adapter.stacked && this.appended && this.minH && this.viewH && this.firstFrom(this.maxSeen + 1);
    const ahead = Math.max(Math.ceil((2 * this.viewH) / this.minH), STRIDE - 1 + Math.ceil((FOLD_MARGIN_VIEWPORTS * this.viewH) / this.minH));
    const seq = first && this.window.has(first.el) ? Math.max(minSeq, first.seq + ahead) : maxSeq + 1;
    return seq > maxSeq ? null : seq;
  }

  private register(el: Element): void {
    if (this.seqOf.has(el)) return;
    if (this.adapter.isCountable && !this.adapter.isCountable(el)) return;
    const key = this.adapter.itemKey?.(el) ?? null;
    const known = key !== null ? this.recentKeys.get(key) : undefined;
    if (known !== undefined)
      this.seqOf.set(el, known); // a rebuilt item, not a new post
    else {
      if (this.maxSeen >= 0) this.appended = true;
      const seq = this.nextSeq++;
      this.seqOf.set(el, seq);
      this.newestEl = el;
      if (key !== null) this.remember(key, seq);
    }
    this.pending.push(el);
  }

  /**
   * Observes pending items until the window ahead of the reader is full — once it is down to half
   * full. An observer reports every newly observed target once (not in view yet, below), a call
   * into our code of its own: refilled one post at a time, that is a second call for every post
   * that comes into view; refilled by half a window, one for every few posts (npm run bench).
   */
  private fill(): void {
    if (!this.viewIO) return;
    if (this.window.size > this.windowSize >> 1 && this.tail?.isConnected) return;
    let added = 0;
    while (this.window.size < this.windowSize && this.pendingHead < this.pending.length) {
      const el = this.pending[this.pendingHead++];
      if (!el.isConnected) continue;
      if (this.seqOf.get(el)! % STRIDE === 0) this.viewIO.observe(el);
      this.window.add(el);
      this.tail = el;
      added++;
    }
    // The jump detector follows the window's end, but not on every post (two more observer calls
    // each time): any item near the end will do, so it moves when its item has left the window
    // or is PAST_RETARGET items behind the end.
    this.sinceRetarget += added;
    if (this.tail !== this.pastTarget && this.pastIO && (this.sinceRetarget >= PAST_RETARGET || !this.pastTarget || !this.window.has(this.pastTarget))) {
      this.sinceRetarget = 0;
      if (this.pastTarget) this.pastIO.unobserve(this.pastTarget);
      this.pastTarget = this.tail;
      if (this.tail) this.pastIO.observe(this.tail);
    }
    if (this.pendingHead > 512 && this.pendingHead * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
  }

  private leaveWindow(el: Element): void {
    // (Not watched: a no-op for the observer, and cheaper than keeping a set of those that are.)
    this.viewIO?.unobserve(el);
    this.window.delete(el);
    if (el === this.tail) this.tail = null;
  }

  /** The window's last item is in view or above it: the reader has reached the end of the window. */
  private onPast(entries: IntersectionObserverEntry[]): void {
    for (const e of entries) if (e.isIntersecting && e.target === this.pastTarget) return this.catchUp();
  }

  /** The reader is at or past the window's end: drop what is above, skip ahead, refill. */
  private catchUp(): void {
    for (const el of Array.from(this.window)) if (!el.isConnected || el.getBoundingClientRect().bottom <= 0) this.leaveWindow(el);
    this.skipPassed();
    this.fill();
  }

  /**
   * Skips the pending items the reader is already past (a jump: End key, a restored scroll
   * position) with a binary search over their positions, O(log N), rather than walking the
   * window down the feed a frame at a time. Assumes pending items are in feed order.
   */
  private skipPassed(): void {
    let lo = this.pendingHead;
    let hi = this.pending.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const el = this.pending[mid];
      if (el.isConnected && el.getBoundingClientRect().bottom > 0) hi = mid;
      else lo = mid + 1;
    }
    this.pendingHead = lo;
  }

  /** Bounded memory of item keys (insertion-ordered Map as a small LRU): O(1) per post, flat heap. */
  private recentKeys = new Map<string, number>();
  private remember(key: string, seq: number): void {
    this.recentKeys.set(key, seq);
    if (this.recentKeys.size > 600) this.recentKeys.delete(this.recentKeys.keys().next().value!);
  }

  private onMutations(records: MutationRecord[]): void {
    const sel = this.adapter.itemSelector;
    let byPage = false;
    for (const r of records) {
      if (!byPage) byPage = pageMade(r);
      const added = r.addedNodes;
      for (let i = 0; i < added.length; i++) {
        const n = added[i];
        if (n.nodeType !== 1) continue;
        const el = n as Element;
        if (el.localName === FRAME_HOST_TAG || el.localName === SURVEY_HOST_TAG) continue;
        if (el.matches(sel)) this.register(el);
        else if (el.firstElementChild) for (const c of Array.from(el.querySelectorAll(sel))) this.register(c);
        else {
          const item = el.closest(sel);
          if (item && this.container?.contains(item)) this.register(item);
        }
      }
      if (r.removedNodes.length && this.frames.size) this.sweepFrames();
    }
    this.fill();
    if (byPage) this.cb.onFeedMutated?.();
    this.cb.onRecords?.(records);
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
    let jumped = false;
    // Each read of an entry's rectangles makes a new DOMRect (npm run bench: a few µs a read, on
    // every post): the viewport once a call — one root, one rendering update — and each post's
    // rectangle once.
    const root = entries[0]?.rootBounds;
    const rootTop = root?.top ?? 0;
    this.viewH = root?.height || this.viewH;
    /** The furthest watched post reported above the viewport: the posts before it are above too. */
    let above = -1;
    const tailSeq = this.tail ? (this.seqOf.get(this.tail) ?? -1) : -1;
    for (const e of entries) {
      const rect = e.boundingClientRect;
      const h = rect.height;
      if (h > 0 && (!this.minH || h < this.minH)) this.minH = h;
      if (!e.isIntersecting) {
        // Above the viewport (or gone): the reader is past it without seeing it; it leaves the
        // window uncounted (a later item in view counts the ones skipped over).
        if (rect.bottom <= rootTop) {
          const s = this.seqOf.get(e.target) ?? -1;
          // The window's last watched post: the reader is past the whole window.
          if (s > tailSeq - STRIDE) jumped = true;
          above = Math.max(above, s);
          this.leaveWindow(e.target);
        }
        continue;
      }
      const s = this.seqOf.get(e.target);
      // The window's last watched item is already in view: the window is too short for this
      // feed's item height (tiny items), so observe further ahead.
      if (s !== undefined && s > tailSeq - STRIDE && this.windowSize < WINDOW_MAX) this.windowSize *= 2;
      this.leaveWindow(e.target);
      if (s !== undefined && s > max) max = s;
    }
    // Posts before the furthest one in view or above it were passed: the ones between the watched
    // posts, or ones the reader skipped. Those still in the window would never report again (below
    // → above is no change for an observer), so they leave it. (With one post in three watched,
    // that is nearly every call: no test first.)
    const cut = Math.max(max, above + 1);
    for (const el of this.window) if ((this.seqOf.get(el) ?? cut) < cut) this.leaveWindow(el);
    if (jumped) this.catchUp();
    else this.fill();
    if (max > this.maxSeen) {
      const newly = max - this.maxSeen;
      this.maxSeen = max;
      this.cb.onPassed(newly, this.passed);
    }
  }
}

/** A mutation the page made, not one of ours (adding or removing a frame host or survey card). */
function pageMade(r: MutationRecord): boolean {
  if (r.type !== 'childList') return false;
  for (const list of [r.addedNodes, r.removedNodes]) {
    for (let i = 0; i < list.length; i++) {
      const name = (list[i] as Element).localName;
      if (name !== FRAME_HOST_TAG && name !== SURVEY_HOST_TAG) return true;
    }
  }
  return false;
}
