import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DecisionProbe } from '@/utils/content/decision-probe';
import { ScrollSamples } from '@/utils/content/scroll-samples';
import type { DecisionWindows } from '@/utils/study/types';

/**
 * The scrolling around decision points, measured the same way whether the frame was shown or
 * withheld. A scripted page: a clock, a scroll position, a count of passed posts, timers the
 * test fires, and IntersectionObserver driven by the test.
 */

class FakeIO {
  static all: FakeIO[] = [];
  targets: Element[] = [];
  constructor(public cb: (entries: Array<Partial<IntersectionObserverEntry>>) => void) {
    FakeIO.all.push(this);
  }
  observe(el: Element) {
    this.targets.push(el);
  }
  unobserve() {}
  disconnect() {
    this.targets = [];
  }
  fire(isIntersecting: boolean) {
    this.cb(this.targets.map((target) => ({ target, isIntersecting })));
  }
}

beforeEach(() => {
  FakeIO.all = [];
  vi.stubGlobal('IntersectionObserver', FakeIO);
});
afterEach(() => vi.unstubAllGlobals());

/** `probeAtFirstDecision`: as the content script does it — samples from the start, the probe (frame UI) only when first used. */
function page(opts: { probeAtFirstDecision?: boolean } = {}) {
  const listeners = new Map<string, Set<() => void>>();
  const on = (type: string, fn: () => void) => (listeners.get(type) ?? listeners.set(type, new Set()).get(type)!).add(fn);
  const off = (type: string, fn: () => void) => listeners.get(type)?.delete(fn);
  const doc = { visibilityState: 'visible', addEventListener: on, removeEventListener: off };
  const win = { document: doc, scrollY: 0, addEventListener: on, removeEventListener: off } as unknown as Window & { scrollY: number };
  const emit = (type: string) => listeners.get(type)?.forEach((fn) => fn());
  let t = 1000;
  let passed = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const posts: DecisionWindows[] = [];
  // The content script keeps the samples from the start; the probe comes at the first decision.
  const setTimeout = (fn: () => void, ms: number) => {
    const timer = { at: t + ms, fn, live: true };
    timers.push(timer);
    return timer;
  };
  const clearTimeout = (h: unknown) => ((h as { live: boolean }).live = false);
  const samples = new ScrollSamples({ win, passed: () => passed, now: () => t, setTimeout, clearTimeout });
  const makeProbe = () => new DecisionProbe({ win, samples, passed: () => passed, post: (w) => posts.push(w), setTimeout, clearTimeout });
  let probe: DecisionProbe | null = opts.probeAtFirstDecision ? null : makeProbe();
  return {
    get probe() {
      probe ??= makeProbe();
      return probe;
    },
    samples,
    posts,
    win,
    /** Time passes; due timers fire. */
    advance(ms: number) {
      const end = t + ms;
      for (const timer of timers.filter((x) => x.live && x.at <= end).sort((a, b) => a.at - b.at)) {
        t = timer.at;
        timer.live = false;
        timer.fn();
      }
      t = end;
    },
    /** The reader scrolls to `y` and `n` more posts come into view (a watcher batch). */
    scroll(y: number, n = 0) {
      (win as { scrollY: number }).scrollY = y;
      if (n > 0) {
        passed += n;
        if (probe) probe.onPassed();
        else samples.postsPassed();
      } else emit('scrollend');
    },
    hide() {
      (doc as { visibilityState: string }).visibilityState = 'hidden';
      emit('visibilitychange');
    },
    show() {
      (doc as { visibilityState: string }).visibilityState = 'visible';
      emit('visibilitychange');
    },
    leave: () => emit('pagehide'),
    get passed() {
      return passed;
    },
  };
}

/** A steady reader: 1 post and 400 px every second, `seconds` long. */
function steady(p: ReturnType<typeof page>, seconds: number, from = { y: 0 }) {
  for (let i = 0; i < seconds; i++) {
    p.advance(1000);
    from.y += 400;
    p.scroll(from.y, 1);
  }
}

