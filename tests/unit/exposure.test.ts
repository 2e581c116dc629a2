import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExposureMeter, MIN_DWELL_MS, VISIBLE_RATIO } from '@/utils/content/exposure';
import { resetInputTracking } from '@/utils/content/input-recency';

/**
 * The one exposure measurement of a frame (WebScience-style): ≥ 70 % visible — and, with
 * IntersectionObserver v2, not covered — in a visible tab; attention = focused window and the
 * reader's own input in the last 30 s; seen = 1 s of continuous attention.
 */

let lastOptions: IntersectionObserverInit | undefined;
class FakeIO {
  static all: FakeIO[] = [];
  constructor(
    public cb: (entries: Array<Partial<IntersectionObserverEntry> & { isVisible?: boolean }>) => void,
    opts?: IntersectionObserverInit,
  ) {
    lastOptions = opts;
    FakeIO.all.push(this);
  }
  observe() {}
  unobserve() {}
  disconnect() {}
}

beforeEach(() => {
  FakeIO.all = [];
  vi.stubGlobal('IntersectionObserver', FakeIO);
});
afterEach(() => vi.unstubAllGlobals());

function page(opts: { v2: boolean }) {
  const listeners = new Map<string, Set<(e: any) => void>>();
  const on = (type: string, fn: (e: any) => void) => (listeners.get(type) ?? listeners.set(type, new Set()).get(type)!).add(fn);
  const off = (type: string, fn: (e: any) => void) => listeners.get(type)?.delete(fn);
  let focused = true;
  const doc = { visibilityState: 'visible', hasFocus: () => focused, addEventListener: on, removeEventListener: off };
  class Entry {}
  if (opts.v2) Object.defineProperty(Entry.prototype, 'isVisible', { get: () => true });
  const win = { document: doc, IntersectionObserverEntry: Entry, addEventListener: on, removeEventListener: off } as unknown as Window;
  let t = 0;
  const now = () => t;
  const host = document.createElement('div');
  const emit = (type: string, e: any = {}) => listeners.get(type)?.forEach((fn) => fn(e));
  return {
    win,
    now,
    host,
    tick: (ms: number) => (t += ms),
    /** The frame's visible share changes (and, with v2, whether it is covered). */
    view(ratio: number, isVisible = true) {
      FakeIO.all.at(-1)!.cb([{ isIntersecting: ratio > 0, intersectionRatio: ratio, isVisible, boundingClientRect: { bottom: 500 } as DOMRect }]);
    },
    input: (trusted = true) => emit('wheel', { isTrusted: trusted }),
    blur() {
      focused = false;
      emit('blur');
    },
    focus() {
      focused = true;
      emit('focus');
    },
  };
}

describe('ExposureMeter', () => {
  it('uses IntersectionObserver v2 where it exists (trackVisibility, delay 100) and says so', () => {
    const p = page({ v2: true });
    const m = new ExposureMeter(p.host, p.win, p.now);
    expect(m.method).toBe('io-v2');
    expect(lastOptions).toMatchObject({ trackVisibility: true, delay: 100 });
    expect((lastOptions!.threshold as number[]).includes(VISIBLE_RATIO)).toBe(true);
    resetInputTracking(p.win);
  });

  it('seen = at least 1 s at ≥ 70 % visible, tab visible, window focused, with recent own input; components kept apart', () => {
    const p = page({ v2: false });
    const m = new ExposureMeter(p.host, p.win, p.now);
    expect(m.method).toBe('io-v1');
    p.input();
    p.view(0.5); // half in view: not "visible" by the 70 % rule
    p.tick(2000);
    p.view(0.8);
    p.tick(600);
    p.blur(); // the window lost focus: in view, but not attended
    p.tick(1000);
    p.focus();
    p.tick(MIN_DWELL_MS + 200);
    const s = m.stop();
    expect(s).toEqual({
      method: 'io-v1',
      maxRatio: 0.8,
      inViewMs: 600 + 1000 + 1200,
      attendedMs: 600 + 1200,
      longestMs: 1200,
      seen: true,
      firstVisibleAgoMs: 2800,
    });
    resetInputTracking(p.win);
  });

  it('without the reader\u2019s own input for 30 s attention ends; a page\u2019s own (untrusted) events do not count', () => {
    const p = page({ v2: false });
    const m = new ExposureMeter(p.host, p.win, p.now);
    p.input(false);
    p.view(1);
    p.tick(5000);
    expect(m.summary()).toMatchObject({ inViewMs: 5000, attendedMs: 0, seen: false });
    p.input(); // the reader touches the wheel
    p.tick(40_000);
    const s = m.stop();
    expect(s.attendedMs).toBe(30_000);
    expect(s.longestMs).toBe(30_000);
    expect(s.inViewMs).toBe(45_000);
    resetInputTracking(p.win);
  });

  it('with v2, a frame covered by something else is never "seen", however long it sits in the viewport', () => {
    const p = page({ v2: true });
    const m = new ExposureMeter(p.host, p.win, p.now);
    p.input();
    p.view(1, false); // fully in the viewport, but hidden under another element
    p.tick(10_000);
    const s = m.stop();
    expect(s).toMatchObject({ method: 'io-v2', inViewMs: 0, attendedMs: 0, seen: false, maxRatio: 0, firstVisibleAgoMs: null });
    resetInputTracking(p.win);
  });

  it('a hidden tab stops the clock', () => {
    const p = page({ v2: false });
    const m = new ExposureMeter(p.host, p.win, p.now);
    p.input();
    p.view(1);
    p.tick(700);
    (p.win.document as { visibilityState: string }).visibilityState = 'hidden';
    m.update();
    p.tick(5000);
    expect(m.stop()).toMatchObject({ inViewMs: 700, attendedMs: 700, seen: false });
    resetInputTracking(p.win);
  });
});
