import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FeedWatcher } from '@/utils/content/feed-watcher';
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
  it('counts every post that comes into view, with about one call into our code per post, not two', () => {
    const items = feed(200);
    let passed = 0;
    const w = new FeedWatcher(adapter, document, { onPassed: (_n, total) => (passed = total) });
    expect(w.attach()).toBe(true);
    const view = BrowserIO.all[0];
    // The reader scrolls: one more post comes into view every few rendering updates.
    let top = 0;
    for (let frame = 0; frame < 150 * 4; frame++) {
      if (frame % 4 === 0) top++;
      view.update((el) => items.indexOf(el) < top);
    }
    expect(passed).toBe(150);
    expect(w.passed).toBe(150);
    // 150 posts came into view, each a call; their first reports come in batches, a few per call.
    expect(view.callbacks).toBeLessThanOrEqual(150 + 150 / 4);
    expect(view.observes).toBeLessThanOrEqual(150 + 12 + 1);
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
      // Post 4 is not in view yet, so below the fold; 2 × 800 px of posts of at least 200 px after it: post 12.
      expect(w.seqBeyond(0, 1e9)).toBe(12);
      expect(w.seqBeyond(20, 1e9)).toBe(20);
      // Not further from where the frame was due than the caller allows.
      expect(w.seqBeyond(0, 11)).toBeNull();
    });

    it('knows nothing on a page that has not appended posts since the reader began (its first render only)', () => {
      const items = feed(100);
      const w = new FeedWatcher({ ...adapter, stacked: true } as FeedAdapter, document, { onPassed: () => {} });
      w.attach();
      BrowserIO.all[0].update((el) => items.indexOf(el) < 4);
      expect(w.seqBeyond(0, 1e9)).toBeNull();
      append(10);
      expect(w.seqBeyond(0, 1e9)).toBe(12);
    });

    it('counts with the smallest post seen: smaller posts push the place further on', () => {
      BrowserIO.postHeight = 100;
      expect(readTo(stacked, 100, 4).seqBeyond(0, 1e9)).toBe(4 + 16);
    });

    it('knows nothing on a feed not declared stacked (a grid, a virtualised timeline, the generic detector)', () => {
      expect(readTo(adapter, 100, 4).seqBeyond(0, 1e9)).toBeNull();
    });

    it('knows nothing before the view observer has measured a post, or when the next post is not under its watch (a jump)', () => {
      const items = feed(100);
      const w = new FeedWatcher(stacked, document, { onPassed: () => {} });
      w.attach();
      expect(w.seqBeyond(0, 1e9)).toBeNull(); // no report yet
      BrowserIO.all[0].update((el) => items.indexOf(el) < 2);
      append(10);
      expect(w.seqBeyond(0, 1e9)).toBe(10);
      // The reader jumped (End key): the observed posts are above the viewport now, and the posts
      // in view were never observed. Where the next post is, the count cannot say.
      BrowserIO.outOfViewBottom = -10;
      BrowserIO.all[0].update(() => false);
      expect(w.seqBeyond(0, 1e9)).toBeNull();
    });
  });
});