describe('DecisionProbe', () => {
  it('measures the before-window from samples kept before the probe itself was loaded (it comes with the frame UI)', () => {
    const p = page({ probeAtFirstDecision: true });
    p.samples.attached();
    const pos = { y: 0 };
    steady(p, 12, pos);
    // The first decision point: a withheld one, its place after post 12, reached at once.
    p.probe.attachGhost('g-1', 10_000, 10);
    steady(p, 10, pos);
    p.advance(500);
    expect(p.posts).toHaveLength(1);
    expect(p.posts[0]).toMatchObject({
      decisionId: 'g-1',
      reachedAgoMs: 10_000,
      before: { ms: 10_000, posts: 10, pxTravelled: 4000, pxNet: 4000 },
      censored: null,
    });
    // The after-window closes by its timer, just before the tenth post of the next ten seconds.
    expect(p.posts[0].after).toEqual({ ms: 10_000, posts: 9, pxTravelled: 3600, pxNet: 3600 });
  });

  it('a shown frame: windows of W before and after the moment its top edge came into view', () => {
    const p = page();
    p.probe.attached();
    const pos = { y: 0 };
    steady(p, 12, pos);
    const host = document.createElement('div');
    p.probe.attachFrame('dec-1', 10_000, host);
    expect(p.probe.open).toBe(1);
    FakeIO.all.at(-1)!.fire(true);
    // Slower after the frame: 1 post and 100 px every 1.9 s.
    for (let i = 0; i < 5; i++) {
      p.advance(1900);
      pos.y += 100;
      p.scroll(pos.y, 1);
    }
    p.advance(500);
    expect(p.posts).toHaveLength(1);
    expect(p.posts[0]).toEqual({
      decisionId: 'dec-1',
      reachedAgoMs: 10_000,
      insertedAgoMs: 10_000,
      before: { ms: 10_000, posts: 10, pxTravelled: 4000, pxNet: 4000 },
      after: { ms: 10_000, posts: 5, pxTravelled: 500, pxNet: 500 },
      overlapsPrevious: false,
      censored: null,
    });
    expect(p.probe.open).toBe(0);
  });

  it('a withheld decision point is measured at the same place the same way: shown and ghost give identical windows for identical scrolling', () => {
    const run = (shown: boolean) => {
      const p = page();
      p.probe.attached();
      const pos = { y: 0 };
      steady(p, 12, pos);
      // The decision point's place is after the last post passed (sequence number passed − 1):
      // the next post is still below the fold.
      if (shown) p.probe.attachFrame('d', 10_000, document.createElement('div'));
      else p.probe.attachGhost('d', 10_000, p.passed - 1);
      p.advance(1000);
      pos.y += 400;
      p.scroll(pos.y, 1); // post 13 comes into view: the place did
      if (shown) FakeIO.all.at(-1)!.fire(true);
      steady(p, 10, pos);
      return p.posts[0];
    };
    const shown = run(true);
    const ghost = run(false);
    expect(ghost.before).toEqual(shown.before);
    expect(ghost.after).toEqual(shown.after);
    expect(ghost.censored).toBeNull();
    expect(ghost.insertedAgoMs).toBeNull();
  });

  it('distance travelled and net displacement differ when the reader scrolls back up (ends of gestures are sampled)', () => {
    const p = page();
    p.probe.attached();
    steady(p, 11, { y: 0 }); // y = 4400
    p.probe.attachGhost('d', 10_000, p.passed - 2);
    expect(p.probe.open).toBe(1);
    p.advance(2000);
    p.scroll(2400); // back up 2000 px, no new post
    p.advance(2000);
    p.scroll(5400); // down again 3000 px
    p.advance(6000);
    const after = p.posts[0].after!;
    expect(after.pxTravelled).toBe(5000);
    expect(after.pxNet).toBe(1000);
  });

  it('a tab hidden during the after-window censors it ("hidden"); the before-window stays', () => {
    const p = page();
    p.probe.attached();
    steady(p, 12);
    p.probe.attachGhost('d', 10_000, p.passed - 2);
    p.advance(3000);
    p.hide();
    expect(p.posts[0]).toMatchObject({ censored: 'hidden', after: null, before: { ms: 10_000, posts: 10 } });
  });

  it('a tab hidden in the second before the place is reached censors the decision point too', () => {
    const p = page();
    p.probe.attached();
    steady(p, 12);
    p.hide();
    p.advance(2000);
    p.show();
    p.probe.attachGhost('d', 10_000, p.passed - 2);
    p.advance(10_000);
    expect(p.posts[0]).toMatchObject({ censored: 'hidden', after: null });
  });

  it('a place never reached is reported as such when the reader leaves; navigating away censors open windows', () => {
    const p = page();
    p.probe.attached();
    steady(p, 3);
    p.probe.attachGhost('far', 10_000, 50);
    p.probe.attachGhost('near', 10_000, p.passed - 2);
    p.probe.detached();
    expect(p.posts.map((w) => [w.decisionId, w.censored, w.reachedAgoMs === null])).toEqual([
      ['far', 'navigated', true],
      ['near', 'navigated', false],
    ]);
    p.probe.attached();
    p.probe.attachGhost('gone', 10_000, 80);
    p.leave();
    expect(p.posts.at(-1)).toMatchObject({ decisionId: 'gone', censored: 'not-reached', reachedAgoMs: null, before: null, after: null });
  });

  it('flags a before-window that overlaps the previous decision point\u2019s after-window; a feed opened a moment ago gives a shorter window', () => {
    const p = page();
    p.probe.attached();
    steady(p, 4);
    p.probe.attachGhost('a', 10_000, p.passed - 2);
    expect(p.posts).toHaveLength(0);
    steady(p, 12);
    p.probe.attachGhost('b', 10_000, p.passed - 2);
    steady(p, 12);
    expect(p.posts.map((w) => [w.decisionId, w.overlapsPrevious, w.before?.ms])).toEqual([
      ['a', false, 4000],
      ['b', true, 10_000],
    ]);
  });
});

