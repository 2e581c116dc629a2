import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FeedWatcher, STRIDE } from '@/utils/content/feed-watcher';
import type { FeedAdapter } from '@/utils/feeds/types';

/**
 * The feed watcher's view observer, against an IntersectionObserver that reports as a browser
 * does: once per rendering update, with one entry for every target observed since the last
 * update (its first report) and one for every target whose intersection changed.
 */
class BrowserIO {
  static all: BrowserIO[] = [];
  /** Every post's height, and the viewport's, in CSS px. */
  static postHeight = 200;
  static viewportHeight = 800;
  /** Where a post not in view is: below the viewport, or above it (the reader jumped past it). */
  static outOfViewBottom = 10_000;
  private targets = new Set<Element>();
  private fresh = new Set<Element>();
  private inView = new Set<Element>();
  callbacks = 0;
  observes = 0;
  constructor(private cb: (entries: IntersectionObserverEntry[]) => void) {
    BrowserIO.all.push(this);
  }
  observe(el: Element) {
    this.observes++;
    this.targets.add(el);
    this.fresh.add(el);
  }
  unobserve(el: Element) {
    this.targets.delete(el);
    this.fresh.delete(el);
  }
  disconnect() {
    this.targets.clear();
    this.fresh.clear();
  }
  /** A rendering update in which `visible` are the items in the viewport. */
  update(visible: (el: Element) => boolean) {
    const entries: IntersectionObserverEntry[] = [];
    for (const el of this.targets) {
      const now = visible(el);
      if (this.fresh.has(el) || now !== this.inView.has(el)) {
        entries.push({
          target: el,
          isIntersecting: now,
          boundingClientRect: { bottom: now ? 100 : BrowserIO.outOfViewBottom, height: BrowserIO.postHeight },
          rootBounds: { top: 0, height: BrowserIO.viewportHeight },
        } as unknown as IntersectionObserverEntry);
        if (now) this.inView.add(el);
        else this.inView.delete(el);
      }
    }
    this.fresh.clear();
    if (entries.length) {
      this.callbacks++;
      this.cb(entries);
    }
  }
}

/** The watcher's mutation callback (the latest MutationObserver made). */
let pageMutation: MutationCallback = () => {};

/** The page appends `n` posts to the feed, and the watcher's observer reports it. */
function append(n: number): void {
  const main = document.querySelector('main')!;
  const added = Array.from({ length: n }, () => document.createElement('article'));
  main.append(...added);
  pageMutation(
    [{ type: 'childList', addedNodes: added as unknown as NodeList, removedNodes: [] as unknown as NodeList } as unknown as MutationRecord],
    {} as MutationObserver,
  );
}

beforeEach(() => {
  BrowserIO.all = [];
  BrowserIO.postHeight = 200;
  BrowserIO.viewportHeight = 800;
  BrowserIO.outOfViewBottom = 10_000;
  vi.stubGlobal('IntersectionObserver', BrowserIO);
  vi.stubGlobal(
    'MutationObserver',
    class {
      constructor(cb: MutationCallback) {
        pageMutation = cb;
      }
      observe() {}
      disconnect() {}
    },
  );
});
afterEach(() => vi.unstubAllGlobals());

const adapter = { itemSelector: 'article', findContainer: (d: Document) => d.querySelector('main') } as unknown as FeedAdapter;

function feed(n: number): Element[] {
  document.body.innerHTML = '<main></main>';
  const main = document.querySelector('main')!;
  for (let i = 0; i < n; i++) main.append(document.createElement('article'));
  return Array.from(main.children);
}

