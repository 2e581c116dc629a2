import type { DecisionWindow, DecisionWindows } from '@/utils/study/types';
import type { Sample, ScrollSamples } from './scroll-samples';

/**
 * Scrolling around decision points, measured the same way whether the frame was shown or
 * withheld (a "ghost frame": the place in the feed where it would have been).
 *
 * The centre of both windows, t0, is the moment the decision point's place came into view:
 * the frame's top edge for a shown frame, the top edge of the post after the place for a
 * withheld one — the same spot in the feed. Before = [t0 − W, t0], after = [t0, t0 + W].
 *
 * The scroll positions come from ScrollSamples (scroll-samples.ts), which the content script
 * keeps from the moment a feed is attached; this measuring part comes with the frame UI at the
 * first decision (FrameUI.decisionProbe). From the samples: posts passed, distance travelled (the sum
 * of |Δy| between samples) and net displacement. One observer per shown frame and one timer
 * per decision point while its after-window runs; nothing while the reader is idle.
 *
 * Censoring (the windows are reported incomplete, with the cause): not-reached (the place never
 * came into view), hidden (the tab was hidden during a window), page-left, navigated.
 */

type Censor = NonNullable<DecisionWindows['censored']>;

interface Pending {
  id: string;
  windowMs: number;
  /** Withheld: the sequence number of the post the ghost follows. */
  ghostSeq: number | null;
  io: IntersectionObserver | null;
  insertedAt: number | null;
  t0: number | null;
  before: DecisionWindow | null;
  overlaps: boolean;
  hiddenBefore: boolean;
  timer: unknown;
  done: boolean;
  /** Reached, its position waiting for the page's layout (ScrollSamples.whenLaidOut). */
  reaching: boolean;
}

const MAX_PENDING = 24;

export interface ProbeDeps {
  win: Window;
  /** The positions sampled since the feed was attached (kept by the content script). */
  samples: ScrollSamples;
  /** Posts passed so far in the attached feed. */
  passed(): number;
  post(w: DecisionWindows): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Told when the last open decision point is reported (the controller may stop watching then). */
  onIdle?(): void;
}

export class DecisionProbe {
  private pending = new Map<string, Pending>();
  private lastT0: number | null = null;
  private readonly s: ScrollSamples;
  private readonly now: () => number;
  private readonly onVisibility = () => {
    // A window running while the tab is hidden measures nothing the reader did.
    if (this.d.win.document.visibilityState === 'hidden') for (const p of [...this.pending.values()]) if (p.t0 !== null) this.finish(p, 'hidden');
  };
  private readonly onPageHide = () => this.closeAll('page-left');

  constructor(private d: ProbeDeps) {
    this.s = d.samples;
    this.now = d.samples.now;
    d.win.document.addEventListener('visibilitychange', this.onVisibility);
    d.win.addEventListener('pagehide', this.onPageHide);
  }

  /** Decision points whose windows are still open (the controller keeps counting posts until they close). */
  get open(): number {
    return this.pending.size;
  }

  /** A feed was attached: positions are sampled from here (the count of passed posts restarts with it). */
  attached(): void {
    this.s.attached();
  }

  /** The feed went away (navigation, or the watcher stopped): open decision points are reported as they stand. */
  detached(): void {
    this.closeAll('navigated');
    this.s.detached();
  }

  /** Called with every batch of newly passed posts (the watcher's callback). */
  onPassed(): void {
    this.s.postsPassed();
    const passed = this.d.passed();
    for (const p of [...this.pending.values()]) {
      // The post after the ghost's place came into view: the place itself did.
      if (p.ghostSeq !== null && p.t0 === null && passed >= p.ghostSeq + 2) this.reached(p);
    }
  }

  private open_(id: string, windowMs: number, ghostSeq: number | null): Pending {
    if (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.values().next().value!;
      this.finish(oldest, oldest.t0 === null ? 'not-reached' : 'navigated');
    }
    this.s.longestWindowMs = Math.max(this.s.longestWindowMs, windowMs);
    const p: Pending = {
      id,
      windowMs,
      ghostSeq,
      io: null,
      insertedAt: null,
      t0: null,
      before: null,
      overlaps: false,
      hiddenBefore: false,
      timer: null,
      done: false,
      reaching: false,
    };
    this.pending.set(id, p);
    return p;
  }

  /** A shown frame was put into the page: its top edge coming into view is t0. */
  attachFrame(id: string, windowMs: number, host: Element): void {
    const p = this.open_(id, windowMs, null);
    p.insertedAt = this.now();
    p.io = new IntersectionObserver(
      (entries) => {
        if (p.t0 === null && entries.some((e) => e.isIntersecting)) this.reached(p);
      },
      { threshold: 0 },
    );
    p.io.observe(host);
  }

