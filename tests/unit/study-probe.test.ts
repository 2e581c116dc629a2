import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StudyProbe } from '@/utils/content/study-probe';

/** A controllable IntersectionObserver: tests say when the frame is in view. */
class FakeIO {
  static all: FakeIO[] = [];
  targets: Element[] = [];
  disconnected = false;
  constructor(public cb: (entries: Array<Partial<IntersectionObserverEntry>>) => void) {
    FakeIO.all.push(this);
  }
  observe(el: Element) {
    this.targets.push(el);
  }
  disconnect() {
    this.disconnected = true;
  }
  fire(ratio: number) {
    this.cb(this.targets.map((target) => ({ target, isIntersecting: ratio > 0, intersectionRatio: ratio })));
  }
}

function setup() {
  let now = 0;
  let passed = 0;
  const sent: any[] = [];
  const win = { scrollY: 0, document, addEventListener: vi.fn(), removeEventListener: vi.fn() } as unknown as Window & { scrollY: number };
  const probe = new StudyProbe(win, () => passed, () => now, (m) => sent.push(m));
  const cfg = { windowMs: 10_000 };
  return {
    probe,
    sent,
    cfg,
    /** The reader scrolls: time passes, posts and pixels go by, the watcher reports. */
    scroll(ms: number, posts: number, px: number) {
      now += ms;
      passed += posts;
      (win as any).scrollY += px;
      if (posts > 0) probe.onPassed(cfg);
    },
    wait(ms: number) {
      now += ms;
      vi.advanceTimersByTime(ms);
    },
  };
}

beforeEach(() => {
  FakeIO.all = [];
  vi.stubGlobal('IntersectionObserver', FakeIO);
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('StudyProbe: the pause effect around one frame', () => {
  it('measures speed before the frame came into view and after, and how long it was seen', () => {
    const s = setup();
    // 20 s of steady scrolling: one post (400 px) a second.
    for (let i = 0; i < 20; i++) s.scroll(1000, 1, 400);
    s.probe.expect('f1', { impressionId: 'imp-1' });
    const study = s.probe.take('f1')!;
    const host = document.createElement('div');
    document.body.append(host);
    s.probe.track(host, study);
    FakeIO.all[0].fire(1); // first seen now
    // The reader stops for 6 s at the frame, then scrolls slowly.
    s.wait(6000);
    FakeIO.all[0].fire(0); // scrolled past
    for (let i = 0; i < 4; i++) {
      s.scroll(1000, 0, 100);
    }
    vi.advanceTimersByTime(0);
    s.wait(0);
    // The after-window (10 s) closes with the timer; the frame is out of view: one message.
    vi.advanceTimersByTime(10_000);
    expect(s.sent).toHaveLength(1);
    const m = s.sent[0];
    expect(m.type).toBe('study/pause');
    expect(m.impressionId).toBe('imp-1');
    expect(m.visibleMs).toBe(6000);
    expect(m.before).toEqual({ ms: 10_000, posts: 10, px: 4000 });
    expect(m.after.posts).toBe(0);
    expect(m.after.px).toBe(400);
    expect(FakeIO.all[0].disconnected).toBe(true);
    host.remove();
  });

  it('uses a shorter before-window when the feed was opened only just before', () => {
    const s = setup();
    s.scroll(1000, 2, 800);
    s.scroll(1000, 2, 800);
    s.probe.expect('f', { impressionId: 'imp-2' });
    const host = document.createElement('div');
    s.probe.track(host, s.probe.take('f')!);
    FakeIO.all[0].fire(0.6);
    FakeIO.all[0].fire(0);
    vi.advanceTimersByTime(10_000);
    const m = s.sent[0];
    expect(m.before.ms).toBeLessThanOrEqual(2000);
    expect(m.before.posts).toBe(2);
  });

  it('counts as seen only at 50 % or more', () => {
    const s = setup();
    s.scroll(1000, 1, 100);
    s.probe.expect('f', { impressionId: 'imp-3' });
    s.probe.track(document.createElement('div'), s.probe.take('f')!);
    FakeIO.all[0].fire(0.3);
    s.wait(5000);
    expect(s.sent).toHaveLength(0); // never seen: nothing to report yet, no timer running
    s.probe.flushAll(true); // the page goes away
    expect(s.sent[0]).toMatchObject({ impressionId: 'imp-3', visibleMs: 0, firstVisibleAgoMs: null, before: null, after: null });
  });

  it('offers the question only for frames that carry it, and answers by number', () => {
    const s = setup();
    expect(s.probe.sampleFor(null)).toBeUndefined();
    expect(s.probe.sampleFor({ impressionId: 'a' })).toBeUndefined();
    const props = s.probe.sampleFor({ impressionId: 'b', sample: { questionId: 'mood', question: 'How?', min: 1, max: 5 } })!;
    props.onAnswer(4);
    expect(s.sent).toEqual([{ type: 'study/answer', impressionId: 'b', answer: 4 }]);
  });

  it('keeps a bounded buffer of position samples', () => {
    const s = setup();
    for (let i = 0; i < 2000; i++) s.scroll(10, 1, 10);
    expect((s.probe as any).samples.length).toBeLessThanOrEqual(256);
  });
});
