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
          boundingClientRect: { bottom: 10_000 },
          rootBounds: { top: 0 },
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

beforeEach(() => {
  BrowserIO.all = [];
  vi.stubGlobal('IntersectionObserver', BrowserIO);
  vi.stubGlobal(
    'MutationObserver',
    class {
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
});