  /** A withheld decision point at the place after post `seq`: the next post coming into view is t0. */
  attachGhost(id: string, windowMs: number, seq: number): void {
    const p = this.open_(id, windowMs, seq);
    if (this.d.passed() >= seq + 2) this.reached(p);
  }

  private reached(p: Pending): void {
    if (p.done || p.t0 !== null || p.reaching) return;
    if (this.d.win.document.visibilityState === 'hidden') return; // not by the reader: wait for them
    p.io?.disconnect();
    p.io = null;
    p.reaching = true;
    this.s.whenLaidOut((at0) => this.reachedAt(p, at0));
  }

  /** The place came into view: `at0` is the scroll position then, read once the page was laid out. */
  private reachedAt(p: Pending, at0: Sample): void {
    p.reaching = false;
    if (p.done || p.t0 !== null) return;
    const t0 = at0.t;
    p.t0 = t0;
    p.before = this.windowBetween(t0 - p.windowMs, at0);
    p.hiddenBefore = this.s.lastHiddenEnd > t0 - p.windowMs;
    p.overlaps = this.lastT0 !== null && t0 - this.lastT0 < 2 * p.windowMs;
    this.lastT0 = t0;
    p.timer = this.d.setTimeout(() => {
      p.timer = null;
      // Its end is read once the page is laid out too (finish reads the position then).
      this.s.whenLaidOut(() => this.finish(p, null));
    }, p.windowMs);
  }

  /**
   * The window from `from` to the sample `end`: starts at the newest sample at or before `from`
   * (at most PASSED_SAMPLE_GAP_MS earlier while posts pass: the posts of that gap count in the
   * window, alike for shown and withheld points), else at the first sample since the feed was
   * opened (a shorter window).
   */
  private windowBetween(from: number, end: Sample): DecisionWindow {
    const samples = this.s.list;
    let startIdx = -1;
    for (let i = 0; i < samples.length; i++) {
      if (samples[i].t <= from) startIdx = i;
      else break;
    }
    // No sample that old: the feed was attached less than a window ago (a shorter window).
    const s0 = startIdx >= 0 ? samples[startIdx] : (samples[0] ?? end);
    const startT = startIdx >= 0 ? from : Math.max(s0.t, this.s.feedSince);
    let travelled = 0;
    let prevY = s0.y;
    for (let i = Math.max(startIdx, 0) + 1; i < samples.length && samples[i].t <= end.t; i++) {
      travelled += Math.abs(samples[i].y - prevY);
      prevY = samples[i].y;
    }
    travelled += Math.abs(end.y - prevY);
    return {
      ms: Math.round(Math.max(0, end.t - startT)),
      posts: Math.max(0, end.posts - s0.posts),
      pxTravelled: Math.round(travelled),
      pxNet: Math.round(end.y - s0.y),
    };
  }

  private finish(p: Pending, censored: Censor | null): void {
    if (p.done) return;
    p.done = true;
    p.io?.disconnect();
    if (p.timer !== null) this.d.clearTimeout(p.timer);
    this.pending.delete(p.id);
    const t = this.now();
    let after: DecisionWindow | null = null;
    if (!censored && p.t0 !== null) {
      const end = this.s.sample();
      after = this.windowBetween(p.t0, end);
    }
    const cause: Censor | null = censored ?? (p.hiddenBefore ? 'hidden' : null);
    const clamp = (ms: number) => Math.round(Math.min(Math.max(ms, 0), 86_400_000));
    this.d.post({
      decisionId: p.id,
      reachedAgoMs: p.t0 === null ? null : clamp(t - p.t0),
      insertedAgoMs: p.insertedAt === null ? null : clamp(t - p.insertedAt),
      before: p.before,
      after: cause ? null : after,
      overlapsPrevious: p.overlaps,
      censored: cause,
    });
    if (this.pending.size === 0) this.d.onIdle?.();
  }

  /** The feed went away (navigation, the watcher stopped): every open decision point is reported as it stands. */
  closeAll(cause: 'navigated' | 'page-left'): void {
    for (const p of [...this.pending.values()]) this.finish(p, p.t0 === null ? (cause === 'page-left' ? 'not-reached' : cause) : cause);
  }

  /** The content script is going away for good (its ScrollSamples are disposed of by their owner). */
  dispose(): void {
    this.closeAll('page-left');
    this.d.win.document.removeEventListener('visibilitychange', this.onVisibility);
    this.d.win.removeEventListener('pagehide', this.onPageHide);
  }
}