/**
 * A window whose ResizeObserver reports only when the test lays the page out (`w.layout`), counting
 * its observe() calls; `w.y` is the scroll position and `w.scrollEnd` the 'scrollend' listener, if any.
 */
function laidOutWindow() {
  const w = { y: 0, observes: 0, layout: null as (() => void) | null, scrollEnd: null as (() => void) | null };
  class FakeRO {
    constructor(private cb: () => void) {}
    observe() {
      w.observes++;
      w.layout = () => this.cb();
    }
    unobserve() {}
    disconnect() {}
  }
  const win = {
    document: { visibilityState: 'visible', documentElement: {}, addEventListener() {}, removeEventListener() {} },
    ResizeObserver: FakeRO,
    get scrollY() {
      return w.y;
    },
    addEventListener(type: string, fn: () => void) {
      if (type === 'scrollend') w.scrollEnd = fn;
    },
    removeEventListener(type: string) {
      if (type === 'scrollend') w.scrollEnd = null;
    },
  } as unknown as Window;
  return { win, w };
}

describe('DecisionProbe, where the browser has a ResizeObserver', () => {
  it('reads the scroll position after the next layout, never inside the watcher callback or scrollend (a forced layout of the page)', () => {
    let reads = 0;
    let y = 0;
    let layout: (() => void) | null = null;
    let scrollEnd: (() => void) | null = null;
    const observed: unknown[] = [];
    class FakeRO {
      constructor(private cb: () => void) {}
      observe(el: unknown) {
        observed.push(el);
        layout = () => this.cb();
      }
      unobserve(el: unknown) {
        observed.splice(observed.indexOf(el), 1);
      }
      disconnect() {
        observed.length = 0;
      }
    }
    const root = {};
    const doc = { visibilityState: 'visible', documentElement: root, addEventListener() {}, removeEventListener() {} };
    const win = {
      document: doc,
      ResizeObserver: FakeRO,
      get scrollY() {
        reads++;
        return y;
      },
      addEventListener(type: string, fn: () => void) {
        if (type === 'scrollend') scrollEnd = fn;
      },
      removeEventListener() {},
    } as unknown as Window;
    let passed = 0;
    let t = 0;
    const posts: DecisionWindows[] = [];
    const timers: Array<() => void> = [];
    const sampleTimers: Array<() => void> = [];
    const samples = new ScrollSamples({ win, passed: () => passed, now: () => t, setTimeout: (fn) => sampleTimers.push(fn), clearTimeout() {} });
    const probe = new DecisionProbe({ win, samples, passed: () => passed, post: (w) => posts.push(w), setTimeout: (fn) => timers.push(fn), clearTimeout() {} });
    probe.attached();
    const atAttach = reads;
    // Three watcher batches in one frame, the page having just appended posts: nothing is read.
    for (let i = 0; i < 3; i++) {
      passed++;
      y += 300;
      probe.onPassed();
      scrollEnd!(); // a page scrolling by script ends a "gesture" at every scrollTo()
    }
    expect(reads).toBe(atAttach);
    expect(observed).toEqual([root]);
    // The browser lays the page out: one read, and the observer lets go of the root.
    t = 100;
    layout!();
    expect(reads).toBe(atAttach + 1);
    expect(observed).toEqual([]);
    // That sample is the one a window is measured from: a ghost reached now travelled 900 px.
    probe.attachGhost('g', 1000, 2);
    passed += 2;
    y += 100;
    t = 200;
    const beforeReach = reads;
    probe.onPassed(); // the ghost's place came into view: its position is not read here either…
    expect(reads).toBe(beforeReach);
    layout!(); // …but once this frame is laid out
    expect(reads).toBe(beforeReach + 1);
    t = 1200;
    timers.forEach((fn) => fn());
    expect(posts).toHaveLength(0); // the window's end is read after a layout too
    layout!();
    expect(posts).toHaveLength(1);
    expect(posts[0].before?.pxTravelled).toBe(1000);
    probe.dispose();
  });

  it('a fast scroll that brings a post into view every frame is sampled at most every 250 ms; a window\u2019s ends are still sampled exactly', () => {
    const { win, w } = laidOutWindow();
    let t = 0;
    let passed = 0;
    const timers: Array<{ at: number; fn: () => void }> = [];
    const posts: DecisionWindows[] = [];
    const samples = new ScrollSamples({ win, passed: () => passed, now: () => t, setTimeout: () => 0, clearTimeout() {} });
    const probe = new DecisionProbe({
      win,
      samples,
      passed: () => passed,
      post: (w) => posts.push(w),
      setTimeout: (fn, ms) => timers.push({ at: t + ms, fn }),
      clearTimeout() {},
    });
    probe.attached();
    const frame = () => {
      t += 1000 / 60;
      w.y += 60;
      passed++;
      probe.onPassed();
      for (const due of timers.filter((x) => x.at <= t)) {
        timers.splice(timers.indexOf(due), 1);
        due.fn();
      }
      w.layout?.();
      w.layout = null;
    };
    // Two seconds, a post into view in every frame: 120 posts, not 120 samples.
    for (let i = 0; i < 120; i++) frame();
    expect(w.observes).toBeLessThanOrEqual(9);
    expect(samples.list.length).toBeLessThanOrEqual(10);
    // A ghost reached now: its windows end where the reader is, to the post.
    probe.attachGhost('g', 1000, passed - 2);
    frame(); // its place came into view: sampled after this frame's layout, whatever the gap
    const t0 = t;
    const y0 = w.y;
    const atReach = passed;
    while (posts.length === 0) frame();
    expect(posts[0].reachedAgoMs).toBeGreaterThanOrEqual(1000);
    expect(posts[0].after).toMatchObject({ pxNet: w.y - y0, posts: passed - atReach });
    expect(posts[0].after!.ms).toBe(Math.round(t - t0));
    probe.dispose();
  });

  it('a page that ends a scroll "gesture" every animation frame is listened to once per 200 ms, and sampled where it came to rest', () => {
    const { win, w } = laidOutWindow();
    let t = 0;
    let calls = 0;
    const timers: Array<{ at: number; fn: () => void }> = [];
    const samples = new ScrollSamples({ win, passed: () => 0, now: () => t, setTimeout: (fn, ms) => timers.push({ at: t + ms, fn }), clearTimeout() {} });
    samples.attached();
    // Two seconds of scrollTo() once a frame, each ending a "gesture".
    for (let frame = 0; frame < 120; frame++) {
      t += 1000 / 60;
      w.y += 50;
      for (const due of timers.filter((x) => x.at <= t)) {
        timers.splice(timers.indexOf(due), 1);
        due.fn();
      }
      if (w.scrollEnd) {
        calls++;
        w.scrollEnd();
      }
      w.layout?.();
      w.layout = null;
    }
    // Not 120 calls into our code, each observing the page: one 'scrollend' and one sample after it per 200 ms.
    expect(calls).toBeLessThanOrEqual(11);
    expect(w.observes).toBeLessThanOrEqual(22);
    // It stopped: the last position is still sampled, once the gap is over.
    t += 200;
    for (const due of timers.splice(0)) due.fn();
    w.layout?.();
    expect(samples.list.at(-1)?.y).toBe(6000);
    samples.dispose();
  });
});