describe('FeedWatcher', () => {
  it('counts the posts that come into view, watching one in STRIDE: at most STRIDE - 1 behind, exact at a watched post', () => {
    const items = feed(200);
    let passed = 0;
    const seen: number[] = [];
    const w = new FeedWatcher(adapter, document, { onPassed: (_n, total) => ((passed = total), seen.push(total)) });
    expect(w.attach()).toBe(true);
    const view = BrowserIO.all[0];
    // The reader scrolls: one more post comes into view every few rendering updates.
    let top = 0;
    for (let frame = 0; frame < 150 * 4; frame++) {
      if (frame % 4 === 0) top++;
      view.update((el) => items.indexOf(el) < top);
      expect(top - passed).toBeLessThan(STRIDE);
      expect(top - passed).toBeGreaterThanOrEqual(0); // never a post not yet in view
    }
    expect(passed).toBe(Math.floor((150 - 1) / STRIDE) * STRIDE + 1); // the last watched post in view, and all before it
    expect(w.passed).toBe(passed);
    // One call into our code per STRIDE posts that came into view, and one for the first reports
    // of the posts newly watched at each refill of the window (every twelve posts).
    expect(view.callbacks).toBeLessThanOrEqual(150 / STRIDE + 150 / 12 + 2);
    expect(view.observes).toBeLessThanOrEqual(150 / STRIDE + 24 / STRIDE + 1);
    expect(seen.every((n, i) => i === 0 || n > seen[i - 1])).toBe(true);
  });

  describe('a place for a frame by count, with no layout read (spotBeyond)', () => {
    const stacked = { ...adapter, stacked: true } as FeedAdapter;
    /** The reader has `n` posts in view (0…n-1), on a feed of `total` that the page then appends ten to. */
    function readTo(a: FeedAdapter, total: number, n: number): FeedWatcher {
      const items = feed(total);
      const w = new FeedWatcher(a, document, { onPassed: () => {} });
      w.attach();
      BrowserIO.all[0].update((el) => items.indexOf(el) < n);
      append(10);
      return w;
    }

    it('on a stacked feed, is the first post two viewports past the first one not yet in view, by the smallest post seen', () => {
      const w = readTo(stacked, 100, 4);
      expect(w.passed).toBe(4);
      // Post 4 is not counted yet: below the fold, or at most STRIDE - 1 posts into view (late,
      // as an observer's report may be, which the second viewport is for). 2 × 800 px of posts of
      // at least 200 px after it: post 4 + 8.
      expect(w.seqBeyond(0, 1e9)).toBe(4 + 8);
      expect(w.seqBeyond(20, 1e9)).toBe(20);
      // Not further from where the frame was due than the caller allows.
      expect(w.seqBeyond(0, 4 + 7)).toBeNull();
    });

    it('knows nothing on a page that has not appended posts since the reader began (its first render only)', () => {
      const items = feed(100);
      const w = new FeedWatcher({ ...adapter, stacked: true } as FeedAdapter, document, { onPassed: () => {} });
      w.attach();
      BrowserIO.all[0].update((el) => items.indexOf(el) < 4);
      expect(w.seqBeyond(0, 1e9)).toBeNull();
      append(10);
      expect(w.seqBeyond(0, 1e9)).toBe(4 + 8);
    });

    it('counts with the smallest post seen: smaller posts push the place further on', () => {
      BrowserIO.postHeight = 100;
      expect(readTo(stacked, 100, 4).seqBeyond(0, 1e9)).toBe(4 + 16);
    });

    it('with posts taller than half a screen, stays a whole screen past the furthest the count may lag', () => {
      // 600 px posts: two viewports are three posts, but the STRIDE - 1 posts the count may lag
      // would eat more than the second viewport: a screen (two posts) past those instead.
      BrowserIO.postHeight = 600;
      expect(readTo(stacked, 100, 4).seqBeyond(0, 1e9)).toBe(4 + STRIDE - 1 + 2);
    });

    it('knows nothing on a feed not declared stacked (a grid, a virtualised timeline, the generic detector)', () => {
      expect(readTo(adapter, 100, 4).seqBeyond(0, 1e9)).toBeNull();
    });

    it('knows nothing before the view observer has measured a post, or when the next post is not under its watch (a jump)', () => {
      const items = feed(100);
      const w = new FeedWatcher(stacked, document, { onPassed: () => {} });
      w.attach();
      expect(w.seqBeyond(0, 1e9)).toBeNull(); // no report yet
      BrowserIO.all[0].update((el) => items.indexOf(el) < 1);
      append(10);
      expect(w.seqBeyond(0, 1e9)).toBe(1 + 8);
      // The reader jumped (End key): the observed posts are above the viewport now, and the posts
      // in view were never observed. Where the next post is, the count cannot say.
      // (Below to above is no change for the view observer: the jump observer, whose root
      // reaches far above the viewport, reports the window's end.)
      BrowserIO.outOfViewBottom = -10;
      BrowserIO.all[0].update(() => false);
      BrowserIO.all[1].update(() => true);
      expect(w.seqBeyond(0, 1e9)).toBeNull();
    });
  });
});
